// The command table's metadata: one row per wire command, with no handler in it. TCP
// dispatch, the access checks, the REST router, the request ordering, kycctl --help and the
// command list in docs/PROTOCOL.md all read these rows; handlers/command_table.h binds a
// handler to each (checked at compile time). kycctl and kyc-gen-docs link this alone.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "protocol/permissions.h"
#include "protocol/session_type.h"

namespace kyc {

// What a command does, and so where it runs (handlers/dispatch.h).
enum CommandFlag : uint32_t {
  kRead = 0,                 // reads memory only: runs on the calling I/O thread
  kWrite = 1u << 0,          // changes a base: runs on that base's writer strand, acked after commit
  kSlow = 1u << 1,           // slow work (argon2id, a file written and fsynced) runs on the
                             // blocking pool; with kWrite, before the writer transaction
  kSessionChange = 1u << 2,  // binds or unbinds the TCP connection's session
  kUpload = 1u << 3,         // HTTP only: the body is multipart/form-data with a file
  kCreatesSession = 1u << 4, // mints a session token (the in-memory session store, no base)
  kSigned = 1u << 5,         // HTTP only: the raw body and its X-Signature reach the handler
  kRawBody = 1u << 6,        // HTTP only: the answer is bytes with their own Content-Type
                             // (a stored file, the metrics text), not JSON
  kSubscription = 1u << 7,   // TCP only: changes which events the connection is sent
};

// The base a kWrite command changes; every one names a writer queue of the core (a
// startup check refuses a row whose base has none).
enum class BaseId : uint8_t { kNone, kKyc, kStaff, kStorage };

struct RestRoute {
  std::string_view method;  // empty: no route
  std::string_view path;    // "/manager/kyc/templates/{id}"
};

struct CommandSpec {
  std::string_view name;
  AccessMask access;        // kNoSession: callable without a session
  uint32_t flags;           // CommandFlag bits
  BaseId base;              // the base a kWrite command changes
  // The permission a staff account's roles must grant (kNone: the session type decides).
  Perm permission;
  std::array<RestRoute, 2> routes;
  std::string_view params;  // "{login, password} → session", for the docs and --help
  std::string_view summary;
  // A client session: the operation its account status must permit (client_area for
  // reads, upload_documents for submissions and uploads). kNone for staff-only rows.
  AccountOp client_op = AccountOp::kNone;
};

// clang-format off
inline constexpr CommandSpec kCommandSpecs[] = {
  {"Ping", kNoSession, kRead, BaseId::kNone, Perm::kNone,
   {{{"GET", "/ping"}}}, "{} → {time}", "Liveness check; server time in unix seconds"},
  {"Login", kNoSession, kSlow | kSessionChange, BaseId::kNone, Perm::kNone,
   {{{"POST", "/auth/login"}}}, "{login, password} → {token, session_type, manager_id, expires_at}",
   "Staff login; on TCP the connection is then authenticated"},
  {"Auth", kNoSession, kSessionChange, BaseId::kNone, Perm::kNone,
   {}, "{token} → session, as Login returns", "Attach an existing token to this TCP connection"},
  {"Logout", kStaffOrClient, kSessionChange, BaseId::kNone, Perm::kNone,
   {{{"POST", "/auth/logout"}}}, "{} → {}", "End the session"},
  {"MngAddKycStepTemplate", kStaff, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"POST", "/manager/kyc/templates"}}},
   "{brand, code, name, level?, description?, required?, active?, form_schema?} → Template",
   "Create a KYC step template"},
  {"MngUpdateKycStepTemplate", kStaff, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"PUT", "/manager/kyc/templates/{id}"}, {"PATCH", "/manager/kyc/templates/{id}"}}},
   "{id, …fields} → Template", "Update a KYC step template"},
  {"MngDeleteKycStepTemplate", kStaff, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"DELETE", "/manager/kyc/templates/{id}"}}}, "{id} → {id, deleted:true}",
   "Soft-delete a KYC step template; attached steps are kept"},
  {"MngGetKycStepTemplates", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/templates"}}},
   "{brand?, active?, level?, offset?, limit?} → {items:[Template], total}",
   "List KYC step templates"},
  {"MngGetKycStepTemplate", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/templates/{id}"}}}, "{id} → Template", "Get one KYC step template"},
  {"MngGetKycProfile", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/profiles/{id}"}}}, "{id} | {customer_id, brand} → Profile",
   "Get a KYC profile with its steps and documents"},
  {"MngGetKycProfiles", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/profiles"}}},
   "{brand?, status?, risk_level?, customer_id?, offset?, limit?} → {items, total}",
   "List KYC profiles (without steps and documents)"},
  {"MngGetKycReviewQueue", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/review-queue"}}},
   "{brand?, level?, code?, offset?, limit?} → {items:[{step_id, profile_id, customer_id, brand, "
   "code, name, level, status, submitted_at, revision_count}], total}",
   "Steps waiting for review (pending), oldest submission first"},
  {"MngGetFile", kStaff, kSlow | kRawBody, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/files/{file_id}"}}},
   "{file_id} → the file's bytes (Content-Type of its checked type; HTTP only)",
   "Download a stored file (a document's image or PDF) for review"},
  {"MngGetKycStep", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/steps/{id}"}}}, "{id} → Step + {documents, history}",
   "Get one KYC step with its documents and its submission/decision history"},
  {"MngRequireKycStep", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/steps/require"}}},
   "{customer_id, brand, template_id | code, comment?} → {profile_id, step, created}",
   "Attach a required step to a customer profile (created on demand)"},
  {"MngSetKycRequiredLevel", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/required-level"}}},
   "{customer_id, brand, level} → {profile, attached:[step ids]}",
   "Raise the required KYC level; attaches the brand's required templates up to it"},
  {"MngApproveKycStep", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/steps/{id}/approve"}}}, "{id, comment?} → Step",
   "Approve a pending (or required) step"},
  {"MngRejectKycStep", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/steps/{id}/reject"}}}, "{id, reason} → Step",
   "Reject a pending step (final)"},
  {"MngRequestKycStepRevision", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/steps/{id}/revision"}}}, "{id, comment} → Step",
   "Send a pending step back to required with a comment; revision_count + 1"},
  {"MngAddKycDocument", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/documents"}}},
   "{file_id, doc_type, profile_id | (customer_id, brand), step_id?, doc_number?, "
   "issuing_country?, expires_at?} "
   "→ Document",
   "Attach a stored file to a KYC profile"},
  {"MngGetKycDocuments", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/documents"}}},
   "{profile_id?, customer_id?, step_id?, status?, expires_before?, offset?, limit?} → "
   "{items, total}",
   "List KYC documents"},
  {"MngApproveKycDocument", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/documents/{id}/approve"}}}, "{id, comment?} → Document",
   "Approve a document"},
  {"MngRejectKycDocument", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/kyc/documents/{id}/reject"}}}, "{id, reason} → Document",
   "Reject a document, or revoke an approved one (fraud found later)"},
  {"MngSetKycRiskLevel", kStaff, kWrite, BaseId::kKyc, Perm::kRiskSet,
   {{{"POST", "/manager/kyc/profiles/{id}/risk"}}}, "{id, risk_level, reason} → Profile | {pending_approval:true, "
   "request}",
   "Set a profile's risk level (lowering it: four eyes)"},
  {"MngGetKycAudit", kStaff, kRead, BaseId::kNone, Perm::kAuditRead,
   {{{"GET", "/manager/kyc/audit"}}},
   "{customer_id?, entity?, entity_id?, action?, from?, to?, after_id?, limit?} → "
   "{items, last_id}",
   "Read KYC audit rows, ascending by id"},
  {"MngVerifyAudit", kStaff, kSlow, BaseId::kNone, Perm::kAuditRead,
   {{{"GET", "/manager/audit/verify"}}},
   "{from_id?, to_id?, base? (kyc|managers; both when left out)} → {ok, checked, "
   "first_broken_id?, base?}",
   "Recompute the audit trail's hash chain and name the first row changed by hand"},
  {"MngCheckKycOperation", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"POST", "/manager/kyc/check"}}},
   "{customer_id, brand, operation, amount?} → {allowed, reason, required_level, "
   "missing_fields, …}",
   "May this customer open_real_account, deposit, withdrawal, exchange, trade, use the "
   "client area, upload documents, open or close a position (this EUR amount)? Weighs "
   "blocking, account status, KYC, tier limits, compliance rules"},
  {"MngGetKycCustomer", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/customer"}}},
   "{customer_id, brand} → {customer_id, brand, kyc_status, kyc_level, kyc_risk_level, …}",
   "The customer's KYC aggregate fields"},
  {"MngCreateClientSession", kStaff, kCreatesSession, BaseId::kNone, Perm::kClientSessions,
   {{{"POST", "/manager/sessions/client"}}}, "{customer_id, brand, ttl?} → {token, expires_at}",
   "Mint a SESSION_CLIENT token bound to (customer_id, brand)"},
  {"MngAddManager", kAdminOnly, kWrite | kSlow, BaseId::kStaff, Perm::kStaffManage,
   {{{"POST", "/manager/managers"}}}, "{login, password, session_type, name?, disabled?, roles?} → Manager",
   "Create a staff account"},
  {"MngUpdateManager", kAdminOnly, kWrite | kSlow, BaseId::kStaff, Perm::kStaffManage,
   {{{"PATCH", "/manager/managers/{id}"}, {"PUT", "/manager/managers/{id}"}}},
   "{id, password?, session_type?, name?, disabled?, roles?} → Manager | "
   "{pending_approval:true, request}",
   "Change a staff account: disable, password, type, name or roles (type and roles: four "
   "eyes)"},
  {"MngGetManagers", kAdminOnly, kRead, BaseId::kNone, Perm::kStaffManage,
   {{{"GET", "/manager/managers"}}}, "{offset?, limit?} → {items:[Manager], total}",
   "List staff accounts"},
  {"MngAddCustomer", kStaff, kWrite, BaseId::kKyc, Perm::kCustomersWrite,
   {{{"POST", "/manager/customers"}}}, "{customer_id, brand, …fields} → Customer",
   "Create a client record (conflict if (customer_id, brand) exists)"},
  {"MngUpdateCustomer", kStaff, kWrite, BaseId::kKyc, Perm::kCustomersWrite,
   {{{"PATCH", "/manager/customers/{brand}/{customer_id}"},
     {"PUT", "/manager/customers/{brand}/{customer_id}"}}},
   "{customer_id, brand, …fields} → Customer",
   "Change a client record: partial, null clears a field; audited before/after"},
  {"MngGetCustomer", kStaff, kRead, BaseId::kNone, Perm::kCustomersRead,
   {{{"GET", "/manager/customers/{brand}/{customer_id}"},
     {"GET", "/manager/customers/uuid/{uuid}"}}},
   "{customer_id, brand} | {uuid} → Customer", "Get a client record"},
  {"MngGetCustomers", kStaff, kRead, BaseId::kNone, Perm::kCustomersRead,
   {{{"GET", "/manager/customers"}}},
   "{query?, type?, brand?, blocked?, account_status?, offset?, limit?} → {items:[Customer], "
   "total}",
   "Search client records: name prefix, document number, e-mail or customer_id in one query"},
  {"MngBlockCustomer", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kCustomersBlock,
   {{{"POST", "/manager/customers/{brand}/{customer_id}/block"}}},
   "{customer_id, brand, reason} → Customer",
   "Block a customer: no new transaction, operations refused with the reason"},
  {"MngUnblockCustomer", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kCustomersBlock,
   {{{"POST", "/manager/customers/{brand}/{customer_id}/unblock"}}},
   "{customer_id, brand, reason} → Customer | {pending_approval:true, request}",
   "Lift a customer's block (four eyes)"},
  {"MngAddTransaction", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/customers/{brand}/{customer_id}/transactions"}}},
   "{customer_id, brand, type, amount, currency, eur_amount, external_id, at?} → "
   "{transaction, lifetime, daily, duplicate}",
   "Record a deposit, withdrawal or exchange with its totals; idempotent on (brand, "
   "external_id)"},
  {"MngGetTransactions", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/customers/{brand}/{customer_id}/transactions"}}},
   "{customer_id, brand, from?, to?, type?, offset?, limit?} → {items, total}",
   "A customer's transactions, newest first"},
  {"MngGetCustomerTotals", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/customers/{brand}/{customer_id}/totals"}}},
   "{customer_id, brand, from_day?, to_day?} → {lifetime, daily:[{day, eur_volume, count, …}]}",
   "A customer's lifetime and daily EUR totals"},
  {"MngSetKycTier", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"PUT", "/manager/kyc/tiers/{brand}/{level}"}, {"POST", "/manager/kyc/tiers"}}},
   "{brand, level, name, max_single_eur?, max_daily_eur?, max_lifetime_eur?, max_loan?} → Tier",
   "Set a KYC level's limits and max_loan for a brand"},
  {"MngGetKycTiers", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/kyc/tiers/{brand}"}, {"GET", "/manager/kyc/tiers"}}},
   "{brand} → {items:[Tier], total}", "A brand's KYC tiers, by level"},
  {"MngAddComplianceRule", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"POST", "/manager/compliance/rules"}}},
   "{brand, name, operation, scope, threshold_eur, when?, effect, fields?, level?} → Rule",
   "Add a compliance rule (require_fields, require_level or deny above a threshold)"},
  {"MngUpdateComplianceRule", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"PATCH", "/manager/compliance/rules/{id}"}, {"PUT", "/manager/compliance/rules/{id}"}}},
   "{id, …fields} → Rule", "Change a compliance rule"},
  {"MngDeleteComplianceRule", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"DELETE", "/manager/compliance/rules/{id}"}}}, "{id} → {id, deleted:true}",
   "Delete a compliance rule (kept in the audit trail)"},
  {"MngGetComplianceRules", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/compliance/rules"}}}, "{brand} → {items:[Rule], total}",
   "A brand's compliance rules"},
  {"MngGetDuplicateAlerts", kStaff, kRead, BaseId::kNone, Perm::kKycRead,
   {{{"GET", "/manager/duplicates"}}},
   "{status?, customer_id?, offset?, limit?} → {items:[Alert], total}",
   "Duplicate-identity alerts, newest first"},
  {"MngResolveDuplicateAlert", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/duplicates/{id}/resolve"}}}, "{id, reason} → Alert",
   "Resolve a duplicate alert; both profiles are recalculated"},
  {"MngSetAmlQuestionMap", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"PUT", "/manager/aml/question-map/{brand}"}}},
   "{brand, map:{question: answer_name | null}} → {brand, map}",
   "Map the AML questions to the answer names a brand uses (null: the default)"},
  {"MngGetAmlQuestionMap", kStaff, kRead, BaseId::kNone, Perm::kAmlRead,
   {{{"GET", "/manager/aml/question-map/{brand}"}}}, "{brand} → {brand, map}",
   "A brand's AML question map, defaults filled in"},
  {"MngSetAmlFlag", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kKycConfig,
   {{{"PUT", "/manager/aml/flags/{brand}/{flag}"}}},
   "{brand, flag, enabled, params?:{x?, percent?, months?}, customer_types?, realtime?} → Flag",
   "Subscribe a brand to an AML flag (1.1–4.2) with its thresholds, or unsubscribe"},
  {"MngGetAmlFlags", kStaff, kRead, BaseId::kNone, Perm::kAmlRead,
   {{{"GET", "/manager/aml/flags/{brand}"}}}, "{brand} → {brand, items:[Flag], total}",
   "All thirteen AML flags with a brand's subscription to each"},
  {"MngRunAmlChecks", kAdminOrManager, kSlow, BaseId::kNone, Perm::kAmlReview,
   {{{"POST", "/manager/aml/runs"}}},
   "{date, brand?} → {date, customers_checked, alerts_created, alerts_updated, skipped, "
   "elapsed_ms}",
   "Run now the AML checks due on a date (idempotent: no alert twice)"},
  {"MngTestAmlFlag", kAdminOrManager, kSlow, BaseId::kNone, Perm::kAmlReview,
   {{{"POST", "/manager/aml/flags/{brand}/{flag}/test"}}},
   "{brand, flag, params, date, customer_types?} → {hits:[{customer_id, explanation, "
   "evidence}], customers_checked, skipped}",
   "Dry run of one AML flag with given thresholds as of a date; stores nothing"},
  {"MngGetAmlAlerts", kStaff, kRead, BaseId::kNone, Perm::kAmlRead,
   {{{"GET", "/manager/aml/alerts"}}},
   "{brand?, status?, flag?, customer_id?, offset?, limit?} → {items:[AmlAlert], total}",
   "AML alerts, newest first"},
  {"MngGetAmlAlert", kStaff, kRead, BaseId::kNone, Perm::kAmlRead,
   {{{"GET", "/manager/aml/alerts/{id}"}}}, "{id} → AmlAlert",
   "One AML alert with its explanation and evidence"},
  {"MngAssignAmlAlert", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kAmlReview,
   {{{"POST", "/manager/aml/alerts/{id}/assign"}}}, "{id, manager_id} → AmlAlert",
   "Assign an open AML alert to a staff member"},
  {"MngResolveAmlAlert", kAdminOrManager, kWrite, BaseId::kKyc, Perm::kAmlReview,
   {{{"POST", "/manager/aml/alerts/{id}/resolve"}}},
   "{id, resolution (false_positive|accepted_risk|escalated|reported), reason} → AmlAlert",
   "Close an AML alert; escalated or reported raise the profile's risk level to high"},
  {"MngSetAccountStatus", kStaff, kWrite, BaseId::kKyc, Perm::kAccountsStatus,
   {{{"POST", "/manager/customers/{brand}/{customer_id}/status"}}},
   "{customer_id, brand, status (restricted|closed|active), reason} → Customer | "
   "{pending_approval:true, request}",
   "Restrict or close an account, or lift a restriction (active); closing and lifting need a "
   "second person"},
  {"MngGetAccountStatusHistory", kStaff, kRead, BaseId::kNone, Perm::kCustomersRead,
   {{{"GET", "/manager/customers/{brand}/{customer_id}/status-history"}}},
   "{customer_id, brand} → {account_status, account_status_reason, items:[{status, previous, "
   "reason, source, actor_type, actor_id, approved_by, at}]}",
   "An account's status and every change of it, oldest first"},
  {"MngSetStatusPermissions", kStaff, kWrite, BaseId::kKyc, Perm::kConfigWrite,
   {{{"PUT", "/manager/accounts/status-permissions/{brand}/{status}"}}},
   "{brand, status, operations:[client_area|upload_documents|deposit|withdrawal|"
   "open_position|close_position]} → {brand, items}",
   "What customers in an account status may do, per brand"},
  {"MngGetStatusPermissions", kStaff, kRead, BaseId::kNone, Perm::kCustomersRead,
   {{{"GET", "/manager/accounts/status-permissions/{brand}"}}},
   "{brand} → {brand, items:[{status, operations, default}]}",
   "A brand's permissions for each of the six account statuses (defaults filled in)"},
  {"MngSetRole", kAdminOnly, kWrite, BaseId::kStaff, Perm::kStaffManage,
   {{{"PUT", "/manager/roles/{name}"}}}, "{name, permissions:[…]} → Role | {pending_approval:true, request}",
   "Create or change a custom staff role (a held one: four eyes); its holders' sessions end"},
  {"MngGetRoles", kAdminOnly, kRead, BaseId::kNone, Perm::kStaffManage,
   {{{"GET", "/manager/roles"}}}, "{} → {items:[Role], permissions:[…], total}",
   "The built-in and custom roles with their permissions"},
  {"MngGetApprovalRequests", kStaff, kRead, BaseId::kNone, Perm::kApprovals,
   {{{"GET", "/manager/approvals"}}},
   "{status?, command?, offset?, limit?} → {items:[ApprovalRequest], total}",
   "Four-eyes approval requests, newest first"},
  {"MngApproveRequest", kStaff, kSlow, BaseId::kNone, Perm::kApprovals,
   {{{"POST", "/manager/approvals/{id}/approve"}}},
   "{id, comment?} → {request, result}",
   "Approve another staff member's request: its command runs as theirs, with you recorded"},
  {"MngRejectRequest", kStaff, kWrite, BaseId::kKyc, Perm::kApprovals,
   {{{"POST", "/manager/approvals/{id}/reject"}}}, "{id, reason} → ApprovalRequest",
   "Reject a pending approval request; nothing runs"},
  {"MngSetPaymentChannel", kStaff, kWrite, BaseId::kKyc, Perm::kConfigWrite,
   {{{"PUT", "/manager/payment-channels/{code}"}}},
   "{brand, code, name, kind (card|bank_transfer|ewallet|crypto), currencies, min_amount, "
   "max_amount, deposits?, withdrawals?, requires_bank_account?, approval?:{auto_below_eur?, "
   "one_approver_below_eur?}, callback_secret} → Channel",
   "Create or change a payment channel (its code unique across brands; the secret is never "
   "sent back)"},
  {"MngGetPaymentChannels", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/payment-channels"}}}, "{brand} → {brand, items:[Channel], total}",
   "A brand's payment channels"},
  {"MngGetBalances", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/customers/{brand}/{customer_id}/balances"}}},
   "{customer_id, brand} → {customer_id, brand, items:[{currency, balance, held, available}]}",
   "A customer's balances: the sum of the ledger, what holds reserve, what is available"},
  {"MngGetLedger", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/customers/{brand}/{customer_id}/ledger"}}},
   "{customer_id, brand, currency?, from?, to?, offset?, limit?} → {items:[Entry], total}",
   "A customer's ledger entries, newest first"},
  {"MngAddDeposit", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/deposits"}}},
   "{customer_id, brand, channel, amount, currency, eur_amount?} → Deposit",
   "Open a deposit for a customer (refused with the reason: channel, currency, limits, "
   "account status, KYC)"},
  {"PspCallback", kNoSession, kWrite | kSigned, BaseId::kKyc, Perm::kNone,
   {{{"POST", "/psp/{channel}/callback"}}},
   "header X-Signature: hex(HMAC-SHA256(callback_secret, body)); {deposit_id, psp_order_id, "
   "status (pending|succeeded|failed), amount, currency, payer_name, failure_code?} → "
   "{deposit, repeat}",
   "A payment provider reports a deposit (HTTP only; a bad signature is 401, a repeat changes "
   "nothing)"},
  {"MngConfirmDeposit", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/deposits/{id}/confirm"}}}, "{id, comment} → Deposit",
   "Credit a deposit held in review (payer or amount did not match)"},
  {"MngFailDeposit", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/deposits/{id}/fail"}}}, "{id, failure_code, reason} → Deposit",
   "Fail a deposit that is not final"},
  {"MngGetDeposits", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/deposits"}}},
   "{brand?, status?, channel?, customer_id?, from?, to?, offset?, limit?} → {items:[Deposit], "
   "total}",
   "Deposits, newest first"},
  {"MngAddWithdrawal", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/withdrawals"}}},
   "{customer_id, brand, channel, amount, currency, eur_amount?, bank_account_id?} → "
   "{withdrawal, approval_level}",
   "Ask a withdrawal for a customer: checked, held, given an approval level 0–2"},
  {"MngApproveWithdrawal", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/withdrawals/{id}/approve"}}}, "{id} → Withdrawal",
   "Approve a withdrawal (not one's own, not twice; level 2 needs two people)"},
  {"MngRejectWithdrawal", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/withdrawals/{id}/reject"}}}, "{id, reason} → Withdrawal",
   "Reject a withdrawal; its hold is released"},
  {"MngMarkWithdrawalPaid", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/withdrawals/{id}/paid"}}}, "{id, voucher} → Withdrawal",
   "Record an approved withdrawal paid: the ledger debited, the transaction recorded"},
  {"MngFailWithdrawal", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/withdrawals/{id}/fail"}}}, "{id, failure_code} → Withdrawal",
   "A withdrawal that could not be paid; its hold is released"},
  {"MngGetWithdrawals", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/withdrawals"}}},
   "{brand?, status?, channel?, customer_id?, from?, to?, offset?, limit?} → "
   "{items:[Withdrawal], total}",
   "Withdrawals, newest first"},
  {"KycRequestWithdrawal", kClient, kWrite, BaseId::kKyc, Perm::kNone,
   {{{"POST", "/client/withdrawals"}}},
   "{channel, amount, currency (EUR), bank_account_id?} → {withdrawal, approval_level}",
   "The client asks to withdraw (refused with the reason)", AccountOp::kWithdrawal},
  {"KycGetWithdrawals", kClient, kRead, BaseId::kNone, Perm::kNone,
   {{{"GET", "/client/withdrawals"}}}, "{offset?, limit?} → {items:[Withdrawal], total}",
   "The client's own withdrawals, newest first", AccountOp::kClientArea},
  {"KycRequestDeposit", kClient, kWrite, BaseId::kKyc, Perm::kNone,
   {{{"POST", "/client/deposits"}}}, "{channel, amount, currency (EUR)} → Deposit",
   "The client asks to deposit (refused with the reason)", AccountOp::kDeposit},
  {"KycGetDeposits", kClient, kRead, BaseId::kNone, Perm::kNone,
   {{{"GET", "/client/deposits"}}}, "{offset?, limit?} → {items:[Deposit], total}",
   "The client's own deposits, newest first (failure codes included)", AccountOp::kClientArea},
  {"MngAdjustBalance", kStaff, kWrite, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/customers/{brand}/{customer_id}/adjustments"}}},
   "{customer_id, brand, currency, amount (signed), reason} → {pending_approval, request}; "
   "on approval {entry, available}",
   "Correct a balance with a ledger entry; always needs a second person's approval"},
  {"KycAddBankAccount", kClient, kWrite, BaseId::kKyc, Perm::kNone,
   {{{"POST", "/client/bank-accounts"}}},
   "{bank_name, account_name, account_number, photo_file_id} → BankAccount {id, status, "
   "name_match, …}",
   "The client adds a bank account for payouts (pending until staff verify it)",
   AccountOp::kClientArea},
  {"KycGetBankAccounts", kClient, kRead, BaseId::kNone, Perm::kNone,
   {{{"GET", "/client/bank-accounts"}}}, "{offset?, limit?} → {items:[BankAccount], total}",
   "The client's own bank accounts, newest first", AccountOp::kClientArea},
  {"MngAddBankAccount", kStaff, kWrite, BaseId::kKyc, Perm::kCustomersWrite,
   {{{"POST", "/manager/bank-accounts"}}},
   "{customer_id, brand, bank_name, account_name, account_number, photo_file_id} → BankAccount",
   "Add a bank account for a customer (pending until another person verifies it)"},
  {"MngGetBankAccounts", kStaff, kRead, BaseId::kNone, Perm::kCustomersRead,
   {{{"GET", "/manager/bank-accounts"}}},
   "{brand?, status? (pending|verified|rejected), customer_id?, from?, to?, offset?, limit?} → "
   "{items:[BankAccount], total}",
   "Bank accounts, newest first: the verification queue with status=pending"},
  {"MngApproveBankAccount", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/bank-accounts/{id}/approve"}}},
   "{id, comment? (required when the name does not match)} → BankAccount",
   "Verify a pending bank account (not one you added)"},
  {"MngRejectBankAccount", kStaff, kWrite, BaseId::kKyc, Perm::kKycReview,
   {{{"POST", "/manager/bank-accounts/{id}/reject"}}}, "{id, reason} → BankAccount",
   "Reject a pending or verified bank account, with the reason"},
  {"MngReconcilePayments", kStaff, kWrite | kSlow, BaseId::kKyc, Perm::kFundsWrite,
   {{{"POST", "/manager/reconciliations"}}},
   "{brand, channel, statement (CSV text, or an uploaded .csv file's id; columns psp_order_id, "
   "amount, currency, status, date), from?, to?} → Reconciliation {id, period, rows, counts, "
   "matched, missing_in_back_office, missing_in_statement, amount_mismatch, status_mismatch}",
   "Reconcile a provider's statement with the channel's deposits and paid withdrawals; stored"},
  {"MngGetReconciliations", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/reconciliations"}}},
   "{brand?, channel?, offset?, limit?} → {items:[Reconciliation without lists], total}",
   "Stored reconciliations, newest first"},
  {"MngGetReconciliation", kStaff, kRead, BaseId::kNone, Perm::kFundsRead,
   {{{"GET", "/manager/reconciliations/{id}"}}}, "{id} → Reconciliation",
   "One stored reconciliation with its rows named"},
  {"KycGetProfile", kClient, kRead, BaseId::kNone, Perm::kNone,
   {{{"GET", "/client/kyc/profile"}}}, "{} → own Profile", "The client's own KYC profile", AccountOp::kClientArea},
  {"KycSubmitStep", kClient, kWrite, BaseId::kKyc, Perm::kNone,
   {{{"POST", "/client/kyc/steps/{id}/submit"}}}, "{id, answers} → Step",
   "Submit answers for a required step (validated against its form_schema)", AccountOp::kUploadDocuments},
  {"KycAddDocument", kClient, kWrite, BaseId::kKyc, Perm::kNone,
   {{{"POST", "/client/kyc/documents"}}},
   "{file_id, doc_type, step_id?, doc_number?, issuing_country?, expires_at?} → Document",
   "Attach one of the client's uploaded files to its profile", AccountOp::kUploadDocuments},
  {"KycGetNotifications", kClient, kRead, BaseId::kNone, Perm::kNone,
   {{{"GET", "/client/notifications"}}},
   "{after_id?, limit?} → {items:[{id, event_id, kind, step_id, code, comment, at, message}], "
   "last_id}",
   "The client's notifications: each revision request and decision on its steps, oldest first",
   AccountOp::kClientArea},
  {"Subscribe", kStaff, kSubscription, BaseId::kNone, Perm::kNone,
   {}, "{topics:[topic | prefix.*], brands?:[brand]} → {topics, brands}",
   "Receive event frames (kind 2) for these topics on this TCP connection (TCP only)"},
  {"Unsubscribe", kStaff, kSubscription, BaseId::kNone, Perm::kNone,
   {}, "{topics?} → {topics}", "Stop events: these topics, or all when left out (TCP only)"},
  {"MngAddWebhook", kStaff, kWrite, BaseId::kKyc, Perm::kWebhooks,
   {{{"POST", "/manager/webhooks"}}},
   "{url, events:[topic | prefix.*], secret, brands?:[brand]} → Webhook",
   "Register an HTTP endpoint for events: signed POSTs, retried until 2xx"},
  {"MngGetWebhooks", kStaff, kRead, BaseId::kNone, Perm::kWebhooks,
   {{{"GET", "/manager/webhooks"}}}, "{} → {items:[Webhook], total}",
   "Registered webhooks (their secrets are never sent back)"},
  {"MngDeleteWebhook", kStaff, kWrite, BaseId::kKyc, Perm::kWebhooks,
   {{{"DELETE", "/manager/webhooks/{id}"}}}, "{id} → {id, deleted:true}",
   "Stop a webhook; deliveries not yet made are dropped"},
  {"MngGetWebhookDeliveries", kStaff, kRead, BaseId::kNone, Perm::kWebhooks,
   {{{"GET", "/manager/webhooks/{webhook_id}/deliveries"}}},
   "{webhook_id, status? (pending|retrying|delivered), after_id?, limit?} → {items:[Delivery], "
   "total}",
   "A webhook's deliveries: each event, its attempts and its last answer"},
  {"GetOpenApi", kNoSession, kRead, BaseId::kNone, Perm::kNone,
   {{{"GET", "/openapi.json"}}}, "{} → OpenAPI 3.1 document",
   "This API described for integrators, generated from the command table"},
  {"GetMetrics", kStaff, kRawBody, BaseId::kNone, Perm::kMetricsRead,
   {{{"GET", "/metrics"}}}, "{} → Prometheus text format (HTTP only)",
   "Counters, gauges and latency histograms for Prometheus"},
  {"Upload", kStaffOrClient, kWrite | kSlow | kUpload, BaseId::kStorage, Perm::kKycReview,
   {{{"POST", "/upload"}}},
   "multipart/form-data field `file` → {file_id, file_name, content_type, file_size, checksum}",
   "Store a file (pdf, png, jpg/jpeg; HTTP only)", AccountOp::kUploadDocuments},
};
// clang-format on

inline constexpr std::span<const CommandSpec> Commands() { return kCommandSpecs; }
// The row's position in Commands().
inline size_t IndexOf(const CommandSpec& spec) { return static_cast<size_t>(&spec - kCommandSpecs); }

// nullptr for an unknown name. The one lookup by name of a request.
const CommandSpec* FindCommand(std::string_view name);

// How a connection orders a pipelined request behind earlier ones that are still running:
// reads wait for earlier writes (a client reads its own writes), writes to one base
// pipeline freely (the base's queue keeps their order), and a session change or a write
// with a prepare stage (kWrite | kSlow: it reaches its queue late) waits for everything
// before it and holds back everything after it.
enum class Ordering : uint8_t { kRead, kWrite, kBarrier };
struct OrderKey {
  Ordering ordering = Ordering::kRead;
  BaseId base = BaseId::kNone;
};
// An unknown command (nullptr) orders as a read: it is answered at once.
OrderKey OrderingOf(const CommandSpec* spec);
// Reads run on the calling thread; writes go to their base's strand, slow work to a pool.
inline bool RunsInline(const CommandSpec& spec) { return !(spec.flags & (kWrite | kSlow)); }

// "`kyc.review`; client: `upload_documents`", or "—": what a row needs beyond the
// session type (the docs, kycctl --help).
std::string PermissionLabel(const CommandSpec& c);

// The command list as a Markdown table (docs/PROTOCOL.md embeds it verbatim).
std::string CommandListMarkdown();

}  // namespace kyc
