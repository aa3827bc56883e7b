// Binds a handler to each row of the command table (protocol/commands.h), in the same
// order; a static_assert keeps the two in step.
#include "handlers/command_table.h"

#include "handlers/handlers.h"

namespace kyc::handlers {
namespace {

// In the handlers' namespace, so each row names its handler unqualified (a using-directive
// would leak into the other files of a unity build).

constexpr HandlerBinding kBindings[] = {
  {"Ping", Ping},
  {"Login", Login},
  {"Auth", Auth},
  {"Logout", Logout},
  {"MngAddKycStepTemplate", MngAddKycStepTemplate},
  {"MngUpdateKycStepTemplate", MngUpdateKycStepTemplate},
  {"MngDeleteKycStepTemplate", MngDeleteKycStepTemplate},
  {"MngGetKycStepTemplates", MngGetKycStepTemplates},
  {"MngGetKycStepTemplate", MngGetKycStepTemplate},
  {"MngGetKycProfile", MngGetKycProfile},
  {"MngGetKycProfiles", MngGetKycProfiles},
  {"MngGetKycReviewQueue", MngGetKycReviewQueue},
  {"MngGetFile", MngGetFile},
  {"MngGetKycStep", MngGetKycStep},
  {"MngRequireKycStep", MngRequireKycStep},
  {"MngSetKycRequiredLevel", MngSetKycRequiredLevel},
  {"MngApproveKycStep", MngApproveKycStep},
  {"MngRejectKycStep", MngRejectKycStep},
  {"MngRequestKycStepRevision", MngRequestKycStepRevision},
  {"MngAddKycDocument", MngAddKycDocument},
  {"MngGetKycDocuments", MngGetKycDocuments},
  {"MngApproveKycDocument", MngApproveKycDocument},
  {"MngRejectKycDocument", MngRejectKycDocument},
  {"MngSetKycRiskLevel", MngSetKycRiskLevel, FourEyesMngSetKycRiskLevel},
  {"MngGetKycAudit", MngGetKycAudit},
  {"MngVerifyAudit", MngVerifyAudit},
  {"MngCheckKycOperation", MngCheckKycOperation},
  {"MngGetKycCustomer", MngGetKycCustomer},
  {"MngCreateClientSession", MngCreateClientSession},
  {"MngAddManager", MngAddManager, PrepareMngAddManager},
  {"MngUpdateManager", MngUpdateManager, PrepareMngUpdateManager, ChangesPassword,
   FourEyesMngUpdateManager},
  {"MngGetManagers", MngGetManagers},
  {"MngAddCustomer", MngAddCustomer},
  {"MngUpdateCustomer", MngUpdateCustomer},
  {"MngGetCustomer", MngGetCustomer},
  {"MngGetCustomers", MngGetCustomers},
  {"MngBlockCustomer", MngBlockCustomer},
  {"MngUnblockCustomer", MngUnblockCustomer, FourEyesMngUnblockCustomer},
  {"MngAddTransaction", MngAddTransaction},
  {"MngGetTransactions", MngGetTransactions},
  {"MngGetCustomerTotals", MngGetCustomerTotals},
  {"MngSetKycTier", MngSetKycTier},
  {"MngGetKycTiers", MngGetKycTiers},
  {"MngAddComplianceRule", MngAddComplianceRule},
  {"MngUpdateComplianceRule", MngUpdateComplianceRule},
  {"MngDeleteComplianceRule", MngDeleteComplianceRule},
  {"MngGetComplianceRules", MngGetComplianceRules},
  {"MngGetDuplicateAlerts", MngGetDuplicateAlerts},
  {"MngResolveDuplicateAlert", MngResolveDuplicateAlert},
  {"MngSetAmlQuestionMap", MngSetAmlQuestionMap},
  {"MngGetAmlQuestionMap", MngGetAmlQuestionMap},
  {"MngSetAmlFlag", MngSetAmlFlag},
  {"MngGetAmlFlags", MngGetAmlFlags},
  {"MngRunAmlChecks", MngRunAmlChecks},
  {"MngTestAmlFlag", MngTestAmlFlag},
  {"MngGetAmlAlerts", MngGetAmlAlerts},
  {"MngGetAmlAlert", MngGetAmlAlert},
  {"MngAssignAmlAlert", MngAssignAmlAlert},
  {"MngResolveAmlAlert", MngResolveAmlAlert},
  {"MngSetAccountStatus", MngSetAccountStatus, FourEyesMngSetAccountStatus},
  {"MngGetAccountStatusHistory", MngGetAccountStatusHistory},
  {"MngSetStatusPermissions", MngSetStatusPermissions},
  {"MngGetStatusPermissions", MngGetStatusPermissions},
  {"MngSetRole", MngSetRole, FourEyesMngSetRole},
  {"MngGetRoles", MngGetRoles},
  {"MngGetApprovalRequests", MngGetApprovalRequests},
  {"MngApproveRequest", MngApproveRequest},
  {"MngRejectRequest", MngRejectRequest},
  {"MngSetPaymentChannel", MngSetPaymentChannel},
  {"MngGetPaymentChannels", MngGetPaymentChannels},
  {"MngGetBalances", MngGetBalances},
  {"MngGetLedger", MngGetLedger},
  {"MngAddDeposit", MngAddDeposit},
  {"PspCallback", handlers::PspCallback},
  {"MngConfirmDeposit", MngConfirmDeposit},
  {"MngFailDeposit", MngFailDeposit},
  {"MngGetDeposits", MngGetDeposits},
  {"MngAddWithdrawal", MngAddWithdrawal},
  {"MngApproveWithdrawal", MngApproveWithdrawal},
  {"MngRejectWithdrawal", MngRejectWithdrawal},
  {"MngMarkWithdrawalPaid", MngMarkWithdrawalPaid},
  {"MngFailWithdrawal", MngFailWithdrawal},
  {"MngGetWithdrawals", MngGetWithdrawals},
  {"KycRequestWithdrawal", KycRequestWithdrawal},
  {"KycGetWithdrawals", KycGetWithdrawals},
  {"KycRequestDeposit", KycRequestDeposit},
  {"KycGetDeposits", KycGetDeposits},
  {"MngAdjustBalance", MngAdjustBalance, FourEyesMngAdjustBalance},
  {"KycAddBankAccount", KycAddBankAccount},
  {"KycGetBankAccounts", KycGetBankAccounts},
  {"MngAddBankAccount", MngAddBankAccount},
  {"MngGetBankAccounts", MngGetBankAccounts},
  {"MngApproveBankAccount", MngApproveBankAccount},
  {"MngRejectBankAccount", MngRejectBankAccount},
  {"MngReconcilePayments", MngReconcilePayments, PrepareMngReconcilePayments},
  {"MngGetReconciliations", MngGetReconciliations},
  {"MngGetReconciliation", MngGetReconciliation},
  {"KycGetProfile", KycGetProfile},
  {"KycSubmitStep", KycSubmitStep},
  {"KycAddDocument", KycAddDocument},
  {"KycGetNotifications", KycGetNotifications},
  {"Subscribe", Subscribe},
  {"Unsubscribe", Unsubscribe},
  {"MngAddWebhook", MngAddWebhook},
  {"MngGetWebhooks", MngGetWebhooks},
  {"MngDeleteWebhook", MngDeleteWebhook},
  {"MngGetWebhookDeliveries", MngGetWebhookDeliveries},
  {"GetOpenApi", GetOpenApi},
  {"GetMetrics", GetMetrics},
  {"Upload", handlers::Upload, PrepareUpload},
};

constexpr bool BindingsMatchTable() {
  if (std::size(kBindings) != std::size(kCommandSpecs)) return false;
  for (size_t i = 0; i < std::size(kBindings); ++i) {
    if (kBindings[i].name != kCommandSpecs[i].name) return false;
    // A command that writes and is slow has its slow part in a prepare stage (before the
    // transaction), and only such a command has one.
    const uint32_t flags = kCommandSpecs[i].flags;
    const bool slow_write = (flags & kWrite) && (flags & kSlow);
    if (slow_write != kBindings[i].has_prepare) return false;
  }
  return true;
}
static_assert(BindingsMatchTable(),
              "kBindings must name every command of kCommandSpecs, in the same order, and "
              "exactly the kWrite | kSlow commands have a prepare stage");

}  // namespace
}  // namespace kyc::handlers

namespace kyc {

const HandlerBinding& BindingOf(const CommandSpec& spec) {
  return handlers::kBindings[IndexOf(spec)];
}

}  // namespace kyc
