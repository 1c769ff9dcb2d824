// A streaming JSON writer: answers are written straight into a string, member by member, with
// no document tree built and thrown away per response (the case read's profile showed
// nlohmann's DOM - build, dump, destroy - at the top). Output is compact RFC 8259 JSON; strings
// are escaped like nlohmann's dump() (", \, control characters) and invalid UTF-8, never
// expected because the domain validates all text, is replaced by U+FFFD rather than emitted.
//
// Usage:
//   JsonWriter w(out);
//   w.begin_object().field("reference", ref).key("events").begin_array();
//   ... w.end_array().end_object();
// The writer checks nothing about nesting: the caller writes well-formed JSON (tests parse
// every answer with nlohmann). Not thread-safe; one writer per answer.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace grievance::http {

class JsonWriter {
 public:
  // Appends to `out`; `out` holds exactly what was written once the writer is destroyed.
  explicit JsonWriter(std::string& out);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  // A member name, one of the program's own identifiers ([a-z_0-9], never user input): written
  // as it is. The next call writes its value.
  JsonWriter& key(std::string_view name) {
    char* p = reserve(name.size() + 4);
    if (!first_) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = '"';
    *p++ = ':';
    pos_ = p;
    first_ = true;  // the value that follows takes no comma
    return *this;
  }

  // A member in one copy each: `name` already quoted with its colon (`"name":`, one of the
  // program's own identifiers), `json` an already-serialised value. For tables of many rows,
  // whose names are made once (stats_format.cpp).
  JsonWriter& member(std::string_view quoted_name, std::string_view json) {
    char* p = reserve(quoted_name.size() + json.size() + 1);
    if (!first_) *p++ = ',';
    std::memcpy(p, quoted_name.data(), quoted_name.size());
    p += quoted_name.size();
    std::memcpy(p, json.data(), json.size());
    pos_ = p + json.size();
    first_ = false;
    return *this;
  }

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(bool v) { return literal(v ? "true" : "false"); }
  JsonWriter& null() { return literal("null"); }
  // Already-serialised JSON (e.g. a nested answer built by another writer).
  JsonWriter& raw(std::string_view json) { return literal(json); }

  // Bytes written so far, and room for `n` more made at once: a writer that knows roughly how
  // much follows spares the buffer its doublings (each a copy, and fresh pages to touch).
  std::size_t written() const { return static_cast<std::size_t>(pos_ - out_.data()); }
  void expect(std::size_t n) { reserve(n); }
  // For an answer sent in pieces (ResponseStream): what the buffer holds now - every byte
  // written since the writer began or last restarted - and restart() to write the next piece
  // over it, its capacity kept. The writer's place in the JSON is kept across pieces.
  // REQUIRES: the buffer was empty when the writer began.
  std::string_view pending() const { return {out_.data(), written()}; }
  void restart() { pos_ = out_.data(); }

  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  template <class T>
  JsonWriter& field(std::string_view name, const std::optional<T>& v) {
    key(name);
    return v ? value(*v) : null();
  }

 private:
  // Room for `n` more bytes at pos_.
  char* reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) < n) grow(n);
    return pos_;
  }
  void grow(std::size_t n);
  void separate() {
    if (!first_) *reserve(1) = ',', ++pos_;
    first_ = false;
  }
  JsonWriter& open(char c) {
    separate();
    *reserve(1) = c;
    ++pos_;
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    *reserve(1) = c;
    ++pos_;
    first_ = false;
    return *this;
  }
  JsonWriter& literal(std::string_view text) {
    separate();
    std::memcpy(reserve(text.size()), text.data(), text.size());
    pos_ += text.size();
    return *this;
  }
  void append(std::string_view bytes) {
    std::memcpy(reserve(bytes.size()), bytes.data(), bytes.size());
    pos_ += bytes.size();
  }
  void string(std::string_view s);

  std::string& out_;
  char* pos_;          // next byte to write, in out_'s buffer
  char* end_;          // end of out_'s buffer as sized
  bool first_ = true;  // no element written yet in the innermost container
};

// `s` as a JSON string literal (quotes included), appended to `out`.
void append_json_string(std::string& out, std::string_view s);

}  // namespace grievance::http
