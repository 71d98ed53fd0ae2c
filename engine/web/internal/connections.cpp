#include "web/internal/connections.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Timestamp.h>
#include <poll.h>

#include <cerrno>
#include <ctime>
#include <memory>
#include <utility>

#include "core/sha256.h"

namespace tryghed::web::internal {

namespace {

// A response whose sendBuffer writes the status line, the headers and the
// body with one send. Poco's own (HTTPServerResponseImpl::sendBuffer)
// streams the header and the body through a 4 kB std::ostream buffer, so the
// 5.4 kB form page mostly left in two sends, each a TCP segment of its own
// (TCP_NODELAY) and a wake-up of the client. Everything else is Poco's.
class OneWriteResponse : public Poco::Net::HTTPServerResponseImpl {
 public:
  OneWriteResponse(Poco::Net::HTTPServerSession& session, Poco::Net::StreamSocket& socket)
      : HTTPServerResponseImpl(session), socket_(socket) {}

  // A HEAD request is answered with the headers only.
  void set_head(bool head) { head_ = head; }

  // True once anything of the response went out (sendBuffer here, or
  // Poco's send, sendFile or redirect).
  bool written() const { return written_ || sent(); }

  void sendBuffer(const void* buffer, std::size_t length) override {
    setContentLength64(static_cast<Poco::Int64>(length));
    setChunkedTransferEncoding(false);
    std::string out;
    out.reserve(640 + length);
    out += getVersion();
    out += ' ';
    out += std::to_string(static_cast<int>(getStatus()));
    out += ' ';
    out += getReason();
    out += "\r\n";
    for (const auto& [name, value] : *this) {
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
    out += "\r\n";
    if (!head_) out.append(static_cast<const char*>(buffer), length);
    // A blocking StreamSocket sends until every byte is out (or throws).
    written_ = true;
    socket_.sendBytes(out.data(), static_cast<int>(out.size()));
  }

 private:
  Poco::Net::StreamSocket& socket_;
  bool head_ = false;
  bool written_ = false;
};

// The Date header, formatted once a second per thread instead of per request.
const std::string& HttpDate() {
  thread_local std::time_t second = -1;
  thread_local std::string text;
  const std::time_t now = std::time(nullptr);
  if (now != second) {
    second = now;
    text = Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(now), Poco::DateTimeFormat::HTTP_FORMAT);
  }
  return text;
}

// Waits until `fd` has something to read (or is closed), at most `timeout`.
bool Readable(int fd, const Poco::Timespan& timeout) {
  pollfd p{fd, POLLIN, 0};
  const int ms = static_cast<int>(timeout.totalMilliseconds());
  for (;;) {
    const int rc = ::poll(&p, 1, ms);
    if (rc >= 0) return rc > 0;
    if (errno != EINTR) return false;
  }
}

// HTTPServerSession with its read buffer's fill level in view.
class Session : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  using HTTPSession::buffered;
};

void SendError(Poco::Net::HTTPServerSession& session, Poco::Net::HTTPResponse::HTTPStatus status) {
  Poco::Net::HTTPServerResponseImpl response(session);
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  response.setStatusAndReason(status);
  response.setKeepAlive(false);
  response.send();
  session.setKeepAlive(false);
}

}  // namespace

// One HTTP connection, counted while it lives: the request loop of Poco's
// HTTPServerConnection::run with Poco's request and response objects, except
// that waiting for the next request is one poll(2) (Poco 1.11's
// Socket::poll makes, fills and closes an epoll set for every wait: four
// system calls per request) and that a response leaves in one send
// (OneWriteResponse).
class CountedConnection : public Poco::Net::TCPServerConnection {
 public:
  CountedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, ConnectionFactory& owner, std::string client)
      : TCPServerConnection(socket),
        params_(std::move(params)),
        handlers_(std::move(handlers)),
        owner_(owner),
        client_(std::move(client)) {}
  ~CountedConnection() override { owner_.Release(client_, &socket()); }

  // Registered only once the object is complete, so ShutdownAll never sees
  // a half-made connection.
  void Register() {
    std::lock_guard lock(owner_.mu_);
    owner_.sockets_.insert(&socket());
  }

  void run() override {
    using Poco::Net::HTTPResponse;
    Session session(socket(), params_);
    const int fd = socket().impl()->sockfd();
    bool first = true;
    for (;;) {
      if (first) {
        if (!Readable(fd, params_->getTimeout())) break;
        first = false;
      } else if (!session.getKeepAlive() || (session.buffered() == 0 && !Readable(fd, params_->getKeepAliveTimeout()))) {
        break;
      }
      try {
        OneWriteResponse response(session, socket());
        Poco::Net::HTTPServerRequestImpl request(response, session, params_);
        response.set_head(request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD);
        response.setVersion(request.getVersion());
        response.set("Date", HttpDate());
        response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive());
        try {
          std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(handlers_->createRequestHandler(request));
          if (handler == nullptr) {
            SendError(session, HTTPResponse::HTTP_NOT_IMPLEMENTED);
            continue;
          }
          if (request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK) response.sendContinue();
          handler->handleRequest(request, response);
          session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive());
        } catch (const Poco::Exception&) {
          if (!response.written()) {  // never a second answer after a first one
            try {
              SendError(session, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
            } catch (...) {
              // The client is gone.
            }
          }
          throw;
        }
      } catch (const Poco::Net::NoMessageException&) {
        break;  // the client closed the connection
      } catch (const Poco::Net::MessageException&) {
        SendError(session, HTTPResponse::HTTP_BAD_REQUEST);  // a malformed request: 400, then close
      }
    }
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
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
