// Issue 17's pure parts: UTF-8 checks for text that skips the JSON parser, and the audit
// trail's hash chain (what MngVerifyAudit recomputes).
#include <doctest/doctest.h>

#include "bases/audit_store.h"
#include "protocol/utf8.h"

namespace kyc {

TEST_CASE("utf8: well-formed only, messages quote nothing broken") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("Zoë Łukasz 日本 😀"));
  CHECK_FALSE(IsValidUtf8("\xff"));
  CHECK_FALSE(IsValidUtf8("\xc3"));              // truncated
  CHECK_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  CHECK_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // over U+10FFFF
  CHECK(ForMessage("/manager/x") == "/manager/x");
  CHECK(ForMessage("/a/\xff\xfe/b") == "/a/?" "?/b");  // split: "??/" reads as a trigraph
  CHECK(ForMessage("tab\there") == "tab?here");
  CHECK(ForMessage(std::string(300, 'a'), 10) == std::string(10, 'a') + "…");
  CHECK(IsValidUtf8(ForMessage("ééééé", 3)));  // cut on a character boundary
}

TEST_CASE("audit chain: each row hashes its predecessor, a changed row is named") {
  std::vector<std::shared_ptr<AuditRow>> rows;
  std::string prev;
  for (int i = 1; i <= 5; ++i) {
    auto r = std::make_shared<AuditRow>();
    r->id = i;
    r->at = 1000 + i;
    r->actor = Actor{"manager", 1, "SESSION_ADMIN"};
    r->action = "template.create";
    r->entity = "template";
    r->entity_id = i;
    r->after = R"({"id":1})";
    r->prev_hash = prev;
    r->hash = AuditRowHash(prev, *r);
    prev = r->hash;
    rows.push_back(r);
  }
  CHECK(rows[0]->prev_hash.empty());
  CHECK(rows[0]->hash.size() == 64);
  CHECK(rows[1]->prev_hash == rows[0]->hash);
  auto load = [&](int tampered, std::string_view how) {
    auto log = std::make_unique<AuditLog>();
    for (const auto& r : rows) {
      auto copy = std::make_shared<AuditRow>(*r);
      if (copy->id == tampered) {
        if (how == "reason") copy->reason = "nothing happened";
        if (how == "rehash") {  // rewritten with a fresh hash: the next row's link breaks
          copy->reason = "nothing happened";
          copy->hash = AuditRowHash(copy->prev_hash, *copy);
        }
      }
      log->Load(copy);
    }
    return log;
  };
  auto clean = load(0, "");
  AuditChainCheck ok = VerifyAuditChain(*clean, 1, 5);
  CHECK(ok.ok);
  CHECK(ok.checked == 5);
  auto edited = load(3, "reason");
  AuditChainCheck bad = VerifyAuditChain(*edited, 1, 5);
  CHECK_FALSE(bad.ok);
  CHECK(bad.first_broken_id == 3);
  CHECK(VerifyAuditChain(*edited, 4, 5).ok);  // the range after the edit still links
  auto rehashed = load(3, "rehash");
  AuditChainCheck relinked = VerifyAuditChain(*rehashed, 1, 5);
  CHECK_FALSE(relinked.ok);
  CHECK(relinked.first_broken_id == 4);
}

}  // namespace kyc
