// KYC step templates (PROTOCOL.md §3 "Template") and their in-memory set.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tables/staged_table.h"
#include "protocol/json.h"

namespace kyc {

struct Template {
  int64_t id = 0;
  std::string brand;
  std::string code;
  std::string name;
  std::string description;
  int64_t level = 1;
  bool required = true;
  bool active = true;
  bool deleted = false;      // soft delete: kept for attached steps and audit, never listed
  std::string form_schema = "{}";  // compact JSON text, validated before it is stored
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// The wire object. `with_deleted` adds "deleted":true to a deleted one, for audit rows.
void WriteTemplate(JsonOut& out, const Template& t, bool with_deleted = false);
std::string TemplateJson(const Template& t, bool with_deleted = false);

// `code`: [a-z0-9_]{1,64}. `brand`: [A-Za-z0-9_.-]{1,64}.
bool IsValidCode(std::string_view code);
bool IsValidBrand(std::string_view brand);

struct TemplateFilter {
  std::optional<std::string> brand;
  std::optional<bool> active;
  std::optional<int64_t> level;
  int64_t offset = 0;
  int64_t limit = 100;
};

struct TemplatePage {
  std::vector<std::shared_ptr<const Template>> items;
  int64_t total = 0;
};

// All templates of all brands. Deleted templates stay in memory (steps keep pointing at
// them) but Get() and List() do not return them.
class TemplateSet : public StagedTable<Template> {
 public:
  // Any thread: a live (not deleted) template, or nullptr.
  Ptr GetLive(int64_t id) const;
  TemplatePage List(const TemplateFilter& filter) const;

  // Writer strand only: the live template of `brand` with `code` as this batch sees it.
  Ptr StagedFindCode(std::string_view brand, std::string_view code) const;
};

}  // namespace kyc
