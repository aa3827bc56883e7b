// The client record, transactions and totals, tiers and rules, duplicate identities
// (customer_handlers.cpp, transaction_handlers.cpp, compliance_handlers.cpp), through the
// dispatcher on an in-process core.
#include "tests/unit/kyc_fixture.h"

namespace kyc {
namespace {

// brand_a lets level 1 withdraw, so one approved step covers every transaction type.
inline CoreOptions CustomerOptions() {
  CoreOptions o = test::TestCoreOptions();
  o.policy.brands["brand_a"]["withdrawal"] = OperationRule{1};
  return o;
}

class CustomerTest : public KycTest {
 protected:
  CustomerTest() : KycTest(CustomerOptions()) {}

  rapidjson::Document AddCustomer(int64_t customer, std::string_view brand = "brand_a",
                                  std::string_view fields = "") {
    return Ok("MngAddCustomer", fmt::format(R"({{"customer_id":{},"brand":"{}"{}{}}})", customer,
                                            brand, fields.empty() ? "" : ",", fields));
  }
  rapidjson::Document GetCustomer(int64_t customer, std::string_view brand = "brand_a") {
    return Ok("MngGetCustomer", fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer, brand));
  }
  // Gives (customer, brand) KYC level 1: a level-1 step submitted and approved.
  void ApproveLevel1(int64_t customer, std::string_view brand = "brand_a") {
    if (!templates_.count(std::string(brand))) {
      AddTemplate(brand, "proof_id", R"("level":1)");
      templates_.insert(std::string(brand));
    }
    int64_t step = Require(customer, brand, "proof_id");
    Submit(step, h_.ClientSession(customer, brand));
    Approve(step);
  }
  Response AddTx(int64_t customer, std::string_view type, std::string_view eur,
                 std::string_view external_id, std::string_view brand = "brand_a",
                 std::string_view extra = "") {
    return Call("MngAddTransaction",
                fmt::format(R"({{"customer_id":{},"brand":"{}","type":"{}","amount":"{}","currency":"EUR",)"
                            R"("eur_amount":"{}","external_id":"{}"{}}})",
                            customer, brand, type, eur, eur, external_id, extra));
  }
  std::vector<int64_t> Search(const std::string& params) {
    auto r = Ok("MngGetCustomers", params);
    std::vector<int64_t> ids;
    for (const auto& c : r["items"].GetArray()) ids.push_back(Int(c, "customer_id"));
    CHECK(Int(r, "total") == int64_t(ids.size()));
    return ids;
  }
  std::set<std::string> templates_;
};

}  // namespace

TEST_CASE_FIXTURE(CustomerTest, "customers: add, get by key and by uuid, the KYC aggregate beside") {
  auto c = AddCustomer(kCustA, "brand_a",
                       R"("type":"vip","first_name":"José","last_name":"Müller","birth_date":"1980-02-29",)"
                       R"("nationality":"DE","gender":"male","email":"Jose@Example.com","phone":"+4915123456789",)"
                       R"("documents":[{"type":"passport","number":"c01x-00t47","issuing_country":"DE","expires_on":"2030-01-31"}],)"
                       R"("address":{"line1":"Hauptstr. 1","city":"Berlin","postal_code":"10115","country":"DE"},)"
                       R"("is_pep":true,"pep_details":"mayor","risk_score_ai":"12.5","kyc_answers":{"KYC_AnnualDeposit":"50000","KYC_Count":12})");
  CHECK(Str(c, "type") == "vip");
  CHECK(Str(c, "first_name") == "José");
  CHECK(Str(c, "risk_score_ai") == "12.50");
  CHECK(c["risk_score_ai"].IsString());
  CHECK(Bool(c, "is_pep"));
  CHECK(Str(c["documents"][0], "number") == "c01x-00t47");
  CHECK(Str(c["address"], "city") == "Berlin");
  CHECK(Int(c["kyc_answers"], "KYC_Count") == 12);
  CHECK_FALSE(Bool(c, "is_blocked"));
  CHECK(c["block_reason"].IsNull());
  CHECK(c["birth_city"].IsNull());
  CHECK(Str(c, "kyc_status_name") == "none");
  CHECK(Int(c, "kyc_level") == 0);
  CHECK(c["max_loan"].IsNull());
  const std::string uuid = Str(c, "uuid");
  CHECK(uuid.size() == 36);
  CHECK(uuid[14] == '4');  // version 4
  CHECK(ToJsonText(GetCustomer(kCustA)) == ToJsonText(c));
  CHECK(ToJsonText(Ok("MngGetCustomer", fmt::format(R"({{"uuid":"{}"}})", uuid))) == ToJsonText(c));
  CHECK(Err("MngGetCustomer", R"({"uuid":"00000000-0000-4000-8000-000000000000"})") == Code::kNotFound);
  CHECK(Err("MngAddCustomer", R"({"customer_id":1001,"brand":"brand_a"})") == Code::kConflict);
  // The same customer id in another brand is another record.
  CHECK(Str(AddCustomer(kCustA, "brand_b"), "uuid") != uuid);

  // The KYC aggregate follows the profile; max_loan is the tier of its level.
  Ok("MngSetKycTier", R"({"brand":"brand_a","level":1,"name":"Basic","max_loan":"5000.00"})");
  ApproveLevel1(kCustA);
  auto after = GetCustomer(kCustA);
  CHECK(Str(after, "kyc_status_name") == "approved");
  CHECK(Int(after, "kyc_level") == 1);
  CHECK(Str(after, "max_loan") == "5000.00");
  CHECK(Str(after, "uuid") == uuid);
}

TEST_CASE_FIXTURE(CustomerTest, "customers: every bad field is a bad_request naming it, and nothing is stored") {
  const std::pair<const char*, const char*> bad[] = {
      {R"("type":"gold")", "type"},
      {R"("birth_date":"1980-02-30")", "birth_date"},
      {R"("birth_country":"XX")", "birth_country"},
      {R"("nationality":"de")", "nationality"},
      {R"("gender":"m")", "gender"},
      {R"("email":"not-an-email")", "email"},
      {R"("phone":"0049151")", "phone"},
      {R"("risk_score_ai":12.5)", "risk_score_ai"},
      {R"("risk_score_ai":"12.505")", "risk_score_ai"},
      {R"("risk_score_ai":"1000.00")", "risk_score_ai"},
      {R"("risk_score_ai":"-1")", "risk_score_ai"},
      {R"("documents":[{"type":"visa","number":"1"}])", "documents[0].type"},
      {R"("documents":[{"type":"passport","number":"--"}])", "documents[0].number"},
      {R"("documents":[{"type":"passport","number":"1","issuing_country":"ZZ"}])", "documents[0].issuing_country"},
      {R"("documents":[{"type":"passport","number":"1","colour":"red"}])", "documents[0].colour"},
      {R"("documents":[{"type":"passport","number":"1"},{"type":"id_card","number":"2"},{"type":"national_id","number":"3"}])", "documents"},
      {R"("documents":[{"type":"national_id","number":"1101700230705","issuing_country":"TH"}])", "documents[0].number"},
      {R"("address":{"line1":"x","country":"Germany"})", "address.country"},
      {R"("address":"Berlin")", "address"},
      {R"("kyc_answers":{"bad name":"x"})", "kyc_answers"},
      {R"("kyc_answers":{"KYC_X":[1]})", "kyc_answers.KYC_X"},
      {R"("first_name":"   ")", "first_name"},
      {R"("is_pep":"yes")", "is_pep"},
      {R"("uuid":"mine")", "uuid"},
  };
  for (const auto& row : bad) {
    const std::string_view field_json = row.first, field = row.second;
    CAPTURE(field_json);
    Response r = Call("MngAddCustomer", fmt::format(R"({{"customer_id":1001,"brand":"brand_a",{}}})", field_json));
    CHECK(r.status.code() == Code::kBadRequest);
    CHECK(Contains(r.status.message(), field));
  }
  CHECK(Err("MngGetCustomer", R"({"customer_id":1001,"brand":"brand_a"})") == Code::kNotFound);
  // A valid Thai national ID passes.
  AddCustomer(kCustA, "brand_a",
              R"("documents":[{"type":"national_id","number":"1-1017-00230-70-8","issuing_country":"TH"}])");
}

TEST_CASE_FIXTURE(CustomerTest, "customers: a partial update changes only what it names, null clears, audited") {
  AddCustomer(kCustA, "brand_a", R"("first_name":"Ann","email":"ann@example.com","tin":"T1","kyc_answers":{"A":"1","B":"2"})");
  auto u = Ok("MngUpdateCustomer",
              R"({"customer_id":1001,"brand":"brand_a","phone":"+35799123456","tin":null,"kyc_answers":{"B":null,"C":3}})");
  CHECK(Str(u, "first_name") == "Ann");
  CHECK(Str(u, "phone") == "+35799123456");
  CHECK(u["tin"].IsNull());
  CHECK(ToJsonText(u["kyc_answers"]) == R"({"A":"1","C":3})");
  CHECK(Err("MngUpdateCustomer", R"({"customer_id":1001,"brand":"brand_a","is_blocked":true})") == Code::kBadRequest);
  CHECK(Err("MngUpdateCustomer", R"({"customer_id":1001,"brand":"brand_a","email":"x"})") == Code::kBadRequest);
  CHECK(Str(GetCustomer(kCustA), "phone") == "+35799123456");
  CHECK(Err("MngUpdateCustomer", R"({"customer_id":9,"brand":"brand_a","tin":"x"})") == Code::kNotFound);
  auto audit = Audit(R"({"customer_id":1001,"entity":"customer"})");
  CHECK(Strings(audit["items"], "action") == std::vector<std::string>{"customer.create", "customer.update"});
  const auto& before = audit["items"][1]["before"];
  const auto& after = audit["items"][1]["after"];
  CHECK(Str(before, "tin") == "T1");
  CHECK(after["tin"].IsNull());
}

TEST_CASE_FIXTURE(CustomerTest, "customers: one search finds by name prefix, document number, e-mail or id") {
  AddCustomer(1, "brand_a", R"("first_name":"José","last_name":"Müller","email":"jm@example.com","type":"vip")");
  AddCustomer(2, "brand_a", R"("first_name":"Josefine","last_name":"Mulligan","documents":[{"type":"passport","number":"AB-123 456"}])");
  AddCustomer(3, "brand_b", R"("first_name":"Anna","last_name":"Smith","email":"JOSE@example.com")");
  AddCustomer(40, "brand_b", R"("first_name":"Zoe","last_name":"Jo")");
  CHECK(Search(R"({"query":"jose"})") == std::vector<int64_t>{1, 2});
  CHECK(Search(R"({"query":"MUL"})") == std::vector<int64_t>{1, 2});
  CHECK(Search(R"({"query":"jose mu"})") == std::vector<int64_t>{1});
  CHECK(Search(R"({"query":"José Müller"})") == std::vector<int64_t>{1});
  CHECK(Search(R"({"query":"ab123456"})") == std::vector<int64_t>{2});
  CHECK(Search(R"({"query":"Jose@Example.com"})") == std::vector<int64_t>{3});
  CHECK(Search(R"({"query":"40"})") == std::vector<int64_t>{40});
  CHECK(Search(R"({"query":"jose","type":"vip"})") == std::vector<int64_t>{1});
  CHECK(Search(R"({"query":"jo","brand":"brand_b"})") == std::vector<int64_t>{40});
  CHECK(Search(R"({"brand":"brand_b"})") == std::vector<int64_t>{3, 40});
  CHECK(Search(R"({"query":"nobody"})").empty());
  auto page = Ok("MngGetCustomers", R"({"query":"jo","offset":1,"limit":1})");
  CHECK(Int(page, "total") == 3);
  CHECK(Ids(page["items"]).size() == 1);
  // A renamed customer is found by the new name only.
  Ok("MngUpdateCustomer", R"({"customer_id":2,"brand":"brand_a","first_name":"Petra"})");
  CHECK(Search(R"({"query":"jose"})") == std::vector<int64_t>{1});
  CHECK(Search(R"({"query":"petra mull"})") == std::vector<int64_t>{2});
  CHECK(Err("MngGetCustomers", R"({"type":"gold"})") == Code::kBadRequest);
  CHECK(Err("MngGetCustomers", R"({"query":" "})") == Code::kBadRequest);
}

TEST_CASE_FIXTURE(CustomerTest, "customers: only admin and manager block, a blocked customer is refused") {
  AddCustomer(kCustA);
  ApproveLevel1(kCustA);
  const std::string block = R"({"customer_id":1001,"brand":"brand_a","reason":"fraud review"})";
  CHECK(Err("MngBlockCustomer", block, h_.Session(SessionType::kDealer)) == Code::kForbidden);
  CHECK(Err("MngBlockCustomer", block, h_.Session(SessionType::kCrmAdmin)) == Code::kForbidden);
  CHECK(Err("MngBlockCustomer", R"({"customer_id":1001,"brand":"brand_a"})") == Code::kBadRequest);
  auto b = Ok("MngBlockCustomer", block);
  CHECK(Bool(b, "is_blocked"));
  CHECK(Str(b, "block_reason") == "fraud review");
  CHECK(Int(b, "blocked_by") == manager_id_);
  CHECK(Int(b, "blocked_at") == h_.clock().Now());
  CHECK(Err("MngBlockCustomer", block) == Code::kConflict);

  auto check = Ok("MngCheckKycOperation", R"({"customer_id":1001,"brand":"brand_a","operation":"deposit"})");
  CHECK_FALSE(Bool(check, "allowed"));
  CHECK(Str(check, "reason") == "customer blocked: fraud review");
  Response tx = AddTx(kCustA, "deposit", "100.00", "t1");
  CHECK(tx.status.code() == Code::kConflict);
  CHECK(Contains(tx.status.message(), "blocked: fraud review"));
  CHECK(Search(R"({"blocked":true})") == std::vector<int64_t>{kCustA});

  auto u = OkApproved("MngUnblockCustomer",
                      R"({"customer_id":1001,"brand":"brand_a","reason":"cleared"})",
                      h_.Session(SessionType::kAdmin));
  CHECK_FALSE(Bool(u, "is_blocked"));
  CHECK(u["block_reason"].IsNull());
  CHECK(AddTx(kCustA, "deposit", "100.00", "t1").status.ok());
  auto audit = Audit(R"({"customer_id":1001,"entity":"customer"})");
  CHECK(Strings(audit["items"], "action") ==
        std::vector<std::string>{"customer.create", "customer.block", "customer.unblock"});
  CHECK(Str(audit["items"][1], "reason") == "fraud review");
}

TEST_CASE_FIXTURE(CustomerTest, "transactions: totals move with each one, a repeat of the external id changes nothing") {
  CHECK(AddTx(kCustA, "deposit", "100.00", "t0").status.code() == Code::kConflict);  // no record
  AddCustomer(kCustA);
  Response no_kyc = AddTx(kCustA, "deposit", "100.00", "t0");
  CHECK(no_kyc.status.code() == Code::kConflict);
  CHECK(Contains(no_kyc.status.message(), "account registered"));
  ApproveLevel1(kCustA);

  auto first = ParseDoc(AddTx(kCustA, "deposit", "1000.10", "t1").text());
  CHECK_FALSE(Bool(first, "duplicate"));
  CHECK(Str(first["transaction"], "amount") == "1000.10");
  CHECK(Str(first["lifetime"], "eur_volume") == "1000.10");
  CHECK(Str(first["daily"], "day") == "2027-01-15");
  h_.clock().Advance(60);
  Call("MngAddTransaction", R"({"customer_id":1001,"brand":"brand_a","type":"exchange","amount":"0.12345678","currency":"BTC","eur_amount":"5000.00","external_id":"t2"})");
  auto w = ParseDoc(AddTx(kCustA, "withdrawal", "0.20", "t3").text());
  CHECK(Str(w["lifetime"], "eur_volume") == "6000.30");
  CHECK(Int(w["lifetime"], "count") == 3);
  CHECK(Str(w["lifetime"], "deposits_eur") == "1000.10");
  CHECK(Str(w["lifetime"], "exchanges_eur") == "5000.00");
  CHECK(Int(w["lifetime"], "withdrawals_count") == 1);
  CHECK(Str(w["daily"], "eur_volume") == "6000.30");

  auto again = ParseDoc(AddTx(kCustA, "deposit", "1000.10", "t1").text());
  CHECK(Bool(again, "duplicate"));
  CHECK(Int(again["transaction"], "id") == Int(first["transaction"], "id"));
  CHECK(Str(again["lifetime"], "eur_volume") == "6000.30");
  CHECK(AddTx(kCustA, "deposit", "999.00", "t1").status.code() == Code::kConflict);

  // Another day, its own daily row; the list is newest first.
  h_.clock().Advance(86400);
  staff_ = h_.Session(SessionType::kManager);  // the first session has expired
  AddTx(kCustA, "deposit", "1.00", "t4");
  auto list = Ok("MngGetTransactions", R"({"customer_id":1001,"brand":"brand_a"})");
  CHECK(Strings(list["items"], "external_id") == std::vector<std::string>{"t4", "t3", "t2", "t1"});
  CHECK(Str(list["items"][2], "amount") == "0.12345678");
  auto deposits = Ok("MngGetTransactions", R"({"customer_id":1001,"brand":"brand_a","type":"deposit","limit":1})");
  CHECK(Int(deposits, "total") == 2);
  auto totals = Ok("MngGetCustomerTotals", R"({"customer_id":1001,"brand":"brand_a"})");
  CHECK(Str(totals["lifetime"], "eur_volume") == "6001.30");
  REQUIRE(totals["daily"].Size() == 2);
  CHECK(Str(totals["daily"][0], "day") == "2027-01-15");
  CHECK(Str(totals["daily"][1], "eur_volume") == "1.00");
  auto one_day = Ok("MngGetCustomerTotals", R"({"customer_id":1001,"brand":"brand_a","from_day":"2027-01-16","to_day":"2027-01-16"})");
  CHECK(one_day["daily"].Size() == 1);
}

TEST_CASE_FIXTURE(CustomerTest, "transactions: bad input is a bad_request naming the field, nothing stored") {
  AddCustomer(kCustA);
  ApproveLevel1(kCustA);
  const std::pair<const char*, const char*> bad[] = {
      {R"("type":"loan","amount":"1","currency":"EUR","eur_amount":"1","external_id":"x")", "type"},
      {R"("type":"deposit","amount":1,"currency":"EUR","eur_amount":"1","external_id":"x")", "amount"},
      {R"("type":"deposit","amount":"1.123456789","currency":"EUR","eur_amount":"1","external_id":"x")", "amount"},
      {R"("type":"deposit","amount":"-1","currency":"EUR","eur_amount":"1","external_id":"x")", "amount"},
      {R"("type":"deposit","amount":"1","currency":"EURO","eur_amount":"1","external_id":"x")", "currency"},
      {R"("type":"deposit","amount":"1","currency":"EUR","eur_amount":"1.001","external_id":"x")", "eur_amount"},
      {R"("type":"deposit","amount":"1","currency":"EUR","eur_amount":"1")", "external_id"},
      {R"("type":"deposit","amount":"1","currency":"EUR","eur_amount":"1","external_id":"x","at":-5)", "at"},
      {R"("type":"deposit","amount":"1","currency":"EUR","eur_amount":"1","external_id":"x","at":1900000000)", "at"},
      {R"("type":"deposit","amount":"1000000000000001","currency":"EUR","eur_amount":"1","external_id":"x")", "amount"},
      {R"("type":"deposit","amount":"1","currency":"EUR","eur_amount":"1","external_id":"x","fee":"1")", "fee"},
  };
  for (const auto& row : bad) {
    const std::string_view json = row.first, field = row.second;
    CAPTURE(json);
    Response r = Call("MngAddTransaction", fmt::format(R"({{"customer_id":1001,"brand":"brand_a",{}}})", json));
    CHECK(r.status.code() == Code::kBadRequest);
    CHECK(Contains(r.status.message(), field));
  }
  CHECK(Int(Ok("MngGetTransactions", R"({"customer_id":1001,"brand":"brand_a"})"), "total") == 0);
}

TEST_CASE_FIXTURE(CustomerTest, "tiers and rules: the check reads its reason aloud, transactions obey it") {
  AddCustomer(kCustA);
  ApproveLevel1(kCustA);
  Ok("MngSetKycTier", R"({"brand":"brand_a","level":1,"name":"Basic","max_lifetime_eur":"15000.00","max_loan":"1000"})");
  Ok("MngSetKycTier", R"({"brand":"brand_a","level":2,"name":"Enhanced","max_lifetime_eur":"100000.00"})");
  CHECK(Err("MngSetKycTier", R"({"brand":"brand_a","level":1,"name":"x"})", h_.Session(SessionType::kDealer)) == Code::kForbidden);
  CHECK(Err("MngSetKycTier", R"({"brand":"brand_a","level":1,"name":"x","max_daily_eur":100})") == Code::kBadRequest);
  auto tiers = Ok("MngGetKycTiers", R"({"brand":"brand_a"})");
  CHECK(Strings(tiers["items"], "name") == std::vector<std::string>{"Basic", "Enhanced"});
  CHECK(Str(tiers["items"][0], "max_loan") == "1000.00");

  REQUIRE(AddTx(kCustA, "exchange", "14800.00", "e1").status.ok());
  auto check = Ok("MngCheckKycOperation",
                  R"({"customer_id":1001,"brand":"brand_a","operation":"exchange","amount":"500.00"})");
  CHECK_FALSE(Bool(check, "allowed"));
  CHECK(Str(check, "reason") == "lifetime EUR 14,800.00 + 500.00 exceeds the level 1 limit 15,000.00: level 2 required");
  CHECK(Int(check, "required_level") == 2);
  Response refused = AddTx(kCustA, "exchange", "500.00", "e2");
  CHECK(refused.status.code() == Code::kConflict);
  CHECK(Contains(refused.status.message(), "level 2 required"));
  CHECK(AddTx(kCustA, "exchange", "200.00", "e3").status.ok());

  // A rule: over 15,000.00 lifetime an exchange needs tin and source_of_funds.
  auto rule = Ok("MngAddComplianceRule",
                 R"({"brand":"brand_a","name":"big exchanges","operation":"exchange","scope":"lifetime_client",)"
                 R"("threshold_eur":"15000.00","effect":"require_fields","fields":["tin","source_of_funds"]})");
  Ok("MngSetKycTier", R"({"brand":"brand_a","level":1,"name":"Basic","max_lifetime_eur":"50000.00"})");
  auto need = Ok("MngCheckKycOperation",
                 R"({"customer_id":1001,"brand":"brand_a","operation":"exchange","amount":"500.00"})");
  CHECK_FALSE(Bool(need, "allowed"));
  CHECK(ToJsonText(need["missing_fields"]) == R"(["tin","source_of_funds"])");
  CHECK(Str(need, "reason") == "rule 'big exchanges' (lifetime EUR 15,500.00 over 15,000.00): tin, source_of_funds required");
  Ok("MngUpdateCustomer", R"({"customer_id":1001,"brand":"brand_a","tin":"DE123","source_of_funds":"salary"})");
  CHECK(Bool(Ok("MngCheckKycOperation", R"({"customer_id":1001,"brand":"brand_a","operation":"exchange","amount":"500.00"})"), "allowed"));

  // PEP customers need level 3 for any deposit.
  Ok("MngAddComplianceRule", R"({"brand":"brand_a","name":"PEP deposits","operation":"deposit","scope":"transaction",)"
                             R"("threshold_eur":"0","when":{"is_pep":true},"effect":"require_level","level":3})");
  CHECK(Bool(Ok("MngCheckKycOperation", R"({"customer_id":1001,"brand":"brand_a","operation":"deposit"})"), "allowed"));
  Ok("MngUpdateCustomer", R"({"customer_id":1001,"brand":"brand_a","is_pep":true})");
  auto pep = Ok("MngCheckKycOperation", R"({"customer_id":1001,"brand":"brand_a","operation":"deposit"})");
  CHECK_FALSE(Bool(pep, "allowed"));
  CHECK(Int(pep, "required_level") == 3);

  // Update and delete.
  const int64_t id = Int(rule, "id");
  auto changed = Ok("MngUpdateComplianceRule", fmt::format(R"({{"id":{},"threshold_eur":"100000.00"}})", id));
  CHECK(Str(changed, "threshold_eur") == "100000.00");
  CHECK(Str(changed, "effect") == "require_fields");
  Ok("MngDeleteComplianceRule", fmt::format(R"({{"id":{}}})", id));
  CHECK(Err("MngDeleteComplianceRule", fmt::format(R"({{"id":{}}})", id)) == Code::kNotFound);
  CHECK(Strings(Ok("MngGetComplianceRules", R"({"brand":"brand_a"})")["items"], "name") ==
        std::vector<std::string>{"PEP deposits"});
  // Bad rules name the field.
  CHECK(Err("MngAddComplianceRule", R"({"brand":"brand_a","name":"x","operation":"loan","scope":"daily","threshold_eur":"1","effect":"deny"})") == Code::kBadRequest);
  CHECK(Err("MngAddComplianceRule", R"({"brand":"brand_a","name":"x","operation":"any","scope":"daily","threshold_eur":"1","effect":"require_fields"})") == Code::kBadRequest);
  CHECK(Err("MngAddComplianceRule", R"({"brand":"brand_a","name":"x","operation":"any","scope":"daily","threshold_eur":"1","effect":"require_fields","fields":["shoe_size"]})") == Code::kBadRequest);
  CHECK(Err("MngCheckKycOperation", R"({"customer_id":1001,"brand":"brand_a","operation":"exchange","amount":"1.001"})") == Code::kBadRequest);
}

TEST_CASE_FIXTURE(CustomerTest, "duplicates: refused within a brand, alerted across brands until resolved") {
  const char* passport = R"("documents":[{"type":"passport","number":"X123-456","issuing_country":"FR"}])";
  AddCustomer(1, "brand_a", passport);
  Response same_brand = Call("MngAddCustomer", fmt::format(R"({{"customer_id":2,"brand":"brand_a",{}}})", passport));
  CHECK(same_brand.status.code() == Code::kConflict);
  CHECK(Contains(same_brand.status.message(), "customer 1 of brand 'brand_a'"));
  CHECK(Err("MngGetCustomer", R"({"customer_id":2,"brand":"brand_a"})") == Code::kNotFound);
  // Another issuing country is another document.
  AddCustomer(3, "brand_a", R"("documents":[{"type":"passport","number":"X123456","issuing_country":"BE"}])");

  AddCustomer(7, "brand_b", R"("documents":[{"type":"passport","number":"x 123 456"}])");
  auto alerts = Ok("MngGetDuplicateAlerts", R"({"status":"open"})");
  REQUIRE(Int(alerts, "total") == 2);  // customer 7 (no country) matches both 1 (FR) and 3 (BE)
  CHECK(Int(alerts["items"][0], "customer_id") == 7);
  CHECK(Str(alerts["items"][0], "source") == "customer");
  CHECK(Str(alerts["items"][0]["document"], "number") == "X123456");
  CHECK(StatusName(7, "brand_b") == "review_required");
  CHECK(StatusName(1) == "review_required");
  CHECK(StatusName(3) == "review_required");

  // An update that does not touch the document raises nothing new.
  Ok("MngUpdateCustomer", R"({"customer_id":7,"brand":"brand_b","tin":"1"})");
  CHECK(Int(Ok("MngGetDuplicateAlerts", "{}"), "total") == 2);

  const int64_t a1 = Int(alerts["items"][1], "id");
  const int64_t a2 = Int(alerts["items"][0], "id");
  CHECK(Err("MngResolveDuplicateAlert", fmt::format(R"({{"id":{}}})", a1)) == Code::kBadRequest);
  CHECK(Err("MngResolveDuplicateAlert", fmt::format(R"({{"id":{},"reason":"x"}})", a1), h_.Session(SessionType::kDealer)) == Code::kForbidden);
  auto resolved = Ok("MngResolveDuplicateAlert", fmt::format(R"({{"id":{},"reason":"twins, checked"}})", a1));
  CHECK(Str(resolved, "status") == "resolved");
  CHECK(Int(resolved, "resolved_by") == manager_id_);
  CHECK(StatusName(1) == "none");
  CHECK(StatusName(7, "brand_b") == "review_required");  // still in the other alert
  Ok("MngResolveDuplicateAlert", fmt::format(R"({{"id":{},"reason":"checked"}})", a2));
  CHECK(StatusName(7, "brand_b") == "none");
  CHECK(Err("MngResolveDuplicateAlert", fmt::format(R"({{"id":{},"reason":"again"}})", a2)) == Code::kConflict);
  CHECK(Int(Ok("MngGetDuplicateAlerts", R"({"status":"open"})"), "total") == 0);
  CHECK(Int(Ok("MngGetDuplicateAlerts", R"({"customer_id":7})"), "total") == 2);
}

TEST_CASE_FIXTURE(CustomerTest, "duplicates: a KYC document's number is checked against records and documents") {
  AddCustomer(1, "brand_a", R"("documents":[{"type":"id_card","number":"ID-777","issuing_country":"CY"}])");
  AddTemplate("brand_a", "proof_id", R"("level":1)");
  AddTemplate("brand_b", "proof_id", R"("level":1)");
  Require(2, "brand_a", "proof_id");
  Require(9, "brand_b", "proof_id");
  auto add_doc = [&](int64_t customer, const char* brand, const char* type, const char* number,
                     const char* country) {
    return Call("MngAddKycDocument",
                fmt::format(R"({{"file_id":"{}","doc_type":"{}","customer_id":{},"brand":"{}",)"
                            R"("doc_number":"{}","issuing_country":"{}"}})",
                            StaffFile(), type, customer, brand, number, country));
  };
  const size_t docs = h_.core().kyc().documents().size();
  Response same = add_doc(2, "brand_a", "id_card", "id 777", "CY");
  CHECK(same.status.code() == Code::kConflict);
  CHECK(Contains(same.status.message(), "customer 1 of brand 'brand_a'"));
  CHECK(h_.core().kyc().documents().size() == docs);  // nothing stored
  CHECK(add_doc(2, "brand_a", "passport", "id 777", "CY").status.ok());  // another type
  CHECK(add_doc(2, "brand_a", "proof_address", "id 777", "CY").status.ok());  // not an identity
  CHECK(Err("MngAddKycDocument", fmt::format(R"({{"file_id":"{}","doc_type":"id_card","customer_id":2,"brand":"brand_a","issuing_country":"Cyprus"}})", StaffFile())) == Code::kBadRequest);

  REQUIRE(add_doc(9, "brand_b", "id_card", "ID777", "CY").status.ok());
  auto alerts = Ok("MngGetDuplicateAlerts", "{}");
  REQUIRE(Int(alerts, "total") == 1);
  CHECK(Str(alerts["items"][0], "source") == "kyc_document");
  CHECK(Int(alerts["items"][0], "other_customer_id") == 1);
  CHECK(StatusName(9, "brand_b") == "review_required");
  CHECK(StatusName(1) == "review_required");  // its profile was made to carry the hold

  // The client's own KycAddDocument is checked the same way (within its brand: refused).
  auto client = h_.ClientSession(2, "brand_a");
  Response mine = Call("KycAddDocument",
                       fmt::format(R"({{"file_id":"{}","doc_type":"id_card","doc_number":"ID777"}})",
                                   ClientFile(2)),
                       client);
  CHECK(mine.status.code() == Code::kConflict);
  CHECK_FALSE(Contains(mine.status.message(), "customer 1"));  // a client learns no other customer
  // And a record update that takes a number a KYC document of the brand holds is refused.
  CHECK(Err("MngAddCustomer", R"({"customer_id":2,"brand":"brand_a","documents":[{"type":"id_card","number":"ID777","issuing_country":"CY"}]})") == Code::kConflict);
}

}  // namespace kyc

namespace kyc {

TEST_CASE_FIXTURE(CustomerTest, "duplicates: an open alert never unlocks a rejected profile") {
  AddCustomer(1, "brand_a", R"("documents":[{"type":"passport","number":"R1"}])");
  AddTemplate("brand_b", "proof_id", R"("level":1)");
  const int64_t step = Require(9, "brand_b", "proof_id");
  Submit(step, h_.ClientSession(9, "brand_b"));
  Ok("MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"forged"}})", step));
  REQUIRE(StatusName(9, "brand_b") == "rejected");
  AddCustomer(9, "brand_b", R"("documents":[{"type":"passport","number":"R1"}])");
  CHECK(Int(Ok("MngGetDuplicateAlerts", "{}"), "total") == 1);
  CHECK(StatusName(9, "brand_b") == "rejected");
  CHECK(StatusName(1) == "review_required");
  auto check = Ok("MngCheckKycOperation", R"({"customer_id":9,"brand":"brand_b","operation":"deposit"})");
  CHECK_FALSE(Bool(check, "allowed"));
}

}  // namespace kyc
