// Text: an immutable string shared by every copy of a row that holds it.
//
// Steps and documents carry many text fields that are empty (comment, reject_reason,
// answers before a submission) or repeat across rows (code, name, doc_type,
// content_type). As std::string each costs 32 bytes in the row plus a heap block when
// longer than 15 characters, and a new row version (a copy) copies every one. A Text is
// one pointer: empty costs nothing, a copy shares the string (a reference count), and
// the loader shares equal values between rows (TextInterner). At a million profiles this
// roughly halves the memory of the KYC base.
//
// It reads as a `const std::string&`, so code written against std::string fields keeps
// compiling; use view() where a std::string_view is wanted.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

namespace kyc {

class Text {
 public:
  Text() = default;
  Text(std::string s) { Assign(std::move(s)); }
  Text(std::string_view s) { Assign(std::string(s)); }
  Text(const char* s) { Assign(std::string(s)); }
  Text(const Text& o) noexcept : rep_(o.rep_) {
    if (rep_) rep_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  Text(Text&& o) noexcept : rep_(std::exchange(o.rep_, nullptr)) {}
  Text& operator=(Text o) noexcept {
    std::swap(rep_, o.rep_);
    return *this;
  }
  ~Text() {
    if (rep_ && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete rep_;
  }

  const std::string& str() const { return rep_ ? rep_->s : Empty(); }
  operator const std::string&() const { return str(); }
  std::string_view view() const { return str(); }
  bool empty() const { return rep_ == nullptr; }
  size_t size() const { return str().size(); }

  friend bool operator==(const Text& a, const Text& b) {
    return a.rep_ == b.rep_ || a.view() == b.view();
  }
  friend bool operator==(const Text& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const Text& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const Text& a, const char* b) { return a.view() == b; }

 private:
  struct Rep {
    std::atomic<uint32_t> refs{1};
    std::string s;
  };
  static const std::string& Empty() {
    static const std::string empty;
    return empty;
  }
  void Assign(std::string s) {
    if (!s.empty()) rep_ = new Rep{{1}, std::move(s)};
  }

  Rep* rep_ = nullptr;  // nullptr: the empty string
};

// Start-up: hands out one shared Text per distinct value of a column. It remembers at most
// `max_values` values, so a column of unique values (a checksum, a file id) costs a
// short map and then plain Texts, never a map of every row.
class TextInterner {
 public:
  explicit TextInterner(size_t max_values = 64) : max_values_(max_values) {}

  Text Get(std::string s) {
    if (s.empty()) return Text();
    if (auto it = values_.find(s); it != values_.end()) return it->second;
    if (values_.size() >= max_values_) return Text(std::move(s));
    Text t(s);
    values_.emplace(std::move(s), t);
    return t;
  }

 private:
  size_t max_values_;
  std::unordered_map<std::string, Text> values_;
};

}  // namespace kyc

template <>
struct fmt::formatter<kyc::Text> : fmt::formatter<std::string_view> {
  auto format(const kyc::Text& t, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(t.view(), ctx);
  }
};
