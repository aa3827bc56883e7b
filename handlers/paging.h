// `offset` (default 0) and `limit` (default 100, at most 1000) of every list command, and
// the {items, total} answer they all give.
#pragma once

#include <string>

#include "protocol/json.h"

namespace kyc {

struct Page {
  int64_t offset = 0;
  int64_t limit = 100;
};

inline constexpr int64_t kMaxPageLimit = 1000;

inline Page ReadPage(ParamReader& p) {
  Page page;
  if (auto o = p.OptInt("offset")) {
    if (*o < 0) p.Fail(Status(Code::kBadRequest, "field 'offset' must be >= 0"));
    page.offset = *o;
  }
  if (auto l = p.OptInt("limit")) {
    if (*l < 1 || *l > kMaxPageLimit) {
      p.Fail(Error(Code::kBadRequest, "field 'limit' must be between 1 and {}", kMaxPageLimit));
    }
    page.limit = *l;
  }
  return page;
}

// {"items": [...], "total": N}: `write(out, item)` writes each of `items` (pointers).
template <typename Items, typename WriteItem>
std::string ItemsJson(const Items& items, int64_t total, WriteItem&& write) {
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  for (const auto& item : items) write(o, *item);
  o.EndArray().Key("total").Int(total).EndObject();
  return o.Take();
}

}  // namespace kyc
