// In-memory fakes of the domain's ports (STYLE point 10: tests own their environment).
// Deterministic: the clock only moves when told, the random source is a counter-seeded
// generator, the crypto fake is not cryptography (tests of the real thing are in
// tests/unit/crypto_test.cpp).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "server/domain/ports.hpp"

namespace grievance::testing {

class ManualClock : public domain::Clock {
 public:
  explicit ManualClock(domain::TimePoint start = domain::TimePoint{std::chrono::sys_days{
                                                     std::chrono::year{2026} / 11 / 29}} +
                                                 std::chrono::hours{9})
      : now_(start) {}
  domain::TimePoint now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void advance(std::chrono::seconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  domain::TimePoint now_;
};

class SeededRandom : public domain::RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed = 42) : engine_(seed) {}
  void fill(std::span<std::uint8_t> out) override {
    std::lock_guard lock(mu_);
    for (auto& b : out) b = static_cast<std::uint8_t>(engine_() & 0xff);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

// Not cryptography: readable, deterministic stand-ins with the same contracts.
class FakeCrypto : public domain::Crypto {
 public:
  std::string hmac_hex(std::string_view data) const override {
    return "hmac(" + std::string(data) + ")";
  }
  std::string sha256_hex(std::string_view data) const override {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a, hex-formatted
    for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return std::string(buf) + std::string(buf) + std::string(buf) + std::string(buf);
  }
  std::string sign(std::string_view message) const override {
    return "sig-" + sha256_hex(message).substr(0, 16);
  }
  bool verify(std::string_view message, std::string_view signature) const override {
    return signature == sign(message);
  }
  std::string signing_key_id() const override { return "fakekey000000000"; }
};

class InMemoryStore : public domain::CaseStore {
 public:
  domain::Result<std::int64_t> create_case(const domain::Case& c,
                                           const std::vector<domain::CaseEvent>& events) override {
    std::lock_guard lock(mu_);
    if (fail_writes) return domain::fail(domain::Error::unavailable());
    for (const auto& [id, existing] : cases_) {
      if (existing.reference == c.reference ||
          (!c.filing_key_hash.empty() && existing.filing_key_hash == c.filing_key_hash)) {
        return domain::fail(domain::Error::conflict("dup"));
      }
    }
    auto stored = c;
    stored.id = next_case_id_++;
    cases_[stored.id] = stored;
    for (auto e : events) add_event_locked(stored.id, e);
    ++writes;
    return stored.id;
  }
  domain::Result<std::int64_t> append_event(std::int64_t case_id, const domain::CaseEvent& event,
                                            std::optional<domain::CaseStatus> status) override {
    std::lock_guard lock(mu_);
    if (fail_writes) return domain::fail(domain::Error::unavailable());
    auto it = cases_.find(case_id);
    if (it == cases_.end()) return domain::fail(domain::Error::not_found());
    if (status) it->second.status = *status;
    it->second.updated_at = event.at;
    ++writes;
    return add_event_locked(case_id, event);
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
    std::vector<domain::CaseEvent> out;
    for (const auto& e : events_) {
      if (e.case_id == case_id) out.push_back(e);
    }
    return out;
  }
  domain::Result<std::int64_t> count_cases() override {
    std::lock_guard lock(mu_);
    return static_cast<std::int64_t>(cases_.size());
  }
  domain::Result<std::int64_t> create_organisation(const domain::Organisation& o) override {
    std::lock_guard lock(mu_);
    auto copy = o;
    copy.id = next_org_id_++;
    orgs_.push_back(copy);
    return copy.id;
  }
  domain::Result<std::int64_t> create_site(const domain::Site& s) override {
    std::lock_guard lock(mu_);
    auto copy = s;
    copy.id = next_site_id_++;
    sites_.push_back(copy);
    return copy.id;
  }
  domain::Result<std::optional<domain::Site>> find_site(std::int64_t id) override {
    std::lock_guard lock(mu_);
    for (const auto& s : sites_) {
      if (s.id == id) return std::optional<domain::Site>(s);
    }
    return std::optional<domain::Site>();
  }
  domain::Result<std::vector<domain::Site>> search_sites(std::string_view query,
                                                         std::string_view country,
                                                         int limit) override {
    std::lock_guard lock(mu_);
    auto lower = [](std::string s) {
      for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return s;
    };
    std::vector<domain::Site> out;
    for (const auto& s : sites_) {
      if (!country.empty() && s.country != country) continue;
      auto q = lower(std::string(query));
      if (!q.empty() && lower(s.name).find(q) == std::string::npos &&
          lower(s.region).find(q) == std::string::npos)
        continue;
      out.push_back(s);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.country, a.name) < std::tie(b.country, b.name);
    });
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }
  domain::Result<std::int64_t> create_user(const domain::User& u) override {
    std::lock_guard lock(mu_);
    for (const auto& existing : users_) {
      if (existing.email == u.email) return domain::fail(domain::Error::conflict("dup"));
    }
    auto copy = u;
    copy.id = static_cast<std::int64_t>(users_.size()) + 1;
    users_.push_back(copy);
    return copy.id;
  }
  domain::Result<std::optional<domain::User>> find_user_by_email(std::string_view email) override {
    std::lock_guard lock(mu_);
    for (const auto& u : users_) {
      if (u.email == email) return std::optional<domain::User>(u);
    }
    return std::optional<domain::User>();
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
  bool healthy() override { return !fail_writes; }

  std::size_t session_count() {
    std::lock_guard lock(mu_);
    return sessions_.size();
  }

  bool fail_writes = false;  // failure injection: every write answers kUnavailable
  int writes = 0;

 private:
  std::int64_t add_event_locked(std::int64_t case_id, domain::CaseEvent e) {
    e.id = next_event_id_++;
    e.case_id = case_id;
    std::int64_t seq = 0;
    for (const auto& x : events_) {
      if (x.case_id == case_id) seq = std::max(seq, x.seq);
    }
    e.seq = seq + 1;
    events_.push_back(e);
    return e.id;
  }

  std::mutex mu_;
  std::map<std::int64_t, domain::Case> cases_;
  std::vector<domain::CaseEvent> events_;
  std::vector<domain::Organisation> orgs_;
  std::vector<domain::Site> sites_;
  std::vector<domain::User> users_;
  std::map<std::string, domain::Session> sessions_;
  std::int64_t next_case_id_ = 1, next_event_id_ = 1, next_org_id_ = 1, next_site_id_ = 1;
};

}  // namespace grievance::testing
