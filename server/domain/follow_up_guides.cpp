#include "server/domain/follow_up_guides.hpp"

#include <string>

#include "server/domain/access_policy.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {
namespace {

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

Result<std::string> normalise_section(std::string_view field, std::string_view raw) {
  if (!is_valid_utf8(raw) || !has_only_text_characters(raw)) {
    return fail(Error::invalid_field(std::string(field), "Plain text only."));
  }
  if (utf8_length(raw) > kGuideSectionMaxChars) {
    return fail(Error::invalid_field(
        std::string(field),
        "At most " + std::to_string(kGuideSectionMaxChars) + " characters per section."));
  }
  std::string out;
  std::size_t lines = 0;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('\n', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = trim_left(trim_right(line));
    // The page draws the bullets; a typed one would show twice.
    if (line.starts_with("- ") || line.starts_with("* ")) line = trim_left(line.substr(2));
    if (!line.empty()) {
      if (line.find('\r') != std::string_view::npos || line.find('\t') != std::string_view::npos) {
        return fail(Error::invalid_field(std::string(field), "Plain text only."));
      }
      if (utf8_length(line) > kGuideLineMaxChars) {
        return fail(Error::invalid_field(
            std::string(field),
            "At most " + std::to_string(kGuideLineMaxChars) + " characters per line."));
      }
      if (++lines > kGuideSectionMaxLines) {
        return fail(Error::invalid_field(
            std::string(field),
            "At most " + std::to_string(kGuideSectionMaxLines) + " lines per section."));
      }
      if (!out.empty()) out += '\n';
      out += line;
    }
    start = end + 1;
  }
  return out;
}

bool handles_cases(const Session& s) { return may_list_cases(s.role); }

}  // namespace

std::vector<std::string_view> guide_lines(std::string_view section) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < section.size()) {
    std::size_t end = section.find('\n', start);
    if (end == std::string_view::npos) end = section.size();
    if (end > start) out.push_back(section.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<GuideText> normalise_guide(const GuideText& draft) {
  GuideText out;
  std::string* outs[] = {&out.check, &out.involve, &out.remedies, &out.pitfalls};
  const std::string* ins[] = {&draft.check, &draft.involve, &draft.remedies, &draft.pitfalls};
  for (std::size_t i = 0; i < 4; ++i) {
    auto section = normalise_section(kGuideSections[i], *ins[i]);
    if (!section) return fail(section.error());
    *outs[i] = *std::move(section);
  }
  if (out.check.empty() && out.involve.empty() && out.remedies.empty() && out.pitfalls.empty()) {
    return fail(Error::invalid_field("check", "A guide needs at least one line."));
  }
  return out;
}

Result<Guide> FollowUpGuides::read(Category category, Language language) const {
  Guide g{category, language, default_guide(category, language), false, std::nullopt};
  if (store_ == nullptr) return g;
  auto stored = store_->find_guide(category, language);
  if (!stored) return fail(stored.error());
  if (*stored) {
    g.text = (*stored)->text;
    g.edited = true;
    g.updated_at = (*stored)->updated_at;
  }
  return g;
}

Result<Guide> FollowUpGuides::guide(const Session& s, Category category, Language language) const {
  if (!handles_cases(s)) return fail(Error::forbidden());
  return read(category, language);
}

Result<std::vector<Guide>> FollowUpGuides::guides(const Session& s,
                                                  const std::vector<Category>& categories,
                                                  Language language) const {
  if (!handles_cases(s)) return fail(Error::forbidden());
  std::vector<Guide> out;
  for (Category c : categories) {
    auto g = read(c, language);
    if (!g) return fail(g.error());
    out.push_back(*std::move(g));
  }
  return out;
}

Result<Guide> FollowUpGuides::update(const Session& s, Category category, Language language,
                                     const GuideText& draft) {
  if (!may_administer(s.role)) return fail(Error::forbidden());
  auto text = normalise_guide(draft);
  if (!text) return fail(text.error());
  if (store_ == nullptr) return fail(Error::unavailable());
  StoredGuide stored{*text, clock_.now(), s.user_id.value_or(0)};
  if (auto put = store_->put_guide(category, language, stored); !put) return fail(put.error());
  return Guide{category, language, stored.text, true, stored.updated_at};
}

Result<Guide> FollowUpGuides::reset(const Session& s, Category category, Language language) {
  if (!may_administer(s.role)) return fail(Error::forbidden());
  if (store_ == nullptr) return fail(Error::unavailable());
  if (auto del = store_->delete_guide(category, language); !del) return fail(del.error());
  return Guide{category, language, default_guide(category, language), false, std::nullopt};
}

}  // namespace grievance::domain
