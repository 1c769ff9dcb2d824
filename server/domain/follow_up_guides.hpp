// Follow-up guides for companies and unions (issue 10 item 6; docs/domain.md "Follow-up
// guides"): per complaint category and language, what to check, whom to involve, typical
// remedies and pitfalls, grounded in the UNGPs, the OECD Due Diligence Guidance and the ILO core
// conventions. The mechanism ships a default for every category in every language
// (follow_up_guide_defaults.cpp); the operator (admin) may replace any of them and reset it
// to the default. Shown beside the case view to those who handle cases.
//
// A guide is plain text: one bullet a line, no markup (pages escape it like any text).
// Thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/guide_store.hpp"
#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// Limits of one section of an edited guide.
inline constexpr std::size_t kGuideSectionMaxChars = 2000;  // code points
inline constexpr std::size_t kGuideSectionMaxLines = 12;
inline constexpr std::size_t kGuideLineMaxChars = 400;

// The section names as fields: "check", "involve", "remedies", "pitfalls".
inline constexpr std::string_view kGuideSections[] = {"check", "involve", "remedies", "pitfalls"};

// The shipped default of a category in a language (never empty: a unit test checks every
// category x language).
GuideText default_guide(Category category, Language language);

// Checks an edited guide and normalises it: CR removed, trailing spaces and blank lines dropped,
// a leading "- " or "* " of a line removed (the page draws the bullets). kInvalidField naming
// the section: not UTF-8 or a control character, more than kGuideSectionMaxChars,
// kGuideSectionMaxLines or kGuideLineMaxChars on a line, or all four sections empty ("check").
Result<GuideText> normalise_guide(const GuideText& draft);

// One section's bullets (non-empty lines).
std::vector<std::string_view> guide_lines(std::string_view section);

struct Guide {
  Category category = Category::kOther;
  Language language = Language::kEn;
  GuideText text;
  bool edited = false;  // the operator's version, not the default
  std::optional<TimePoint> updated_at;
};

class FollowUpGuides {
 public:
  // `store` may be null (some tests): the defaults are read, edits answer kUnavailable.
  FollowUpGuides(GuideStore* store, const Clock& clock) : store_(store), clock_(clock) {}

  // Who may read guides: those who handle cases (union, company, admin); kForbidden for
  // others (auditors, complainants). Errors: kUnavailable.
  Result<Guide> guide(const Session& s, Category category, Language language) const;
  // The guides of `categories` (a case's), in that order.
  Result<std::vector<Guide>> guides(const Session& s, const std::vector<Category>& categories,
                                    Language language) const;
  // Admin only (kForbidden). Errors: kInvalidField (normalise_guide), kUnavailable.
  Result<Guide> update(const Session& s, Category category, Language language,
                       const GuideText& draft);
  // Admin only: back to the shipped default.
  Result<Guide> reset(const Session& s, Category category, Language language);

 private:
  Result<Guide> read(Category category, Language language) const;

  GuideStore* store_;
  const Clock& clock_;
};

}  // namespace grievance::domain
