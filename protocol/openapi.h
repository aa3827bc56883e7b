// GET /openapi.json (issue 18): an OpenAPI 3.1 document generated from the command table,
// so it cannot drift from the routes the gateway serves. Each row's params text
// ("{customer_id, brand, reason?} → Customer") gives the parameters, required unless
// marked `?`; a field's JSON type follows the naming rules of the protocol (ids, levels
// and paging are integers, amounts decimal strings, flags booleans), and a field whose
// type no rule names is left untyped rather than guessed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kyc {

struct DocParam {
  std::string name;
  bool required = true;
  std::vector<std::string> values;  // an enumeration written "(a|b|c)" after the name
};

// The JSON params a row's params text names; nullopt when they are not JSON (an upload,
// a signed callback).
std::optional<std::vector<DocParam>> ParamsOfText(std::string_view params_text);

// The JSON Schema of a field by its name (a JSON object's text, "{}" when unknown).
std::string SchemaOfField(std::string_view name);

// The whole document; `version` is the server's.
std::string OpenApiJson(std::string_view version);

}  // namespace kyc
