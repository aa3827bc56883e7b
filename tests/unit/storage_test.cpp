// Uploads: the accepted types and their signatures, file names as metadata only, the
// multipart/form-data parser, the on-disk file store and bases/storage.db.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "bases/storage_base.h"
#include "env/env.h"
#include "storage/file_store.h"
#include "storage/file_types.h"
#include "storage/multipart.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

namespace fs = std::filesystem;
using test::Contains;
using namespace std::string_literals;

const std::string kPdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"s;
const std::string kPng = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s;
const std::string kJpeg = "\xFF\xD8\xFF\xE0\0\x10JFIF\0"s;
constexpr size_t kLimit = 1024;

TEST_SUITE_BEGIN("storage");

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() /
             fmt::format("kyc_storage_test_{}_{}", getpid(), counter++))
                .string();
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename());
    return names;
  }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- file types -------------------------------------------------------------------------

TEST_CASE("storage: each accepted type is recognised by extension and signature") {
  struct Case {
    const char* name;
    std::string bytes;
    const char* ext;
    const char* content_type;
  };
  const Case cases[] = {
      {"scan.pdf", kPdf, "pdf", "application/pdf"},
      {"photo.png", kPng, "png", "image/png"},
      {"photo.jpg", kJpeg, "jpg", "image/jpeg"},
      {"photo.jpeg", kJpeg, "jpeg", "image/jpeg"},
      {"PASSPORT.PDF", kPdf, "pdf", "application/pdf"},
      {"Selfie.JpEg", kJpeg, "jpeg", "image/jpeg"},
      {"archive.tar.png", kPng, "png", "image/png"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto r = CheckUpload(c.name, c.bytes, kLimit);
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    CHECK(r->ext == c.ext);
    CHECK(r->content_type == c.content_type);
  }
}

TEST_CASE("storage: a signature that disagrees with the extension is bad_request") {
  struct Case {
    const char* name;
    std::string bytes;
    const char* message;
  };
  const Case cases[] = {
      {"a.pdf", kPng, "file 'a.pdf' is not a PDF document: its content does not start with %PDF-"},
      {"a.jpg", kPdf, "file 'a.jpg' is not a JPEG image: its content does not start with the JPEG "
                      "signature"},
      {"a.png", kJpeg, "file 'a.png' is not a PNG image: its content does not start with the PNG "
                       "signature"},
      {"notes.pdf", "just some text\n", "is not a PDF document"},
      {"short.png", "\x89PNG", "is not a PNG image"},  // a truncated signature
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto r = CheckUpload(c.name, c.bytes, kLimit);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
    CHECK_MESSAGE(Contains(r.status().message(), c.message), r.status().message());
  }
}

TEST_CASE("storage: unknown or missing extensions, empty and oversized files") {
  auto gif = CheckUpload("anim.gif", "GIF89a", kLimit);
  REQUIRE_FALSE(gif.ok());
  CHECK(gif.status().code() == Code::kBadRequest);
  CHECK(Contains(gif.status().message(), "'gif'"));

  auto exe = CheckUpload("scan.pdf.EXE", kPdf, kLimit);
  REQUIRE_FALSE(exe.ok());
  CHECK(Contains(exe.status().message(), "'exe'"));

  for (const char* name : {"README", "trailing.", "dir.d/noext"}) {
    CAPTURE(name);
    auto r = CheckUpload(name, kPdf, kLimit);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
    CHECK(Contains(r.status().message(), "no extension"));
  }

  auto empty = CheckUpload("a.pdf", "", kLimit);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == Code::kBadRequest);
  CHECK(Contains(empty.status().message(), "empty"));

  std::string big = kPdf + std::string(kLimit, 'x');
  auto over = CheckUpload("a.pdf", big, kLimit);
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().code() == Code::kTooLarge);
  CHECK(CheckUpload("a.pdf", big.substr(0, kLimit), kLimit).ok());  // exactly at the limit
  CHECK(kDefaultMaxUploadSize == 10 * 1024 * 1024);
}

TEST_CASE("storage: the original name is a base name kept as metadata only") {
  auto traversal = CleanOriginalName("../../etc/passwd.png");
  REQUIRE(traversal.ok());
  CHECK(traversal.value() == "passwd.png");
  CHECK(CleanOriginalName("C:\\Users\\ann\\passport.PDF").value() == "passport.PDF");
  CHECK(CleanOriginalName("Паспорт скан.pdf").value() == "Паспорт скан.pdf");
  CHECK(CleanOriginalName(std::string(255, 'a')).ok());
  // CheckUpload sees the same base name: the directories never matter.
  CHECK(CheckUpload("../../etc/passwd.png", kPng, kLimit).ok());

  const std::string rejected[] = {"",       "..",          ".",           "a/",
                                  "../..",  "dir\\..",     "a\x01.png",   "tab\t.pdf",
                                  "nl\n.pdf", "nul\0.pdf"s, "del\x7f.pdf", std::string(256, 'a'),
                                  "bad\xC3(.pdf"};
  for (const std::string& name : rejected) {
    CAPTURE(name);
    auto r = CleanOriginalName(name);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
    CHECK(Contains(r.status().message(), "'file'"));
  }
}

// ---- multipart --------------------------------------------------------------------------

TEST_CASE("storage: multipart boundary from the Content-Type header") {
  CHECK(MultipartBoundary("multipart/form-data; boundary=abc123").value() == "abc123");
  CHECK(MultipartBoundary("Multipart/Form-Data;boundary=----WebKitFormBoundaryX7").value() ==
        "----WebKitFormBoundaryX7");
  CHECK(MultipartBoundary(R"(multipart/form-data; charset=utf-8; boundary="a b:c")").value() ==
        "a b:c");
  CHECK(MultipartBoundary("multipart/form-data; BOUNDARY=xyz ").value() == "xyz");

  for (const char* bad : {"multipart/form-data", "multipart/form-data; boundary=",
                          "multipart/form-data; boundary=\"\"", "multipart/mixed; boundary=abc",
                          "application/json", "", "multipart/form-data; boundary=\"abc",
                          "multipart/form-data; boundary=a{b}"}) {
    CAPTURE(bad);
    auto r = MultipartBoundary(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
  }
  CHECK_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'b')).ok());
}

TEST_CASE("storage: multipart with one file part") {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"passport.png\"\r\n"
      "Content-Type: image/png\r\n"
      "\r\n" +
      kPng +
      "\r\n"
      "--XyZ--\r\n";
  auto parts = ParseMultipart("XyZ", body);
  REQUIRE_MESSAGE(parts.ok(), parts.status().message());
  REQUIRE(parts->size() == 1);
  const MultipartPart& p = parts->front();
  CHECK(p.name == "file");
  CHECK(p.has_filename);
  CHECK(p.filename == "passport.png");
  CHECK(p.content_type == "image/png");
  CHECK(p.data == kPng);
  // The data points into the body.
  CHECK(p.data.data() >= body.data());
  CHECK(p.data.data() + p.data.size() <= body.data() + body.size());
}

TEST_CASE("storage: multipart with several parts, header case, preamble and epilogue") {
  const std::string body =
      "this preamble is ignored\r\n"
      "--b0undary\r\n"
      "content-disposition: Form-Data; name=purpose\r\n"
      "\r\n"
      "identity\r\n"
      "--b0undary  \r\n"  // transport padding
      "CONTENT-DISPOSITION: form-data; filename=\"C:\\scans\\a;b.pdf\"; name=\"file\"\r\n"
      "CONTENT-TYPE:application/pdf\r\n"
      "\r\n" +
      kPdf + "\r\n--b0undary-not-a-delimiter\r\n" +
      "\r\n"
      "--b0undary\r\n"
      "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n"
      "\r\n"
      "\r\n"
      "--b0undary--\r\n"
      "epilogue, ignored";
  auto parts = ParseMultipart("b0undary", body);
  REQUIRE_MESSAGE(parts.ok(), parts.status().message());
  REQUIRE(parts->size() == 3);
  CHECK((*parts)[0].name == "purpose");
  CHECK_FALSE((*parts)[0].has_filename);
  CHECK((*parts)[0].data == "identity");
  CHECK((*parts)[0].content_type.empty());

  CHECK((*parts)[1].name == "file");
  CHECK((*parts)[1].filename == "C:\\scans\\a;b.pdf");
  CHECK((*parts)[1].content_type == "application/pdf");
  CHECK((*parts)[1].data == kPdf + "\r\n--b0undary-not-a-delimiter\r\n");

  CHECK((*parts)[2].name == "empty");
  CHECK((*parts)[2].has_filename);
  CHECK((*parts)[2].filename.empty());
  CHECK((*parts)[2].data.empty());
}

TEST_CASE("storage: multipart tolerates bare LF line ends and keeps CRLF inside the data") {
  const std::string lf =
      "--B\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\n"
      "\n"
      "%PDF-1.4\r\nline two\n"
      "--B--\n";
  auto parts = ParseMultipart("B", lf);
  REQUIRE_MESSAGE(parts.ok(), parts.status().message());
  REQUIRE(parts->size() == 1);
  CHECK(parts->front().data == "%PDF-1.4\r\nline two");

  const std::string crlf_data =
      "--B\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
      "\r\n"
      "\r\n%PDF\r\n\r\n"
      "\r\n--B--";
  auto p2 = ParseMultipart("B", crlf_data);
  REQUIRE_MESSAGE(p2.ok(), p2.status().message());
  CHECK(p2->front().data == "\r\n%PDF\r\n\r\n");

  auto none = ParseMultipart("B", "--B--\r\n");
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("storage: malformed multipart bodies are bad_request") {
  const std::string head =
      "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n";
  const std::string bad[] = {
      head + kPdf,                           // no closing boundary at all
      head + kPdf + "\r\n--B",               // the last delimiter is not closed
      head + kPdf + "\r\n--Bx--\r\n",        // only a longer look-alike
      "--B\r\nContent-Disposition: form-data; name=\"file\"\r\n",  // headers never end
      "no boundary here",
      "",
      "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--",               // no disposition
      "--B\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n--B--",
      "--B\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--B--",  // no name
      "--B\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--B--",
      "--B\r\nno colon here\r\n\r\nx\r\n--B--",
  };
  for (const std::string& body : bad) {
    CAPTURE(body);
    auto r = ParseMultipart("B", body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
  }
  CHECK(Contains(ParseMultipart("B", head + kPdf).status().message(), "closing boundary"));
  // "--Bjunk" is no delimiter: it is preamble, and the body then has no parts.
  auto preamble = ParseMultipart("B", "--Bjunk\r\n\r\nx\r\n--B--");
  REQUIRE(preamble.ok());
  CHECK(preamble->empty());
}

// ---- file store -------------------------------------------------------------------------

TEST_CASE("storage: NewFileId gives lowercase UUID v4 strings") {
  SystemRandom random;
  FileStore store("/nonexistent", random);
  std::string last;
  for (int i = 0; i < 50; ++i) {
    auto id = store.NewFileId();
    REQUIRE(id.ok());
    CAPTURE(id.value());
    CHECK(IsValidFileId(id.value()));
    CHECK(id->size() == 36);
    CHECK((*id)[14] == '4');  // version
    CHECK(std::string_view("89ab").find((*id)[19]) != std::string_view::npos);  // variant
    CHECK(id.value() != last);
    last = id.value();
  }
  CHECK_FALSE(IsValidFileId("../../etc/passwd"));
  CHECK_FALSE(IsValidFileId("0123456789ABCDEF0123456789abcdef0123"));
}

TEST_CASE("storage: Write stores <uuid>.<ext> durably and leaves no temp file") {
  TempDir dir;
  FakeRandom random;
  FileStore store(dir.path() + "/storage", random);
  REQUIRE(store.EnsureDir().ok());
  auto id = store.NewFileId();
  REQUIRE(id.ok());

  Status s = store.Write(id.value(), "png", kPng);
  REQUIRE_MESSAGE(s.ok(), s.message());
  const std::string path = store.PathOf(id.value(), "png");
  CHECK(path == dir.path() + "/storage/" + id.value() + ".png");
  CHECK(ReadFile(path) == kPng);
  auto names = std::vector<std::string>();
  for (const auto& e : fs::directory_iterator(store.dir())) names.push_back(e.path().filename());
  CHECK(names == std::vector<std::string>{id.value() + ".png"});

  store.Remove(id.value(), "png");
  CHECK_FALSE(fs::exists(path));
  store.Remove(id.value(), "png");  // already gone: no error
  CHECK(fs::is_empty(store.dir()));
}

TEST_CASE("storage: Write failures leave nothing behind and name the path") {
  TempDir dir;
  FakeRandom random;
  FileStore missing(dir.path() + "/no-such-dir", random);
  auto id = missing.NewFileId();
  Status s = missing.Write(id.value(), "pdf", kPdf);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Code::kInternal);
  CHECK(Contains(s.message(), dir.path() + "/no-such-dir/.tmp-" + id.value()));

  FileStore store(dir.path(), random);
  CHECK(store.Write("../evil", "pdf", kPdf).code() == Code::kInternal);
  CHECK(store.Write(id.value(), "p/df", kPdf).code() == Code::kInternal);
  CHECK(dir.Names().empty());
}

TEST_CASE("storage: RemoveStaleTemp deletes only interrupted uploads") {
  TempDir dir;
  FakeRandom random;
  FileStore store(dir.path(), random);
  auto keep = store.NewFileId();
  REQUIRE(store.Write(keep.value(), "jpg", kJpeg).ok());
  for (const char* name : {".tmp-one", ".tmp-two"}) std::ofstream(dir.path() + "/" + name) << "x";
  std::ofstream(dir.path() + "/notes.tmp") << "x";

  CHECK(store.RemoveStaleTemp() == 2);
  auto names = dir.Names();
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{keep.value() + ".jpg", "notes.tmp"});
  CHECK(store.RemoveStaleTemp() == 0);
  CHECK(FileStore(dir.path() + "/absent", random).RemoveStaleTemp() == 0);
}

TEST_CASE("storage: Sha256Hex") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// ---- bases/storage.db -------------------------------------------------------------------

StoredFile MakeFile(int64_t id, std::string file_id) {
  StoredFile f;
  f.id = id;
  f.file_id = std::move(file_id);
  f.original_name = "passport.pdf";
  f.ext = "pdf";
  f.content_type = "application/pdf";
  f.size = static_cast<int64_t>(kPdf.size());
  f.sha256 = Sha256Hex(kPdf);
  f.owner_type = std::string(kOwnerClient);
  f.owner_id = 42;
  f.owner_brand = "acme";
  f.created_at = 1'800'000'000;
  return f;
}

// Runs `fn` as one write on the base's writer strand and waits for its commit.
Result<std::string> RunWrite(StorageBase& base, WriteFn fn) {
  auto p = std::make_shared<std::promise<Result<std::string>>>();
  auto f = p->get_future();
  base.writer().Submit(std::move(fn), [p](Result<std::string> r) { p->set_value(std::move(r)); });
  return f.get();
}

WriteFn PutWrite(StorageBase& base, StoredFile file) {
  return [&base, file](WriteBatch& b) -> Result<std::string> {
    if (base.staged_files().StagedFindFileId(file.file_id)) {
      return Status(Code::kConflict, "duplicate file_id");
    }
    auto row = std::make_shared<StoredFile>(file);
    row->id = base.staged_files().StagedNextId();
    if (Status s = base.PutFile(b, row); !s.ok()) return s;
    return StoredFileJson(*row);
  };
}

TEST_CASE("storage: StorageBase PutFile is visible through FindFileId after commit") {
  boost::asio::thread_pool pool(2);
  auto opened = StorageBase::Open(":memory:", pool.get_executor(), BaseOptions{});
  REQUIRE_MESSAGE(opened.ok(), opened.status().message());
  StorageBase& base = *opened.value();
  const std::string fid = "0f8fad5b-d9cb-469f-a165-70867728950e";

  CHECK(base.files().FindFileId(fid) == nullptr);
  bool staged_seen = false, committed_before = true;
  auto r = RunWrite(base, [&](WriteBatch& b) -> Result<std::string> {
    auto result = PutWrite(base, MakeFile(0, fid))(b);
    staged_seen = base.staged_files().StagedFindFileId(fid) != nullptr;
    committed_before = base.files().FindFileId(fid) != nullptr;
    return result;
  });
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  CHECK(staged_seen);
  CHECK_FALSE(committed_before);

  auto doc = test::ParseDoc(r.value());
  CHECK(test::Str(doc, "file_id") == fid);
  CHECK(test::Str(doc, "file_name") == "passport.pdf");
  CHECK(test::Str(doc, "content_type") == "application/pdf");
  CHECK(test::Int(doc, "file_size") == static_cast<int64_t>(kPdf.size()));
  CHECK(test::Str(doc, "checksum") == Sha256Hex(kPdf));
  CHECK(test::Int(doc, "created_at") == 1'800'000'000);
  CHECK(doc.MemberCount() == 6);

  auto found = base.files().FindFileId(fid);
  REQUIRE(found != nullptr);
  CHECK(found->id == 1);
  CHECK(found->owner_type == "client");
  CHECK(found->owner_id == 42);
  CHECK(found->owner_brand == "acme");
  CHECK(base.files().size() == 1);
  CHECK(base.files().FindFileId("00000000-0000-4000-8000-000000000000") == nullptr);

  // A second write of the same file_id is refused before anything is written.
  auto dup = RunWrite(base, PutWrite(base, MakeFile(0, fid)));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().code() == Code::kConflict);
  auto direct = RunWrite(base, [&](WriteBatch& b) -> Result<std::string> {
    auto row = std::make_shared<StoredFile>(MakeFile(base.staged_files().StagedNextId(), fid));
    if (Status s = base.PutFile(b, row); !s.ok()) return s;
    return std::string("{}");
  });
  CHECK(direct.status().code() == Code::kConflict);
  CHECK_FALSE(base.writer().failed());
  CHECK(base.files().size() == 1);
  pool.join();
}

TEST_CASE("storage: StorageBase keeps its rows across a reopen") {
  TempDir dir;
  const std::string path = dir.path() + "/storage.db";
  const std::string a = "11111111-1111-4111-8111-111111111111";
  const std::string b = "22222222-2222-4222-9222-222222222222";
  {
    boost::asio::thread_pool pool(2);
    auto opened = StorageBase::Open(path, pool.get_executor(), BaseOptions{});
    REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    StorageBase& base = *opened.value();
    REQUIRE(RunWrite(base, PutWrite(base, MakeFile(0, a))).ok());
    StoredFile staff = MakeFile(0, b);
    staff.owner_type = std::string(kOwnerStaff);
    staff.owner_id = std::nullopt;
    staff.owner_brand.clear();
    staff.original_name = "Паспорт.png";
    REQUIRE(RunWrite(base, PutWrite(base, staff)).ok());
    pool.join();
  }
  boost::asio::thread_pool pool(2);
  auto reopened = StorageBase::Open(path, pool.get_executor(), BaseOptions{});
  REQUIRE_MESSAGE(reopened.ok(), reopened.status().message());
  StorageBase& base = *reopened.value();
  CHECK(base.files().size() == 2);
  auto fa = base.files().FindFileId(a);
  auto fb = base.files().FindFileId(b);
  REQUIRE(fa != nullptr);
  REQUIRE(fb != nullptr);
  CHECK(fa->id == 1);
  CHECK(fa->sha256 == Sha256Hex(kPdf));
  CHECK(fa->owner_id == 42);
  CHECK(fb->id == 2);
  CHECK(fb->owner_type == "staff");
  CHECK_FALSE(fb->owner_id.has_value());
  CHECK(fb->original_name == "Паспорт.png");
  // Ids continue after the loaded rows.
  const std::string c = "33333333-3333-4333-a333-333333333333";
  REQUIRE(RunWrite(base, PutWrite(base, MakeFile(0, c))).ok());
  CHECK(base.files().FindFileId(c)->id == 3);
  pool.join();
}

TEST_SUITE_END();

}  // namespace
}  // namespace kyc
