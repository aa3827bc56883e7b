// The KYC rules of PROTOCOL.md §3–§4, as pure functions: profile status and level,
// step and document state transitions, and answer validation against a form schema.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "kyc/profiles.h"
#include "protocol/status.h"

namespace kyc {

// The profile status, checked in the order §3 gives:
// no steps → none; an active step or its document expired → expired; an approved step
// with a rejected, deleted or expired document → review_required; a rejected step with no
// active step of the same code → rejected; a pending step → pending; a required step →
// draft; otherwise approved. An expired step counts only while no active step of the
// same code replaces it (a re-required step starts afresh). Documents without a step do
// not affect the status.
ProfileStatus ComputeProfileStatus(std::span<const Step* const> steps,
                                   std::span<const Document* const> docs);

// The highest level L such that every current, non-skipped step with level ≤ L is
// approved; 0 when there is none. "Current" leaves out rejected or expired steps whose
// code has an active step again.
int64_t ComputeLevel(std::span<const Step* const> steps);

enum class StepAction { kApprove, kReject, kRevision, kSubmit };
enum class DocAction { kApprove, kReject };

// conflict, naming the step and its status, unless `action` is allowed from it:
// approve: pending (or required, for staff checks); reject, revision: pending;
// submit: required.
Status CheckStepTransition(const Step& step, StepAction action);
// approve and reject take an uploaded or pending document; reject also takes an approved
// one (revoking it: fraud found later).
Status CheckDocTransition(const Document& doc, DocAction action);

// True when `code` is an ISO 3166-1 alpha-2 country code (upper case).
bool IsCountryCode(std::string_view code);
// A document number as compared for duplicates and searched: upper case, ASCII letters
// and digits only ("ab-123 45" → "AB12345").
std::string NormalizeDocNumber(std::string_view number);

// True for a real calendar date written YYYY-MM-DD.
bool IsIsoDate(std::string_view date);

// Validates submitted answers against a template's form_schema (already valid). The
// error is bad_request naming the field: "answers.country must be an ISO 3166-1 alpha-2
// code". `owns_file` says whether a file_id belongs to the submitting customer.
Status ValidateAnswers(const rapidjson::Value& schema, const rapidjson::Value& answers,
                       const std::function<bool(std::string_view)>& owns_file);

}  // namespace kyc
