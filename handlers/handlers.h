// Every handler, named like its wire command so grep leads from the wire to the code.
#pragma once

#include "handlers/call.h"

namespace kyc::handlers {

// Sessions (session_handlers.cpp)
Result<std::string> Ping(Call& c);
Result<std::string> Login(Call& c);
Result<std::string> Auth(Call& c);
Result<std::string> Logout(Call& c);
Result<std::string> MngCreateClientSession(Call& c);

// Staff accounts (manager_handlers.cpp)
Status PrepareMngAddManager(Call& c);  // checks the params, hashes the password
Result<std::string> MngAddManager(Call& c);
Status PrepareMngUpdateManager(Call& c);  // checks the params, hashes a new password
bool ChangesPassword(const Params& params);  // MngUpdateManager needs its prepare stage
Result<std::string> MngUpdateManager(Call& c);
Result<std::string> MngGetManagers(Call& c);
// A change of roles or session type needs a second person.
Result<std::optional<ApprovalNeed>> FourEyesMngUpdateManager(const Call& c);

// Roles (role_handlers.cpp)
Result<std::string> MngSetRole(Call& c);
Result<std::optional<ApprovalNeed>> FourEyesMngSetRole(const Call& c);  // a held role
Result<std::string> MngGetRoles(Call& c);

// Account lifecycle (account_handlers.cpp)
Result<std::string> MngSetAccountStatus(Call& c);
Result<std::optional<ApprovalNeed>> FourEyesMngSetAccountStatus(const Call& c);  // close, lift
Result<std::string> MngGetAccountStatusHistory(Call& c);
Result<std::string> MngSetStatusPermissions(Call& c);
Result<std::string> MngGetStatusPermissions(Call& c);

// Four eyes (approval_handlers.cpp)
Result<std::string> MngGetApprovalRequests(Call& c);
Result<std::string> MngApproveRequest(Call& c);
Result<std::string> MngRejectRequest(Call& c);

// Step templates (template_handlers.cpp)
Result<std::string> MngAddKycStepTemplate(Call& c);
Result<std::string> MngUpdateKycStepTemplate(Call& c);
Result<std::string> MngDeleteKycStepTemplate(Call& c);
Result<std::string> MngGetKycStepTemplates(Call& c);
Result<std::string> MngGetKycStepTemplate(Call& c);

// Profiles (kyc_profile_handlers.cpp)
Result<std::string> MngGetKycProfile(Call& c);
Result<std::string> MngGetKycProfiles(Call& c);
Result<std::string> MngRequireKycStep(Call& c);
Result<std::string> MngSetKycRequiredLevel(Call& c);
Result<std::string> MngSetKycRiskLevel(Call& c);
Result<std::optional<ApprovalNeed>> FourEyesMngSetKycRiskLevel(const Call& c);  // lowering
Result<std::string> MngGetKycCustomer(Call& c);
Result<std::string> MngCheckKycOperation(Call& c);

// Steps (kyc_step_handlers.cpp)
Result<std::string> MngGetKycStep(Call& c);
Result<std::string> MngApproveKycStep(Call& c);
Result<std::string> MngRejectKycStep(Call& c);
Result<std::string> MngRequestKycStepRevision(Call& c);

// Documents (kyc_document_handlers.cpp)
Result<std::string> MngAddKycDocument(Call& c);
Result<std::string> MngGetKycDocuments(Call& c);
Result<std::string> MngApproveKycDocument(Call& c);
Result<std::string> MngRejectKycDocument(Call& c);

// Audit (audit_handlers.cpp)
Result<std::string> MngGetKycAudit(Call& c);
Result<std::string> MngVerifyAudit(Call& c);

// Client records (customer_handlers.cpp)
Result<std::string> MngAddCustomer(Call& c);
Result<std::string> MngUpdateCustomer(Call& c);
Result<std::string> MngGetCustomer(Call& c);
Result<std::string> MngGetCustomers(Call& c);
Result<std::string> MngBlockCustomer(Call& c);
Result<std::string> MngUnblockCustomer(Call& c);
Result<std::optional<ApprovalNeed>> FourEyesMngUnblockCustomer(const Call& c);

// Transactions and totals (transaction_handlers.cpp)
Result<std::string> MngAddTransaction(Call& c);
Result<std::string> MngGetTransactions(Call& c);
Result<std::string> MngGetCustomerTotals(Call& c);

// Tiers, compliance rules, duplicate alerts (compliance_handlers.cpp)
Result<std::string> MngSetKycTier(Call& c);
Result<std::string> MngGetKycTiers(Call& c);
Result<std::string> MngAddComplianceRule(Call& c);
Result<std::string> MngUpdateComplianceRule(Call& c);
Result<std::string> MngDeleteComplianceRule(Call& c);
Result<std::string> MngGetComplianceRules(Call& c);
Result<std::string> MngGetDuplicateAlerts(Call& c);
Result<std::string> MngResolveDuplicateAlert(Call& c);

// aml_handlers.cpp
Result<std::string> MngSetAmlQuestionMap(Call& c);
Result<std::string> MngGetAmlQuestionMap(Call& c);
Result<std::string> MngSetAmlFlag(Call& c);
Result<std::string> MngGetAmlFlags(Call& c);
Result<std::string> MngRunAmlChecks(Call& c);
Result<std::string> MngTestAmlFlag(Call& c);
Result<std::string> MngGetAmlAlerts(Call& c);
Result<std::string> MngGetAmlAlert(Call& c);
Result<std::string> MngAssignAmlAlert(Call& c);
Result<std::string> MngResolveAmlAlert(Call& c);

// Fund workflows (funds_handlers.cpp)
Result<std::string> MngSetPaymentChannel(Call& c);
Result<std::string> MngGetPaymentChannels(Call& c);
Result<std::string> MngGetBalances(Call& c);
Result<std::string> MngGetLedger(Call& c);
Result<std::string> MngAddDeposit(Call& c);
Result<std::string> PspCallback(Call& c);
Result<std::string> MngConfirmDeposit(Call& c);
Result<std::string> MngFailDeposit(Call& c);
Result<std::string> MngGetDeposits(Call& c);
Result<std::string> KycRequestDeposit(Call& c);
Result<std::string> KycGetDeposits(Call& c);
Result<std::string> MngAddWithdrawal(Call& c);
Result<std::string> MngApproveWithdrawal(Call& c);
Result<std::string> MngRejectWithdrawal(Call& c);
Result<std::string> MngMarkWithdrawalPaid(Call& c);
Result<std::string> MngFailWithdrawal(Call& c);
Result<std::string> MngGetWithdrawals(Call& c);
Result<std::string> KycRequestWithdrawal(Call& c);
Result<std::string> KycGetWithdrawals(Call& c);
Result<std::string> MngAdjustBalance(Call& c);
Result<std::optional<ApprovalNeed>> FourEyesMngAdjustBalance(const Call& c);  // always

// Bank accounts (bank_account_handlers.cpp)
Result<std::string> KycAddBankAccount(Call& c);
Result<std::string> KycGetBankAccounts(Call& c);
Result<std::string> MngAddBankAccount(Call& c);
Result<std::string> MngGetBankAccounts(Call& c);
Result<std::string> MngApproveBankAccount(Call& c);
Result<std::string> MngRejectBankAccount(Call& c);

// Reconciliation (reconciliation_handlers.cpp)
Status PrepareMngReconcilePayments(Call& c);  // reads and compares the statement
Result<std::string> MngReconcilePayments(Call& c);
Result<std::string> MngGetReconciliations(Call& c);
Result<std::string> MngGetReconciliation(Call& c);

// Client commands (client_handlers.cpp)
Result<std::string> KycGetProfile(Call& c);
Result<std::string> KycSubmitStep(Call& c);
Result<std::string> KycAddDocument(Call& c);

// Storage (storage_handlers.cpp)
Status PrepareUpload(Call& c);  // checks the file, writes it durably under storage/
Result<std::string> Upload(Call& c);

// Review queue and files (kyc_step_handlers.cpp, storage_handlers.cpp), issue 18
Result<std::string> MngGetKycReviewQueue(Call& c);
Result<std::string> MngGetFile(Call& c);

// Events (event_handlers.cpp)
Result<std::string> Subscribe(Call& c);
Result<std::string> Unsubscribe(Call& c);
Result<std::string> KycGetNotifications(Call& c);
// A params field that is a list of short strings (nullopt when absent).
std::optional<std::vector<std::string>> ReadStringList(ParamReader& p, std::string_view field);
// forbidden when a pattern covers a topic the session's roles do not open.
Status CheckTopicsAllowed(const Session& session, const std::vector<std::string>& patterns);

// Webhooks (webhook_handlers.cpp)
Result<std::string> MngAddWebhook(Call& c);
Result<std::string> MngGetWebhooks(Call& c);
Result<std::string> MngDeleteWebhook(Call& c);
Result<std::string> MngGetWebhookDeliveries(Call& c);
// "localhost" or a literal IPv4 address that webhooks.deny_private refuses (IsPrivateIpv4).
bool IsPrivateHost(std::string_view host);

// OpenAPI and metrics (api_handlers.cpp)
Result<std::string> GetOpenApi(Call& c);
Result<std::string> GetMetrics(Call& c);

}  // namespace kyc::handlers
