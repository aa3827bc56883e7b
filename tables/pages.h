// A page of rows, newest (highest id) first, from the matching rows in id order: what the
// back-office lists answer (deposits, withdrawals, approval requests).
#pragma once

#include <cstdint>
#include <vector>

#include "tables/staged_table.h"

namespace kyc {

template <typename T>
RowPage<T> NewestFirst(const std::vector<std::shared_ptr<const T>>& matching, int64_t offset,
                       int64_t limit) {
  RowPage<T> page;
  page.total = static_cast<int64_t>(matching.size());
  for (int64_t i = page.total - 1 - offset, n = 0; i >= 0 && n < limit; --i, ++n) {
    page.items.push_back(matching[size_t(i)]);
  }
  return page;
}

}  // namespace kyc
