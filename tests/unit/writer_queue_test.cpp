// The writer queue: acknowledged only after COMMIT, group commit, failed commits, and
// validation errors that stay private to their request. Runs on a temp-file base with a
// second SQLite connection to see what is really on disk.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "bases/sqlite.h"
#include "tables/staged_table.h"
#include "bases/writer_queue.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

using test::Contains;

struct QueueRow {
  int64_t id = 0;
  std::string value;
};
using QueueRowTable = StagedTable<QueueRow>;
using Future = std::future<Result<std::string>>;

// Holds a write on the strand until the test has queued more writes behind it, so those
// writes are known to form the next batch together.
struct Gate {
  std::promise<void> started;
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
};

class QueueFixture {
 public:
  explicit QueueFixture(bool group_commit = true) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("kyc_writer_queue_{}_{}.db", getpid(), counter++))
                .string();
    RemoveFiles();
    auto db = Db::Open(path_);
    REQUIRE_MESSAGE(db.ok(), db.status().message());
    db_ = std::move(db.value());
    REQUIRE(db_->Exec("CREATE TABLE rows(id INTEGER PRIMARY KEY, value TEXT NOT NULL)").ok());
    auto reader = Db::Open(path_);
    REQUIRE(reader.ok());
    reader_ = std::move(reader.value());
    queue_ = std::make_unique<WriterQueue>("test", pool_.get_executor(), *db_, group_commit);
  }

  ~QueueFixture() {
    pool_.join();  // the strand's work references the queue, the table and the base
    queue_.reset();
    reader_.reset();
    db_.reset();
    RemoveFiles();
  }

  WriterQueue& queue() { return *queue_; }
  QueueRowTable& table() { return table_; }

  // A write that inserts or replaces a row on disk and stages it in memory.
  WriteFn Put(int64_t id, std::string value) {
    return [this, id, value](WriteBatch& b) -> Result<std::string> {
      auto st = b.db().Prepare("INSERT OR REPLACE INTO rows(id, value) VALUES(?, ?)");
      if (!st.ok()) return st.status();
      st->Bind(1, id).Bind(2, std::string_view(value));
      if (Status s = st->Exec(); !s.ok()) return s;
      table_.Stage(b, std::make_shared<const QueueRow>(QueueRow{id, value}));
      return fmt::format(R"({{"id":{}}})", id);
    };
  }

  // A write whose validation fails before it stages anything.
  static WriteFn Invalid(std::string message) {
    return [message](WriteBatch&) -> Result<std::string> {
      return Status(Code::kBadRequest, message);
    };
  }

  Future Submit(WriteFn fn) {
    auto p = std::make_shared<std::promise<Result<std::string>>>();
    Future f = p->get_future();
    queue_->Submit(std::move(fn), [p](Result<std::string> r) { p->set_value(std::move(r)); });
    return f;
  }

  // Submits a write that waits for `gate` to open; returns once it runs on the strand.
  Future SubmitBlocked(Gate& gate, WriteFn fn) {
    auto started = gate.started.get_future();
    Future f = Submit([&gate, fn](WriteBatch& b) {
      gate.started.set_value();
      gate.opened.wait();
      return fn(b);
    });
    started.wait();
    return f;
  }

  // The committed value as a second connection sees it.
  std::optional<std::string> DiskValue(int64_t id) {
    auto st = reader_->Prepare("SELECT value FROM rows WHERE id = ?");
    REQUIRE(st.ok());
    st->Bind(1, id);
    auto row = st->Step();
    REQUIRE_MESSAGE(row.ok(), row.status().message());
    if (!*row) return std::nullopt;
    return st->Text(0);
  }

  // The value as the running batch sees it (writer strand only).
  std::optional<std::string> StagedValue(int64_t id) {
    auto r = table_.StagedGet(id);
    return r ? std::optional(r->value) : std::nullopt;
  }

  std::optional<std::string> MemValue(int64_t id) {
    auto r = table_.Get(id);
    return r ? std::optional(r->value) : std::nullopt;
  }

 private:
  void RemoveFiles() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ec);
    }
  }

  std::string path_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<Db> reader_;
  QueueRowTable table_;
  boost::asio::thread_pool pool_{2};
  std::unique_ptr<WriterQueue> queue_;
};

TEST_CASE("writer queue: a write is acknowledged only after COMMIT, then published") {
  QueueFixture f;
  struct Seen {
    bool disk_before_commit = true, mem_before_publish = true, staged_in_batch = false;
    std::optional<std::string> disk_at_done, mem_at_done;
  } seen;
  auto done = std::make_shared<std::promise<Result<std::string>>>();
  auto put = f.Put(1, "one");
  f.queue().Submit(
      [&](WriteBatch& b) {
        auto r = put(b);
        seen.disk_before_commit = f.DiskValue(1).has_value();
        seen.mem_before_publish = f.table().Get(1) != nullptr;
        seen.staged_in_batch = f.table().StagedGet(1) != nullptr;
        return r;
      },
      [&, done](Result<std::string> r) {
        seen.disk_at_done = f.DiskValue(1);
        seen.mem_at_done = f.MemValue(1);
        done->set_value(std::move(r));
      });
  Result<std::string> r = done->get_future().get();
  REQUIRE(r.ok());
  CHECK(r.value() == R"({"id":1})");
  // Inside the batch: written in the open transaction, staged, but visible to nobody else.
  CHECK_FALSE(seen.disk_before_commit);
  CHECK_FALSE(seen.mem_before_publish);
  CHECK(seen.staged_in_batch);
  // When `done` runs the transaction has committed and memory is published.
  CHECK(seen.disk_at_done == "one");
  CHECK(seen.mem_at_done == "one");
  CHECK(f.queue().stats().transactions.load() == 1);
  CHECK(f.queue().stats().writes.load() == 1);
  CHECK_FALSE(f.queue().failed());
}

TEST_CASE("writer queue: writes queued during a batch are committed together") {
  QueueFixture f;
  Gate gate;
  Future first = f.SubmitBlocked(gate, f.Put(1, "first"));
  std::vector<Future> rest;
  for (int i = 2; i <= 21; ++i) rest.push_back(f.Submit(f.Put(i, fmt::format("v{}", i))));
  gate.open.set_value();

  CHECK(first.get().ok());
  for (auto& r : rest) CHECK(r.get().ok());
  CHECK(f.queue().stats().writes.load() == 21);
  CHECK(f.queue().stats().transactions.load() == 2);  // the blocked one, then the other 20 at once
  CHECK(f.queue().stats().transactions.load() < f.queue().stats().writes.load());
  for (int i = 2; i <= 21; ++i) {
    CHECK(f.DiskValue(i) == fmt::format("v{}", i));
    CHECK(f.MemValue(i) == fmt::format("v{}", i));
  }
}

TEST_CASE("writer queue: without group commit every write is its own transaction") {
  QueueFixture f(/*group_commit=*/false);
  Gate gate;
  Future first = f.SubmitBlocked(gate, f.Put(1, "first"));
  std::vector<Future> rest;
  for (int i = 2; i <= 6; ++i) rest.push_back(f.Submit(f.Put(i, "x")));
  gate.open.set_value();
  CHECK(first.get().ok());
  for (auto& r : rest) CHECK(r.get().ok());
  CHECK(f.queue().stats().writes.load() == 6);
  CHECK(f.queue().stats().transactions.load() == 6);
}

TEST_CASE("writer queue: a failed commit answers internal to the batch and changes nothing") {
  QueueFixture f;
  REQUIRE(f.Submit(f.Put(1, "old")).get().ok());

  std::atomic<int> commits{0};
  f.queue().SetCommitFaultForTesting([&commits]() -> Status {
    // The first batch after this (the blocked write) commits; the next one fails.
    return ++commits >= 2 ? Status(Code::kInternal, "injected commit fault") : Status::Ok();
  });
  Gate gate;
  Future blocked = f.SubmitBlocked(gate, f.Put(2, "two"));
  Future update = f.Submit(f.Put(1, "new"));
  Future insert = f.Submit(f.Put(3, "three"));
  Future invalid = f.Submit(QueueFixture::Invalid("field 'x' is wrong"));
  gate.open.set_value();

  CHECK(blocked.get().ok());
  for (Future* fut : {&update, &insert, &invalid}) {
    Result<std::string> r = fut->get();
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInternal);
    CHECK(Contains(r.status().message(), "nothing was changed"));
  }
  CHECK(f.queue().failed());
  // Memory and disk both keep the old state.
  CHECK(f.MemValue(1) == "old");
  CHECK(f.MemValue(3) == std::nullopt);
  CHECK(f.table().Get(3) == nullptr);
  CHECK(f.DiskValue(1) == "old");
  CHECK(f.DiskValue(3) == std::nullopt);
  CHECK(f.MemValue(2) == "two");
  CHECK(f.queue().stats().transactions.load() == 2);

  // Later writes are refused at once: their write function never runs.
  bool ran = false;
  Result<std::string> later = f.Submit([&ran](WriteBatch&) -> Result<std::string> {
                                 ran = true;
                                 return std::string("{}");
                               }).get();
  REQUIRE_FALSE(later.ok());
  CHECK(later.status().code() == Code::kInternal);
  CHECK(Contains(later.status().message(), "refuses writes"));
  CHECK_FALSE(ran);
  CHECK(f.queue().stats().transactions.load() == 2);
}

TEST_CASE("writer queue: a validation error does not affect the other writes of its batch") {
  QueueFixture f;
  Gate gate;
  Future blocked = f.SubmitBlocked(gate, f.Put(1, "one"));
  Future a = f.Submit(f.Put(10, "ten"));
  Future bad = f.Submit(QueueFixture::Invalid("field 'level' must be between 1 and 100"));
  Future c = f.Submit(f.Put(11, "eleven"));
  gate.open.set_value();

  CHECK(blocked.get().ok());
  CHECK(a.get().ok());
  Result<std::string> b = bad.get();
  REQUIRE_FALSE(b.ok());
  CHECK(b.status().code() == Code::kBadRequest);
  CHECK(b.status().message() == "field 'level' must be between 1 and 100");
  CHECK(c.get().ok());

  CHECK_FALSE(f.queue().failed());
  CHECK(f.queue().stats().transactions.load() == 2);
  CHECK(f.queue().stats().writes.load() == 4);
  CHECK(f.DiskValue(10) == "ten");
  CHECK(f.DiskValue(11) == "eleven");
  CHECK(f.MemValue(10) == "ten");
  CHECK(f.MemValue(11) == "eleven");
}

TEST_CASE("writer queue: an error after staging undoes that write alone") {
  QueueFixture f;
  Gate gate;
  Future blocked = f.SubmitBlocked(gate, f.Put(1, "one"));
  Future good = f.Submit(f.Put(20, "twenty"));
  auto put = f.Put(21, "staged then failed");
  Future late = f.Submit([put](WriteBatch& b) -> Result<std::string> {
    auto r = put(b);
    return Status(Code::kConflict, "changed its mind after staging");
  });
  // A later write of the same batch must not see what the failed one staged.
  Future after = f.Submit([&f](WriteBatch& b) -> Result<std::string> {
    return std::string(f.StagedValue(21) ? "saw it" : "clean");
  });
  gate.open.set_value();

  CHECK(blocked.get().ok());
  CHECK(good.get().ok());
  Result<std::string> r = late.get();
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kConflict);
  CHECK(after.get().value() == "clean");
  CHECK_FALSE(f.queue().failed());
  CHECK(f.MemValue(20) == "twenty");
  CHECK(f.DiskValue(20) == "twenty");
  CHECK(f.MemValue(21) == std::nullopt);
  CHECK(f.DiskValue(21) == std::nullopt);
}

TEST_CASE("writer queue: an exception in a write function is internal, not a crash") {
  QueueFixture f;
  Result<std::string> r = f.Submit([](WriteBatch&) -> Result<std::string> {
                             throw std::runtime_error("boom");
                           }).get();
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInternal);
  // The write was undone by its savepoint; the base still takes writes.
  CHECK_FALSE(f.queue().failed());
  CHECK(f.Submit(f.Put(5, "five")).get().ok());
  CHECK(f.DiskValue(5) == "five");
}

}  // namespace
}  // namespace kyc
