// KYC step templates: add, update, soft delete, list, get.
#include "handlers/handlers.h"
#include "handlers/paging.h"
#include "kyc/form_schema.h"
#include "kyc/templates.h"

namespace kyc::handlers {
namespace {

// The template fields a request may set. Every one is validated when read, so that a
// bad field is reported before the template is even looked up.
struct TemplatePatch {
  std::optional<std::string> brand, code, name, description, form_schema;
  std::optional<int64_t> level;
  std::optional<bool> required, active;

  void ApplyTo(Template& t) const {
    if (brand) t.brand = *brand;
    if (code) t.code = *code;
    if (name) t.name = *name;
    if (description) t.description = *description;
    if (form_schema) t.form_schema = *form_schema;
    if (level) t.level = *level;
    if (required) t.required = *required;
    if (active) t.active = *active;
  }
};

// On create, brand, code and name are required.
TemplatePatch ReadTemplatePatch(ParamReader& p, bool create) {
  TemplatePatch t;
  t.brand = create ? std::optional(p.String("brand", 64)) : p.OptString("brand", 64);
  t.code = create ? std::optional(p.String("code", 64)) : p.OptString("code", 64);
  t.name = create ? std::optional(p.String("name", 200)) : p.OptString("name", 200);
  t.description = p.OptString("description", 4000);
  t.level = p.OptInt("level");
  t.required = p.OptBool("required");
  t.active = p.OptBool("active");
  const rapidjson::Value* schema = p.OptObject("form_schema");
  if (!p.ok()) return t;

  if (t.brand && !IsValidBrand(*t.brand)) {
    p.Fail(Status(Code::kBadRequest, "field 'brand' must match [A-Za-z0-9_.-]{1,64}"));
  } else if (t.code && !IsValidCode(*t.code)) {
    p.Fail(Status(Code::kBadRequest, "field 'code' must match [a-z0-9_]{1,64}"));
  } else if (t.name && t.name->empty()) {
    p.Fail(Status(Code::kBadRequest, "field 'name' must not be empty"));
  } else if (t.level && (*t.level < 1 || *t.level > 100)) {
    p.Fail(Status(Code::kBadRequest, "field 'level' must be between 1 and 100"));
  } else if (schema) {
    if (Status s = ValidateFormSchema(*schema); !s.ok()) {
      p.Fail(std::move(s));
    } else {
      t.form_schema = ToJsonText(*schema);
    }
  }
  return t;
}

Status CheckCodeFree(Call& c, const Template& t) {
  auto other = c.core.kyc().staged_templates().StagedFindCode(t.brand, t.code);
  if (other && other->id != t.id) {
    return Error(Code::kConflict, "code '{}' is already used by template {} of brand '{}'", t.code,
                 other->id, t.brand);
  }
  return Status::Ok();
}

// Writes the new version and its audit row in the caller's batch.
Result<std::string> Save(Call& c, std::shared_ptr<const Template> before,
                         std::shared_ptr<const Template> after, std::string_view action) {
  std::string json = TemplateJson(*after);
  AuditRow row{.at = c.now, .actor = c.actor(), .action = std::string(action),
               .entity = "template", .entity_id = after->id, .brand = after->brand,
               .before = before ? TemplateJson(*before, true) : "",
               .after = TemplateJson(*after, true)};
  auto& kyc = c.core.kyc();
  if (Status s = kyc.PutTemplate(*c.batch, std::move(after)); !s.ok()) return s;
  if (Status s = kyc.AppendAudit(*c.batch, std::move(row)); !s.ok()) return s;
  return json;
}

std::shared_ptr<const Template> StagedLive(Call& c, int64_t id) {
  auto t = c.core.kyc().staged_templates().StagedGet(id);
  return t && !t->deleted ? t : nullptr;
}

}  // namespace

Result<std::string> MngAddKycStepTemplate(Call& c) {
  ParamReader p(c.params);
  TemplatePatch patch = ReadTemplatePatch(p, /*create=*/true);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto t = std::make_shared<Template>();
  patch.ApplyTo(*t);
  if (Status s = CheckCodeFree(c, *t); !s.ok()) return s;
  t->id = c.core.kyc().staged_templates().StagedNextId();
  t->created_at = t->updated_at = c.now;
  return Save(c, nullptr, std::move(t), "template.create");
}

Result<std::string> MngUpdateKycStepTemplate(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  TemplatePatch patch = ReadTemplatePatch(p, /*create=*/false);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto before = StagedLive(c, id);
  if (!before) return Error(Code::kNotFound, "template {} not found", id);
  auto t = std::make_shared<Template>(*before);
  patch.ApplyTo(*t);
  if (Status s = CheckCodeFree(c, *t); !s.ok()) return s;
  t->updated_at = c.now;
  return Save(c, std::move(before), std::move(t), "template.update");
}

Result<std::string> MngDeleteKycStepTemplate(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto before = StagedLive(c, id);
  if (!before) return Error(Code::kNotFound, "template {} not found", id);
  auto t = std::make_shared<Template>(*before);
  t->deleted = true;
  t->updated_at = c.now;
  auto r = Save(c, std::move(before), std::move(t), "template.delete");
  if (!r.ok()) return r;
  JsonOut o;
  o.BeginObject().Key("id").Int(id).Key("deleted").Bool(true).EndObject();
  return o.Take();
}

Result<std::string> MngGetKycStepTemplates(Call& c) {
  ParamReader p(c.params);
  TemplateFilter f;
  f.brand = p.OptString("brand", 64);
  f.active = p.OptBool("active");
  f.level = p.OptInt("level");
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  TemplatePage result = c.core.kyc().templates().List(f);
  return ItemsJson(result.items, result.total,
                   [](JsonOut& o, const Template& t) { WriteTemplate(o, t); });
}

Result<std::string> MngGetKycStepTemplate(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto t = c.core.kyc().templates().GetLive(id);
  if (!t) return Error(Code::kNotFound, "template {} not found", id);
  return TemplateJson(*t);
}

}  // namespace kyc::handlers
