// What the deposit and withdrawal lists share: their filter read from the params (staff),
// the client's own filter, and the page written as {items, total}.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "funds/filter.h"
#include "handlers/call.h"
#include "handlers/paging.h"

namespace kyc {

// {brand?, status?, channel?, customer_id?, from?, to?, offset?, limit?}; a status not
// among `names` is bad_request listing them.
// Without `channels` (bank accounts), a `channel` is an unknown field.
template <typename S, size_t N>
Result<MoneyFilter<S>> ReadMoneyFilter(const Params& params,
                                       std::optional<S> (*parse)(std::string_view),
                                       const std::array<std::string_view, N>& names,
                                       bool channels = true) {
  ParamReader p(params);
  MoneyFilter<S> f;
  f.brand = p.OptString("brand", 64);
  if (channels) f.channel = p.OptString("channel", 64);
  if (auto status = p.OptString("status", 32)) {
    f.status = parse(*status);
    if (!f.status) {
      std::string allowed;
      for (auto n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
      p.Fail(Error(Code::kBadRequest, "field 'status' must be one of {}", allowed));
    }
  }
  f.customer_id = p.OptInt("customer_id");
  f.from = p.OptInt("from");
  f.to = p.OptInt("to");
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  return f;
}

// A client's own rows: {offset?, limit?}, its customer and brand.
template <typename S>
Result<MoneyFilter<S>> OwnMoneyFilter(const Call& c) {
  ParamReader p(c.params);
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  MoneyFilter<S> f;
  f.customer_id = c.session->customer_id;
  f.brand = c.session->brand;
  f.offset = page.offset;
  f.limit = page.limit;
  return f;
}

// {items:[…], total}, each row written by `write(o, row)`.
template <typename T, typename Write>
std::string PageJson(const RowPage<T>& page, Write write) {
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  for (const auto& row : page.items) write(o, *row);
  o.EndArray().Key("total").Int(page.total).EndObject();
  return o.Take();
}

}  // namespace kyc
