// In-memory fakes of the domain's three stores (STYLE point 10: tests own their environment),
// with the same contracts as storage/sqlite: conflicts, kNotFound, orderings, the case list's
// filters and cursor. tests/storage/store_contract_test.cpp runs one suite against these and
// against SQLite, so they cannot drift apart. Every write is one step under the fake's mutex,
// so a batch or a routing is all or nothing here too.
#pragma once

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "server/domain/deadlines.hpp"
#include "server/domain/ports.hpp"
#include "server/domain/services.hpp"
#include "support/fake_guide_store.hpp"
#include "support/fake_mail.hpp"

namespace grievance::testing {

// Failure injection and write counting, shared by the three fakes of one FakeStores.
struct FakeWriteLog {
  // Every write answers kUnavailable (except the seeding creations of organisations, sites
  // and users, and sessions).
  std::atomic<bool> fail_writes{false};
  // What health() reports as writes_refused (a full disk), independent of fail_writes.
  std::atomic<bool> writes_refused{false};
  // Successful writes of cases, events, parties and admin changes (updates, supply links, TOTP
  // steps, session revocations); seeding organisations, sites, users and sessions is not
  // counted, so fixtures can seed and then expect 0.
  std::atomic<int> writes{0};
  // scan_rollup hands out this many cells and then answers kUnavailable, as a store failing in
  // the middle of a table would (-1: never).
  std::atomic<int> rollup_cells_before_failure{-1};
};

namespace fake_detail {

inline std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

template <class T>
std::optional<T> find_in(const std::vector<T>& items, std::int64_t id) {
  for (const auto& item : items) {
    if (item.id == id) return item;
  }
  return std::nullopt;
}

template <class T>
domain::Status replace_in(std::vector<T>& items, const T& value, FakeWriteLog& log) {
  for (auto& item : items) {
    if (item.id == value.id) {
      item = value;
      ++log.writes;
      return {};
    }
  }
  return domain::fail(domain::Error::not_found());
}

}  // namespace fake_detail

class FakeDirectoryStore : public domain::DirectoryStore {
 public:
  explicit FakeDirectoryStore(FakeWriteLog& log) : log_(log) {}

  domain::Result<std::shared_ptr<const domain::Directory>> directory() override {
    std::lock_guard lock(mu_);
    return std::make_shared<const domain::Directory>(orgs_, sites_, links_);
  }
  domain::Result<std::int64_t> create_organisation(const domain::Organisation& o) override {
    std::lock_guard lock(mu_);
    auto copy = o;
    copy.id = next_org_id_++;
    orgs_.push_back(copy);
    return copy.id;
  }
  domain::Status update_organisation(const domain::Organisation& o) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    return fake_detail::replace_in(orgs_, o, log_);
  }
  domain::Result<std::int64_t> create_site(const domain::Site& s) override {
    std::lock_guard lock(mu_);
    auto copy = s;
    copy.id = next_site_id_++;
    sites_.push_back(copy);
    return copy.id;
  }
  domain::Status update_site(const domain::Site& s) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    return fake_detail::replace_in(sites_, s, log_);
  }
  domain::Result<std::int64_t> create_supply_link(const domain::SupplyLink& l) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    if (auto s = check_link_locked(l, 0); !s) return domain::fail(s.error());
    auto copy = l;
    copy.id = next_link_id_++;
    links_.push_back(copy);
    ++log_.writes;
    return copy.id;
  }
  domain::Status update_supply_link(const domain::SupplyLink& l) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    if (!fake_detail::find_in(links_, l.id)) return domain::fail(domain::Error::not_found());
    if (auto s = check_link_locked(l, l.id); !s) return s;
    return fake_detail::replace_in(links_, l, log_);
  }

 private:
  domain::Status check_link_locked(const domain::SupplyLink& l, std::int64_t self_id) const {
    if (l.supplier_org_id == l.buyer_org_id) {
      return domain::fail(domain::Error::conflict("self link"));
    }
    if (l.disabled) return {};
    for (const auto& other : links_) {
      if (other.id != self_id && !other.disabled && other.supplier_org_id == l.supplier_org_id &&
          other.buyer_org_id == l.buyer_org_id && other.sector == l.sector) {
        return domain::fail(domain::Error::conflict("dup"));
      }
    }
    return {};
  }

  FakeWriteLog& log_;
  std::mutex mu_;
  std::vector<domain::Organisation> orgs_;
  std::vector<domain::Site> sites_;
  std::vector<domain::SupplyLink> links_;
  std::int64_t next_org_id_ = 1, next_site_id_ = 1, next_link_id_ = 1;
};

// The case list's sector and text filters look at sites, as SQLite's join does: the fake asks
// the directory it was given.
class FakeCaseStore : public domain::CaseStore {
 public:
  FakeCaseStore(FakeWriteLog& log, domain::DirectoryStore& directory)
      : log_(log), directory_(directory) {}

  domain::Result<std::int64_t> create_case(const domain::Case& c,
                                           const std::vector<domain::CaseEvent>& events) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    if (auto s = check_new_case_locked(c, {}); !s) return domain::fail(s.error());
    ++log_.writes;
    return insert_case_locked(c, events);
  }
  domain::Result<std::vector<std::int64_t>> create_cases(
      const std::vector<NewCase>& cases) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    // Check everything first (against the store and against the batch), then insert: all or
    // nothing.
    for (std::size_t i = 0; i < cases.size(); ++i) {
      std::vector<const domain::Case*> earlier;
      for (std::size_t j = 0; j < i; ++j) earlier.push_back(&cases[j].c);
      if (auto s = check_new_case_locked(cases[i].c, earlier); !s) return domain::fail(s.error());
    }
    std::vector<std::int64_t> ids;
    for (const auto& n : cases) ids.push_back(insert_case_locked(n.c, n.events));
    ++log_.writes;
    return ids;
  }
  domain::Status add_case_parties(std::int64_t case_id,
                                  const std::vector<domain::CaseParty>& parties,
                                  const std::vector<domain::CaseEvent>& events,
                                  const std::optional<AssignedClock>& clock) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    auto it = cases_.find(case_id);
    if (it == cases_.end()) return domain::fail(domain::Error::not_found());
    if (!it->second.parties.empty()) return domain::fail(domain::Error::conflict("routed"));
    if (!parties_valid(parties)) return domain::fail(domain::Error::conflict("parties"));
    it->second.parties = sorted_parties(parties);
    if (clock) {
      it->second.deadlines = clock->deadlines;
      it->second.next_check_at = clock->next_check_at;
    }
    for (const auto& e : events) add_event_locked(case_id, e);
    if (!events.empty()) it->second.updated_at = events.back().at;
    ++log_.writes;
    return {};
  }
  domain::Result<std::int64_t> append_event(std::int64_t case_id, const domain::CaseEvent& event,
                                            std::optional<domain::CaseStatus> status) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    auto it = cases_.find(case_id);
    if (it == cases_.end()) return domain::fail(domain::Error::not_found());
    if (status) it->second.status = *status;
    it->second.updated_at = event.at;
    ++log_.writes;
    return add_event_locked(case_id, event);
  }
  domain::Status replace_access_code(std::int64_t case_id, std::string_view access_code_hmac,
                                     const domain::CaseEvent& event,
                                     std::int64_t expected_events) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    auto it = cases_.find(case_id);
    if (it == cases_.end()) return domain::fail(domain::Error::not_found());
    if (it->second.event_count != expected_events) {
      return domain::fail(domain::Error::conflict("changed"));
    }
    it->second.access_code_hmac = std::string(access_code_hmac);
    it->second.updated_at = event.at;
    add_event_locked(case_id, event);
    ++log_.writes;
    return {};
  }
  domain::Status update_case(const domain::Case& c, const std::vector<domain::CaseEvent>& events,
                             std::int64_t expected_events) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    auto it = cases_.find(c.id);
    if (it == cases_.end()) return domain::fail(domain::Error::not_found());
    if (it->second.event_count != expected_events) {
      return domain::fail(domain::Error::conflict("changed"));
    }
    domain::Case& stored = it->second;
    stored.status = c.status;
    stored.outcome = c.outcome;
    stored.settled_at = c.settled_at;
    stored.escalated_to = c.escalated_to;
    stored.satisfaction = c.satisfaction;
    stored.paused_since = c.paused_since;
    stored.retaliation = c.retaliation;
    stored.follow_up_due = c.follow_up_due;
    stored.follow_up_answer = c.follow_up_answer;
    stored.remedy_failed = c.remedy_failed;
    stored.identity = c.identity;
    stored.disclosure_requested_by = c.disclosure_requested_by;
    stored.next_check_at = c.next_check_at;
    stored.deadlines = c.deadlines;
    stored.remedy = c.remedy;
    if (!events.empty()) stored.updated_at = events.back().at;
    for (const auto& e : events) add_event_locked(c.id, e);
    ++log_.writes;
    return {};
  }
  domain::Result<std::vector<domain::Case>> cases_to_check(domain::TimePoint t,
                                                           int limit) override {
    std::lock_guard lock(mu_);
    std::vector<domain::Case> out;
    for (const auto& [id, c] : cases_) {
      if (c.next_check_at && *c.next_check_at <= t) out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const domain::Case& a, const domain::Case& b) {
      return std::pair(*a.next_check_at, a.id) < std::pair(*b.next_check_at, b.id);
    });
    if (static_cast<int>(out.size()) > std::max(0, limit)) {
      out.resize(static_cast<std::size_t>(std::max(0, limit)));
    }
    for (auto& c : out) {
      c.complaint.narrative.clear();
      c.complaint.contact.reset();
      c.remedy.clear();
    }
    return out;
  }
  domain::Result<std::vector<domain::Case>> list_cases(const domain::CaseQuery& q) override {
    auto directory = directory_.directory();
    if (!directory) return domain::fail(directory.error());
    std::lock_guard lock(mu_);
    std::vector<domain::Case> out;
    for (const auto& [id, c] : cases_) {
      if (matches(c, q, **directory)) out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const domain::Case& a, const domain::Case& b) {
      return std::pair(a.created_at, a.id) > std::pair(b.created_at, b.id);
    });
    if (static_cast<int>(out.size()) > std::max(0, q.limit)) {
      out.resize(static_cast<std::size_t>(std::max(0, q.limit)));
    }
    for (auto& c : out) {  // the list never carries narrative, contact or plan
      c.complaint.narrative.clear();
      c.complaint.contact.reset();
      c.remedy.clear();
    }
    return out;
  }
  // The register follows the consent events through the domain's one rule (listed_in_register).
  domain::Result<std::vector<domain::Case>> list_register(const domain::RegisterQuery& q) override {
    auto directory = directory_.directory();
    if (!directory) return domain::fail(directory.error());
    std::lock_guard lock(mu_);
    std::vector<domain::Case> out;
    for (const auto& [id, c] : cases_) {
      if (!domain::listed_in_register(events_locked(id))) continue;
      if (q.company_org_id &&
          std::none_of(c.parties.begin(), c.parties.end(), [&](const domain::CaseParty& p) {
            return p.org_id == *q.company_org_id && p.role == domain::PartyRole::kResponsible;
          })) {
        continue;
      }
      if (!q.country.empty() && c.complaint.country != q.country) continue;
      if (q.sector) {
        const domain::Site* site =
            c.complaint.site_id ? (*directory)->site(*c.complaint.site_id) : nullptr;
        if (!site || site->sector != *q.sector) continue;
      }
      out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const domain::Case& a, const domain::Case& b) {
      return std::pair(a.created_at, a.id) > std::pair(b.created_at, b.id);
    });
    const auto skip = std::min(out.size(), static_cast<std::size_t>(std::max(0, q.offset)));
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(skip));
    if (static_cast<int>(out.size()) > std::max(0, q.limit)) {
      out.resize(static_cast<std::size_t>(std::max(0, q.limit)));
    }
    for (auto& c : out) {  // as the case list: never narrative, contact or plan
      c.complaint.narrative.clear();
      c.complaint.contact.reset();
      c.remedy.clear();
    }
    return out;
  }
  domain::Result<std::optional<domain::CaseRecord>> read_case(std::string_view reference) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, c] : cases_) {
      if (c.reference == reference) {
        return std::optional<domain::CaseRecord>(domain::CaseRecord{c, events_locked(id)});
      }
    }
    return std::optional<domain::CaseRecord>();
  }
  domain::Result<std::optional<domain::Case>> find_case_by_reference(
      std::string_view reference) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, c] : cases_) {
      if (c.reference == reference) return std::optional<domain::Case>(c);
    }
    return std::optional<domain::Case>();
  }
  domain::Result<std::optional<domain::Case>> find_case(std::int64_t case_id) override {
    std::lock_guard lock(mu_);
    auto it = cases_.find(case_id);
    if (it == cases_.end()) return std::optional<domain::Case>();
    return std::optional<domain::Case>(it->second);
  }
  domain::Result<std::optional<domain::Case>> find_case_by_filing_key(
      std::string_view key_hash) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, c] : cases_) {
      if (!key_hash.empty() && c.filing_key_hash == key_hash) return std::optional<domain::Case>(c);
    }
    return std::optional<domain::Case>();
  }
  domain::Result<std::vector<domain::CaseEvent>> case_events(std::int64_t case_id) override {
    std::lock_guard lock(mu_);
    return events_locked(case_id);
  }
  domain::Result<std::int64_t> count_cases() override {
    std::lock_guard lock(mu_);
    return static_cast<std::int64_t>(cases_.size());
  }
  domain::Result<domain::CaseCounts> case_counts(domain::TimePoint now) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());  // as health()
    domain::CaseCounts out;
    for (auto status : domain::all_case_statuses()) out.by_status.emplace_back(status, 0);
    for (const auto& [id, c] : cases_) {
      for (auto& [status, count] : out.by_status) count += status == c.status ? 1 : 0;
      if (domain::is_overdue(c, now)) ++out.overdue;
    }
    return out;
  }
  // The facts as the SQLite store keeps them, built from the case and its events on each call
  // (facts_of), with their repeats found among every case (RepeatTracker, in filing order). The
  // cell key is an FNV-1a hash of the reference (SQLite: an HMAC); the site's sector is not
  // known here (the directory is another store): none.
  domain::Status scan_facts(const domain::FactsScan& scan,
                            const std::function<void(const domain::CaseFacts&)>& each) override {
    std::vector<domain::CaseFacts> all;
    std::vector<bool> routed;  // to scan.party_org_id, by the case's parties
    {
      std::lock_guard lock(mu_);
      if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
      for (const auto& [id, c] : cases_) {
        std::uint32_t key = 2166136261u;
        for (unsigned char ch : c.reference) key = (key ^ ch) * 16777619u;
        all.push_back(
            domain::facts_of(c, events_locked(id), domain::FactsContext{key, std::nullopt}));
        routed.push_back(std::any_of(c.parties.begin(), c.parties.end(),
                                     [&](const auto& p) { return p.org_id == scan.party_org_id; }));
      }
    }
    std::vector<std::size_t> filed(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) filed[i] = i;
    std::sort(filed.begin(), filed.end(), [&all](std::size_t a, std::size_t b) {
      return std::tie(all[a].filed_at, all[a].case_id) < std::tie(all[b].filed_at, all[b].case_id);
    });
    domain::RepeatTracker tracker;
    for (std::size_t i : filed) all[i].repeats = tracker.next(all[i]);
    for (std::size_t i = 0; i < all.size(); ++i) {  // in case id order, as cases_
      const domain::CaseFacts& f = all[i];
      if (scan.party_org_id && !routed[i]) continue;
      if (scan.union_org_id && f.union_org_id != scan.union_org_id) continue;
      if (scan.site_id && f.site_id != scan.site_id) continue;
      if (scan.filed_from && f.filed_at < *scan.filed_from) continue;
      if (scan.filed_before && f.filed_at >= *scan.filed_before) continue;
      if (scan.any_category && (f.categories & *scan.any_category) == 0) continue;
      each(f);
    }
    return {};
  }
  // The rollup built from scratch on each call (rollup_of over every case's facts, in filing
  // order): what the SQLite store keeps incrementally, so the contract suite compares the two.
  domain::Status scan_rollup(
      const domain::RollupScan& scan, domain::TimePoint now,
      const std::function<void(domain::SliceId, std::int32_t, const domain::StatsCell&,
                               const domain::HoursRuns&)>& cell,
      const std::function<void(const domain::OverdueCase&)>& overdue) override {
    std::vector<domain::CaseFacts> all;
    if (auto ok = scan_facts({}, [&all](const domain::CaseFacts& f) { all.push_back(f); }); !ok) {
      return ok;
    }
    std::sort(all.begin(), all.end(), [](const domain::CaseFacts& a, const domain::CaseFacts& b) {
      return std::tie(a.filed_at, a.case_id) < std::tie(b.filed_at, b.case_id);
    });
    const auto in_months = [&scan](std::int32_t m) {
      return (!scan.first_month || m >= *scan.first_month) &&
             (!scan.last_month || m <= *scan.last_month);
    };
    for (const domain::CaseFacts& f : all) {
      const auto due = domain::overdue_from(f);
      if (due && *due < now && in_months(domain::month_number(f.filed_at))) {
        overdue(domain::OverdueCase::of(f));
      }
    }
    std::vector<std::pair<std::pair<domain::SliceId, std::int32_t>, domain::StatsCell>> cells;
    for (auto& [at, c] : domain::rollup_of(all)) {  // a map: in (slice, month) order
      if (domain::kind_of(at.first) == scan.slices && in_months(at.second)) {
        cells.emplace_back(at, std::move(c));
      }
    }
    if (scan.order != domain::RollupScan::Order::kSliceMonth) {  // by month or quarter first
      const auto time = [&scan](std::int32_t m) {
        return scan.order == domain::RollupScan::Order::kQuarterSlice ? m / 3 : m;
      };
      std::stable_sort(cells.begin(), cells.end(), [&time](const auto& a, const auto& b) {
        return std::make_tuple(time(a.first.second), a.first.first, a.first.second) <
               std::make_tuple(time(b.first.second), b.first.first, b.first.second);
      });
    }
    int left = log_.rollup_cells_before_failure;
    for (const auto& [at, c] : cells) {
      if (left >= 0 && left-- == 0) return domain::fail(domain::Error::unavailable());
      cell(at.first, at.second, c, domain::hours_runs(c));
    }
    return {};
  }
  domain::StoreHealth health() override {
    return domain::StoreHealth{!log_.fail_writes, log_.writes_refused};
  }

 private:
  // At most one responsible company, no company twice.
  static bool parties_valid(const std::vector<domain::CaseParty>& parties) {
    int responsible = 0;
    for (std::size_t i = 0; i < parties.size(); ++i) {
      if (parties[i].role == domain::PartyRole::kResponsible) ++responsible;
      for (std::size_t j = 0; j < i; ++j) {
        if (parties[j].org_id == parties[i].org_id) return false;
      }
    }
    return responsible <= 1;
  }
  // The stored order: the responsible company first, then the buyers by id.
  static std::vector<domain::CaseParty> sorted_parties(std::vector<domain::CaseParty> parties) {
    std::sort(parties.begin(), parties.end(), [](const auto& a, const auto& b) {
      return std::pair(a.role != domain::PartyRole::kResponsible, a.org_id) <
             std::pair(b.role != domain::PartyRole::kResponsible, b.org_id);
    });
    return parties;
  }
  domain::Status check_new_case_locked(const domain::Case& c,
                                       const std::vector<const domain::Case*>& batch) const {
    const auto clashes = [&](const domain::Case& existing) {
      return existing.reference == c.reference ||
             (!c.filing_key_hash.empty() && existing.filing_key_hash == c.filing_key_hash);
    };
    for (const auto& [id, existing] : cases_) {
      if (clashes(existing)) return domain::fail(domain::Error::conflict("dup"));
    }
    for (const auto* earlier : batch) {
      if (clashes(*earlier)) return domain::fail(domain::Error::conflict("dup"));
    }
    if (!parties_valid(c.parties)) return domain::fail(domain::Error::conflict("parties"));
    return {};
  }
  std::int64_t insert_case_locked(const domain::Case& c,
                                  const std::vector<domain::CaseEvent>& events) {
    auto stored = c;
    stored.id = next_case_id_++;
    stored.parties = sorted_parties(c.parties);
    cases_[stored.id] = stored;
    for (const auto& e : events) add_event_locked(stored.id, e);
    return stored.id;
  }
  static bool has_party(const domain::Case& c, std::int64_t org_id) {
    return std::any_of(c.parties.begin(), c.parties.end(),
                       [&](const auto& p) { return p.org_id == org_id; });
  }
  static bool matches(const domain::Case& c, const domain::CaseQuery& q,
                      const domain::Directory& directory) {
    using fake_detail::lower;
    const auto& k = c.complaint;
    const domain::Site* site = k.site_id ? directory.site(*k.site_id) : nullptr;
    if (q.scope_party_org_id && !has_party(c, *q.scope_party_org_id)) return false;
    if (q.scope_union_org_id && k.union_org_id != q.scope_union_org_id) return false;
    if (q.status && c.status != *q.status) return false;
    if (q.company_org_id && !has_party(c, *q.company_org_id)) return false;
    if (q.site_id && k.site_id != q.site_id) return false;
    if (!q.country.empty() && k.country != q.country) return false;
    if (q.sector && (site == nullptr || site->sector != *q.sector)) return false;
    if (q.category &&
        std::find(k.categories.begin(), k.categories.end(), *q.category) == k.categories.end())
      return false;
    // The domain's one rule (server/domain/deadlines.hpp).
    if (q.overdue && domain::is_overdue(c, q.now) != *q.overdue) return false;
    if (q.triage && !c.parties.empty()) return false;
    if (q.flag == domain::ReviewFlag::kRetaliation && !c.retaliation) return false;
    if (q.flag == domain::ReviewFlag::kRemedyFailed && !c.remedy_failed) return false;
    if (!q.q.empty()) {
      const auto needle = lower(q.q);
      const auto contains = [&](const std::string& hay) {
        return lower(hay).find(needle) != std::string::npos;
      };
      if (!contains(c.reference) && !contains(k.place) && !(site && contains(site->name))) {
        return false;
      }
    }
    if (q.after && !(std::pair(c.created_at, c.id) < *q.after)) return false;
    return true;
  }
  std::int64_t add_event_locked(std::int64_t case_id, domain::CaseEvent e) {
    e.id = next_event_id_++;
    e.case_id = case_id;
    std::int64_t seq = 0;
    for (const auto& x : events_) {
      if (x.case_id == case_id) seq = std::max(seq, x.seq);
    }
    e.seq = seq + 1;
    events_.push_back(e);
    if (auto it = cases_.find(case_id); it != cases_.end()) it->second.event_count = e.seq;
    return e.id;
  }
  std::vector<domain::CaseEvent> events_locked(std::int64_t case_id) const {
    std::vector<domain::CaseEvent> out;
    for (const auto& e : events_) {
      if (e.case_id == case_id) out.push_back(e);
    }
    return out;
  }

  FakeWriteLog& log_;
  domain::DirectoryStore& directory_;
  std::mutex mu_;
  std::map<std::int64_t, domain::Case> cases_;
  std::vector<domain::CaseEvent> events_;
  std::int64_t next_case_id_ = 1, next_event_id_ = 1;
};

class FakeAccountStore : public domain::AccountStore {
 public:
  explicit FakeAccountStore(FakeWriteLog& log) : log_(log) {}

  domain::Result<std::int64_t> create_user(const domain::User& u) override {
    std::lock_guard lock(mu_);
    auto copy = u;
    copy.email = fake_detail::lower(u.email);
    for (const auto& existing : users_) {
      if (existing.email == copy.email) return domain::fail(domain::Error::conflict("dup"));
    }
    copy.id = static_cast<std::int64_t>(users_.size()) + 1;
    users_.push_back(copy);
    return copy.id;
  }
  domain::Result<std::optional<domain::User>> find_user_by_email(std::string_view email) override {
    std::lock_guard lock(mu_);
    const auto wanted = fake_detail::lower(std::string(email));
    for (const auto& u : users_) {
      if (u.email == wanted) return std::optional<domain::User>(u);
    }
    return std::optional<domain::User>();
  }
  domain::Result<std::optional<domain::User>> find_user(std::int64_t id) override {
    std::lock_guard lock(mu_);
    return fake_detail::find_in(users_, id);
  }
  domain::Result<std::vector<domain::User>> list_users() override {
    std::lock_guard lock(mu_);
    auto out = users_;
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.email < b.email; });
    return out;
  }
  domain::Status update_user(const domain::User& u) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    domain::User* target = nullptr;
    const auto email = fake_detail::lower(u.email);
    for (auto& existing : users_) {
      if (existing.id == u.id) {
        target = &existing;
      } else if (existing.email == email) {
        return domain::fail(domain::Error::conflict("dup"));
      }
    }
    if (target == nullptr) return domain::fail(domain::Error::not_found());
    const auto last_step = target->totp_last_step;
    const auto created_at = target->created_at;
    *target = u;
    target->email = email;
    target->totp_last_step = last_step;  // not replaced (record_totp_step's alone)
    target->created_at = created_at;
    ++log_.writes;
    return {};
  }
  domain::Status record_totp_step(std::int64_t user_id, std::int64_t step) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    for (auto& u : users_) {
      if (u.id != user_id) continue;
      if (step <= u.totp_last_step) return domain::fail(domain::Error::conflict("replayed"));
      u.totp_last_step = step;
      ++log_.writes;
      return {};
    }
    return domain::fail(domain::Error::not_found());
  }
  domain::Status delete_user_sessions(std::int64_t user_id) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second.user_id == user_id; });
    ++log_.writes;
    return {};
  }
  domain::Status delete_case_sessions(std::int64_t case_id) override {
    std::lock_guard lock(mu_);
    if (log_.fail_writes) return domain::fail(domain::Error::unavailable());
    std::erase_if(sessions_, [&](const auto& kv) {
      return kv.second.role == domain::Role::kComplainant && kv.second.case_id == case_id;
    });
    ++log_.writes;
    return {};
  }
  domain::Status create_session(const domain::Session& s) override {
    std::lock_guard lock(mu_);
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expires_at <= s.created_at; });
    sessions_[s.token_hash] = s;
    return {};
  }
  domain::Result<std::optional<domain::Session>> find_session(std::string_view hash) override {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(hash));
    if (it == sessions_.end()) return std::optional<domain::Session>();
    return std::optional<domain::Session>(it->second);
  }
  domain::Status delete_session(std::string_view hash) override {
    std::lock_guard lock(mu_);
    sessions_.erase(std::string(hash));
    return {};
  }

  std::size_t session_count() {
    std::lock_guard lock(mu_);
    return sessions_.size();
  }

 private:
  FakeWriteLog& log_;
  std::mutex mu_;
  std::vector<domain::User> users_;
  std::map<std::string, domain::Session> sessions_;
};

// Evidence bytes in memory (the AttachmentStore contract: blobs per case, handed out in
// 64 KiB pieces like the SQLite store's chunks).
class FakeAttachmentStore : public domain::AttachmentStore {
 public:
  domain::Result<std::int64_t> put_blob(std::int64_t case_id, std::string_view bytes) override {
    std::lock_guard lock(mu_);
    blobs_[{case_id, ++last_id_}] = std::string(bytes);
    return last_id_;
  }
  domain::Status read_blob(std::int64_t case_id, std::int64_t blob_id,
                           const std::function<bool(std::string_view)>& sink) override {
    std::string copy;
    {
      std::lock_guard lock(mu_);
      auto it = blobs_.find({case_id, blob_id});
      if (it == blobs_.end()) return std::unexpected(domain::Error::not_found());
      copy = it->second;
    }
    for (std::size_t at = 0; at < copy.size(); at += 65536) {
      if (!sink(std::string_view(copy).substr(at, 65536))) break;
    }
    return {};
  }
  domain::Status delete_blob(std::int64_t case_id, std::int64_t blob_id) override {
    std::lock_guard lock(mu_);
    blobs_.erase({case_id, blob_id});
    return {};
  }
  std::size_t blob_count() {
    std::lock_guard lock(mu_);
    return blobs_.size();
  }

 private:
  std::mutex mu_;
  std::int64_t last_id_ = 0;
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> blobs_;
};

// The three fakes of one in-memory world, with one failure switch and one write counter; the
// shape of storage::SqliteStores (cases(), directory(), accounts()), so a test reads the same
// over either.
class FakeStores : public FakeWriteLog {
 public:
  FakeStores()
      : directory_(*this), cases_(*this, directory_), accounts_(*this), guides_(fail_writes) {
    mail_.read_users_from([this](std::int64_t id) -> std::optional<FakeMailStore::Staff> {
      auto u = accounts_.find_user(id);
      if (!u || !u->has_value()) return std::nullopt;
      return FakeMailStore::Staff{(*u)->email, (*u)->org_id.value_or(0), (*u)->disabled};
    });
  }
  FakeStores(const FakeStores&) = delete;
  FakeStores& operator=(const FakeStores&) = delete;

  FakeCaseStore& cases() { return cases_; }
  FakeDirectoryStore& directory() { return directory_; }
  FakeAccountStore& accounts() { return accounts_; }
  FakeGuideStore& guides() { return guides_; }
  FakeMailStore& mail() { return mail_; }
  std::size_t session_count() { return accounts_.session_count(); }

  domain::Ports ports(domain::Crypto& crypto, domain::RandomSource& random,
                      const domain::Clock& clock, const domain::PasswordHasher* hasher = nullptr) {
    domain::Ports p{cases_, directory_, accounts_, crypto,       random,
                    clock,  hasher,     &guides_,  &attachments_};
    p.mail = &mail_;
    return p;
  }
  FakeAttachmentStore& attachments() { return attachments_; }

 private:
  FakeDirectoryStore directory_;
  FakeCaseStore cases_;
  FakeAccountStore accounts_;
  FakeGuideStore guides_;
  FakeAttachmentStore attachments_;
  FakeMailStore mail_;
};

}  // namespace grievance::testing
