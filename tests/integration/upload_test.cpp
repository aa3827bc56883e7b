// POST /upload against the real server: every accepted kind stored byte for byte under
// storage/<uuid>.<ext> with its sha256, every refusal (mismatched signature, empty,
// unknown type, over the limit, no session) leaving nothing behind, a traversal name kept
// only as metadata, and Upload over TCP refused.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

struct UploadFixture : RunningServer {
  UploadFixture() {
    staff = AdminClient(server);
    client = HttpWithToken(server, ClientToken(*staff, 42, "acme"));
  }

  // Checks one accepted upload: the answer, the stored file's name, bytes and checksum.
  void CheckStored(const rapidjson::Document& answer, std::string_view expected_name,
                   std::string_view expected_ext, std::string_view content_type,
                   const std::string& sent) {
    INFO("answer: ", JsonText(answer));
    const std::string file_id = StrField(answer, "file_id");
    CHECK(std::regex_match(file_id,
                           std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                      "[0-9a-f]{12}")));
    CHECK(StrField(answer, "file_name") == expected_name);
    CHECK(StrField(answer, "content_type") == content_type);
    CHECK(IntField(answer, "file_size") == static_cast<int64_t>(sent.size()));
    CHECK(IntField(answer, "created_at") > 1600000000);
    const std::string path = fmt::format("{}/{}.{}", StorageDir(server), file_id, expected_ext);
    REQUIRE_MESSAGE(std::filesystem::is_regular_file(path), path << " is missing");
    CHECK(ReadFile(path) == sent);
    const std::string checksum = StrField(answer, "checksum");
    CHECK(checksum.size() == 64);
    CHECK(checksum == Sha256OfFile(path));
  }

  std::unique_ptr<TcpClient> staff;
  std::unique_ptr<HttpClient> client;
};

void CheckRefused(const HttpResponse& r, int status, std::string_view code,
                  std::string_view mentions = {}) {
  INFO("response: ", r.status, " ", r.body, r.error);
  CHECK(r.status == status);
  CHECK(r.Header("content-type") == "application/json");
  CHECK(ErrorCode(r.body) == code);
  CHECK(!ErrorMessage(r.body).empty());
  if (!mentions.empty()) CHECK(ErrorMessage(r.body).find(mentions) != std::string::npos);
}

// A raw HTTP/1.1 exchange in steps, for `Expect: 100-continue`: send the head, read the
// server's first answer, then (after 100 Continue) send the body and read the final one.
class RawHttp {
 public:
  explicit RawHttp(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawHttp() { ::close(fd_); }
  RawHttp(const RawHttp&) = delete;
  RawHttp& operator=(const RawHttp&) = delete;

  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      REQUIRE_MESSAGE(n > 0, "send failed");
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One response: its status (0 when none came within 10 s) and its body.
  std::pair<int, std::string> Read() {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!More()) return {0, ""};
    }
    const std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    const int status = head.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(head.c_str() + 9) : -1;
    size_t length = 0;
    std::smatch m;
    if (std::regex_search(head, m, std::regex("[Cc]ontent-[Ll]ength: *([0-9]+)"))) {
      length = std::stoul(m[1]);
    }
    while (buf_.size() < length) {
      if (!More()) return {0, ""};
    }
    std::string body = buf_.substr(0, length);
    buf_.erase(0, length);
    return {status, body};
  }

 private:
  bool More() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0) return false;
    char chunk[64 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
};

std::string UploadHead(const std::string& token, size_t length) {
  std::string head = "POST /upload HTTP/1.1\r\nHost: localhost\r\n";
  if (!token.empty()) head += fmt::format("Authorization: Bearer {}\r\n", token);
  head += fmt::format(
      "Content-Type: multipart/form-data; boundary={}\r\nContent-Length: {}\r\n"
      "Expect: 100-continue\r\n\r\n",
      kBoundary, length);
  return head;
}

}  // namespace

TEST_SUITE_BEGIN("upload");

TEST_CASE_FIXTURE(UploadFixture, "every accepted kind is stored byte for byte with its sha256") {
  struct Kind {
    std::string name;
    std::string bytes;
    std::string ext;
    std::string content_type;
  };
  const std::vector<Kind> kinds = {
      {"passport.pdf", PdfBytes("1"), "pdf", "application/pdf"},
      {"selfie.png", PngBytes("2"), "png", "image/png"},
      {"bill.jpg", JpegBytes("3"), "jpg", "image/jpeg"},
      {"licence.jpeg", JpegBytes("4"), "jpeg", "image/jpeg"},
      {"SCAN.PDF", PdfBytes("5"), "pdf", "application/pdf"},  // the extension in any case
      {"Photo.JpG", JpegBytes("6"), "jpg", "image/jpeg"},
      {"Ann Lee — passport.v2.pdf", PdfBytes("7"), "pdf", "application/pdf"},
  };
  std::set<std::string> expected_files;
  for (const auto& k : kinds) {
    INFO("file ", k.name);
    auto answer = UploadOk(*client, k.name, k.bytes);
    CheckStored(answer, k.name, k.ext, k.content_type, k.bytes);
    expected_files.insert(fmt::format("{}.{}", StrField(answer, "file_id"), k.ext));
  }
  // Staff may upload too.
  auto staff_http = HttpWithToken(server, AdminHttpToken(server));
  auto answer = UploadOk(*staff_http, "contract.pdf", PdfBytes("staff"));
  CheckStored(answer, "contract.pdf", "pdf", "application/pdf", PdfBytes("staff"));
  expected_files.insert(StrField(answer, "file_id") + ".pdf");
  // One file per upload and nothing else (no temporary files left).
  CHECK(StorageFiles(server) == expected_files);

  // The stored metadata is what a document copies.
  CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":42,"brand":"acme","level":1})");
  auto first = UploadOk(*client, "id.png", PngBytes("doc"));
  HttpResponse r = client->Request(
      "POST", "/client/kyc/documents",
      fmt::format(R"({{"file_id":"{}","doc_type":"id_card"}})", StrField(first, "file_id")));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto doc = Json(r.body);
  for (const char* f : {"file_id", "file_name", "content_type", "checksum"}) {
    CHECK(StrField(doc, f) == StrField(first, f));
  }
  CHECK(IntField(doc, "file_size") == IntField(first, "file_size"));
  // A client cannot attach a file that staff uploaded.
  r = client->Request(
      "POST", "/client/kyc/documents",
      fmt::format(R"({{"file_id":"{}","doc_type":"contract"}})", StrField(answer, "file_id")));
  CHECK(r.status == 404);
}

TEST_CASE_FIXTURE(UploadFixture, "mismatched, empty and unknown files are 400 and leave nothing") {
  struct Case {
    std::string name;
    std::string bytes;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {"passport.pdf", PngBytes(), "passport.pdf"},  // PNG bytes named .pdf
      {"passport.pdf", JpegBytes(), "passport.pdf"},
      {"selfie.png", PdfBytes(), "selfie.png"},
      {"selfie.png", JpegBytes(), "selfie.png"},
      {"bill.jpg", PngBytes(), "bill.jpg"},
      {"bill.jpeg", PdfBytes(), "bill.jpeg"},
      {"notes.pdf", "just some text, not a PDF", "notes.pdf"},
      {"short.png", std::string("\x89PNG", 4), "short.png"},  // a truncated signature
      {"empty.pdf", "", "empty.pdf"},
      {"empty.png", "", "empty.png"},
      {"anim.gif", "GIF89a\x01\x01", "gif"},
      {"doc.docx", "PK\x03\x04", "docx"},
      {"script.pdf.exe", PdfBytes(), "exe"},
      {"passport", PdfBytes(), "extension"},
      {"passport.", PdfBytes(), "extension"},
  };
  for (const auto& c : cases) {
    INFO("file '", c.name, "' of ", c.bytes.size(), " bytes");
    CheckRefused(UploadFile(*client, c.name, c.bytes), 400, "bad_request", c.mentions);
  }
  // Multipart bodies without a usable file part.
  const std::string type = fmt::format("multipart/form-data; boundary={}", kBoundary);
  CheckRefused(client->Request("POST", "/upload", MultipartBody("a.pdf", PdfBytes(), "document"),
                               {{"Content-Type", type}}),
               400, "bad_request", "file");
  CheckRefused(client->Request("POST", "/upload",
                               MultipartBody("a.pdf", PdfBytes(), "file", /*with_filename=*/false),
                               {{"Content-Type", type}}),
               400, "bad_request", "file");
  CheckRefused(client->Request("POST", "/upload", PdfBytes(), {{"Content-Type", "application/pdf"}}),
               400, "bad_request");
  CHECK(StorageFiles(server).empty());
  // The connection is still usable and a good file still goes in.
  UploadOk(*client, "fine.pdf", PdfBytes());
  CHECK(StorageFiles(server).size() == 1);
}

TEST_CASE_FIXTURE(UploadFixture, "over 10 MiB is a readable 413 and stores nothing") {
  constexpr size_t kLimit = 10u << 20;
  auto sized = [](size_t n) {
    std::string s = PdfBytes();
    s.resize(n, 'x');
    return s;
  };
  // Exactly the limit is accepted.
  const std::string at_limit = sized(kLimit);
  auto answer = UploadOk(*client, "big.pdf", at_limit);
  CHECK(IntField(answer, "file_size") == static_cast<int64_t>(kLimit));
  const std::set<std::string> before = StorageFiles(server);
  REQUIRE(before.size() == 1);

  SUBCASE("one byte over: refused after reading the body") {
    HttpResponse r = UploadFile(*client, "big.pdf", sized(kLimit + 1));
    CheckRefused(r, 413, "too_large", "limit");
  }
  SUBCASE("far over: refused from the Content-Length, before the body") {
    HttpResponse r = UploadFile(*client, "huge.pdf", sized(kLimit + (2u << 20)));
    CheckRefused(r, 413, "too_large", "limit");
  }
  CHECK(StorageFiles(server) == before);
  // The server is fine afterwards.
  auto again = HttpWithToken(server, ClientToken(*staff, 42, "acme"));
  UploadOk(*again, "small.png", PngBytes());
  CHECK(StorageFiles(server).size() == 2);
}

TEST_CASE_FIXTURE(UploadFixture, "a traversal name is kept as metadata only") {
  namespace fs = std::filesystem;
  struct Case {
    std::string sent;
    std::string kept;
    std::string ext;
  };
  const std::vector<Case> cases = {
      {"../../x.pdf", "x.pdf", "pdf"},
      {"../storage/../../y.png", "y.png", "png"},
      {"..\\..\\z.jpg", "z.jpg", "jpg"},
      {"/etc/cron.d/evil.pdf", "evil.pdf", "pdf"},
      {"C:\\Users\\ann\\scan.jpeg", "scan.jpeg", "jpeg"},
  };
  std::set<std::string> expected;
  for (const auto& c : cases) {
    INFO("sent as '", c.sent, "'");
    const std::string bytes = c.ext == "pdf"   ? PdfBytes(c.sent)
                              : c.ext == "png" ? PngBytes(c.sent)
                                               : JpegBytes(c.sent);
    auto answer = UploadOk(*client, c.sent, bytes);
    CheckStored(answer, c.kept, c.ext, c.ext == "pdf"   ? "application/pdf"
                                       : c.ext == "png" ? "image/png"
                                                        : "image/jpeg",
                bytes);
    expected.insert(fmt::format("{}.{}", StrField(answer, "file_id"), c.ext));
  }
  CHECK(StorageFiles(server) == expected);
  // Nothing landed anywhere else: not beside storage/, not in the data dir, not above it,
  // not relative to the server's working directory.
  const fs::path cwd = fs::current_path();
  for (const std::string& dir :
       {server.data_dir() + "/storage", server.data_dir(), server.dir(),
        fs::path(server.dir()).parent_path().string(), cwd.string(),
        cwd.parent_path().string(), cwd.parent_path().parent_path().string()}) {
    for (const char* name : {"x.pdf", "y.png", "z.jpg", "evil.pdf", "scan.jpeg"}) {
      CHECK_MESSAGE(!fs::exists(fs::path(dir) / name), dir << "/" << name << " exists");
    }
  }
  CHECK_FALSE(fs::exists("/etc/cron.d/evil.pdf"));
  // Names that reduce to nothing usable are refused.
  CheckRefused(UploadFile(*client, "../", PdfBytes()), 400, "bad_request");
  CheckRefused(UploadFile(*client, "a/..", PdfBytes()), 400, "bad_request");
  CheckRefused(UploadFile(*client, "", PdfBytes()), 400, "bad_request");
  CHECK(StorageFiles(server) == expected);
}

TEST_CASE_FIXTURE(UploadFixture, "an upload needs a session, over TCP it is bad_request") {
  HttpClient anonymous("127.0.0.1", server.http_port());
  CheckRefused(UploadFile(anonymous, "a.pdf", PdfBytes()), 401, "unauthorized");
  anonymous.set_token(std::string(64, 'a'));
  CheckRefused(UploadFile(anonymous, "a.pdf", PdfBytes()), 401, "unauthorized");
  // A revoked client token no longer uploads.
  const std::string token = ClientToken(*staff, 9, "acme");
  auto revoked = HttpWithToken(server, token);
  UploadOk(*revoked, "ok.pdf", PdfBytes());
  REQUIRE(revoked->Request("POST", "/auth/logout", "{}").status == 200);
  CheckRefused(UploadFile(*revoked, "a.pdf", PdfBytes()), 401, "unauthorized");
  CHECK(StorageFiles(server).size() == 1);

  // Over TCP, for staff and client alike.
  Reply r = MustCall(*staff, "Upload", "{}");
  CHECK(r.code == Code::kBadRequest);
  CHECK(ErrorCode(r.body) == "bad_request");
  CHECK(ErrorMessage(r.body).find("HTTP") != std::string::npos);
  auto client_tcp = ConnectTcp(server);
  CallOk(*client_tcp, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(*staff, 9, "acme")));
  CHECK(MustCall(*client_tcp, "Upload", "{}").code == Code::kBadRequest);
  auto anonymous_tcp = ConnectTcp(server);
  CHECK(MustCall(*anonymous_tcp, "Upload", "{}").code == Code::kUnauthorized);
  CHECK(StorageFiles(server).size() == 1);
}

TEST_CASE_FIXTURE(UploadFixture, "Expect: 100-continue gets 100 Continue, or the refusal at once") {
  const std::string token = ClientToken(*staff, 42, "acme");
  std::string big = PdfBytes("expect");
  big.resize(3u << 20, 'x');  // curl sends Expect: 100-continue above 1 MiB
  const std::string body = MultipartBody("statement.pdf", big);
  {
    RawHttp c(server.http_port());
    c.Send(UploadHead(token, body.size()));
    int status;
    std::string text;  // not a structured binding: the checks' lambdas capture them
    std::tie(status, text) = c.Read();
    REQUIRE_MESSAGE(status == 100, "the server did not answer 100 Continue: " << status << " "
                                                                                << text);
    c.Send(body);
    std::tie(status, text) = c.Read();
    REQUIRE_MESSAGE(status == 200, status << " " << text);
    CheckStored(Json(text), "statement.pdf", "pdf", "application/pdf", big);
  }
  const auto stored = StorageFiles(server);
  REQUIRE(stored.size() == 1);
  {
    // Over the limit: the 413 comes instead of the 100, and the body is never needed.
    RawHttp c(server.http_port());
    c.Send(UploadHead(token, 12u << 20));
    int status;
    std::string text;  // not a structured binding: the checks' lambdas capture them
    std::tie(status, text) = c.Read();
    CHECK(status == 413);
    CHECK(ErrorCode(text) == "too_large");
  }
  {
    RawHttp c(server.http_port());
    c.Send(UploadHead("", body.size()));
    int status;
    std::string text;  // not a structured binding: the checks' lambdas capture them
    std::tie(status, text) = c.Read();
    CHECK(status == 401);
    CHECK(ErrorCode(text) == "unauthorized");
  }
  CHECK(StorageFiles(server) == stored);
}

TEST_SUITE_END();

}  // namespace kyc::itest
