#pragma once
// tryghed::web (internal) — the server's TCP side: an HTTP connection made
// of Poco's session, request and response objects, with a cap on the
// connections one client holds at once, and a way to end every open
// connection when a graceful stop runs out of time.
//
// The request loop is Poco's (HTTPServerConnection::run, keep-alive,
// pipelined requests, 100-continue, 400 for a malformed request) with two
// costs removed, because the form page is served per request and these
// were a large share of it (docs/benchmarks.md, "Resident form"): waiting
// for the next request is one poll(2), where Poco 1.11 makes, fills and
// closes an epoll set every time; and a response's sendBuffer() writes the
// status line, headers and body with one send, where Poco streams them
// through a 4 kB buffer in several. A HEAD request gets the headers only.
// The Date header is formatted once a second per thread.
//
// Poco serves each connection on a thread of its own until the client closes
// it or goes quiet for the socket timeout. A client that opens many
// connections and sends a request a byte at a time (slowloris) would hold
// every thread and stop the form for everyone. A ConnectionFactory counts the
// connections of each client (by a keyed hash of its address, in memory only,
// as the rate limiter does) and answers a client over the cap with a bare
// 503 and closes, at once, on the thread that picked the connection up.
// Behind a reverse proxy every connection comes from the proxy: set the cap
// to 0 there (the proxy buffers slow requests itself; docs/deployment.md).
//
// Example (server.cpp):
//
//   auto* factory = new internal::ConnectionFactory(params, handlers, key, 16);
//   Poco::Net::TCPServer server(factory, pool, socket, params);
//   server.start();
//   ...
//   server.stop();                     // no new connections
//   ... wait for server.currentConnections() == 0, a grace period at most ...
//   factory->ShutdownAll();            // whatever is left ends now
//
// Thread safety: createConnection and ShutdownAll may run on any threads at once.
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace tryghed::web::internal {

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  // `key`: the secret that keys the address hashes (made at start, never
  // stored). `per_client`: most connections one client holds; 0 = no cap.
  ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                    std::string key, int per_client);

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

  // Shuts down every open connection (both directions): their threads end.
  void ShutdownAll();

  // Connections refused for being over the cap since the start.
  long refused() const;

 private:
  friend class CountedConnection;
  void Release(const std::string& client, Poco::Net::StreamSocket* socket);

  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  const std::string key_;
  const int per_client_;
  mutable std::mutex mu_;
  std::map<std::string, int> open_;          // client hash -> open connections
  std::set<Poco::Net::StreamSocket*> sockets_;  // every open connection's socket
  long refused_ = 0;
};

}  // namespace tryghed::web::internal
