// The questionnaire schema of a step template (PROTOCOL.md §3, "Questionnaire schema").
#pragma once

#include <string_view>

#include <rapidjson/document.h>

#include "protocol/status.h"

namespace kyc {

// Field types a schema may use, as spelled on the wire.
bool IsFieldType(std::string_view type);

// Validates `form_schema` exactly by the rules of §3. The error is bad_request and its
// message names the path at fault, e.g. "form_schema.sections[0].fields[2].name ...".
Status ValidateFormSchema(const rapidjson::Value& schema);

}  // namespace kyc
