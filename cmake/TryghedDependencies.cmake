# Every third-party dependency is a Debian 12 package (see docs/dependencies.md).

find_package(Threads REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(RapidJSON 1.1 REQUIRED)
if(NOT TARGET RapidJSON::RapidJSON)
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  target_include_directories(RapidJSON::RapidJSON INTERFACE ${RapidJSON_INCLUDE_DIRS} ${RAPIDJSON_INCLUDE_DIRS})
endif()
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED)   # Boost.Math is header-only
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)

# Debian's Poco 1.11 CMake files name a PostgreSQL::client target that nothing
# defines; provide it on top of CMake's own FindPostgreSQL.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Util JSON Net Data DataSQLite DataPostgreSQL Crypto)

# Export to SPSS .sav and Stata .dta (libreadstat-dev ships no CMake or
# pkg-config file) and to Excel .xlsx (libxlsxwriter-dev ships a .pc file).
find_path(READSTAT_INCLUDE_DIR readstat.h REQUIRED)
find_library(READSTAT_LIBRARY readstat REQUIRED)
if(NOT TARGET ReadStat::ReadStat)
  add_library(ReadStat::ReadStat UNKNOWN IMPORTED)
  set_target_properties(ReadStat::ReadStat PROPERTIES IMPORTED_LOCATION ${READSTAT_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${READSTAT_INCLUDE_DIR})
endif()
find_package(PkgConfig REQUIRED)
pkg_check_modules(xlsxwriter REQUIRED IMPORTED_TARGET xlsxwriter)

# Argon2id password hashing of the admin accounts (libargon2-dev ships a .pc file).
pkg_check_modules(argon2 REQUIRED IMPORTED_TARGET libargon2)
# QR codes on the invitation letters (libqrencode-dev ships a .pc file).
pkg_check_modules(qrencode REQUIRED IMPORTED_TARGET libqrencode)
