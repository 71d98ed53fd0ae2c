#include "web/internal/connections.h"

#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/StreamSocket.h>

#include <utility>

#include "core/sha256.h"

namespace tryghed::web::internal {

// Poco's HTTP connection, counted while it lives.
class CountedConnection : public Poco::Net::HTTPServerConnection {
 public:
  CountedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, ConnectionFactory& owner, std::string client)
      : HTTPServerConnection(socket, std::move(params), std::move(handlers)),
        owner_(owner),
        client_(std::move(client)) {}
  ~CountedConnection() override { owner_.Release(client_, &socket()); }

  // Registered only once the object is complete, so ShutdownAll never sees
  // a half-made connection.
  void Register() {
    std::lock_guard lock(owner_.mu_);
    owner_.sockets_.insert(&socket());
  }

 private:
  ConnectionFactory& owner_;
  const std::string client_;
};

namespace {

// A client over the cap: a bare 503 and the connection closed.
class RefusedConnection : public Poco::Net::TCPServerConnection {
 public:
  using TCPServerConnection::TCPServerConnection;
  void run() override {
    static constexpr char kReply[] =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\nRetry-After: 5\r\n\r\n";
    try {
      socket().sendBytes(kReply, sizeof kReply - 1);
      socket().shutdown();
    } catch (const Poco::Exception&) {
      // The client is gone already.
    }
  }
};

}  // namespace

ConnectionFactory::ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                     Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::string key,
                                     int per_client)
    : params_(std::move(params)), handlers_(std::move(handlers)), key_(std::move(key)), per_client_(per_client) {}

Poco::Net::TCPServerConnection* ConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
  std::string client;
  try {
    client = core::Sha256Hex(key_ + socket.peerAddress().host().toString());
  } catch (const Poco::Exception&) {
    return new RefusedConnection(socket);  // no peer: already disconnected
  }
  {
    std::lock_guard lock(mu_);
    int& n = open_[client];
    if (per_client_ > 0 && n >= per_client_) {
      ++refused_;
      return new RefusedConnection(socket);
    }
    ++n;
  }
  auto* connection = new CountedConnection(socket, params_, handlers_, *this, std::move(client));
  connection->Register();
  return connection;
}

void ConnectionFactory::Release(const std::string& client, Poco::Net::StreamSocket* socket) {
  std::lock_guard lock(mu_);
  sockets_.erase(socket);
  auto it = open_.find(client);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

void ConnectionFactory::ShutdownAll() {
  std::lock_guard lock(mu_);
  for (Poco::Net::StreamSocket* s : sockets_) {
    try {
      s->shutdown();
    } catch (const Poco::Exception&) {
      // Closed meanwhile.
    }
  }
}

long ConnectionFactory::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

}  // namespace tryghed::web::internal
