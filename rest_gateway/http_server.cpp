#include "rest_gateway/http_server.h"

#include <optional>
#include <type_traits>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "net/listener.h"
#include "protocol/utf8.h"
#include "rest_gateway/router.h"
#include "rest_gateway/static_files.h"
#include "storage/multipart.h"

namespace kyc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// A session runs on its I/O context, which exactly one thread runs (IoPool): that context
// is its strand, with no strand object or type-erased executor on every completion.
using Executor = asio::io_context::executor_type;
using Stream = beast::basic_stream<tcp, Executor>;
static_assert(std::is_same_v<Stream::socket_type, IoSocket>);

// The answer's text is the Response's own (owned, or shared with the profile cache): the
// body points into it, so a cached profile goes out with no copy, as on TCP.
using Reply = http::response<http::span_body<const char>>;

constexpr std::string_view kServerName = "kyc-manager";
constexpr size_t kHeaderLimit = 16 * 1024;  // request line and headers

class HttpSession;

}  // namespace

struct HttpServer::Impl {
  Impl(IoPool& io, Dispatcher& d, const HttpOptions& o);

  Dispatcher& dispatcher;
  HttpOptions options;
  Router router;
  Listener<HttpSession> listener;
};

namespace {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Stream::socket_type socket, HttpServer::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? "unknown" : ep.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Graceful stop: an idle connection closes now; a busy one after its response.
  void Stop() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (!self->busy_) return self->stream_.socket().close();
      // A request still being received or answered gets a short deadline, not the idle one.
      self->stream_.expires_after(std::chrono::seconds(10));
    });
  }

 private:
  void ReadHeader() {
    // Stop() may have run while the last response was being written (busy_ was still
    // set, so it left the socket open): do not wait for another request then.
    if (stopping_) return Shutdown({});
    parser_.emplace();
    // The route is not known yet: allow the larger limit, narrowed once it is.
    parser_->body_limit(std::max(server_.options.body_limit, server_.options.upload_body_limit));
    parser_->header_limit(kHeaderLimit);
    busy_ = false;
    // Idle until the first byte of the next request; from then on its header has
    // header_timeout, so a client trickling bytes cannot hold the connection (slowloris).
    if (buffer_.size() > 0) return ReadRestOfHeader();
    stream_.expires_after(std::chrono::seconds(server_.options.idle_timeout));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              if (ec) return self->Shutdown(ec);
                              self->buffer_.commit(n);
                              self->ReadRestOfHeader();
                            });
  }

  void ReadRestOfHeader() {
    stream_.expires_after(std::chrono::seconds(server_.options.header_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](error_code ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  // A request Beast could not parse is answered (400, or 431 / 414 over the header
  // limit) and the connection closed: it can no longer be framed.
  void OnParseError(error_code ec) {
    busy_ = true;
    keep_alive_ = false;
    if (ec == http::error::header_limit) {
      // Beast hands the request line to the message as soon as it is whole: without a
      // target, the limit was hit inside the request line itself.
      const bool long_url = parser_->get().target().empty();
      return Fail(Error(Code::kTooLarge, "{} over the limit of {} bytes",
                        long_url ? "request line (URL)" : "request headers", kHeaderLimit),
                  true, long_url ? http::status::uri_too_long
                                 : http::status::request_header_fields_too_large);
    }
    Fail(Error(Code::kBadRequest, "malformed HTTP request: {}", ec.message()), true,
         http::status::bad_request);
  }

  // RFC 9112 §6.3: a message with both Transfer-Encoding and Content-Length, or whose
  // last transfer coding is not chunked, or with two Content-Lengths, cannot be framed
  // safely (request smuggling): refused and closed.
  std::optional<Status> Unframeable() const {
    const auto& req = parser_->get();
    size_t lengths = 0, codings = 0;
    std::string te;
    for (const auto& field : req) {
      if (field.name() == http::field::content_length) ++lengths;
      if (field.name() == http::field::transfer_encoding) {
        ++codings;
        te += ",";
        te.append(field.value().data(), field.value().size());
      }
    }
    if (lengths > 1) return Status(Code::kBadRequest, "more than one Content-Length");
    if (codings == 0) return std::nullopt;
    if (lengths > 0) {
      return Status(Code::kBadRequest,
                    "both Transfer-Encoding and Content-Length (RFC 9112 section 6.3)");
    }
    std::string_view last(te);
    if (auto comma = last.rfind(','); comma != std::string_view::npos) last.remove_prefix(comma + 1);
    while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
    while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
    if (!beast::iequals(last, "chunked")) {
      return Status(Code::kBadRequest, "the last Transfer-Encoding must be chunked");
    }
    return std::nullopt;
  }

  void OnHeader(error_code ec) {
    if (ec == http::error::body_limit) {
      // Beast itself refuses a Content-Length over body_limit while parsing the header:
      // answer 413 (and drain the body) rather than dropping the connection.
      busy_ = true;
      return Fail(Error(Code::kTooLarge, "request body is over the limit of {} bytes",
                        std::max(server_.options.body_limit, server_.options.upload_body_limit)),
                  /*body_unread=*/true);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      return Shutdown(ec);
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
      return OnParseError(ec);
    }
    if (ec) return Shutdown(ec);
    busy_ = true;
    if (auto bad = Unframeable()) {
      keep_alive_ = false;
      return Fail(*bad, true);
    }
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    // Refuse what cannot succeed before reading the body: unknown route, wrong method,
    // over-limit length, missing or insufficient session.
    std::string_view target(req.target().data(), req.target().size());
    size_t q = target.find('?');
    path_ = std::string(target.substr(0, q));
    query_ = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
    std::string allow;
    std::string_view method(req.method_string().data(), req.method_string().size());
    if (server_.options.metrics_only) return ServeMetricsOnly(method);
    if (path_ == "/" || path_ == "/console" || path_.starts_with("/console/")) {
      return ServeConsole(method);
    }
    switch (server_.router.Match(method, path_, &match_, &allow)) {
      case RouteOutcome::kNotFound:
        return Fail(Error(Code::kNotFound, "no route {} {}", ForMessage(method, 32),
                          ForMessage(path_)),
                    HasBody());
      case RouteOutcome::kMethodNotAllowed:
        allow_ = allow;
        return Fail(Error(Code::kBadRequest, "{} is not allowed on {}; allowed: {}",
                          ForMessage(method, 32), ForMessage(path_), allow),
                    HasBody(), http::status::method_not_allowed);
      case RouteOutcome::kFound:
        break;
    }
    limit_ = (match_.spec->flags & kUpload) ? server_.options.upload_body_limit
                                            : server_.options.body_limit;
    if (auto len = parser_->content_length(); len && *len > limit_) {
      return Fail(Error(Code::kTooLarge, "request body of {} bytes is over the limit of {}", *len,
                        limit_),
                  /*body_unread=*/true);
    }
    parser_->body_limit(limit_);
    session_.reset();
    auto auth = req[http::field::authorization];
    if (!auth.empty()) {
      constexpr std::string_view kBearer = "Bearer ";
      std::string_view a(auth.data(), auth.size());
      if (a.size() > kBearer.size() && a.substr(0, kBearer.size()) == kBearer) {
        session_ = server_.dispatcher.core().sessions().Find(a.substr(kBearer.size()));
      }
      // A stale token does not stop a route that needs no session (log in again, ping).
      if (!session_ && match_.spec->access != kNoSession) {
        return Fail(Status(Code::kUnauthorized, "bearer token is unknown, expired or revoked"),
                    HasBody());
      }
    }
    // The one access check of the request (the dispatcher is told it ran).
    if (Status s = server_.dispatcher.CheckAccess(*match_.spec, session_); !s.ok()) {
      return Fail(s, HasBody());
    }
    if (parser_->is_done()) return OnRequest();
    // A client that sent `Expect: 100-continue` (curl does for bodies over 1 MiB) waits
    // for this interim answer before it sends the body: without it, every such upload
    // stalls for the client's expect timeout.
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      interim->set(http::field::server, kServerName);
      return http::async_write(stream_, *interim,
                               [self = shared_from_this(), interim](error_code ec, size_t) {
                                 if (ec) return self->Shutdown(ec);
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    // A body may be large (an upload): it has the idle timeout, not the header's.
    stream_.expires_after(std::chrono::seconds(server_.options.idle_timeout));
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](error_code ec, size_t) {
      if (ec == http::error::body_limit) {
        return self->Fail(Error(Code::kTooLarge, "request body is over the limit of {} bytes",
                                self->limit_),
                          true);
      }
      if (ec) return self->Shutdown(ec);
      self->OnRequest();
    });
  }

  bool HasBody() const { return !parser_->is_done(); }

  // POST /upload: the file is the multipart field `file`; other params come from the URL.
  Result<std::shared_ptr<Upload>> ReadUpload() {
    auto& req = parser_->get();
    auto ct = req[http::field::content_type];
    auto boundary = MultipartBoundary({ct.data(), ct.size()});
    if (!boundary.ok()) return boundary.status();
    auto parts = ParseMultipart(*boundary, req.body());
    if (!parts.ok()) return parts.status();
    for (const auto& part : *parts) {
      if (part.name != "file") continue;
      if (!part.has_filename) {
        return Status(Code::kBadRequest, "multipart field 'file' must be a file (filename=)");
      }
      auto up = std::make_shared<Upload>();
      up->file_name = part.filename;
      up->content_type = part.content_type;
      up->data = std::string(part.data);
      return up;
    }
    return Status(Code::kBadRequest, "multipart/form-data body has no field 'file'");
  }

  void OnRequest() {
    auto& req = parser_->get();
    started_ = std::chrono::steady_clock::now();
    counted_ = true;
    std::shared_ptr<Upload> upload;
    if (match_.spec->flags & kUpload) {
      auto up = ReadUpload();
      if (!up.ok()) return Fail(up.status(), false);
      upload = std::move(up.value());
      req.body().clear();  // the bytes now live in `upload`
    }
    // A signed body is read by its handler once the signature holds; nothing unsigned (a
    // query string) may add to it.
    const bool is_signed = (match_.spec->flags & kSigned) != 0;
    if (is_signed && !query_.empty()) {
      return Fail(Status(Code::kBadRequest, "a signed route takes no query string"), false);
    }
    auto params = MergeParams(upload || is_signed ? std::string_view() : std::string_view(req.body()),
                              query_, match_.path_params,
                              server_.dispatcher.core().options().max_json_depth);
    if (!params.ok()) return Fail(params.status(), false);
    Request r;
    r.spec = match_.spec;
    r.command = match_.spec->name;
    r.access_checked = true;  // OnHeader checked it before reading the body
    r.http = true;
    r.upload = std::move(upload);
    if (match_.spec->flags & kSigned) {
      auto sig = req["X-Signature"];
      r.signed_body = std::make_shared<const SignedBody>(
          SignedBody{std::string(req.body()), std::string(sig.data(), sig.size())});
    }
    r.params = std::move(params.value());
    r.session = session_;
    r.peer = peer_;
    // A read is answered here and now; a write goes to its base's writer and comes back.
    if (auto answer = server_.dispatcher.DispatchInline(r)) return Send(std::move(*answer), false, {});
    server_.dispatcher.core().metrics().Started();
    in_flight_ = true;
    asio::any_io_executor guard = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
    server_.dispatcher.Dispatch(std::move(r), [self = shared_from_this(),
                                               guard = std::move(guard)](Response resp) mutable {
      asio::dispatch(self->stream_.get_executor(), [self, resp = std::move(resp)]() mutable {
        self->Send(std::move(resp), false, {});
      });
      guard = {};
    });
  }

  // An error answered before or instead of dispatch. With a body left unread the
  // connection closes after the answer (draining what the client still sends, so the
  // client reads the answer rather than a reset).
  void Fail(const Status& s, bool body_unread, std::optional<http::status> status = {}) {
    if (body_unread) keep_alive_ = false;
    Send(ErrorResponse(s), body_unread, status);
  }

  void Send(Response answer, bool linger, std::optional<http::status> status) {
    // The Response lives as long as the write: the body points into its text.
    struct Out {
      Response answer;
      Reply res;
    };
    Metrics& metrics = server_.dispatcher.core().metrics();
    if (in_flight_) {
      metrics.Finished();
      in_flight_ = false;
    }
    if (counted_ && match_.spec) {
      metrics.Request(Transport::kHttp, IndexOf(*match_.spec), !answer.status.ok(),
                      std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count());
    }
    counted_ = false;
    auto out = std::make_shared<Out>(Out{std::move(answer), {}});
    Reply& res = out->res;
    res.version(11);
    res.result(status.value_or(static_cast<http::status>(HttpStatus(out->answer.status.code()))));
    res.set(http::field::server, kServerName);
    const bool raw = out->answer.status.ok() && !out->answer.content_type.empty();
    res.set(http::field::content_type, raw ? out->answer.content_type : "application/json");
    if (raw && !out->answer.content_disposition.empty()) {
      res.set(http::field::content_disposition, out->answer.content_disposition);
    }
    // Nothing we send may be sniffed into another type (an uploaded "image" into HTML).
    res.set("X-Content-Type-Options", "nosniff");
    if (status == http::status::method_not_allowed) res.set(http::field::allow, allow_);
    bool keep = keep_alive_ && !stopping_;
    res.keep_alive(keep);
    const std::string_view text = out->answer.text();
    res.body() = {text.data(), text.size()};
    res.prepare_payload();
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, res, [self = shared_from_this(), out, keep, linger](error_code ec,
                                                                                   size_t) {
      if (ec) return self->Shutdown(ec);
      if (linger) return self->LingerClose();
      if (!keep) return self->Shutdown({});
      self->ReadHeader();
    });
  }

  // The web console (issue 18): "/" and "/console" lead to "/console/"; its files are
  // built into the binary. Answered like any route (keep-alive, errors as JSON).
  void ServeConsole(std::string_view method) {
    const bool body = HasBody();
    if (method != "GET" && method != "HEAD") {
      allow_ = "GET, HEAD";
      return Fail(Error(Code::kBadRequest, "{} is not allowed on {}; allowed: GET, HEAD",
                        ForMessage(method, 32), ForMessage(path_)),
                  body, http::status::method_not_allowed);
    }
    if (path_ == "/" || path_ == "/console") return Redirect("/console/", body);
    std::string_view name = std::string_view(path_).substr(std::string_view("/console/").size());
    if (name.empty()) name = "index.html";
    for (const auto& f : ConsoleFiles()) {
      if (f.name != name) continue;
      auto res = std::make_shared<Reply>();
      res->version(11);
      res->result(http::status::ok);
      res->set(http::field::server, kServerName);
      res->set(http::field::content_type, StaticContentType(f.name));
      res->set(http::field::cache_control, "no-cache");
      res->set("X-Content-Type-Options", "nosniff");
      // The console talks to this origin only; blob: shows documents fetched with the token.
      res->set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' blob: data:; frame-src 'self' blob:; "
               "object-src 'self' blob:; frame-ancestors 'none'");
      const bool keep = keep_alive_ && !stopping_ && !body;
      res->keep_alive(keep);
      if (method == "GET") res->body() = {f.bytes.data(), f.bytes.size()};
      res->prepare_payload();
      if (method == "HEAD") res->body() = {};
      return WriteStatic(res, keep, body);
    }
    Fail(Error(Code::kNotFound, "no file {} in the console", ForMessage(path_)), body);
  }

  void ServeMetricsOnly(std::string_view method) {
    const bool body = HasBody();
    if (path_ != "/metrics") {
      return Fail(Error(Code::kNotFound, "no route {} {}: this address serves GET /metrics only",
                        ForMessage(method, 32), ForMessage(path_)),
                  body);
    }
    if (method != "GET") {
      allow_ = "GET";
      return Fail(Error(Code::kBadRequest, "{} is not allowed on /metrics; allowed: GET",
                        ForMessage(method, 32)),
                  body, http::status::method_not_allowed);
    }
    Response r;
    r.SetText(server_.dispatcher.core().metrics().Render());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    Send(std::move(r), body, {});
  }

  void Redirect(std::string_view to, bool body_unread) {
    auto res = std::make_shared<Reply>();
    res->version(11);
    res->result(http::status::moved_permanently);
    res->set(http::field::server, kServerName);
    res->set(http::field::location, to);
    const bool keep = keep_alive_ && !stopping_ && !body_unread;
    res->keep_alive(keep);
    res->prepare_payload();
    WriteStatic(res, keep, body_unread);
  }

  void WriteStatic(std::shared_ptr<Reply> res, bool keep, bool linger) {
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep, linger](
                                         error_code ec, size_t) {
      if (ec) return self->Shutdown(ec);
      if (linger) return self->LingerClose();
      if (!keep) return self->Shutdown({});
      self->ReadHeader();
    });
  }

  void LingerClose() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(5));
    Discard();
  }

  void Discard() {
    stream_.async_read_some(asio::buffer(drain_buf_),
                            [self = shared_from_this()](error_code ec, size_t) {
                              if (ec) return self->Shutdown({});
                              self->Discard();
                            });
  }

  void Shutdown(error_code ec) {
    if (ec && ec != http::error::end_of_stream && ec != asio::error::eof &&
        ec != beast::error::timeout && ec != asio::error::operation_aborted) {
      spdlog::debug("http {}: {}", peer_, ec.message());
    }
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::array<char, 16 * 1024> drain_buf_;
  RouteMatch match_;
  size_t limit_ = 0;  // the body limit of the matched route
  SessionPtr session_;
  std::string peer_, path_, query_, allow_;
  bool keep_alive_ = true;
  bool busy_ = false;
  bool counted_ = false;    // a dispatched request: its answer is counted in the metrics
  bool in_flight_ = false;  // dispatched to another thread, not answered yet
  std::chrono::steady_clock::time_point started_;
  bool stopping_ = false;
};

}  // namespace

std::string_view StaticContentType(std::string_view name) {
  auto ends = [&](std::string_view ext) { return name.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

HttpServer::Impl::Impl(IoPool& io, Dispatcher& d, const HttpOptions& o)
    : dispatcher(d),
      options(o),
      listener(
          io, "http",
          [this](IoSocket socket) { return std::make_shared<HttpSession>(std::move(socket), *this); },
          o.caps, o.reject) {}

HttpServer::HttpServer(IoPool& io, Dispatcher& dispatcher, const HttpOptions& options)
    : impl_(std::make_shared<Impl>(io, dispatcher, options)) {}

HttpServer::~HttpServer() = default;

Result<tcp::endpoint> HttpServer::Listen(const Endpoint& at) { return impl_->listener.Listen(at); }

void HttpServer::Start() { impl_->listener.Start(); }

void HttpServer::Stop() { impl_->listener.Stop(); }

size_t HttpServer::open_connections() { return impl_->listener.open_connections(); }

}  // namespace kyc
