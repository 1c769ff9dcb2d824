// The compact binary form of the statistics' stored rows (case_facts, stats_rollup): zig-zag
// varints, strings with their length. Storage-internal; header-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "server/domain/types.hpp"

namespace grievance::storage {

class VarintWriter {
 public:
  void put(std::int64_t v) {
    // zig-zag: small negative numbers stay small
    std::uint64_t u = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
    while (u >= 0x80) {
      out_ += static_cast<char>((u & 0x7f) | 0x80);
      u >>= 7;
    }
    out_ += static_cast<char>(u);
  }
  void put(bool b) { put(std::int64_t{b ? 1 : 0}); }
  void put(int v) { put(std::int64_t{v}); }
  void put(std::uint32_t v) { put(std::int64_t{v}); }
  void put(domain::TimePoint t) { put(std::int64_t{t.time_since_epoch().count()}); }
  template <class E>
  requires std::is_enum_v<E>
  void put(E e) { put(static_cast<std::int64_t>(e)); }
  template <class T>
  void put(const std::optional<T>& v) {
    put(v.has_value());
    if (v) put(*v);
  }
  void put(std::string_view s) {
    put(static_cast<std::int64_t>(s.size()));
    out_ += s;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class VarintReader {
 public:
  explicit VarintReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

  std::int64_t i64() {
    // Most values (flags, codes, small counts) are one byte: read them without the loop.
    if (pos_ < in_.size()) {
      const std::uint64_t u = static_cast<std::uint8_t>(in_[pos_]);
      if (u < 0x80) {
        ++pos_;
        return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
      }
    }
    std::uint64_t u = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return bad();
      const auto b = static_cast<std::uint8_t>(in_[pos_++]);
      u |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
    }
    return bad();
  }
  void get(std::int64_t& v) { v = i64(); }
  void get(bool& b) { b = i64() != 0; }
  void get(int& v) { v = static_cast<int>(i64()); }
  void get(std::uint32_t& v) { v = static_cast<std::uint32_t>(i64()); }
  void get(std::uint16_t& v) { v = static_cast<std::uint16_t>(i64()); }
  void get(domain::TimePoint& t) { t = domain::TimePoint(std::chrono::seconds(i64())); }
  template <class E>
  requires std::is_enum_v<E>
  void get(E& e) { e = static_cast<E>(i64()); }
  template <class T>
  void get(std::optional<T>& v) {
    if (i64() != 0) {
      T t{};
      get(t);
      v = t;
    } else {
      v.reset();
    }
  }
  void get(std::string& s) {
    const std::int64_t n = i64();
    if (n < 0 || static_cast<std::size_t>(n) > in_.size() - pos_) {
      bad();
      return;
    }
    s.assign(in_.substr(pos_, static_cast<std::size_t>(n)));
    pos_ += static_cast<std::size_t>(n);
  }

 private:
  std::int64_t bad() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace grievance::storage
