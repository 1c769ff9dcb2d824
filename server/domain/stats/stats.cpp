#include "server/domain/stats/stats.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <numeric>
#include <set>
#include <thread>
#include <tuple>

#include "server/domain/lifecycle.hpp"

namespace grievance::domain {
namespace {

std::optional<std::int64_t> parse_id(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

bool is_two_capitals(std::string_view s) {
  return s.size() == 2 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string group_by_message() {
  std::string names;
  for (StatsDimension d : all_stats_dimensions()) {
    if (!names.empty()) names += ", ";
    names += to_string(d);
  }
  return "Must be one or two of " + names + ", separated by a comma.";
}

Result<std::vector<StatsDimension>> parse_group_by(std::string_view s) {
  std::vector<StatsDimension> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    const auto part = s.substr(start, comma == std::string_view::npos ? s.npos : comma - start);
    const auto d = parse_stats_dimension(part);
    if (!d || std::find(out.begin(), out.end(), *d) != out.end() || out.size() == kMaxGroupBy) {
      return fail(Error::invalid_field("group_by", group_by_message()));
    }
    out.push_back(*d);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Date date_of(TimePoint t) { return Date{std::chrono::floor<std::chrono::days>(t)}; }

bool routed_to(const CaseFacts& f, std::int64_t org) {
  return f.responsible_org_id == org ||
         std::find(f.buyer_org_ids.begin(), f.buyer_org_ids.end(), org) != f.buyer_org_ids.end();
}

bool in_scope(const StatsQuery& q, const CaseFacts& f) {
  if (q.scope_party_org_id && !routed_to(f, *q.scope_party_org_id)) return false;
  if (q.scope_union_org_id && f.union_org_id != q.scope_union_org_id) return false;
  return true;
}

bool selected(const StatsQuery& q, const CaseFacts& f) {
  const Date filed = date_of(f.filed_at);
  if (q.from && filed < *q.from) return false;
  if (q.to && filed > *q.to) return false;
  if (q.company_org_id && !routed_to(f, *q.company_org_id)) return false;
  if (q.site_id && f.site_id != q.site_id) return false;
  if (q.sector && f.sector != q.sector) return false;
  if (!q.country.empty() && f.country != q.country) return false;
  if (q.category && !(f.categories & category_bit(*q.category))) return false;
  if (q.channel && f.channel != q.channel) return false;
  return true;
}

double round_to(double v, double unit) { return std::round(v / unit) * unit; }

std::optional<double> ratio(const Count& num, const Count& den) {
  if (!num.value || !den.value || *den.value <= 0) return std::nullopt;
  return std::clamp(static_cast<double>(*num.value) / static_cast<double>(*den.value), 0.0, 1.0);
}

// Ids sort as numbers, everything else as text ("2026-11", "wages").
bool value_less(const std::string& a, const std::string& b) {
  const auto digits = [](const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(a) && digits(b) && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

}  // namespace

bool stats_selects(const StatsQuery& query, const CaseFacts& facts) {
  return in_scope(query, facts) && selected(query, facts);
}

// ---- the query ---------------------------------------------------------------------------

Result<StatsQuery> parse_stats_query(const StatsRequest& r) {
  StatsQuery q;
  if (!r.from.empty()) {
    q.from = parse_date(r.from);
    if (!q.from) return fail(Error::invalid_field("from", "Must be a date YYYY-MM-DD."));
  }
  if (!r.to.empty()) {
    q.to = parse_date(r.to);
    if (!q.to) return fail(Error::invalid_field("to", "Must be a date YYYY-MM-DD."));
  }
  if (q.from && q.to && *q.to < *q.from) {
    return fail(Error::invalid_field("to", "Must not be before the start date."));
  }
  if (!r.company.empty()) {
    q.company_org_id = parse_id(r.company);
    if (!q.company_org_id) return fail(Error::invalid_field("company", "Unknown company."));
  }
  if (!r.site.empty()) {
    q.site_id = parse_id(r.site);
    if (!q.site_id) return fail(Error::invalid_field("site", "Unknown site."));
  }
  if (!r.sector.empty()) {
    q.sector = parse_sector(r.sector);
    if (!q.sector) return fail(Error::invalid_field("sector", "Unknown sector."));
  }
  if (!r.country.empty()) {
    if (!is_two_capitals(r.country)) {
      return fail(Error::invalid_field("country", "Must be a two-letter country code."));
    }
    q.country = r.country;
  }
  if (!r.category.empty()) {
    q.category = parse_category(r.category);
    if (!q.category) return fail(Error::invalid_field("category", "Unknown category."));
  }
  if (!r.channel.empty()) {
    q.channel = parse_channel(r.channel);
    if (!q.channel) return fail(Error::invalid_field("channel", "Unknown channel."));
  }
  auto group_by = parse_group_by(r.group_by);
  if (!group_by) return fail(group_by.error());
  q.group_by = *std::move(group_by);
  return q;
}

Status check_detail(const StatsQuery& q, Protection protection, const DisclosureConfig& config,
                    TimePoint now) {
  if (protection == Protection::kExact) return {};
  // Filtering to one site is as fine as grouping by it; a short window is as fine as a month.
  std::set<StatsDimension> narrowed(q.group_by.begin(), q.group_by.end());
  if (q.site_id) narrowed.insert(StatsDimension::kSite);
  if (q.company_org_id) narrowed.insert(StatsDimension::kCompany);
  if (q.from) {
    const Date to = q.to ? *q.to : date_of(now);
    if (std::chrono::sys_days{to} - std::chrono::sys_days{*q.from} <
        std::chrono::days{kShortRangeDays}) {
      narrowed.insert(StatsDimension::kMonth);
    }
  }
  int detail = 0;
  for (StatsDimension d : narrowed) detail += detail_weight(d);
  if (detail > config.max_detail) {
    return fail(Error::invalid_field(
        "group_by",
        "This table is too detailed to publish without exposing workers: group by fewer or "
        "coarser dimensions (a quarter, a sector, a country), or drop the site filter."));
  }
  return {};
}

// ---- the builder -------------------------------------------------------------------------

namespace {

// A case's value in one dimension as a number, turned into its text (GroupKey::value) once per
// group at the end, not once per case: a month is year * 12 + month - 1, a quarter year * 4 +
// quarter - 1, an id itself, a code from a closed list its enum's value, a country its two
// letters; kNoCode is "none".
using GroupCode = std::array<std::int64_t, kMaxGroupBy>;
constexpr std::int64_t kNoCode = -1;

// At most one value per dimension but for categories (one per category of the case).
struct Codes {
  std::array<std::int64_t, 16> values;  // the first n are set
  std::size_t n = 0;
  void push(std::int64_t v) { values[n++] = v; }
};

template <class E>
std::int64_t code_of(const std::optional<E>& v) {
  return v ? static_cast<std::int64_t>(*v) : kNoCode;
}

std::int64_t country_code(const std::string& c) {
  if (c.size() != 2) return kNoCode;  // an ISO 3166-1 alpha-2 code, or none
  return (static_cast<std::int64_t>(static_cast<unsigned char>(c[0])) << 8) |
         static_cast<unsigned char>(c[1]);
}

Codes codes_of(const CaseFacts& f, StatsDimension d) {
  Codes out;
  switch (d) {
    case StatsDimension::kMonth:
    case StatsDimension::kQuarter: {
      const Date day = date_of(f.filed_at);
      const auto year = static_cast<std::int64_t>(static_cast<int>(day.year()));
      const auto month = static_cast<std::int64_t>(static_cast<unsigned>(day.month())) - 1;
      out.push(d == StatsDimension::kMonth ? year * 12 + month : year * 4 + month / 3);
      break;
    }
    case StatsDimension::kCompany:
      out.push(f.responsible_org_id.value_or(kNoCode));
      break;
    case StatsDimension::kSite:
      out.push(f.site_id.value_or(kNoCode));
      break;
    case StatsDimension::kSector:
      out.push(code_of(f.sector));
      break;
    case StatsDimension::kCountry:
      out.push(country_code(f.country));
      break;
    case StatsDimension::kCategory: {
      const auto all = all_categories();
      for (std::size_t i = 0; i < all.size() && i < out.values.size(); ++i) {
        if (f.categories & category_bit(all[i])) out.push(static_cast<std::int64_t>(i));
      }
      break;
    }
    case StatsDimension::kChannel:
      out.push(static_cast<std::int64_t>(f.channel));
      break;
    case StatsDimension::kStatus:
      out.push(static_cast<std::int64_t>(f.status));
      break;
    case StatsDimension::kOutcome:
      out.push(code_of(f.outcome));
      break;
  }
  return out;
}

// The text of a code (GroupKey::value): "2026-11", "2026-Q4", an id in decimal, a wire name.
std::string text_of(StatsDimension d, std::int64_t code) {
  if (code == kNoCode) return std::string(kNoValue);
  char buf[32];
  switch (d) {
    case StatsDimension::kMonth:
      std::snprintf(buf, sizeof buf, "%04lld-%02lld", static_cast<long long>(code / 12),
                    static_cast<long long>(code % 12 + 1));
      return buf;
    case StatsDimension::kQuarter:
      std::snprintf(buf, sizeof buf, "%04lld-Q%lld", static_cast<long long>(code / 4),
                    static_cast<long long>(code % 4 + 1));
      return buf;
    case StatsDimension::kCompany:
    case StatsDimension::kSite:
      return std::to_string(code);
    case StatsDimension::kSector:
      return std::string(to_string(static_cast<Sector>(code)));
    case StatsDimension::kCountry:
      return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    case StatsDimension::kCategory:
      return std::string(to_string(all_categories()[static_cast<std::size_t>(code)]));
    case StatsDimension::kChannel:
      return std::string(to_string(static_cast<Channel>(code)));
    case StatsDimension::kStatus:
      return std::string(to_string(static_cast<CaseStatus>(code)));
    case StatsDimension::kOutcome:
      return std::string(to_string(static_cast<Outcome>(code)));
  }
  return std::string(kNoValue);
}

struct Sighting {
  std::int64_t site_id = 0;
  CategorySet categories = 0;
  TimePoint at;
  std::uint32_t cell_key = 0;
};

struct Group {
  GroupCode code{};
  CategorySet recurrence_mask = static_cast<CategorySet>(~CategorySet{0});
  StatsCell cell;  // but its hours: collected below as durations
  // Each step's durations in whole hours; reordered by finish() (a selection of the quantiles).
  // A vector per group: its small blocks come from memory the heap already holds, where one
  // array per builder, grown by doubling, took fresh pages at every request (a fifth slower on
  // tables of a thousand groups, measured over a million cases).
  mutable std::array<std::vector<std::int64_t>, kStepCount> hours;
  Tally overdue;
  std::vector<std::size_t> sightings;  // kAmongCasesGiven: this group's cases at a known site
};

// A group is large (a cell of every count): a deque keeps each where it was made as more come,
// instead of moving them all at each doubling.
using Groups = std::deque<Group>;

// The groups by code: open addressing with linear probing over a power-of-two table, half full
// at most, each slot holding the code beside its group (a deque keeps them where they are), so
// a lookup reads no group but the one it finds. A tree of string keys cost more than the
// counting.
class GroupIndex {
 public:
  // The group with this code; nullptr when it has none yet, after which add() must follow.
  Group* find(const GroupCode& code) {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = hash(code) & mask();; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (slot.group == nullptr) return nullptr;
      if (slot.code == code) return slot.group;
    }
  }
  void add(Group& group) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    place(group);
    ++used_;
  }

 private:
  struct Slot {
    GroupCode code{};
    Group* group = nullptr;
  };
  std::size_t mask() const { return slots_.size() - 1; }
  static std::size_t hash(const GroupCode& c) {
    // splitmix64's finaliser over the two codes.
    std::uint64_t x =
        static_cast<std::uint64_t>(c[0]) * 0x9e3779b97f4a7c15ULL ^ static_cast<std::uint64_t>(c[1]);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<std::size_t>(x ^ (x >> 31));
  }
  void place(Group& group) {
    std::size_t i = hash(group.code) & mask();
    while (slots_[i].group != nullptr) i = (i + 1) & mask();
    slots_[i] = Slot{group.code, &group};
  }
  void grow() {
    std::vector<Slot> old(std::max<std::size_t>(64, 2 * slots_.size()));
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.group != nullptr) place(*slot.group);
    }
  }
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

// For every sighting, the categories in which it repeats an earlier complaint at the same site
// within kRecurrenceDays (earlier: filed before it, or at the same second and seen first).
std::vector<CategorySet> recurrences(const std::vector<Sighting>& all) {
  // Sorted by site, then time, then the order seen (a stable order without an indirect
  // comparison per step: the sort touches the keys it compares).
  struct Entry {
    std::int64_t site;
    TimePoint at;
    std::size_t index;
  };
  std::vector<Entry> order;
  order.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) order.push_back({all[i].site_id, all[i].at, i});
  std::sort(order.begin(), order.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.site, a.at, a.index) < std::tie(b.site, b.at, b.index);
  });
  std::vector<CategorySet> out(all.size(), 0);
  std::array<std::optional<TimePoint>, 16> last{};
  std::optional<std::int64_t> site;
  for (const Entry& e : order) {
    const Sighting& s = all[e.index];
    if (site != s.site_id) {
      last.fill(std::nullopt);
      site = s.site_id;
    }
    for (std::size_t c = 0; c < last.size(); ++c) {
      if (!(s.categories & (CategorySet{1} << c))) continue;
      if (last[c] && s.at - *last[c] <= std::chrono::days{kRecurrenceDays}) {
        out[e.index] |= static_cast<CategorySet>(CategorySet{1} << c);
      }
      last[c] = s.at;
    }
  }
  return out;
}

Durations publish_steps(const Tally& reached, const std::optional<std::pair<double, double>>& days,
                        Protection p, const DisclosureConfig& config) {
  Durations d;
  d.cases = publish(reached, p, config);
  if (!d.cases.value || *d.cases.value <= 0 || !days) return d;
  auto [median, p90] = *days;
  if (p == Protection::kProtected) {
    median = round_to(median, 1.0);  // whole days: no hour-exact durations
    p90 = round_to(p90, 1.0);
  }
  d.median_days = median;
  d.p90_days = p90;
  return d;
}

}  // namespace

// Rows from which finish_rows() makes them on two threads (a thread's start costs about what a
// few hundred rows do).
constexpr std::size_t kRowsForTwoThreads = 4096;
// The rows made at once on the second thread: about 1 MB of rows.
constexpr std::size_t kRowBlock = 1024;

struct StatsBuilder::State {
  StatsQuery query;
  TimePoint now;
  Recurrence recurrence;
  std::vector<Sighting> sightings;  // kAmongCasesGiven only
  Groups groups;
  GroupIndex index;

  Group& group(const GroupCode& code) {
    if (Group* found = index.find(code)) return *found;
    Group& fresh = groups.emplace_back();
    fresh.code = code;
    index.add(fresh);
    for (std::size_t i = 0; i < query.group_by.size(); ++i) {
      // In a category's row, recurrence is a repeat in that category.
      if (query.group_by[i] == StatsDimension::kCategory) {
        fresh.recurrence_mask = category_bit(all_categories()[static_cast<std::size_t>(code[i])]);
      }
    }
    return fresh;
  }
};

StatsBuilder::StatsBuilder(StatsQuery query, TimePoint now, Recurrence recurrence)
    : state_(std::make_unique<State>(State{std::move(query), now, recurrence, {}, {}, {}})) {}
StatsBuilder::~StatsBuilder() = default;
StatsBuilder::StatsBuilder(StatsBuilder&&) noexcept = default;
StatsBuilder& StatsBuilder::operator=(StatsBuilder&&) noexcept = default;

void StatsBuilder::add(const CaseFacts& f) {
  State& s = *state_;
  if (!in_scope(s.query, f)) return;
  const bool given = s.recurrence == Recurrence::kAmongCasesGiven;
  std::optional<std::size_t> sighting;
  if (given && f.site_id) {
    sighting = s.sightings.size();
    s.sightings.push_back(Sighting{*f.site_id, f.categories, f.filed_at, f.cell_key});
  }
  if (!selected(s.query, f)) return;
  const bool overdue = is_overdue(f, s.now);
  const std::array<const std::optional<std::int64_t>*, kStepCount> steps{
      &f.ack_seconds, &f.first_response_seconds, &f.resolution_seconds};
  std::array<std::int64_t, kStepCount> hours{};
  for (std::size_t i = 0; i < kStepCount; ++i) {
    if (*steps[i]) hours[i] = hours_of(**steps[i]);
  }
  const auto add_to = [&](const GroupCode& code) {
    Group& g = s.group(code);
    // kAmongCasesGiven: recurrence needs every sighting, so finish() adds it.
    const bool recurrent = !given && (f.repeats & g.recurrence_mask) != 0;
    g.cell.add(f, recurrent, false);
    for (std::size_t i = 0; i < kStepCount; ++i) {
      if (*steps[i]) g.hours[i].push_back(hours[i]);
    }
    if (overdue) g.overdue.add(f.cell_key);
    if (sighting) g.sightings.push_back(*sighting);
  };
  // Every combination of the case's values: one row per category when grouped by category.
  const auto& by = s.query.group_by;
  if (by.empty()) return add_to(GroupCode{});
  const Codes first = codes_of(f, by[0]);
  if (by.size() == 1) {
    for (std::size_t i = 0; i < first.n; ++i) add_to(GroupCode{first.values[i], 0});
    return;
  }
  const Codes second = codes_of(f, by[1]);
  for (std::size_t i = 0; i < first.n; ++i) {
    for (std::size_t j = 0; j < second.n; ++j) add_to(GroupCode{first.values[i], second.values[j]});
  }
}

void StatsBuilder::merge(StatsBuilder&& other) {
  State& s = *state_;
  State& o = *other.state_;
  const std::size_t base = s.sightings.size();
  s.sightings.insert(s.sightings.end(), o.sightings.begin(), o.sightings.end());
  for (Group& from : o.groups) {
    for (std::size_t& sighting : from.sightings) sighting += base;
    if (Group* into = s.index.find(from.code)) {
      into->cell.merge(from.cell);
      for (std::size_t i = 0; i < kStepCount; ++i) {
        into->hours[i].insert(into->hours[i].end(), from.hours[i].begin(), from.hours[i].end());
      }
      into->overdue.n += from.overdue.n;
      into->overdue.key += from.overdue.key;  // modulo 2^32, as Tally::add
      into->sightings.insert(into->sightings.end(), from.sightings.begin(), from.sightings.end());
      continue;
    }
    // A group only `other` has is taken as it is, not added into an empty one.
    Group& moved = s.groups.emplace_back(std::move(from));
    s.index.add(moved);
  }
  o.index = GroupIndex{};  // before the groups it points to go
  o.groups.clear();
  o.sightings.clear();
}

StatsRow publish_cell(std::vector<GroupKey> keys, const StatsCell& g, const Tally& overdue,
                      Protection p, const DisclosureConfig& config) {
  return publish_cell(std::move(keys), g, step_days(g), overdue, p, config);
}

StatsRow publish_cell(std::vector<GroupKey> keys, const StatsCell& g, const StepDays& days,
                      const Tally& overdue, Protection p, const DisclosureConfig& config) {
  StatsRow r;
  r.keys = std::move(keys);
  const auto pub = [&](const Tally& t) { return publish(t, p, config); };
  const auto pub_all = [&](const auto& tallies) {
    std::array<Count, std::tuple_size_v<std::decay_t<decltype(tallies)>>> out{};
    for (std::size_t i = 0; i < tallies.size(); ++i) out[i] = pub(tallies[i]);
    return out;
  };
  r.registered = pub(g.registered);
  r.by_channel = pub_all(g.by_channel);
  r.by_kind = pub_all(g.by_kind);
  const Count collective = r.by_kind[static_cast<std::size_t>(ComplainantKind::kCollective)];
  if (collective.value && *collective.value > 0) {
    r.collective_headcount = p == Protection::kExact
                                 ? g.headcount
                                 : static_cast<std::int64_t>(round_to(g.headcount, 10.0));
  }
  r.open = pub(g.open);
  r.overdue = pub(overdue);
  r.ack_decided = pub(g.ack_decided);
  r.ack_in_time = pub(g.ack_in_time);
  r.ack_in_time_share = ratio(r.ack_in_time, r.ack_decided);
  r.to_acknowledgement = publish_steps(g.reached[0], days[0], p, config);
  r.to_first_response = publish_steps(g.reached[1], days[1], p, config);
  r.to_resolution = publish_steps(g.reached[2], days[2], p, config);
  r.by_outcome = pub_all(g.by_outcome);
  r.escalated = pub(g.escalated);
  r.appealed = pub(g.appealed);
  r.appeal_upheld = pub(g.appeal_upheld);
  r.appeal_reopened = pub(g.appeal_reopened);
  r.withdrawn = pub(g.withdrawn);
  r.remedy_accepted = pub(g.accepted);
  r.remedy_refused = pub(g.refused);
  r.satisfaction = pub_all(g.satisfaction);
  if (const Count scored = pub(g.scored); scored.value && *scored.value > 0) {
    const double mean = static_cast<double>(g.satisfaction_sum) / static_cast<double>(g.scored.n);
    r.satisfaction_mean = p == Protection::kExact ? mean : round_to(mean, 0.1);
  }
  r.actions_confirmed = pub(g.confirmed);
  r.actions_disputed = pub(g.disputed);
  r.follow_up_asked = pub(g.follow_up_asked);
  r.remedy_held = pub_all(g.held);
  // Recurrence among this row's cases: each repeat once, its site once.
  Tally recurrent_cases;
  for (const auto& [site, t] : g.recurrent) {
    recurrent_cases.n += t.n;
    recurrent_cases.key += t.key;
  }
  Tally recurrent_sites{static_cast<std::int64_t>(g.recurrent.size()), recurrent_cases.key};
  r.recurrent_cases = pub(recurrent_cases);
  r.recurrent_sites = pub(recurrent_sites);
  r.retaliation_reported = pub(g.retaliation);
  r.settled = pub(g.settled);
  r.reopened = pub(g.reopened);
  r.reopen_rate = ratio(r.reopened, r.settled);

  if (r.registered.fewer_than_k()) {
    // A row of fewer than k cases says only that: every figure in it is withheld.
    StatsRow withheld;
    withheld.keys = std::move(r.keys);
    for_each_count(withheld, [](const std::string&, Count& c) { c = Count::fewer(); });
    r = std::move(withheld);
  }
  return r;
}

bool keys_less(const std::vector<GroupKey>& a, const std::vector<GroupKey>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].value == b[i].value) continue;
    return value_less(a[i].value, b[i].value);
  }
  return a.size() < b.size();
}

void sort_stats_rows(std::vector<StatsRow>& rows) {
  // A row is large: sort their numbers, then move each row once.
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&rows](std::size_t x, std::size_t y) {
    return keys_less(rows[x].keys, rows[y].keys);
  });
  std::vector<StatsRow> sorted;
  sorted.reserve(rows.size());
  for (std::size_t i : order) sorted.push_back(std::move(rows[i]));
  rows = std::move(sorted);
}

StatsTable StatsBuilder::finish(Protection p, const DisclosureConfig& config) const {
  // Every row taken into the table as it comes.
  class Collect final : public StatsRowSink {
   public:
    void begin(const StatsTable& head) override {
      table.protection = head.protection;
      table.k = head.k;
      table.group_by = head.group_by;
    }
    bool row(StatsRow& row) override {
      table.rows.push_back(std::move(row));
      return true;
    }
    StatsTable table;
  } collect;
  collect.table.rows.reserve(state_->groups.size());
  finish_rows(p, config, collect);
  return std::move(collect.table);
}

void StatsBuilder::finish_rows(Protection p, const DisclosureConfig& config,
                               StatsRowSink& sink) const {
  const State& s = *state_;
  std::vector<CategorySet> repeats;
  if (s.recurrence == Recurrence::kAmongCasesGiven) repeats = recurrences(s.sightings);
  StatsTable head;
  head.protection = p;
  head.k = config.k;
  head.group_by = s.query.group_by;
  sink.begin(head);
  // The groups in the order of their keys (sort_stats_rows' order), so each row is made in its
  // place: the keys are small, a row is not. Sorted by numbers: each dimension's codes ranked
  // once in the order of their texts (a few thousand sites at most), so fifty thousand groups
  // are ordered without a text made or compared per comparison.
  const std::size_t dims = s.query.group_by.size();
  std::vector<GroupCode> rank(s.groups.size());
  for (std::size_t i = 0; i < dims; ++i) {
    const StatsDimension d = s.query.group_by[i];
    std::vector<std::int64_t> codes;
    codes.reserve(s.groups.size());
    for (const Group& g : s.groups) codes.push_back(g.code[i]);
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    std::vector<std::string> texts;
    texts.reserve(codes.size());
    for (std::int64_t c : codes) texts.push_back(text_of(d, c));
    std::vector<std::size_t> by_text(codes.size());
    std::iota(by_text.begin(), by_text.end(), std::size_t{0});
    std::sort(by_text.begin(), by_text.end(),
              [&texts](std::size_t x, std::size_t y) { return value_less(texts[x], texts[y]); });
    std::vector<std::int64_t> rank_of(codes.size());  // by the code's place in `codes`
    for (std::size_t r = 0; r < by_text.size(); ++r) {
      rank_of[by_text[r]] = static_cast<std::int64_t>(r);
    }
    for (std::size_t n = 0; n < s.groups.size(); ++n) {
      const auto at = std::lower_bound(codes.begin(), codes.end(), s.groups[n].code[i]);
      rank[n][i] = rank_of[static_cast<std::size_t>(at - codes.begin())];
    }
  }
  std::vector<std::size_t> order(s.groups.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&rank](std::size_t x, std::size_t y) { return rank[x] < rank[y]; });
  // A group's keys as the reader sees them (made with its row, on the thread that makes it).
  const auto keys_of = [&](const Group& g) {
    std::vector<GroupKey> keys;
    keys.reserve(dims);
    for (std::size_t i = 0; i < dims; ++i) {
      keys.push_back(GroupKey{s.query.group_by[i], text_of(s.query.group_by[i], g.code[i])});
    }
    return keys;
  };
  // The row of the r-th group in order (each row depends on its own group only).
  const auto make_row = [&](std::size_t r) {
    const std::size_t n = order[r];
    const Group& g = s.groups[n];
    StepDays days;
    for (std::size_t i = 0; i < kStepCount; ++i) days[i] = median_and_p90_days_of(g.hours[i]);
    if (s.recurrence == Recurrence::kStoredRepeats) {
      return publish_cell(keys_of(g), g.cell, days, g.overdue, p, config);
    }
    StatsCell cell = g.cell;
    for (std::size_t i : g.sightings) {
      if (!(repeats[i] & g.recurrence_mask)) continue;
      cell.recurrent[s.sightings[i].site_id].add(s.sightings[i].cell_key);
    }
    return publish_cell(keys_of(g), cell, days, g.overdue, p, config);
  };
  const std::size_t total = order.size();
  if (total < kRowsForTwoThreads) {
    for (std::size_t r = 0; r < total; ++r) {
      StatsRow row = make_row(r);
      if (!sink.row(row)) return;
    }
    return;
  }
  // A table of many groups (by site and month: tens of thousands) in blocks of kRowBlock rows:
  // a second thread makes the next block while this one hands out the rows of the last, so
  // making the rows and writing them out go on at once, and only two blocks are ever held.
  const auto make_block = [&](std::vector<StatsRow>& block, std::size_t from) {
    block.clear();
    for (std::size_t r = from; r < std::min(from + kRowBlock, total); ++r) {
      block.push_back(make_row(r));
    }
  };
  std::vector<StatsRow> current, next;
  current.reserve(kRowBlock);
  next.reserve(kRowBlock);
  make_block(current, 0);
  for (std::size_t from = 0; from < total; from += kRowBlock) {
    const std::size_t after = from + kRowBlock;
    bool going = true;
    {
      std::jthread ahead;
      if (after < total) ahead = std::jthread([&] { make_block(next, after); });
      for (StatsRow& row : current) {
        if (!(going = sink.row(row))) break;
      }
    }  // joined
    if (!going) return;
    std::swap(current, next);
  }
}

Result<StatsTable> compute_stats(const StatsQuery& query, std::span<const CaseFacts> facts,
                                 TimePoint now, Protection protection,
                                 const DisclosureConfig& config) {
  if (auto ok = check_detail(query, protection, config, now); !ok) return fail(ok.error());
  StatsBuilder builder(query, now);
  for (const CaseFacts& f : facts) builder.add(f);
  return builder.finish(protection, config);
}

}  // namespace grievance::domain
