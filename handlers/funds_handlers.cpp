// Fund workflows (issue 16): payment channels, balances and the ledger. Writes run on the
// kyc writer strand, so a ledger entry commits with what it records.
#include <shared_mutex>

#include "core/client_txn.h"
#include "core/funds_txn.h"
#include "core/record_open.h"
#include "funds/rules.h"
#include "customers/field_rules.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/money_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {

// ISO 4217 (or crypto) codes, at least one.
std::vector<std::string> ReadCurrencies(ParamReader& p) {
  auto listed = ReadNames<std::string>(
      p, "currencies",
      [](std::string_view c) -> std::optional<std::string> {
        return IsCurrencyCode(c) ? std::optional<std::string>(c) : std::nullopt;
      },
      "ISO 4217 codes (\"EUR\")", true, 32);
  if (listed && listed->empty()) {
    p.Fail(Status(Code::kBadRequest, "field 'currencies' must name at least one currency"));
  }
  return listed.value_or(std::vector<std::string>{});
}

}  // namespace

Result<std::string> MngSetPaymentChannel(Call& c) {
  ParamReader p(c.params);
  PaymentChannel ch;
  ch.brand = ReadBrand(p);
  ch.code = p.String("code", 64);
  ch.name = ReadText(p, "name", 200);
  ch.kind = p.String("kind", 32);
  ch.currencies = ReadCurrencies(p);
  auto min_amount = OptDecimal(p, "min_amount", 8, false);
  auto max_amount = OptDecimal(p, "max_amount", 8, true);
  ch.deposits = p.OptBool("deposits").value_or(true);
  ch.withdrawals = p.OptBool("withdrawals").value_or(true);
  const auto requires_bank_account = p.OptBool("requires_bank_account");
  if (const rapidjson::Value* approval = p.OptObject("approval")) {
    Params sub;
    sub.doc.CopyFrom(*approval, sub.doc.GetAllocator());
    ParamReader a(sub);
    ch.auto_below_eur = OptDecimal(a, "auto_below_eur", 2, false);
    ch.one_approver_below_eur = OptDecimal(a, "one_approver_below_eur", 2, false);
    if (Status s = a.Finish(); !s.ok()) {
      std::string message = s.message();  // "field 'x' …" → "field 'approval.x' …"
      if (auto at = message.find("field '"); at != std::string::npos) {
        message.insert(at + 7, "approval.");
      }
      p.Fail(Status(Code::kBadRequest, message));
    }
  }
  auto secret = p.OptString("callback_secret", 256);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!IsChannelCode(ch.code)) {
    return Status(Code::kBadRequest, "field 'code' must match [a-z0-9_.-]{1,64}");
  }
  if (!IsChannelKind(ch.kind)) {
    return Error(Code::kBadRequest,
                 "field 'kind' must be one of card, bank_transfer, ewallet, crypto (got '{}')",
                 ch.kind);
  }
  // Seed 003 section 5: a bank account is required before cryptocurrency withdrawals.
  if (ch.kind == "crypto" && requires_bank_account == false) {
    return Status(Code::kBadRequest,
                  "field 'requires_bank_account': a crypto channel pays out only after a bank "
                  "account is verified (it cannot be false)");
  }
  ch.requires_bank_account = requires_bank_account.value_or(ch.kind == "crypto");
  if (!min_amount || !max_amount) {
    return Error(Code::kBadRequest, "field '{}' is required",
                 !min_amount ? "min_amount" : "max_amount");
  }
  ch.min_amount = *min_amount;
  ch.max_amount = *max_amount;
  if (ch.min_amount > ch.max_amount) {
    return Status(Code::kBadRequest, "field 'min_amount' must not exceed 'max_amount'");
  }
  if (ch.auto_below_eur && ch.one_approver_below_eur &&
      *ch.auto_below_eur > *ch.one_approver_below_eur) {
    return Status(Code::kBadRequest,
                  "field 'approval.auto_below_eur' must not exceed 'approval.one_approver_below_eur'");
  }
  if (secret && secret->size() < 16) {
    return Status(Code::kBadRequest, "field 'callback_secret' must be at least 16 bytes");
  }

  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  FundsStore& store = kyc.kyc().staged_funds();
  auto before = store.staged_channels().StagedFindCode(ch.code);
  if (before && before->brand != ch.brand) {
    return Error(Code::kConflict, "channel code '{}' belongs to brand '{}'", ch.code, before->brand);
  }
  if (secret) {
    ch.callback_secret = *secret;
  } else if (before) {
    ch.callback_secret = before->callback_secret;  // kept when not given
  } else {
    return Status(Code::kBadRequest, "field 'callback_secret' is required for a new channel");
  }
  ch.id = before ? before->id : store.staged_channels().StagedNextId();
  ch.created_at = before ? before->created_at : c.now;
  ch.updated_at = c.now;
  auto after = std::make_shared<const PaymentChannel>(std::move(ch));
  std::string json = ChannelJson(*after);
  if (Status s = store.Put(*c.batch, after); !s.ok()) return s;
  if (Status s = txn.AuditSetting(before ? "payment_channel.update" : "payment_channel.create",
                                  "payment_channel", after->id, after->brand,
                                  before ? ChannelJson(*before) : "", json);
      !s.ok()) {
    return s;
  }
  return json;
}

Result<std::string> MngGetPaymentChannels(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto channels = c.core.kyc().funds().channels().OfBrand(brand);
  JsonOut o;
  o.BeginObject().Key("brand").Str(brand).Key("items").BeginArray();
  for (const auto& ch : channels) WriteChannel(o, *ch);
  o.EndArray().Key("total").Int(static_cast<int64_t>(channels.size())).EndObject();
  return o.Take();
}

Result<std::string> MngGetBalances(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  const FundsStore& funds = c.core.kyc().funds();
  std::vector<std::shared_ptr<const LedgerEntry>> entries;
  std::vector<std::shared_ptr<const Hold>> holds;
  {
    // Entries and holds at one commit (a withdrawal paid settles its hold and debits in one).
    std::shared_lock snapshot(c.core.kyc().snapshot_mutex());
    entries = funds.ledger().Of(key.customer_id, key.brand);
    holds = funds.holds().Of(key.customer_id, key.brand);
  }
  std::vector<const LedgerEntry*> ep;
  std::vector<const Hold*> hp;
  for (const auto& e : entries) ep.push_back(e.get());
  for (const auto& h : holds) hp.push_back(h.get());
  JsonOut o;
  o.BeginObject().Key("customer_id").Int(key.customer_id).Key("brand").Str(key.brand);
  o.Key("items").BeginArray();
  for (const auto& b : ComputeBalances(ep, hp)) WriteBalance(o, b);
  o.EndArray().EndObject();
  return o.Take();
}

Result<std::string> MngGetLedger(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  LedgerFilter f;
  f.currency = p.OptString("currency", 16);
  f.from = p.OptInt("from");
  f.to = p.OptInt("to");
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  auto result = c.core.kyc().funds().ledger().List(key.customer_id, key.brand, f);
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  for (const auto& e : result.items) WriteLedgerEntry(o, *e);
  o.EndArray().Key("total").Int(result.total).EndObject();
  return o.Take();
}

namespace {

// The fields of a deposit request; the customer comes from the caller.
Result<NewDeposit> ReadDeposit(ParamReader& p, NewDeposit d) {
  d.channel = p.String("channel", 64);
  auto amount = OptDecimal(p, "amount", 8, true);
  d.currency = p.String("currency", 16);
  d.eur_amount = OptDecimal(p, "eur_amount", 2, true);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!amount) return Status(Code::kBadRequest, "field 'amount' is required");
  if (!IsCurrencyCode(d.currency)) {
    return Error(Code::kBadRequest, "field 'currency' must be an ISO 4217 code (got '{}')", d.currency);
  }
  d.amount = *amount;
  return d;
}

Result<std::string> RequestDeposit(Call& c, NewDeposit d) {
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  auto dep = FundsTxn(client, c.core.options().policy).RequestDeposit(d);
  if (!dep.ok()) return dep.status();
  JsonOut o;
  WriteDeposit(o, **dep, c.session->type != SessionType::kClient);
  return o.Take();
}


}  // namespace

Result<std::string> MngAddDeposit(Call& c) {
  ParamReader p(c.params);
  NewDeposit d;
  CustomerKey key = ReadCustomer(p);
  d.customer_id = key.customer_id;
  d.brand = key.brand;
  auto read = ReadDeposit(p, d);
  if (!read.ok()) return read.status();
  return RequestDeposit(c, *read);
}

Result<std::string> KycRequestDeposit(Call& c) {
  ParamReader p(c.params);
  NewDeposit d;
  d.customer_id = *c.session->customer_id;
  d.brand = c.session->brand;
  // A client does not say what its deposit weighs in EUR (limits, totals and AML read
  // that): without exchange rates in the server, a client deposits in EUR only.
  if (p.Has("eur_amount")) {
    return Status(Code::kBadRequest, "field 'eur_amount' is set by staff (MngAddDeposit), not by the client");
  }
  auto read = ReadDeposit(p, d);
  if (!read.ok()) return read.status();
  if (read->currency != "EUR") {
    return Error(Code::kBadRequest,
                 "field 'currency': a client deposit is in EUR; a deposit in {} is opened by staff "
                 "(MngAddDeposit with eur_amount)",
                 read->currency);
  }
  return RequestDeposit(c, *read);
}

Result<std::string> PspCallback(Call& c) {
  if (!c.signed_body) {
    return Status(Code::kBadRequest, "PspCallback is HTTP only: POST /psp/{channel}/callback");
  }
  // The channel comes from the path; everything else from the signed body alone.
  ParamReader path(c.params);
  std::string code = path.String("channel", 64);
  if (Status s = path.Finish(); !s.ok()) return s;
  auto channel = c.core.kyc().funds().channels().FindCode(code);
  if (!channel || !VerifyCallbackSignature(channel->callback_secret, c.signed_body->body,
                                           c.signed_body->signature)) {
    return Status(Code::kUnauthorized,
                  "X-Signature is missing or does not match the body (HMAC-SHA256 with the "
                  "channel's callback secret, hex)");
  }
  auto body = ParseParams(c.signed_body->body, c.core.options().max_json_depth);
  if (!body.ok()) return body.status();
  ParamReader p(*body);
  struct PspCallback cb;
  cb.deposit_id = p.Int("deposit_id");
  cb.psp_order_id = p.String("psp_order_id", 128);
  cb.status = p.String("status", 16);
  auto amount = OptDecimal(p, "amount", 8, false);
  cb.currency = p.String("currency", 16);
  cb.payer_name = p.OptString("payer_name", 200).value_or("");
  cb.failure_code = p.OptString("failure_code", 64).value_or("");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (cb.status != "pending" && cb.status != "succeeded" && cb.status != "failed") {
    return Error(Code::kBadRequest, "field 'status' must be pending, succeeded or failed (got '{}')",
                 cb.status);
  }
  if (!amount) return Status(Code::kBadRequest, "field 'amount' is required");
  if (cb.status == "succeeded" && amount->is_zero()) {
    return Status(Code::kBadRequest, "field 'amount' must be > 0 for a succeeded payment");
  }
  cb.amount = *amount;
  // The provider acts: the audit names it.
  KycTxn kyc(c.core.kyc(), *c.batch, Actor{"psp", std::nullopt, ""}, c.now,
             c.core.customer_mirror(), c.core.options().accounts);
  ClientTxn client(kyc);
  auto applied = FundsTxn(client, c.core.options().policy).ApplyCallback(*channel, cb);
  if (!applied.ok()) return applied.status();
  JsonOut o;
  o.BeginObject().Key("deposit");
  WriteDeposit(o, *applied->deposit);
  o.Key("repeat").Bool(applied->repeat).EndObject();
  return o.Take();
}

Result<std::string> MngConfirmDeposit(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string comment = ReadText(p, "comment");
  auto eur_amount = OptDecimal(p, "eur_amount", 2, true);
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  auto dep = FundsTxn(client, c.core.options().policy).ConfirmDeposit(id, comment, eur_amount);
  if (!dep.ok()) return dep.status();
  return DepositJson(**dep);
}

Result<std::string> MngFailDeposit(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string code = p.String("failure_code", 64);
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  auto dep = FundsTxn(client, c.core.options().policy).FailDeposit(id, code, reason);
  if (!dep.ok()) return dep.status();
  return DepositJson(**dep);
}

Result<std::string> MngGetDeposits(Call& c) {
  auto f = ReadMoneyFilter(c.params, ParseDepositStatus, kDepositStatusNames);
  if (!f.ok()) return f.status();
  return PageJson(c.core.kyc().funds().deposits().List(*f),
                  [](JsonOut& o, const Deposit& d) { WriteDeposit(o, d); });
}

Result<std::string> KycGetDeposits(Call& c) {
  auto f = OwnMoneyFilter<DepositStatus>(c);
  if (!f.ok()) return f.status();
  // The client's view: no internal note.
  return PageJson(c.core.kyc().funds().deposits().List(*f),
                  [](JsonOut& o, const Deposit& d) { WriteDeposit(o, d, /*staff=*/false); });
}

}  // namespace kyc::handlers

namespace kyc::handlers {
namespace {

struct Adjustment {
  CustomerKey key;
  std::string currency;
  Decimal amount;
  std::string reason;
};

Result<Adjustment> ReadAdjustment(const Params& params) {
  ParamReader p(params);
  Adjustment a;
  a.key = ReadCustomer(p);
  a.currency = p.String("currency", 16);
  auto amount = OptSignedDecimal(p, "amount", 8);
  a.reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!IsCurrencyCode(a.currency)) {
    return Error(Code::kBadRequest, "field 'currency' must be an ISO 4217 code (got '{}')",
                 a.currency);
  }
  if (!amount || amount->is_zero()) {
    return Status(Code::kBadRequest,
                  "field 'amount' must be a signed decimal other than 0 (credit > 0, debit < 0)");
  }
  a.amount = *amount;
  return a;
}

}  // namespace

Result<std::string> MngAdjustBalance(Call& c) {
  auto a = ReadAdjustment(c.params);
  if (!a.ok()) return a.status();
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  auto entry = FundsTxn(client, c.core.options().policy)
                   .AdjustBalance(a->key.customer_id, a->key.brand, a->currency, a->amount,
                                  a->reason);
  if (!entry.ok()) return entry.status();
  JsonOut o;
  o.BeginObject().Key("entry");
  WriteLedgerEntry(o, **entry);
  o.Key("available").Str(StagedAvailable(c.core.kyc().staged_funds(), a->key.customer_id,
                                         a->key.brand, a->currency)
                             .ToString(2));
  o.EndObject();
  return o.Take();
}

// A correction of a balance always needs a second person (issue 16). Its target is the
// customer, not the balance: deposits may land while the request waits, and the approval
// still applies the same correction (the available check runs again then).
Result<std::optional<ApprovalNeed>> FourEyesMngAdjustBalance(const Call& c) {
  auto a = ReadAdjustment(c.params);
  if (!a.ok()) return a.status();
  // Refused at once for a customer that cannot be corrected, not only at approval.
  auto& clients = c.core.kyc().staged_clients().staged_clients();
  auto r = c.batch ? clients.StagedFind(a->key.customer_id, a->key.brand)
                   : clients.Find(a->key.customer_id, a->key.brand);
  if (Status s = CheckRecordOpen(r.get(), a->key.customer_id, a->key.brand); !s.ok()) return s;
  return std::optional<ApprovalNeed>(ApprovalNeed{
      .summary = fmt::format("adjust the {} balance of customer {} of {} by {}", a->currency,
                             a->key.customer_id, a->key.brand, a->amount.ToString(2)),
      .target = fmt::format("customer {} of {}", a->key.customer_id, a->key.brand),
      .brand = a->key.brand,
      .customer_id = a->key.customer_id,
      .reason = a->reason});
}

}  // namespace kyc::handlers
