#include "storage/sqlite/case_facts_rows.hpp"

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "storage/sqlite/case_rows.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/stats_rollup_rows.hpp"
#include "storage/sqlite/varint.hpp"

namespace grievance::storage {
namespace {

using domain::CaseFacts;
using domain::Error;
using domain::fail;

// Version 1 of the stored form. A new field is appended and the version raised; decode_facts
// reads every version it knows.
constexpr std::uint8_t kFactsVersion = 1;

constexpr const char* kDamaged = "The statistics of a case are damaged.";

// The one list of stored fields, in order, for both directions (case_id is the row's key).
template <class Io, class Facts>
void each_field(Io&& io, Facts& f) {
  auto&& d = f.deadlines;
  io(f.cell_key), io(f.filed_at), io(f.site_id), io(f.sector), io(f.country), io(f.categories),
      io(f.channel), io(f.kind), io(f.headcount), io(f.union_org_id), io(f.responsible_org_id),
      io(f.status), io(f.outcome), io(d.ack_due), io(d.response_due), io(d.resolution_due),
      io(f.paused_since), io(f.ack_seconds), io(f.first_response_seconds), io(f.resolution_seconds),
      io(f.paused_seconds), io(f.ack_breached), io(f.response_breached), io(f.resolution_breached),
      io(f.ack_late), io(f.settled_ever), io(f.escalated), io(f.appealed), io(f.appeal_result),
      io(f.reopened), io(f.remedy_accepted), io(f.satisfaction), io(f.actions_confirmed),
      io(f.actions_disputed), io(f.follow_up_asked), io(f.remedy_held), io(f.retaliation_reports),
      io(f.ack_span_seconds), io(f.response_span_seconds), io(f.resolution_span_seconds);
}

domain::Status write_facts(Connection& db, const CaseFacts& f, bool insert) {
  auto q = db.query(insert ? "INSERT INTO case_facts (case_id, filed_at, site_id, union_org_id, "
                             "facts) VALUES (?1, ?2, ?3, ?4, ?5)"
                           : "UPDATE case_facts SET facts = ?5 WHERE case_id = ?1");
  q.bind(1, f.case_id);
  if (insert) {
    q.bind(2, encode_time(f.filed_at)).bind(3, f.site_id).bind(4, f.union_org_id);
  }
  return q.bind_blob(5, encode_facts(f)).run();
}

domain::Result<domain::FactsContext> context_of(Connection& db, const domain::Crypto& crypto,
                                                const domain::Case& c) {
  domain::FactsContext context{cell_key_of(crypto, c.reference), std::nullopt};
  if (c.complaint.site_id) {
    auto q = db.query("SELECT sector FROM sites WHERE id = ?1");
    auto row = q.bind(1, *c.complaint.site_id).step();
    if (!row) return fail(row.error());
    if (*row) context.sector = parse_db_name<domain::Sector>(q.text(0));
  }
  return context;
}

}  // namespace

std::string encode_facts(const CaseFacts& f) {
  VarintWriter w;
  w.put(std::int64_t{kFactsVersion});
  each_field([&w](const auto& v) { w.put(v); }, f);
  w.put(static_cast<std::int64_t>(f.buyer_org_ids.size()));
  for (std::int64_t id : f.buyer_org_ids) w.put(id);
  return w.take();
}

bool decode_facts_into(std::string_view bytes, CaseFacts& f) {
  VarintReader r(bytes);
  if (r.i64() != kFactsVersion) return false;
  each_field([&r](auto& v) { r.get(v); }, f);
  const std::int64_t buyers = r.i64();
  if (buyers < 0 || buyers > 10000) return false;
  f.buyer_org_ids.clear();
  for (std::int64_t i = 0; i < buyers; ++i) f.buyer_org_ids.push_back(r.i64());
  return r.ok() && r.at_end();
}

std::optional<CaseFacts> decode_facts(std::string_view bytes) {
  CaseFacts f;
  if (!decode_facts_into(bytes, f)) return std::nullopt;
  return f;
}

domain::Result<CaseFacts> facts_at(const Query& q, int id, int blob) {
  auto f = decode_facts(q.blob(blob));
  if (!f) return fail(Error::unavailable(kDamaged));
  f->case_id = q.int64(id);
  return *std::move(f);
}

std::uint32_t cell_key_of(const domain::Crypto& crypto, std::string_view reference) {
  const std::string mac = crypto.hmac_hex("statistics cell key\n" + std::string(reference));
  std::uint32_t key = 0;
  std::from_chars(mac.data(), mac.data() + 8, key, 16);
  return key;
}

domain::Status insert_case_facts(Connection& db, const domain::Crypto& crypto, std::int64_t case_id,
                                 const domain::Case& c,
                                 const std::vector<domain::CaseEvent>& events) {
  auto context = context_of(db, crypto, c);
  if (!context) return fail(context.error());
  domain::Case stored = c;
  stored.id = case_id;
  CaseFacts f = domain::facts_of(stored, events, *context);
  f.case_id = case_id;
  if (auto s = write_facts(db, f, true); !s) return s;
  return add_case_to_rollup(db, f);  // docs/domain.md "Rollups"
}

domain::Status fold_case_facts(Connection& db, std::int64_t case_id, const domain::CaseEvent& e) {
  auto q = db.query("SELECT case_id, facts, repeats FROM case_facts WHERE case_id = ?1");
  auto row = q.bind(1, case_id).step();
  if (!row) return fail(row.error());
  if (!*row) return {};  // a case being stored: insert_case_facts follows its first events
  auto before = facts_at(q, 0, 1);
  if (!before) return fail(before.error());
  const auto repeats = static_cast<domain::CategorySet>(q.int64(2));
  CaseFacts after = domain::fold(*before, e);
  if (after == *before) return {};  // a message, a translation...: no statistic changes
  if (auto s = write_facts(db, after, false); !s) return s;
  return update_rollup(db, *before, after, repeats);  // docs/domain.md "Rollups"
}

domain::Result<std::int64_t> backfill_case_facts(Connection& db, const domain::FieldCipher& cipher,
                                                 const domain::Crypto& crypto) {
  std::vector<std::int64_t> missing;
  {
    // Every case has its facts from its own transaction on: only a database stored before
    // version 14 has fewer, so one look at the two counts spares the search on every start.
    auto c = db.query("SELECT (SELECT count(*) FROM cases) - (SELECT count(*) FROM case_facts)");
    auto row = c.step();
    if (!row) return fail(row.error());
    if (*row && c.int64(0) == 0) return std::int64_t{0};
  }
  {
    auto q = db.query(
        "SELECT id FROM cases WHERE NOT EXISTS "
        "(SELECT 1 FROM case_facts WHERE case_facts.case_id = cases.id) ORDER BY id");
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      missing.push_back(q.int64(0));
    }
  }
  for (std::int64_t id : missing) {
    auto q = db.query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE id = ?1");
    q.bind(1, id);
    auto c = read_case_with_parties(db, cipher, q);
    if (!c) return fail(c.error());
    if (!*c) continue;
    auto events = read_events(db, cipher, id);
    if (!events) return fail(events.error());
    auto context = context_of(db, crypto, **c);
    if (!context) return fail(context.error());
    CaseFacts f = domain::facts_of(**c, *events, *context);
    f.case_id = id;
    if (auto s = write_facts(db, f, true); !s) return fail(s.error());
  }
  return static_cast<std::int64_t>(missing.size());
}

namespace {

// The query of a scan: the narrowest index first - a company's or a union's cases, one site,
// or a time window. Columns: case id, stored form, repeats, site (NULL: none).
Query facts_query(Connection& db, const domain::FactsScan& scan) {
  std::string sql = "SELECT f.case_id, f.facts, f.repeats, f.site_id FROM case_facts f";
  if (scan.party_org_id) {
    sql += " JOIN case_parties p ON p.case_id = f.case_id AND p.org_id = ?1";
  }
  sql += " WHERE 1";
  if (scan.union_org_id) sql += " AND f.union_org_id = ?2";
  if (scan.site_id) sql += " AND f.site_id = ?3";
  if (scan.filed_from) sql += " AND f.filed_at >= ?4";
  if (scan.filed_before) sql += " AND f.filed_at < ?5";
  if (scan.any_category) sql += " AND (f.categories & ?6) != 0";
  auto q = db.query(sql);
  if (scan.party_org_id) q.bind(1, *scan.party_org_id);
  if (scan.union_org_id) q.bind(2, *scan.union_org_id);
  if (scan.site_id) q.bind(3, *scan.site_id);
  if (scan.filed_from) q.bind(4, encode_time(*scan.filed_from));
  if (scan.filed_before) q.bind(5, encode_time(*scan.filed_before));
  if (scan.any_category) q.bind(6, std::int64_t{*scan.any_category});
  return q;
}

// Rows copied out of the statement for another thread: ids, repeats and the stored forms end to
// end.
struct FactsBatch {
  std::vector<std::int64_t> ids;
  std::vector<domain::CategorySet> repeats;
  std::vector<std::size_t> ends;  // where each row's stored form ends in `bytes`
  std::string bytes;
};

// A bounded queue of batches between the reading thread and the decoding ones: the reader waits
// when `limit` batches wait, so a slow caller never makes the scan hold every row.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t limit) : limit_(limit) {}
  void push(FactsBatch batch) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [this] { return waiting_.size() < limit_; });
    waiting_.push_back(std::move(batch));
    ready_.notify_one();
  }
  // The next batch; nullopt once the queue is closed and empty.
  std::optional<FactsBatch> pop() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [this] { return !waiting_.empty() || closed_; });
    if (waiting_.empty()) return std::nullopt;
    FactsBatch batch = std::move(waiting_.front());
    waiting_.pop_front();
    room_.notify_one();
    return batch;
  }
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<FactsBatch> waiting_;
  std::size_t limit_;
  bool closed_ = false;
};

}  // namespace

domain::Status scan_case_facts(Connection& db, const domain::FactsScan& scan,
                               const std::function<void(const CaseFacts&)>& each) {
  auto q = facts_query(db, scan);
  CaseFacts f;  // one for every row: its buffers are reused
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    if (!decode_facts_into(q.blob_view(1), f)) return fail(Error::unavailable(kDamaged));
    f.case_id = q.int64(0);
    f.repeats = static_cast<domain::CategorySet>(q.int64(2));  // kept by the rollup's writes
    each(f);
  }
  return {};
}

domain::Status scan_case_facts_shared(Connection& db, const domain::FactsScan& scan,
                                      std::span<const std::function<void(const CaseFacts&)>> each,
                                      std::size_t batch_rows) {
  if (each.empty()) return {};
  if (each.size() == 1) return scan_case_facts(db, scan, each[0]);
  // One queue for every thread; split by site, one each (a thread takes only its sites' cases).
  const std::size_t n = each.size();
  std::deque<BatchQueue> queues;
  for (std::size_t i = 0; i < (scan.split_by_site ? n : 1); ++i) {
    queues.emplace_back(scan.split_by_site ? 2 : 2 * n);
  }
  std::atomic<bool> damaged{false};
  {
    std::vector<std::jthread> workers;
    workers.reserve(n);
    for (std::size_t w = 0; w < n; ++w) {
      BatchQueue& queue = queues[scan.split_by_site ? w : 0];
      const auto& call = each[w];
      workers.emplace_back([&queue, &damaged, &call] {
        CaseFacts f;
        while (auto batch = queue.pop()) {
          std::size_t start = 0;
          for (std::size_t i = 0; i < batch->ids.size() && !damaged; ++i) {
            const std::string_view bytes(batch->bytes.data() + start, batch->ends[i] - start);
            start = batch->ends[i];
            if (!decode_facts_into(bytes, f)) {
              damaged = true;  // the reader stops; the others drain what is queued
              break;
            }
            f.case_id = batch->ids[i];
            f.repeats = batch->repeats[i];
            call(f);
          }
        }
      });
    }
    // Closes the queues however the reading ends, so the workers finish and are joined (by the
    // jthreads' destructors) before anything they refer to goes.
    struct CloseOnExit {
      std::deque<BatchQueue>& queues;
      ~CloseOnExit() {
        for (BatchQueue& q : queues) q.close();
      }
    } closer{queues};
    auto q = facts_query(db, scan);
    std::vector<FactsBatch> batches(queues.size());
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row || damaged) break;
      std::size_t to = 0;
      if (scan.split_by_site) {
        to = domain::shared_scan_share(
            q.is_null(3) ? std::nullopt : std::optional<std::int64_t>(q.int64(3)), n);
      }
      FactsBatch& batch = batches[to];
      batch.ids.push_back(q.int64(0));
      batch.repeats.push_back(static_cast<domain::CategorySet>(q.int64(2)));
      batch.bytes += q.blob_view(1);
      batch.ends.push_back(batch.bytes.size());
      if (batch.ids.size() == batch_rows) queues[to].push(std::exchange(batch, FactsBatch{}));
    }
    for (std::size_t i = 0; i < batches.size(); ++i) {
      if (!batches[i].ids.empty()) queues[i].push(std::move(batches[i]));
    }
  }
  if (damaged) return fail(Error::unavailable(kDamaged));
  return {};
}

}  // namespace grievance::storage
