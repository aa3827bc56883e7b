#include "customers/record.h"

#include <algorithm>

#include "customers/field_rules.h"
#include "customers/search_text.h"
#include "kyc/rules.h"

namespace kyc {
namespace {

constexpr size_t kMaxAnswers = 200;


// A string member of a stored object, or "" (the columns were written by this code).
std::string StringMember(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString() ? std::string(StringView(it->value))
                                                       : std::string();
}

// A text field: absent → unchanged; null → cleared; a string → checked by `valid`.
template <typename Valid>
void ReadText(ParamReader& p, std::string_view field, size_t max_len, std::string& out,
              Valid&& valid, std::string_view what) {
  const rapidjson::Value* v = p.Raw(field);
  if (!v || !p.ok()) return;
  if (v->IsNull()) {
    out.clear();
    return;
  }
  if (!v->IsString()) return p.Fail(Error(Code::kBadRequest, "field '{}' must be a string", field));
  std::string_view s = StringView(*v);
  if (s.size() > max_len) {
    return p.Fail(Error(Code::kBadRequest, "field '{}' is longer than {} bytes", field, max_len));
  }
  if (s.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return p.Fail(Error(Code::kBadRequest, "field '{}' must not be blank (send null to clear it)",
                        field));
  }
  if (!valid(s)) return p.Fail(Error(Code::kBadRequest, "field '{}' must be {}", field, what));
  out.assign(s);
}

bool AnyText(std::string_view s) { return FoldForSearch(s).has_value(); }
bool Country(std::string_view s) { return IsCountryCode(s); }
bool Date(std::string_view s) { return IsIsoDate(s); }
bool Gender(std::string_view s) {
  return std::find(kGenderNames.begin(), kGenderNames.end(), s) != kGenderNames.end();
}

// Reads an object's string members into the named slots; other members are errors.
template <size_t N>
bool ReadMembers(ParamReader& p, std::string_view field, const rapidjson::Value& obj,
                 const std::array<std::pair<std::string_view, std::string*>, N>& slots,
                 size_t max_len) {
  for (const auto& m : obj.GetObject()) {
    std::string_view key = StringView(m.name);
    auto it = std::find_if(slots.begin(), slots.end(), [&](const auto& s) { return s.first == key; });
    if (it == slots.end()) {
      p.Fail(Error(Code::kBadRequest, "field '{}.{}' is not known", field, key));
      return false;
    }
    if (m.value.IsNull()) continue;
    if (!m.value.IsString() || m.value.GetStringLength() > max_len || !AnyText(StringView(m.value))) {
      p.Fail(Error(Code::kBadRequest, "field '{}.{}' must be a string of at most {} bytes", field,
                   key, max_len));
      return false;
    }
    it->second->assign(StringView(m.value));
  }
  return true;
}

void ReadDocuments(ParamReader& p, std::vector<IdentityDocument>& out) {
  const rapidjson::Value* v = p.Raw("documents");
  if (!v || !p.ok()) return;
  if (v->IsNull()) {
    out.clear();
    return;
  }
  if (!v->IsArray() || v->Size() > 2) {
    return p.Fail(Status(Code::kBadRequest,
                         "field 'documents' must be an array of at most two identity documents"));
  }
  std::vector<IdentityDocument> docs;
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    const auto& d = (*v)[i];
    const std::string field = fmt::format("documents[{}]", i);
    if (!d.IsObject()) {
      return p.Fail(Error(Code::kBadRequest, "field '{}' must be an object", field));
    }
    IdentityDocument doc;
    const std::array<std::pair<std::string_view, std::string*>, 4> slots{
        {{"type", &doc.type}, {"number", &doc.number}, {"issuing_country", &doc.issuing_country},
         {"expires_on", &doc.expires_on}}};
    if (!ReadMembers(p, field, d, slots, 64)) return;
    if (!IsIdentityDocType(doc.type)) {
      return p.Fail(Error(Code::kBadRequest, "field '{}.type' must be one of {}", field,
                          kIdentityDocTypes));
    }
    const std::string normalized = NormalizeDocNumber(doc.number);
    if (normalized.empty()) {
      return p.Fail(Error(Code::kBadRequest,
                          "field '{}.number' is required and must contain letters or digits", field));
    }
    if (!doc.issuing_country.empty() && !IsCountryCode(doc.issuing_country)) {
      return p.Fail(Error(Code::kBadRequest,
                          "field '{}.issuing_country' must be an ISO 3166-1 alpha-2 code", field));
    }
    if (!doc.expires_on.empty() && !IsIsoDate(doc.expires_on)) {
      return p.Fail(Error(Code::kBadRequest, "field '{}.expires_on' must be a date YYYY-MM-DD",
                          field));
    }
    if (doc.type == "national_id" && doc.issuing_country == "TH" && !IsThaiNationalId(normalized)) {
      return p.Fail(Error(Code::kBadRequest,
                          "field '{}.number' must be a Thai national ID: 13 digits with a valid "
                          "check digit",
                          field));
    }
    docs.push_back(std::move(doc));
  }
  out = std::move(docs);
}

void ReadAddress(ParamReader& p, Address& out) {
  const rapidjson::Value* v = p.Raw("address");
  if (!v || !p.ok()) return;
  if (v->IsNull()) {
    out = Address{};
    return;
  }
  if (!v->IsObject()) return p.Fail(Status(Code::kBadRequest, "field 'address' must be an object"));
  Address a;
  const std::array<std::pair<std::string_view, std::string*>, 5> slots{
      {{"line1", &a.line1}, {"line2", &a.line2}, {"city", &a.city},
       {"postal_code", &a.postal_code}, {"country", &a.country}}};
  if (!ReadMembers(p, "address", *v, slots, 200)) return;
  if (!a.country.empty() && !IsCountryCode(a.country)) {
    return p.Fail(Status(Code::kBadRequest,
                         "field 'address.country' must be an ISO 3166-1 alpha-2 code"));
  }
  out = std::move(a);
}


// Merges the given answers into the stored ones: a name with a value sets it, a name with
// null removes it; `null` for the whole field clears them all.
void ReadAnswers(ParamReader& p, std::string& out) {
  const rapidjson::Value* v = p.Raw("kyc_answers");
  if (!v || !p.ok()) return;
  if (v->IsNull()) {
    out.clear();
    return;
  }
  if (!v->IsObject()) {
    return p.Fail(Status(Code::kBadRequest, "field 'kyc_answers' must be an object"));
  }
  rapidjson::Document merged;
  if (out.empty() || merged.Parse(out.data(), out.size()).HasParseError() || !merged.IsObject()) {
    merged.SetObject();
  }
  auto& alloc = merged.GetAllocator();
  for (const auto& m : v->GetObject()) {
    std::string_view name = StringView(m.name);
    if (!IsAnswerName(name)) {
      return p.Fail(Error(Code::kBadRequest,
                          "field 'kyc_answers' has a name '{}' that is not [A-Za-z0-9_]{{1,64}}",
                          name.substr(0, 64)));
    }
    merged.RemoveMember(rapidjson::StringRef(name.data(), name.size()));
    if (m.value.IsNull()) continue;
    if (!(m.value.IsString() && m.value.GetStringLength() <= 1000) && !m.value.IsNumber()) {
      return p.Fail(Error(Code::kBadRequest,
                          "field 'kyc_answers.{}' must be a string (at most 1000 bytes) or a number",
                          name));
    }
    if (merged.MemberCount() >= kMaxAnswers) {
      return p.Fail(Error(Code::kBadRequest, "field 'kyc_answers' has more than {} answers",
                          kMaxAnswers));
    }
    merged.AddMember(rapidjson::Value(name.data(), rapidjson::SizeType(name.size()), alloc),
                     rapidjson::Value(m.value, alloc), alloc);
  }
  out = merged.MemberCount() == 0 ? std::string() : ToJsonText(merged);
}

void ReadRiskScore(ParamReader& p, std::optional<Decimal>& out) {
  const rapidjson::Value* v = p.Raw("risk_score_ai");
  if (!v || !p.ok()) return;
  if (v->IsNull()) {
    out.reset();
    return;
  }
  std::optional<Decimal> d;
  if (v->IsString()) d = Decimal::Parse(StringView(*v), 2);
  if (!d || *d < Decimal{} || *d > *Decimal::Parse("999.99")) {
    return p.Fail(Status(Code::kBadRequest,
                         "field 'risk_score_ai' must be a decimal string from \"0.00\" to "
                         "\"999.99\" with at most two fraction digits"));
  }
  out = d;
}

void OptStr(JsonOut& o, std::string_view key, const std::string& v) {
  o.Key(key);
  if (v.empty()) o.Null();
  else o.Str(v);
}

// The record fields a compliance rule may require, and how each is read.
struct Requirable {
  std::string_view name;
  bool (*filled)(const ClientRecord&);
};
constexpr Requirable kRequirable[] = {
    {"first_name", [](const ClientRecord& r) { return !r.first_name.empty(); }},
    {"last_name", [](const ClientRecord& r) { return !r.last_name.empty(); }},
    {"birth_date", [](const ClientRecord& r) { return !r.birth_date.empty(); }},
    {"birth_country", [](const ClientRecord& r) { return !r.birth_country.empty(); }},
    {"birth_city", [](const ClientRecord& r) { return !r.birth_city.empty(); }},
    {"nationality", [](const ClientRecord& r) { return !r.nationality.empty(); }},
    {"gender", [](const ClientRecord& r) { return !r.gender.empty(); }},
    {"documents", [](const ClientRecord& r) { return !r.documents.empty(); }},
    {"address", [](const ClientRecord& r) { return !r.address.empty(); }},
    {"phone", [](const ClientRecord& r) { return !r.phone.empty(); }},
    {"email", [](const ClientRecord& r) { return !r.email.empty(); }},
    {"tax_residence_country", [](const ClientRecord& r) { return !r.tax_residence_country.empty(); }},
    {"tin", [](const ClientRecord& r) { return !r.tin.empty(); }},
    {"source_of_funds", [](const ClientRecord& r) { return !r.source_of_funds.empty(); }},
    {"profession_category", [](const ClientRecord& r) { return !r.profession_category.empty(); }},
    {"annual_income_bracket",
     [](const ClientRecord& r) { return !r.annual_income_bracket.empty(); }},
    {"pep_details", [](const ClientRecord& r) { return !r.pep_details.empty(); }},
    {"risk_score_ai", [](const ClientRecord& r) { return r.risk_score_ai.has_value(); }},
};

}  // namespace

bool IsAnswerName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<ClientType> ParseClientType(std::string_view name) {
  for (size_t i = 0; i < kClientTypeNames.size(); ++i) {
    if (kClientTypeNames[i] == name) return ClientType(i);
  }
  return std::nullopt;
}

std::optional<BankAccountState> ParseBankAccountState(std::string_view name) {
  for (size_t i = 0; i < kBankAccountStateNames.size(); ++i) {
    if (kBankAccountStateNames[i] == name) return BankAccountState(i);
  }
  return std::nullopt;
}

bool ClientRecord::HasField(std::string_view name) const {
  for (const auto& r : kRequirable) {
    if (r.name == name) return r.filled(*this);
  }
  return false;
}

bool IsRequirableField(std::string_view name) {
  return std::any_of(std::begin(kRequirable), std::end(kRequirable),
                     [&](const Requirable& r) { return r.name == name; });
}

void ReadRecordFields(ParamReader& p, ClientRecord& rec) {
  if (const rapidjson::Value* v = p.Raw("type")) {
    std::optional<ClientType> t;
    if (v->IsString()) t = ParseClientType(StringView(*v));
    if (!t) p.Fail(Status(Code::kBadRequest, "field 'type' must be one of regular, vip, corporate"));
    else rec.type = *t;
  }
  ReadText(p, "first_name", 100, rec.first_name, AnyText, "valid UTF-8 text");
  ReadText(p, "last_name", 100, rec.last_name, AnyText, "valid UTF-8 text");
  ReadText(p, "birth_date", 10, rec.birth_date, Date, "a date YYYY-MM-DD");
  ReadText(p, "birth_country", 2, rec.birth_country, Country, "an ISO 3166-1 alpha-2 code");
  ReadText(p, "birth_city", 100, rec.birth_city, AnyText, "valid UTF-8 text");
  ReadText(p, "nationality", 2, rec.nationality, Country, "an ISO 3166-1 alpha-2 code");
  ReadText(p, "gender", 16, rec.gender, Gender, "one of female, male, other");
  ReadDocuments(p, rec.documents);
  ReadAddress(p, rec.address);
  ReadText(p, "phone", 16, rec.phone, IsE164Phone, "an E.164 number such as +35799123456");
  ReadText(p, "email", 254, rec.email, IsEmail, "an e-mail address");
  ReadText(p, "tax_residence_country", 2, rec.tax_residence_country, Country,
           "an ISO 3166-1 alpha-2 code");
  ReadText(p, "tin", 64, rec.tin, AnyText, "valid UTF-8 text");
  ReadText(p, "source_of_funds", 200, rec.source_of_funds, AnyText, "valid UTF-8 text");
  ReadText(p, "profession_category", 100, rec.profession_category, AnyText, "valid UTF-8 text");
  ReadText(p, "annual_income_bracket", 64, rec.annual_income_bracket, AnyText, "valid UTF-8 text");
  if (const rapidjson::Value* v = p.Raw("is_pep")) {
    if (v->IsNull()) rec.is_pep = false;
    else if (v->IsBool()) rec.is_pep = v->GetBool();
    else p.Fail(Status(Code::kBadRequest, "field 'is_pep' must be a boolean"));
  }
  ReadText(p, "pep_details", 2000, rec.pep_details, AnyText, "valid UTF-8 text");
  ReadRiskScore(p, rec.risk_score_ai);
  ReadAnswers(p, rec.kyc_answers);
}

void WriteRecordFields(JsonOut& o, const ClientRecord& r) {
  o.Key("id").Int(r.id).Key("uuid").Str(r.uuid);
  o.Key("customer_id").Int(r.customer_id).Key("brand").Str(r.brand);
  o.Key("type").Str(Name(r.type));
  OptStr(o, "first_name", r.first_name);
  OptStr(o, "last_name", r.last_name);
  OptStr(o, "birth_date", r.birth_date);
  OptStr(o, "birth_country", r.birth_country);
  OptStr(o, "birth_city", r.birth_city);
  OptStr(o, "nationality", r.nationality);
  OptStr(o, "gender", r.gender);
  o.Key("documents");
  WriteDocuments(o, r.documents);
  o.Key("address");
  if (r.address.empty()) o.Null();
  else WriteAddress(o, r.address);
  OptStr(o, "phone", r.phone);
  OptStr(o, "email", r.email);
  OptStr(o, "tax_residence_country", r.tax_residence_country);
  OptStr(o, "tin", r.tin);
  OptStr(o, "source_of_funds", r.source_of_funds);
  OptStr(o, "profession_category", r.profession_category);
  OptStr(o, "annual_income_bracket", r.annual_income_bracket);
  o.Key("is_pep").Bool(r.is_pep);
  OptStr(o, "pep_details", r.pep_details);
  o.Key("risk_score_ai");
  if (r.risk_score_ai) o.Str(r.risk_score_ai->ToString(2));
  else o.Null();
  o.Key("kyc_answers").Raw(r.kyc_answers.empty() ? std::string_view("{}") : r.kyc_answers);
  o.Key("is_blocked").Bool(r.is_blocked);
  OptStr(o, "block_reason", r.block_reason);
  o.Key("blocked_by").OptInt(r.blocked_by).Key("blocked_at").OptInt(r.blocked_at);
  o.Key("account_status").Str(Name(r.account_status));
  OptStr(o, "account_status_reason", r.account_status_reason);
  o.Key("account_status_at").Int(r.account_status_at);
  o.Key("bank_account_status").Str(Name(r.bank_account_status));
  o.Key("created_at").Int(r.created_at).Key("updated_at").Int(r.updated_at);
}

std::string RecordJson(const ClientRecord& rec) {
  JsonOut o;
  o.BeginObject();
  WriteRecordFields(o, rec);
  o.EndObject();
  return o.Take();
}

void WriteDocuments(JsonOut& o, const std::vector<IdentityDocument>& docs) {
  o.BeginArray();
  for (const auto& d : docs) {
    o.BeginObject().Key("type").Str(d.type).Key("number").Str(d.number);
    OptStr(o, "issuing_country", d.issuing_country);
    OptStr(o, "expires_on", d.expires_on);
    o.EndObject();
  }
  o.EndArray();
}

std::string DocumentsJson(const std::vector<IdentityDocument>& docs) {
  JsonOut o;
  WriteDocuments(o, docs);
  return o.Take();
}

std::vector<IdentityDocument> DocumentsFromJson(std::string_view json) {
  std::vector<IdentityDocument> docs;
  rapidjson::Document d;
  if (d.Parse(json.data(), json.size()).HasParseError() || !d.IsArray()) return docs;
  for (const auto& v : d.GetArray()) {
    if (!v.IsObject()) continue;
    docs.push_back({StringMember(v, "type"), StringMember(v, "number"),
                    StringMember(v, "issuing_country"), StringMember(v, "expires_on")});
  }
  return docs;
}

void WriteAddress(JsonOut& o, const Address& a) {
  o.BeginObject();
  OptStr(o, "line1", a.line1);
  OptStr(o, "line2", a.line2);
  OptStr(o, "city", a.city);
  OptStr(o, "postal_code", a.postal_code);
  OptStr(o, "country", a.country);
  o.EndObject();
}

std::string AddressJson(const Address& a) {
  JsonOut o;
  WriteAddress(o, a);
  return o.Take();
}

Address AddressFromJson(std::string_view json) {
  Address a;
  rapidjson::Document d;
  if (json.empty() || d.Parse(json.data(), json.size()).HasParseError() || !d.IsObject()) return a;
  a.line1 = StringMember(d, "line1");
  a.line2 = StringMember(d, "line2");
  a.city = StringMember(d, "city");
  a.postal_code = StringMember(d, "postal_code");
  a.country = StringMember(d, "country");
  return a;
}

}  // namespace kyc
