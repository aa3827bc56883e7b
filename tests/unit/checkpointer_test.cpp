// WAL checkpoints outside the commit: the background connection copies the WAL back,
// and past the hard limit the writer does it itself, so the WAL file stays bounded.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "bases/checkpointer.h"
#include "bases/sqlite.h"

namespace kyc {
namespace {

class WalFixture {
 public:
  WalFixture() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("kyc_checkpoint_{}_{}.db", getpid(), counter++))
                .string();
    Remove();
    auto db = Db::Open(path_, DbOptions{false});
    REQUIRE_MESSAGE(db.ok(), db.status().message());
    db_ = std::move(*db);
    REQUIRE(db_->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, pad TEXT NOT NULL)").ok());
  }
  ~WalFixture() {
    db_.reset();
    Remove();
  }

  Db& db() { return *db_; }
  // One transaction that adds a row of about one page.
  void Commit(int id) {
    Txn txn(*db_);
    REQUIRE(txn.begin_status().ok());
    auto st = db_->Prepare("INSERT INTO t(id, pad) VALUES(?, ?)");
    REQUIRE(st.ok());
    REQUIRE(st->Bind(1, int64_t{id}).Bind(2, std::string(3000, 'x')).Exec().ok());
    REQUIRE(txn.Commit().ok());
  }
  uintmax_t WalBytes() const {
    std::error_code ec;
    auto n = std::filesystem::file_size(path_ + "-wal", ec);
    return ec ? 0 : n;
  }
  int64_t Rows() {
    auto st = db_->Prepare("SELECT count(*) FROM t");
    REQUIRE(st.ok());
    REQUIRE(*st->Step());
    return st->Int(0);
  }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
  std::unique_ptr<Db> db_;
};

TEST_CASE("the background connection checkpoints once the WAL passes the threshold") {
  WalFixture f;
  auto cp = Checkpointer::Attach(f.db(), DbOptions{false}, {.pages = 20, .hard_limit = 1 << 30});
  REQUIRE_MESSAGE(cp.ok(), cp.status().message());
  REQUIRE(*cp);
  for (int i = 1; i <= 40; ++i) f.Commit(i);
  // Wait for the event, not for a time: the deadline only keeps a broken build from hanging.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((*cp)->checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK((*cp)->checkpoints() > 0);
  CHECK(f.Rows() == 40);
}

TEST_CASE("below the threshold nothing is checkpointed") {
  WalFixture f;
  auto cp = Checkpointer::Attach(f.db(), DbOptions{false}, {.pages = 100000, .hard_limit = 1 << 30});
  REQUIRE(cp.ok());
  for (int i = 1; i <= 20; ++i) f.Commit(i);
  cp->reset();  // joins the thread: any checkpoint it ran would be counted by now
  CHECK(f.Rows() == 20);
}

TEST_CASE("past the hard limit the writer checkpoints itself and the WAL starts over") {
  WalFixture f;
  // The background thread is never woken (threshold above the limit): only the writer's
  // own checkpoint can keep the WAL from growing with every commit.
  auto cp = Checkpointer::Attach(f.db(), DbOptions{false}, {.pages = 1 << 30, .hard_limit = 30});
  REQUIRE(cp.ok());
  for (int i = 1; i <= 300; ++i) f.Commit(i);
  CHECK((*cp)->checkpoints() == 0);
  CHECK(f.WalBytes() > 0);
  CHECK(f.WalBytes() < 60 * 4096);  // 300 commits of a page or more each without it
  CHECK(f.Rows() == 300);
}

TEST_CASE("an in-memory base has no WAL and gets no checkpointer") {
  auto db = Db::Open(":memory:");
  REQUIRE(db.ok());
  auto cp = Checkpointer::Attach(**db, DbOptions{});
  REQUIRE(cp.ok());
  CHECK(*cp == nullptr);
}

}  // namespace
}  // namespace kyc
