// libFuzzer: the params parser (depth-limited, UTF-8 validated), then the form_schema
// validator and, for a schema that passes, the answers validator on the same document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kyc/form_schema.h"
#include "kyc/rules.h"
#include "protocol/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto params = kyc::ParseParams(json, 64);
  if (!params.ok()) return 0;
  const rapidjson::Value& doc = params->doc;
  if (!doc.IsObject()) return 0;
  const rapidjson::Value* schema = doc.HasMember("form_schema") ? &doc["form_schema"] : &doc;
  if (!kyc::ValidateFormSchema(*schema).ok()) return 0;
  if (doc.HasMember("answers")) {
    (void)kyc::ValidateAnswers(*schema, doc["answers"], [](std::string_view id) { return id.size() % 2 == 0; });
  }
  return 0;
}
