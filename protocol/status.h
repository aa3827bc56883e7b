// Status codes of the wire contract and the error values that carry them.
//
// One enum, one mapping: the frame status byte, the HTTP status and the JSON
// `error.code` string all come from kStatusTable. Errors are values: handlers
// return a Status or a Result<T>, never throw.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace kyc {

enum class Code : uint8_t {
  kOk = 0,
  kBadRequest = 1,
  kUnauthorized = 2,
  kForbidden = 3,
  kNotFound = 4,
  kConflict = 5,
  kTooLarge = 6,
  kRateLimited = 7,
  kUnknownCommand = 8,
  kInternal = 9,
  kUnavailable = 10,
};

struct CodeInfo {
  Code code;
  int http_status;
  std::string_view name;  // `error.code` on the wire; empty for kOk
};

// The whole table, indexed by the Code value.
const CodeInfo& Info(Code code);
inline uint8_t FrameStatus(Code code) { return static_cast<uint8_t>(code); }
inline int HttpStatus(Code code) { return Info(code).http_status; }
inline std::string_view CodeName(Code code) { return Info(code).name; }
// Maps a frame status byte back to a Code; unknown bytes map to kInternal.
Code CodeFromFrameStatus(uint8_t status);
// Maps an `error.code` string back; unknown names map to kInternal.
Code CodeFromName(std::string_view name);

// An error value: a code from the table and a message that names the field or object.
class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // `{"error":{"code":"...","message":"..."}}` — the error body on TCP and HTTP alike.
  std::string ToJson() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

template <typename... Args>
Status Error(Code code, fmt::format_string<Args...> f, Args&&... args) {
  return Status(code, fmt::format(f, std::forward<Args>(args)...));
}

// A value or an error. Accessing value() of an error is a programming error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kyc
