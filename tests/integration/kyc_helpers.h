// Helpers shared by the KYC workflow, upload and KYC durability tests: staff calls that
// must succeed, client tokens, multipart uploads over HTTP, sample files with real
// signatures, the data directory's storage/ listing, and bounded polling.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/integration/http_client.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {

// `error.message` of an error body, or "" when there is none.
inline std::string ErrorMessage(std::string_view body) {
  auto d = Json(body);
  if (!d.IsObject() || !d.HasMember("error")) return "";
  return StrField(d["error"], "message");
}

// A TCP call that must succeed; returns its parsed result.
inline rapidjson::Document CallOk(TcpClient& c, std::string_view command, std::string_view json) {
  Reply r = MustCall(c, command, json);
  REQUIRE_MESSAGE(r.ok(), command << " " << json << " → " << r.body);
  return Json(r.body);
}

// A TCP call that must fail with `code`; returns the error message.
inline std::string CallFails(TcpClient& c, std::string_view command, std::string_view json,
                             Code code) {
  Reply r = MustCall(c, command, json);
  CHECK_MESSAGE(r.code == code, command << " " << json << " → " << r.body);
  CHECK(ErrorCode(r.body) == CodeName(code));
  return ErrorMessage(r.body);
}

// Mints a SESSION_CLIENT token for (customer_id, brand).
inline std::string ClientToken(TcpClient& staff, int64_t customer_id, std::string_view brand) {
  auto d = CallOk(staff, "MngCreateClientSession",
                  fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer_id, brand));
  std::string token = StrField(d, "token");
  REQUIRE(token.size() == 64);
  return token;
}

// An HTTP client of the server carrying `token` as its Bearer.
inline std::unique_ptr<HttpClient> HttpWithToken(const ServerProcess& server, std::string token) {
  auto c = std::make_unique<HttpClient>("127.0.0.1", server.http_port());
  c->set_token(std::move(token));
  return c;
}

// A staff token from POST /auth/login as admin.
inline std::string AdminHttpToken(const ServerProcess& server) {
  HttpClient c("127.0.0.1", server.http_port());
  HttpResponse r =
      c.Request("POST", "/auth/login",
                fmt::format(R"({{"login":"admin","password":"{}"}})", server.admin_password()));
  REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body << r.error);
  return StrField(Json(r.body), "token");
}

inline constexpr std::string_view kBoundary = "kyc-itest-7d3f9a1c5e2b4f60";

// A multipart/form-data body with one part `field` (a file when `filename` is given).
inline std::string MultipartBody(std::string_view filename, std::string_view bytes,
                                 std::string_view field = "file", bool with_filename = true) {
  std::string body = fmt::format("--{}\r\nContent-Disposition: form-data; name=\"{}\"", kBoundary,
                                 field);
  if (with_filename) body += fmt::format("; filename=\"{}\"", filename);
  body += "\r\nContent-Type: application/octet-stream\r\n\r\n";
  body += bytes;
  body += fmt::format("\r\n--{}--\r\n", kBoundary);
  return body;
}

// POST /upload of `bytes` as `filename` (multipart field `file`).
inline HttpResponse UploadFile(HttpClient& http, std::string_view filename,
                               std::string_view bytes) {
  return http.Request("POST", "/upload", MultipartBody(filename, bytes),
                      {{"Content-Type", fmt::format("multipart/form-data; boundary={}", kBoundary)}});
}

// Uploads and requires success; returns the answer.
inline rapidjson::Document UploadOk(HttpClient& http, std::string_view filename,
                                    std::string_view bytes) {
  HttpResponse r = UploadFile(http, filename, bytes);
  REQUIRE_MESSAGE(r.status == 200, "upload " << filename << ": " << r.status << " " << r.body
                                             << r.error);
  return Json(r.body);
}

// Sample files: the real signature, then bytes a multipart parser must not trip over
// (NUL, CR LF, dashes, high bytes), then `tag` so that every file is different.
inline std::string BinaryTail(std::string_view tag) {
  std::string s(std::string_view("\r\n--\r\n--kyc\0\x01\xff\xfe\r\n\r\n", 19));
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  s += tag;
  return s;
}

inline std::string PdfBytes(std::string_view tag = "") {
  return "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + BinaryTail(tag) +
         "\n%%EOF\n";
}

inline std::string PngBytes(std::string_view tag = "") {
  std::string s(std::string_view("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29));
  return s + BinaryTail(tag);
}

inline std::string JpegBytes(std::string_view tag = "") {
  std::string s(std::string_view("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20));
  return s + BinaryTail(tag) + "\xff\xd9";
}

inline std::string StorageDir(const ServerProcess& server) { return server.data_dir() + "/storage"; }

// The names in the data directory's storage/.
inline std::set<std::string> StorageFiles(const ServerProcess& server) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(StorageDir(server), ec)) {
    out.insert(e.path().filename().string());
  }
  REQUIRE_MESSAGE(!ec, "cannot list " << StorageDir(server) << ": " << ec.message());
  return out;
}

// The sha256 of a file as hex, computed by coreutils (independent of the server's code).
inline std::string Sha256OfFile(const std::string& path) {
  ProcessResult r = RunProcess({"/usr/bin/sha256sum", path}, {});
  REQUIRE_MESSAGE(r.exit_code == 0, "sha256sum " << path << ": " << r.err);
  return r.out.substr(0, r.out.find(' '));
}

// Calls `probe` until it returns true, at most `seconds`; returns its last answer.
inline bool Eventually(const std::function<bool()>& probe, int seconds = 10) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (true) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// The element of a JSON array whose `id` is `id`, or nullptr.
inline const rapidjson::Value* FindById(const rapidjson::Value& array, int64_t id) {
  if (!array.IsArray()) return nullptr;
  for (const auto& v : array.GetArray()) {
    if (IntField(v, "id") == id) return &v;
  }
  return nullptr;
}

}  // namespace kyc::itest
