#pragma once
// tryghed::store internal — raw SQL access for the store's own tests only, so
// they can check that the schema itself (not just the C++ API) enforces the
// invariants: that UPDATE/DELETE of a response fails, what columns a table
// has, what the version table says. Never use outside tests/store.
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace tryghed::store::internal {

struct StoreTestAccess {
  // Executes one statement outside a transaction; the rows it affected.
  // Database errors come back as a Status, as from any Store method.
  static core::Result<std::int64_t> Execute(Store& store, const std::string& sql);
  // The first column of every row of a query, as text.
  static core::Result<std::vector<std::string>> QueryText(Store& store, const std::string& sql);
  // The column names of `table` in order (empty when there is no such table).
  static core::Result<std::vector<std::string>> Columns(Store& store, const std::string& table);
};

}  // namespace tryghed::store::internal
