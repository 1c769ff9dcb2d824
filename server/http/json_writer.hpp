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
#include <optional>
#include <string>
#include <string_view>

namespace grievance::http {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // A member name; the next call writes its value.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(bool v);
  JsonWriter& null();
  // Already-serialised JSON (e.g. a nested answer built by another writer).
  JsonWriter& raw(std::string_view json);

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
  void separate();

  std::string& out_;
  bool first_ = true;  // no element written yet in the innermost container
};

// `s` as a JSON string literal (quotes included), appended to `out`.
void append_json_string(std::string& out, std::string_view s);

}  // namespace grievance::http
