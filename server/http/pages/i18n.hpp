// Message catalogues of the worker pages (web/i18n/<lang>.json) and the choice of language
// (docs/architecture.md "Pages": en, nl, id, vi, fr, chosen by Accept-Language and a switch).
// A catalogue is one flat JSON object of snake_case key -> UTF-8 string. Strings may carry
// placeholders "{name}" that format() fills in.
// Thread-safety: a loaded Catalogues is immutable; every const method may be called from any
// thread.
#pragma once

#include <array>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/domain/types.hpp"

namespace grievance::http::web {

class CatalogueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Catalogues {
 public:
  // Loads <dir>/<lang>.json for every language of domain::all_languages(). Throws
  // CatalogueError when a file is missing or not a flat object of strings, or when any
  // catalogue lacks a key another one has (so a missing translation fails at startup, not in
  // front of a worker).
  static Catalogues load(const std::string& dir);

  // {"t": {key: text, ...}}: the per-language root of a template context ({{t.key}}).
  const nlohmann::json& context(domain::Language lang) const;
  // The text of `key`; the key itself when unknown (never empty, never throws).
  const std::string& text(domain::Language lang, std::string_view key) const;
  // text() with each "{name}" replaced by its value (values are inserted as they are).
  std::string format(
      domain::Language lang, std::string_view key,
      std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;
  // A date in the language's words: "29 November 2026", "29 tháng 11 năm 2026".
  std::string date(domain::Language lang, domain::Date d) const;
  // Every key (identical for every language after load()).
  std::vector<std::string> keys() const;

 private:
  std::array<nlohmann::json, 5> roots_;  // indexed by static_cast<int>(Language)
};

// Fills "{name}" placeholders in `pattern`.
std::string fill_placeholders(
    std::string_view pattern,
    std::initializer_list<std::pair<std::string_view, std::string_view>> args);

// The best supported language of an Accept-Language header (RFC 9110 12.5.4): the highest
// q-value wins, ties keep header order, q=0 excludes, "id-ID" matches "id", the legacy "in"
// means Indonesian, "*" is ignored. nullopt when nothing supported is acceptable.
std::optional<domain::Language> language_from_accept(std::string_view header);

// ?lang= (when supported) > lang cookie > Accept-Language > English.
domain::Language choose_language(std::string_view query_lang, std::string_view cookie_lang,
                                 std::string_view accept_language);

// The language's own name ("Bahasa Indonesia", "Tiếng Việt", ...), for the switch.
std::string_view language_endonym(domain::Language lang);

}  // namespace grievance::http::web
