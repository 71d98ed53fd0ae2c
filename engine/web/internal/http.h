#pragma once
// tryghed::web internal — one request and one reply as the routes see them,
// shared by the resident form (server.cpp) and the admin site (admin.cpp).
// Carries Poco::Net types: only engine/web/*.cpp include it.
//
// Example:
//
//   Reply r = Redirect("/admin");                 // 303 See Other
//   if (!SameSecret(posted_csrf, session.csrf)) r.status = 403;
#include <Poco/Net/HTTPServerRequest.h>

#include <string>
#include <vector>

namespace tryghed::web::internal {

// What to send back.
struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "text/html; charset=utf-8";
  std::string location;              // set: 303 See Other
  std::vector<std::string> cookies;  // Set-Cookie values
  bool cacheable = false;            // static files only
  bool close = false;                // close the connection afterwards
  // Set: sent as a download, "Content-Disposition: attachment; filename=..."
  // (letters of [A-Za-z0-9._-] only; the caller makes the name).
  std::string filename;
  // Set: this Content-Security-Policy instead of the server's, for a
  // self-contained document of our own (a report or letters with inline
  // styles and data: images, no scripts).
  std::string csp;
};

inline Reply Redirect(const std::string& location) {
  Reply r;
  r.status = 303;
  r.location = location;
  return r;
}

// True when the two secrets are equal and not empty; takes the same time
// whatever the position of the first difference.
inline bool SameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned>(a[i] ^ b[i]);
  return diff == 0;
}

// One request as the routes see it.
struct Request {
  Poco::Net::HTTPServerRequest& http;
  bool post = false;
  std::string lang;  // ?lang=
  std::string body;
};

}  // namespace tryghed::web::internal
