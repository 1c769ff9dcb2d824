// The public register (issue 11 item 6; docs/domain.md "Public register"): the cases whose
// complainant chose to list them, as anyone may read them without signing in, beside the
// protected headline statistics of the mechanism. RSPO and Fair Wear publish theirs.
//
// What a listed case shows: reference, the responsible company, country, sector, categories,
// status, the month of filing (not the day), the date it was closed and the outcome; the site's
// name only when at least k cases in all were filed about that site. Never the narrative,
// messages, contact, identity, attachments or access code: the entry is built from the case's
// closed-list fields only, and the store does not even load the sealed ones.
//
// Consent is the complainant's, as an event (register_consent, detail "given" or "withdrawn",
// Casework::set_register_listing); listed_in_register() is the one rule that reads it.
// Thread-safe: one per server, any request thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/stats/disclosure.hpp"
#include "server/domain/stats_service.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// The register_consent event's detail.
inline constexpr std::string_view kRegisterGiven = "given";
inline constexpr std::string_view kRegisterWithdrawn = "withdrawn";

// Is the case listed: its last register_consent event gave consent. `events` in seq order.
bool listed_in_register(std::span<const CaseEvent> events);

// One listed case as the public reads it.
struct RegisterEntry {
  std::string reference;
  std::optional<std::string> company;  // the responsible company; nullopt: not yet assigned
  std::string country;                 // ISO 3166-1 alpha-2
  std::optional<Sector> sector;        // the site's; nullopt when the site is unknown
  std::vector<Category> categories;
  CaseStatus status = CaseStatus::kReceived;
  std::chrono::year_month filed;  // the month only: the day could point at a person
  std::optional<Date> closed;     // the day it was settled, while it stays settled
  std::optional<Outcome> outcome;
  // The site's name when at least k cases were filed about it; site_hidden when the case has a
  // known site that is not named (fewer than k cases there); both empty when no site is known.
  std::optional<std::string> site;
  bool site_hidden = false;
};

// GET /register and GET /api/v1/register as the client sent them (strings, empty: absent).
struct RegisterRequest {
  std::string company{};  // an organisation id
  std::string country{};
  std::string sector{};
  std::string page{};  // 1, 2, ...: page numbers, since a cursor would carry a filing time
};

struct RegisterPage {
  int k = 5;             // the threshold behind "fewer than k" and behind naming a site
  int year = 0;          // "this year" of the headline
  StatsTable total;      // every case, all time, protected: one row (none without cases)
  StatsTable this_year;  // the cases filed this year, as protected
  std::vector<RegisterEntry> entries;  // newest filed first, at most kRegisterPageSize
  int page = 1;
  bool has_next = false;
};

inline constexpr int kRegisterPageSize = 50;

class PublicRegister {
 public:
  PublicRegister(CaseStore& cases, DirectoryStore& directory, const StatsService& stats,
                 const Clock& clock, const DisclosureConfig& config);

  // One page of the register with the headline figures. No session: the register is public.
  // invalid_field naming "company", "country", "sector" or "page"; the stores' errors.
  Result<RegisterPage> page(const RegisterRequest& r) const;

 private:
  CaseStore& cases_;
  DirectoryStore& directory_;
  const StatsService& stats_;
  const Clock& clock_;
  const DisclosureConfig config_;
};

}  // namespace grievance::domain
