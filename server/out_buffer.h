// Answers waiting for the socket, in order: frame bytes gathered in one string, and the
// bodies that are shared texts (a cached profile) referenced where they belong instead of
// copied in. Buffers() hands the whole as one gather list to a single write (writev),
// so a cached profile is copied once, by the kernel, and never in user space.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>

namespace kyc {

class OutBuffer {
 public:
  // Below this a body is copied: one more iovec costs more than copying a few hundred bytes.
  static constexpr size_t kShareFrom = 512;

  // The bytes, to append frames to (AppendFrame, AppendFrameHead).
  std::string& bytes() { return bytes_; }
  // Appends `text` after the bytes so far, by reference; it is kept alive until clear().
  void AppendShared(std::shared_ptr<const std::string> text) {
    shared_bytes_ += text->size();
    shared_.push_back(Piece{bytes_.size(), std::move(text)});
  }
  size_t size() const { return bytes_.size() + shared_bytes_; }
  bool empty() const { return bytes_.empty() && shared_.empty(); }
  // Keeps the string's capacity: steady traffic allocates nothing here.
  void clear() {
    bytes_.clear();
    shared_.clear();
    shared_bytes_ = 0;
  }
  void swap(OutBuffer& other) noexcept {
    bytes_.swap(other.bytes_);
    shared_.swap(other.shared_);
    std::swap(shared_bytes_, other.shared_bytes_);
  }

  // The whole, in order, as buffers valid until the next change to this OutBuffer. A span:
  // the write operation copies its buffer sequence, and a span copies without allocating.
  std::span<const boost::asio::const_buffer> Buffers() {
    buffers_.clear();
    size_t from = 0;
    for (const Piece& p : shared_) {
      if (p.at > from) buffers_.emplace_back(bytes_.data() + from, p.at - from);
      buffers_.emplace_back(p.text->data(), p.text->size());
      from = p.at;
    }
    if (bytes_.size() > from) buffers_.emplace_back(bytes_.data() + from, bytes_.size() - from);
    return buffers_;
  }

 private:
  struct Piece {
    size_t at;  // where in bytes_ the text goes
    std::shared_ptr<const std::string> text;
  };
  std::string bytes_;
  std::vector<Piece> shared_;
  size_t shared_bytes_ = 0;
  std::vector<boost::asio::const_buffer> buffers_;
};

}  // namespace kyc
