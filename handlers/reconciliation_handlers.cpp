// Payment reconciliation (issue 16): a provider's statement set against the back office's
// deposits and paid withdrawals of one channel. The statement is read, parsed and compared
// in the prepare stage, on the blocking pool against committed memory; the writer only
// stores the result and its audit row.
#include <cctype>
#include <fstream>
#include <shared_mutex>
#include <sstream>

#include "funds/reconciliation.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {

// An uploaded file's id (a UUID) rather than CSV text, which always has a comma.
bool LooksLikeFileId(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? ch != '-' : !std::isxdigit(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

Result<std::string> StatementText(Call& c, std::string text) {
  if (!LooksLikeFileId(text)) return text;
  auto file = c.core.storage().files().FindFileId(text);
  if (!file) return Error(Code::kNotFound, "field 'statement': file '{}' not found", text);
  if (file->owner_type != kOwnerStaff) {
    return Error(Code::kForbidden, "field 'statement': file '{}' was not uploaded by staff", text);
  }
  if (file->ext != "csv") {
    return Error(Code::kBadRequest,
                 "field 'statement': file '{}' is {}, not a CSV statement (upload a .csv file)",
                 text, file->ext);
  }
  std::ifstream in(c.core.file_store().PathOf(file->file_id, file->ext), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Error(Code::kUnavailable, "field 'statement': file '{}' could not be read", text);
  return bytes.str();
}

}  // namespace

Status PrepareMngReconcilePayments(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  std::string code = p.String("channel", 64);
  std::string statement = p.String("statement", kMaxStatementBytes);
  auto from = p.OptInt("from");
  auto to = p.OptInt("to");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (from && to && *from > *to) return Status(Code::kBadRequest, "field 'from' is after 'to'");
  auto channel = c.core.kyc().funds().channels().FindCode(code);
  if (!channel || channel->brand != brand) {
    return Error(Code::kNotFound, "payment channel '{}' of brand '{}' not found", code, brand);
  }
  auto text = StatementText(c, std::move(statement));
  if (!text.ok()) return text.status();
  auto rows = ParseStatement(*text);
  if (!rows.ok()) return rows.status();
  // The channel's payments, at one commit.
  std::vector<std::shared_ptr<const Deposit>> deposits;
  std::vector<std::shared_ptr<const Withdrawal>> withdrawals;
  {
    const FundsStore& funds = c.core.kyc().funds();
    std::shared_lock snapshot(c.core.kyc().snapshot_mutex());
    funds.deposits().Scan([&](const auto& d) {
      if (d->channel == code) deposits.push_back(d);
      return true;
    });
    funds.withdrawals().Scan([&](const auto& w) {
      if (w->channel == code) withdrawals.push_back(w);
      return true;
    });
  }
  std::vector<const Deposit*> dp;
  std::vector<const Withdrawal*> wp;
  for (const auto& d : deposits) dp.push_back(d.get());
  for (const auto& w : withdrawals) wp.push_back(w.get());
  auto r = std::make_shared<Reconciliation>();
  r->brand = brand;
  r->channel = code;
  Reconcile(*rows, BackOfficeOf(dp, wp), from, to, *r);
  c.prepared.reconciliation = std::move(r);
  return Status::Ok();
}

Result<std::string> MngReconcilePayments(Call& c) {
  if (!c.prepared.reconciliation) {  // a prepared command is never run without its stage
    return Status(Code::kInternal, "MngReconcilePayments ran without its prepare stage");
  }
  KycTxn kyc = KycTxnOf(c);
  FundsStore& funds = c.core.kyc().staged_funds();
  auto r = std::make_shared<Reconciliation>(*c.prepared.reconciliation);
  r->id = funds.staged_reconciliations().StagedNextId();
  r->created_by = c.session->manager_id;
  r->created_at = c.now;
  JsonOut summary;
  WriteReconciliation(summary, *r, false);
  AuditRow row = kyc.AuditOf("reconciliation.create", "reconciliation", r->id, 0, r->brand, "",
                             summary.Take(), "");
  JsonOut o;
  WriteReconciliation(o, *r, true);
  if (Status s = funds.Put(kyc.batch(), std::move(r)); !s.ok()) return s;
  if (Status s = c.core.kyc().AppendAudit(kyc.batch(), std::move(row)); !s.ok()) return s;
  return o.Take();
}

Result<std::string> MngGetReconciliations(Call& c) {
  ParamReader p(c.params);
  ReconciliationFilter f;
  f.brand = p.OptString("brand", 64);
  f.channel = p.OptString("channel", 64);
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  auto result = c.core.kyc().funds().reconciliations().List(f);
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  for (const auto& r : result.items) WriteReconciliation(o, *r, false);
  o.EndArray().Key("total").Int(result.total).EndObject();
  return o.Take();
}

Result<std::string> MngGetReconciliation(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto r = c.core.kyc().funds().reconciliations().Get(id);
  if (!r) return Error(Code::kNotFound, "reconciliation {} not found", id);
  JsonOut o;
  WriteReconciliation(o, *r, true);
  return o.Take();
}

}  // namespace kyc::handlers
