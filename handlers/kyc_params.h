// Reading the params KYC commands share: a customer (customer_id, brand), enums given
// as integers, reasons and comments.
#pragma once

#include <algorithm>
#include <vector>

#include <optional>
#include <string>

#include "kyc/enums.h"
#include "money/decimal.h"
#include "kyc/templates.h"
#include "protocol/json.h"

namespace kyc {

struct CustomerKey {
  int64_t customer_id = 0;
  std::string brand;
};

// Reads a required brand ([A-Za-z0-9_.-]{1,64}).
inline std::string ReadBrand(ParamReader& p) {
  std::string brand = p.String("brand", 64);
  if (p.ok() && !IsValidBrand(brand)) {
    p.Fail(Status(Code::kBadRequest, "field 'brand' must match [A-Za-z0-9_.-]{1,64}"));
  }
  return brand;
}

// Reads customer_id (>= 1) and brand ([A-Za-z0-9_.-]{1,64}); both required.
inline CustomerKey ReadCustomer(ParamReader& p) {
  CustomerKey k;
  k.customer_id = p.Int("customer_id");
  if (p.ok() && k.customer_id < 1) {
    p.Fail(Status(Code::kBadRequest, "field 'customer_id' must be >= 1"));
  }
  k.brand = ReadBrand(p);
  return k;
}

// Reads an optional enum field given as its integer; bad_request naming the field and
// the allowed range otherwise.
template <typename E, size_t N>
std::optional<E> ReadEnum(ParamReader& p, std::string_view field,
                          const std::array<std::string_view, N>& names) {
  auto v = p.OptInt(field);
  if (!v) return std::nullopt;
  auto e = EnumFromInt<E>(*v, names);
  if (!e) {
    p.Fail(Error(Code::kBadRequest, "field '{}' must be an integer from 0 to {}", field, N - 1));
  }
  return e;
}

// A required free-text field (reason, comment): non-empty after trimming spaces.
inline std::string ReadText(ParamReader& p, std::string_view field, size_t max_len = 2000) {
  std::string v = p.String(field, max_len);
  if (p.ok() && v.find_first_not_of(" \t\r\n") == std::string::npos) {
    p.Fail(Error(Code::kBadRequest, "field '{}' must not be blank", field));
  }
  return v;
}

// An array of names, each read by `parse` (nullopt: unknown). nullopt when the field is
// absent (bad_request when `required`); bad_request naming the field and the bad entry
// otherwise, with `allowed` saying what may be listed. Repeated names count once.
template <typename T, typename Parse>
std::optional<std::vector<T>> ReadNames(ParamReader& p, std::string_view field, Parse parse,
                                        std::string_view allowed, bool required,
                                        size_t max_items = 64) {
  const rapidjson::Value* list = p.Raw(field);
  if (!list) {
    if (required) p.Fail(Error(Code::kBadRequest, "field '{}' is required", field));
    return std::nullopt;
  }
  std::vector<T> out;
  if (!list->IsArray() || list->Size() > max_items) {
    p.Fail(Error(Code::kBadRequest, "field '{}' must be an array of at most {} names", field,
                 max_items));
    return out;
  }
  for (const auto& v : list->GetArray()) {
    std::optional<T> item;
    if (v.IsString()) item = parse(std::string_view(v.GetString(), v.GetStringLength()));
    if (!item) {
      p.Fail(Error(Code::kBadRequest, "field '{}' lists {}, not one of {}", field, ToJsonText(v),
                   allowed));
      return out;
    }
    if (std::find(out.begin(), out.end(), *item) == out.end()) out.push_back(*item);
  }
  return out;
}

// A decimal string field (never a JSON number: no binary float holds money) with at most
// `digits` fraction digits, ≥ 0 (> 0 when `positive`) and at most Decimal::MaxAmount().
// nullopt when absent or null, or on error (bad_request naming the field).
inline std::optional<Decimal> OptDecimal(ParamReader& p, std::string_view field, int digits,
                                         bool positive) {
  const rapidjson::Value* v = p.Raw(field);
  if (!v || v->IsNull() || !p.ok()) return std::nullopt;
  std::optional<Decimal> d;
  if (v->IsString()) d = Decimal::Parse({v->GetString(), v->GetStringLength()}, digits);
  if (!d || (positive ? *d <= Decimal{} : d->is_negative()) || *d > Decimal::MaxAmount()) {
    p.Fail(Error(Code::kBadRequest,
                 "field '{}' must be a decimal string {} 0 with at most {} fraction digits, at "
                 "most 10^15 (\"1500.25\")",
                 field, positive ? ">" : "≥", digits));
    return std::nullopt;
  }
  return d;
}

// A signed decimal string field (a correction: credit > 0, debit < 0), at most
// Decimal::MaxAmount() either way. nullopt when absent or null, or on error.
inline std::optional<Decimal> OptSignedDecimal(ParamReader& p, std::string_view field, int digits) {
  const rapidjson::Value* v = p.Raw(field);
  if (!v || v->IsNull() || !p.ok()) return std::nullopt;
  std::optional<Decimal> d;
  if (v->IsString()) d = Decimal::Parse({v->GetString(), v->GetStringLength()}, digits);
  if (!d || *d > Decimal::MaxAmount() || -*d > Decimal::MaxAmount()) {
    p.Fail(Error(Code::kBadRequest,
                 "field '{}' must be a signed decimal string with at most {} fraction digits, at "
                 "most 10^15 either way (\"-25.50\")",
                 field, digits));
    return std::nullopt;
  }
  return d;
}

}  // namespace kyc
