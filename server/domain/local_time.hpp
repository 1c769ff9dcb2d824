// Local time for the worker's pages (issue 8; docs/domain.md "Local time"): a worker reads
// times in the zone of the workplace (its country, and its region where a country has several
// zones), and dates as the local calendar day. Everything is stored in UTC; only the pages
// convert.
//
// libstdc++ 12 has no usable time-zone database, so the programme's countries have a small
// table here, ONE place for the rule: fixed offsets, Indonesia's three zones by province, and
// the EU's summer time for the European countries (Directive 2000/84/EC: from 01:00 UTC on the
// last Sunday of March to 01:00 UTC on the last Sunday of October). A country not in the table
// is shown in UTC, labelled so.
//
// Pure functions: no I/O, any thread.
#pragma once

#include <chrono>
#include <string_view>

#include "server/domain/types.hpp"

namespace grievance::domain {

// A zone as the table knows it: a fixed standard offset, its label, and whether EU summer time
// applies (then one hour more and `summer_label`).
struct TimeZone {
  std::string_view label = "UTC";  // "WIB", "CET", "GMT", "UTC+7"
  std::chrono::minutes offset{0};  // standard time minus UTC
  bool eu_summer_time = false;
  std::string_view summer_label;  // "CEST"

  bool operator==(const TimeZone&) const = default;
};

// UTC, for anything the table does not know.
TimeZone utc_zone();

// The zone of a place: `country` (ISO 3166-1 alpha-2) and, for a country with several zones,
// `region` (free text; a province's name in Indonesian or English, alone or among
// comma-separated parts: "Riau, Kampar"). Indonesia without a known province is WIB (Western
// Indonesia, where most people live); the label says so. UTC for an unknown country.
TimeZone time_zone_of(std::string_view country, std::string_view region = {});

// The zone a complaint's times are shown in: its known site's country and region, else the
// country the complainant gave. The one rule for the receipt and the case page.
TimeZone complaint_time_zone(const Complaint& complaint, const Site* site);

// True when EU summer time is in force at `t`.
bool is_eu_summer_time(TimePoint t);

// A moment on the local clock, with the label of the offset in force then.
struct LocalTime {
  std::chrono::local_seconds time;
  std::string_view label;
};
LocalTime to_local(TimePoint t, const TimeZone& zone);

// The UTC moment a local clock time in `zone` names (a time a worker typed, e.g. a meeting's).
// A time that falls in the hour skipped or repeated by EU summer time is read as summer time
// where summer time holds at that moment, standard time otherwise.
TimePoint from_local(std::chrono::local_seconds local, const TimeZone& zone);

// The local calendar day of `t` ("dates as dates": a deadline at 23:30 UTC is the next day in
// Jakarta).
Date local_date(TimePoint t, const TimeZone& zone);

}  // namespace grievance::domain
