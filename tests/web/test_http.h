#pragma once
// A small HTTP client for the web tests: one request to a server on
// 127.0.0.1 with Poco's HTTPClientSession, the way a browser without
// JavaScript sends it (form posts url-encoded), and helpers to read the
// hidden fields and cookies of the answer.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace tryghed::web::testing {

inline constexpr const char* kUserAgent = "tryghed-test-agent-7f3a";

struct HttpReply {
  int status = 0;
  std::string body;
  std::string location;
  std::vector<std::string> set_cookies;
  Poco::Net::NameValueCollection headers;
};

inline std::string UrlEncode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "&=+?#/ ", out);
  return out;
}

inline std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + UrlEncode(k) + "=" + UrlEncode(v);
  return body;
}

// The value of hidden field `name` in `html`, or "".
inline std::string Hidden(const std::string& html, const std::string& name) {
  std::smatch m;
  if (std::regex_search(html, m, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))) return m[1];
  return "";
}

// The Set-Cookie value of cookie `name` in `reply` ("name=value; attributes"), or "".
inline std::string SetCookie(const HttpReply& reply, const std::string& name) {
  for (const std::string& c : reply.set_cookies) {
    if (c.rfind(name + "=", 0) == 0) return c;
  }
  return "";
}

// "name=value" of a Set-Cookie value (what a browser sends back).
inline std::string CookiePair(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

// One request; a transport failure is a test failure (status 0).
inline HttpReply HttpRequest(int port, const std::string& method, const std::string& path,
                             const std::string& body = "", const std::string& cookie = "",
                             const std::string& content_type = "application/x-www-form-urlencoded") {
  HttpReply reply;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("User-Agent", kUserAgent);
    if (!cookie.empty()) request.set("Cookie", cookie);
    if (method == "POST") {
      request.setContentType(content_type);
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(request) << body;
    } else {
      session.sendRequest(request);
    }
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Poco::StreamCopier::copyToString(in, reply.body);
    reply.status = response.getStatus();
    reply.location = response.get("Location", "");
    for (const auto& [k, v] : response) {
      reply.headers.add(k, v);
      if (Poco::icompare(k, "Set-Cookie") == 0) reply.set_cookies.push_back(v);
    }
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << method << " " << path << ": " << e.displayText();
  }
  return reply;
}

}  // namespace tryghed::web::testing
