#include "server/http/pages/i18n.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "server/http/files.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::web {

using domain::Language;
using nlohmann::json;

namespace {

std::size_t index_of(Language lang) { return static_cast<std::size_t>(lang); }

// The primary subtag of a language range mapped to a supported language.
std::optional<Language> supported(std::string_view range) {
  const std::string tag = ascii_lower(range.substr(0, range.find('-')));
  if (tag == "in") return Language::kId;  // ISO 639 code for Indonesian before 1989
  return domain::parse_language(tag);
}

// "q=0.8" -> 800; malformed -> nullopt (the range is then ignored).
std::optional<int> parse_q(std::string_view v) {
  v = trim_blanks(v);
  if (v.size() < 2 || (v[0] != 'q' && v[0] != 'Q') || v[1] != '=') return std::nullopt;
  v.remove_prefix(2);
  if (v.empty() || v.size() > 5) return std::nullopt;
  if (v[0] == '1') {
    for (char c : v.substr(1)) {
      if (c != '.' && c != '0') return std::nullopt;
    }
    return 1000;
  }
  if (v[0] != '0') return std::nullopt;
  if (v.size() == 1) return 0;
  if (v[1] != '.') return std::nullopt;
  int q = 0;
  int scale = 100;
  for (char c : v.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    q += (c - '0') * scale;
    scale /= 10;
  }
  return q;
}

}  // namespace

Catalogues Catalogues::load(const std::string& dir) {
  Catalogues c;
  std::set<std::string> all_keys;
  for (Language lang : domain::all_languages()) {
    const std::string path = dir + "/" + std::string(domain::to_string(lang)) + ".json";
    auto text = read_file(path);
    if (!text) throw CatalogueError("cannot read catalogue " + path);
    json parsed = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) throw CatalogueError(path + ": not a JSON object");
    for (const auto& [key, value] : parsed.items()) {
      if (!value.is_string())
        throw CatalogueError(path + ": value of '" + key + "' is not a string");
      all_keys.insert(key);
    }
    c.roots_[index_of(lang)] = json{{"t", std::move(parsed)}};
  }
  for (Language lang : domain::all_languages()) {
    const json& t = c.roots_[index_of(lang)]["t"];
    for (const std::string& key : all_keys) {
      if (!t.contains(key)) {
        throw CatalogueError("catalogue " + std::string(domain::to_string(lang)) + " lacks key '" +
                             key + "'");
      }
    }
  }
  return c;
}

const json& Catalogues::context(Language lang) const { return roots_[index_of(lang)]; }

const std::string& Catalogues::text(Language lang, std::string_view key) const {
  const json& t = roots_[index_of(lang)]["t"];
  auto it = t.find(key);
  if (it == t.end() || !it->is_string()) {
    thread_local std::string fallback;
    fallback.assign(key);
    return fallback;
  }
  return it->get_ref<const std::string&>();
}

std::string Catalogues::format(
    Language lang, std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
  return fill_placeholders(text(lang, key), args);
}

std::string Catalogues::date(Language lang, domain::Date d) const {
  const unsigned month = static_cast<unsigned>(d.month());
  const std::string day = std::to_string(static_cast<unsigned>(d.day()));
  const std::string m = std::to_string(month);
  const std::string y = std::to_string(static_cast<int>(d.year()));
  const std::string& month_name = text(lang, "month_" + m);
  return format(lang, "date_format", {{"d", day}, {"m", m}, {"month", month_name}, {"y", y}});
}

std::vector<std::string> Catalogues::keys() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : roots_[0]["t"].items()) out.push_back(key);
  return out;
}

std::string fill_placeholders(
    std::string_view pattern,
    std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
  std::string out;
  out.reserve(pattern.size());
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const std::size_t open = pattern.find('{', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    auto arg =
        std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
    out.append(pattern.substr(pos, open - pos));
    if (arg != args.end()) {
      out.append(arg->second);
    } else {
      out.append(pattern.substr(open, close - open + 1));
    }
    pos = close + 1;
  }
  out.append(pattern.substr(std::min(pos, pattern.size())));
  return out;
}

std::optional<Language> language_from_accept(std::string_view header) {
  std::optional<Language> best;
  int best_q = 0;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const std::size_t semi = item.find(';');
    const std::string_view range = trim_blanks(item.substr(0, semi));
    int q = 1000;
    if (semi != std::string_view::npos) {
      auto parsed = parse_q(item.substr(semi + 1));
      if (!parsed) continue;
      q = *parsed;
    }
    if (q == 0 || range.empty() || range == "*") continue;
    auto lang = supported(range);
    if (lang && q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best;
}

Language choose_language(std::string_view query_lang, std::string_view cookie_lang,
                         std::string_view accept_language) {
  if (auto l = domain::parse_language(query_lang)) return *l;
  if (auto l = domain::parse_language(cookie_lang)) return *l;
  if (auto l = language_from_accept(accept_language)) return *l;
  return Language::kEn;
}

std::string_view language_endonym(Language lang) {
  switch (lang) {
    case Language::kEn:
      return "English";
    case Language::kNl:
      return "Nederlands";
    case Language::kId:
      return "Bahasa Indonesia";
    case Language::kVi:
      return "Tiếng Việt";
    case Language::kFr:
      return "Français";
  }
  return "English";
}

}  // namespace grievance::http::web
