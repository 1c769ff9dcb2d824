// Reading a rendered page in the page tests (tests/http/*pages_test.cpp): how often a text
// occurs, the first capture of a pattern, and what a reader reads in one section.
#pragma once

#include <regex>
#include <string>
#include <vector>

namespace grievance::testing {

inline int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// The first capture group of the first match of `pattern`, or "".
inline std::string first_match(const std::string& s, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(s, m, std::regex(pattern))) return {};
  return m[1];
}

// The first capture group of every match of `pattern`.
inline std::vector<std::string> all_matches(const std::string& s, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

// The text inside the element with this id (up to the next "</section>"), tags removed and
// white space collapsed: what a reader of that part of the page reads.
inline std::string section_text(const std::string& html, const std::string& id) {
  const auto start = html.find("id=\"" + id + "\"");
  if (start == std::string::npos) return {};
  const auto end = html.find("</section>", start);
  std::string part = html.substr(start, end == std::string::npos ? std::string::npos : end - start);
  part = std::regex_replace(part, std::regex("<[^>]*>"), " ");
  part = std::regex_replace(part, std::regex("^[^>]*>"), "");
  part = std::regex_replace(part, std::regex("\\s+"), " ");
  return part;
}

}  // namespace grievance::testing
