#include "kyc/templates.h"

#include <algorithm>

namespace kyc {

void WriteTemplate(JsonOut& o, const Template& t, bool with_deleted) {
  o.BeginObject();
  o.Key("id").Int(t.id);
  o.Key("brand").Str(t.brand);
  o.Key("code").Str(t.code);
  o.Key("name").Str(t.name);
  o.Key("description").Str(t.description);
  o.Key("level").Int(t.level);
  o.Key("required").Bool(t.required);
  o.Key("active").Bool(t.active);
  o.Key("form_schema").Raw(t.form_schema);
  o.Key("created_at").Int(t.created_at);
  o.Key("updated_at").Int(t.updated_at);
  if (with_deleted && t.deleted) o.Key("deleted").Bool(true);
  o.EndObject();
}

std::string TemplateJson(const Template& t, bool with_deleted) {
  JsonOut o;
  WriteTemplate(o, t, with_deleted);
  return o.Take();
}

bool IsValidCode(std::string_view code) {
  return !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

bool IsValidBrand(std::string_view brand) {
  return !brand.empty() && brand.size() <= 64 &&
         std::all_of(brand.begin(), brand.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
         });
}

TemplateSet::Ptr TemplateSet::GetLive(int64_t id) const {
  auto t = Get(id);
  return t && !t->deleted ? t : nullptr;
}

TemplatePage TemplateSet::List(const TemplateFilter& f) const {
  TemplatePage page;
  Scan([&](const Ptr& t) {
    if (t->deleted) return true;
    if (f.brand && t->brand != *f.brand) return true;
    if (f.active && t->active != *f.active) return true;
    if (f.level && t->level != *f.level) return true;
    if (page.total >= f.offset && static_cast<int64_t>(page.items.size()) < f.limit) {
      page.items.push_back(t);
    }
    ++page.total;
    return true;
  });
  return page;
}

TemplateSet::Ptr TemplateSet::StagedFindCode(std::string_view brand, std::string_view code) const {
  Ptr found;
  // Templates per brand are few; the batch view is a merge of staged and committed rows.
  StagedScan([&](const Ptr& t) {
    if (!t->deleted && t->brand == brand && t->code == code) found = t;
  });
  return found;
}

}  // namespace kyc
