// customers/: field shapes, search folding, UTC days, and the order in which an operation
// is weighed (WeighOperation) — pure functions, no core.
#include <doctest/doctest.h>

#include "customers/clients.h"
#include "customers/field_rules.h"
#include "customers/limits.h"
#include "customers/search_text.h"
#include "customers/transactions.h"
#include "protocol/utf8.h"

namespace kyc {

TEST_CASE("customers: e-mail, E.164 phone, currency shapes") {
  for (const char* ok : {"a@b.co", "first.last+tag@mail.example.org"}) CHECK(IsEmail(ok));
  for (const char* bad : {"", "a", "a@b", "@b.co", "a@@b.co", "a b@c.de", "a@b..c", "a@.b",
                          "a@b.", "a@b.c\n"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsEmail(bad));
  }
  for (const char* ok : {"+35799123456", "+4915123456789", "+1234567"}) CHECK(IsE164Phone(ok));
  for (const char* bad : {"35799123456", "+0123456789", "+1234", "+1234567890123456", "+357 99 12",
                          "+35799x23456"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsE164Phone(bad));
  }
  CHECK(IsCurrencyCode("EUR"));
  CHECK(IsCurrencyCode("THB"));
  CHECK(IsCurrencyCode("USDT"));
  CHECK_FALSE(IsCurrencyCode("eur"));
  CHECK_FALSE(IsCurrencyCode("XXX"));
  CHECK_FALSE(IsCurrencyCode(""));
}

TEST_CASE("customers: document numbers normalize, Thai national IDs carry a check digit") {
  CHECK(NormalizeDocNumber("ab-123 45") == "AB12345");
  CHECK(NormalizeDocNumber(" x/y.z ") == "XYZ");
  CHECK(NormalizeDocNumber("--") == "");
  CHECK(IsThaiNationalId("1101700230708"));   // Σ d·w = 146, (11 - 146 % 11) % 10 = 8
  CHECK_FALSE(IsThaiNationalId("1101700230705"));
  CHECK_FALSE(IsThaiNationalId("110170023070"));
  CHECK_FALSE(IsThaiNationalId("11017002307055"));
  CHECK_FALSE(IsThaiNationalId("11017002307a5"));
  CHECK(IsIdentityDocType("driving_licence"));
  CHECK_FALSE(IsIdentityDocType("selfie"));
}

TEST_CASE("customers: names fold case- and accent-insensitively for search") {
  CHECK(FoldForSearch("Müller")  == FoldForSearch("MULLER"));
  CHECK(*FoldForSearch("  José   María ") == "jose maria");
  CHECK(*FoldForSearch("ÇAĞLAR") == "caglar");
  CHECK(*FoldForSearch("Øre") == FoldForSearch("øre"));
  CHECK(FoldForSearch("Straße")->find("ss") != std::string::npos);  // case folding: ß → ss
  CHECK_FALSE(FoldForSearch("\xff\xfe"));                            // not UTF-8
  CHECK(AsciiLower("Ann@Mail.COM") == "ann@mail.com");
}

TEST_CASE("customers: UTC days to and from YYYY-MM-DD") {
  CHECK(DayText(0) == "1970-01-01");
  CHECK(DayOf(86399) == 0);
  CHECK(DayOf(86400) == 1);
  CHECK(DayOf(-1) == -1);
  CHECK(*ParseDay("2026-12-01") == DayOf(1796083200));
  CHECK(DayText(*ParseDay("2024-02-29")) == "2024-02-29");
  CHECK_FALSE(ParseDay("2023-02-29"));
  CHECK_FALSE(ParseDay("2026-1-01"));
  for (int64_t day = -800; day < 80000; day += 37) CHECK(*ParseDay(DayText(day)) == day);
}

namespace {

Tier MakeTier(int64_t level, const char* lifetime, const char* single = nullptr) {
  Tier t;
  t.level = level;
  t.max_lifetime_eur = Decimal::Parse(lifetime);
  if (single) t.max_single_eur = Decimal::Parse(single);
  return t;
}

OperationInputs Inputs(const ClientRecord& rec, const std::vector<const Tier*>& tiers,
                       const std::vector<const ComplianceRule*>& rules) {
  OperationInputs in;
  in.operation = "exchange";
  in.record = &rec;
  in.kyc_allowed = true;
  in.kyc_reason = "KYC level 1 of 1: exchange allowed";
  in.level = 1;
  in.policy_level = 1;
  in.amount = Decimal::Parse("500.00");
  in.lifetime.Add(TxType::kExchange, *Decimal::Parse("14800.00"));
  in.tiers = tiers;
  in.rules = rules;
  return in;
}

}  // namespace

TEST_CASE("customers: an operation is weighed in order: blocking, KYC, tier limits, rules") {
  ClientRecord rec;
  Tier t1 = MakeTier(1, "15000.00"), t2 = MakeTier(2, "100000.00");
  ComplianceRule needs_tin;
  needs_tin.name = "big exchanges";
  needs_tin.operation = "exchange";
  needs_tin.scope = "lifetime_client";
  needs_tin.threshold_eur = *Decimal::Parse("15000.00");
  needs_tin.effect = "require_fields";
  needs_tin.fields = {"tin", "source_of_funds"};

  SUBCASE("the tier limit, with the level that allows it") {
    auto v = WeighOperation(Inputs(rec, {&t1, &t2}, {}));
    CHECK_FALSE(v.allowed);
    CHECK(v.reason == "lifetime EUR 14,800.00 + 500.00 exceeds the level 1 limit 15,000.00: level 2 required");
    CHECK(v.required_level == 2);
  }
  SUBCASE("a level with no tier has no limits") {
    auto v = WeighOperation(Inputs(rec, {&t1}, {}));
    CHECK(v.required_level == 2);
    auto in = Inputs(rec, {&t2}, {});
    CHECK(WeighOperation(in).allowed);
  }
  SUBCASE("without an amount, no tier limit applies") {
    auto in = Inputs(rec, {&t1}, {});
    in.amount.reset();
    CHECK(WeighOperation(in).allowed);
  }
  SUBCASE("missing fields are gathered even after an earlier refusal; the first reason wins") {
    auto v = WeighOperation(Inputs(rec, {&t1, &t2}, {&needs_tin}));
    CHECK_FALSE(v.allowed);
    CHECK(v.reason.find("lifetime EUR 14,800.00") == 0);
    CHECK(v.missing_fields == std::vector<std::string>{"tin", "source_of_funds"});
  }
  SUBCASE("a rule refuses with the fields it needs; filled fields pass") {
    auto v = WeighOperation(Inputs(rec, {}, {&needs_tin}));
    CHECK_FALSE(v.allowed);
    CHECK(v.reason == "rule 'big exchanges' (lifetime EUR 15,300.00 over 15,000.00): tin, source_of_funds required");
    rec.tin = "X1";
    rec.source_of_funds = "salary";
    CHECK(WeighOperation(Inputs(rec, {}, {&needs_tin})).allowed);
  }
  SUBCASE("KYC refusal comes before the limits, blocking before KYC") {
    auto in = Inputs(rec, {&t1, &t2}, {});
    in.kyc_allowed = false;
    in.kyc_reason = "KYC level 0 of 1: proof_id pending";
    CHECK(WeighOperation(in).reason == "KYC level 0 of 1: proof_id pending");
    rec.is_blocked = true;
    rec.block_reason = "fraud review";
    in.record = &rec;
    CHECK(WeighOperation(in).reason == "customer blocked: fraud review");
  }
  SUBCASE("conditions: a PEP rule needs a level, for PEPs only") {
    ComplianceRule pep;
    pep.name = "PEP deposits";
    pep.operation = "any";
    pep.scope = "transaction";
    pep.effect = "require_level";
    pep.level = 3;
    pep.when_is_pep = true;
    auto in = Inputs(rec, {}, {&pep});
    CHECK(WeighOperation(in).allowed);
    rec.is_pep = true;
    auto v = WeighOperation(in);
    CHECK_FALSE(v.allowed);
    CHECK(v.required_level == 3);
    CHECK(v.reason == "rule 'PEP deposits': level 3 required (customer has level 1)");
  }
  SUBCASE("a rule below its threshold does not fire; deny refuses") {
    ComplianceRule deny;
    deny.name = "no big single exchanges";
    deny.operation = "exchange";
    deny.scope = "transaction";
    deny.threshold_eur = *Decimal::Parse("1000.00");
    deny.effect = "deny";
    CHECK(WeighOperation(Inputs(rec, {}, {&deny})).allowed);
    auto in = Inputs(rec, {}, {&deny});
    in.amount = Decimal::Parse("1000.01");
    CHECK(WeighOperation(in).reason ==
          "rule 'no big single exchanges' (operation EUR 1,000.01 over 1,000.00): exchange not allowed");
  }
}

}  // namespace kyc

namespace kyc {

TEST_CASE("customers: a broad prefix visits a bounded number of records and says so") {
  ClientSet set;
  const int64_t n = ClientSet::kMaxCandidates + 5;
  for (int64_t id = 1; id <= n; ++id) {
    auto r = std::make_shared<ClientRecord>();
    r->id = id;
    r->customer_id = id;
    r->brand = "b";
    r->uuid = std::to_string(id);
    r->last_name = id % 2 ? "Anders" : "Andersen";
    r->first_name = "Zed";
    set.Load(std::move(r));
  }
  ClientFilter f;
  f.query = "ander";
  f.limit = 3;
  auto page = set.Search(f);
  CHECK(page.capped);
  CHECK(page.total == ClientSet::kMaxCandidates);
  REQUIRE(page.items.size() == 3);
  CHECK(page.items[0]->last_name == "Anders");  // by name, then id
  f.query = "andersen";
  page = set.Search(f);
  CHECK_FALSE(page.capped);
  CHECK(page.total == n / 2);
  // Without a query or filter: the page straight from the ids, the exact total.
  f.query.reset();
  f.offset = n - 2;
  f.limit = 10;
  page = set.Search(f);
  CHECK(page.total == n);
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0]->id == n - 1);
  // Ids with a gap (a refused create used one): pages by position, never overlapping.
  ClientSet gappy;
  for (int64_t id : {1, 2, 4, 5}) {
    auto r = std::make_shared<ClientRecord>();
    r->id = id;
    r->customer_id = id;
    r->uuid = std::to_string(id);
    gappy.Load(std::move(r));
  }
  ClientFilter all;
  all.offset = 2;
  all.limit = 5;
  page = gappy.Search(all);
  CHECK(page.total == 4);
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0]->id == 4);
  all.offset = INT64_MAX;
  CHECK(gappy.Search(all).items.empty());
}

}  // namespace kyc
