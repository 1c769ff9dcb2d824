#include "server/http/metrics.hpp"

#include <charconv>
#include <cmath>

namespace grievance::http {
namespace {

// The statuses the server answers (RFC 9110); anything else counts as "other".
constexpr std::array<unsigned, 36> kStatuses = {
    200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406, 408,
    409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 428, 429, 431, 500, 501, 503, 504};
constexpr std::size_t kStatusSlots = kStatuses.size() + 1;  // the last: other

constexpr std::array<std::uint8_t, 600> kStatusSlot = [] {
  std::array<std::uint8_t, 600> slots{};
  for (auto& s : slots) s = static_cast<std::uint8_t>(kStatuses.size());
  for (std::size_t i = 0; i < kStatuses.size(); ++i)
    slots[kStatuses[i]] = static_cast<std::uint8_t>(i);
  return slots;
}();

constexpr std::array<bhttp::verb, 7> kUnmatchedMethods = {
    bhttp::verb::get,   bhttp::verb::head,    bhttp::verb::post,   bhttp::verb::put,
    bhttp::verb::patch, bhttp::verb::delete_, bhttp::verb::options};
constexpr std::size_t kUnmatchedSlots = kUnmatchedMethods.size() + 1;  // the last: other

constexpr auto kBucketMicros = [] {
  std::array<std::int64_t, RequestMetrics::kBuckets.size()> us{};
  for (std::size_t i = 0; i < us.size(); ++i) {
    us[i] = static_cast<std::int64_t>(RequestMetrics::kBuckets[i] * 1'000'000 + 0.5);
  }
  return us;
}();

}  // namespace

std::string prometheus_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Plain decimals as the client libraries write them (le="0.0005", not "5e-04"), the shortest
  // that reads back to the same double; exponents only for very large values.
  char buf[400];
  auto [end, ec] = std::abs(value) < 1e15
                       ? std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed)
                       : std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  out_.append("# HELP ").append(name).push_back(' ');
  for (char c : help) {
    if (c == '\\') {
      out_.append("\\\\");
    } else if (c == '\n') {
      out_.append("\\n");
    } else {
      out_.push_back(c);
    }
  }
  out_.append("\n# TYPE ").append(name).push_back(' ');
  out_.append(type).push_back('\n');
}

void PrometheusText::labels(const Label* begin, const Label* end) {
  if (begin == end) return;
  out_.push_back('{');
  for (const Label* l = begin; l != end; ++l) {
    if (l != begin) out_.push_back(',');
    out_.append(l->first).append("=\"");
    for (char c : l->second) {
      if (c == '\\') {
        out_.append("\\\\");
      } else if (c == '"') {
        out_.append("\\\"");
      } else if (c == '\n') {
        out_.append("\\n");
      } else {
        out_.push_back(c);
      }
    }
    out_.push_back('"');
  }
  out_.push_back('}');
}

void PrometheusText::sample(std::string_view name, const std::vector<Label>& l,
                            std::string_view value) {
  out_.append(name);
  labels(l.data(), l.data() + l.size());
  out_.push_back(' ');
  out_.append(value).push_back('\n');
}

void PrometheusText::sample(std::string_view name, std::initializer_list<Label> l, double value) {
  sample(name, std::vector<Label>(l), prometheus_number(value));
}

void PrometheusText::sample(std::string_view name, std::initializer_list<Label> l,
                            std::int64_t value) {
  sample(name, std::vector<Label>(l), std::to_string(value));
}

// One (route, method): a block of its own cache lines, so requests to different routes never
// write the same line.
struct alignas(64) RequestMetrics::Series {
  std::array<std::atomic<std::uint64_t>, kStatusSlots> by_status{};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: above all
  std::atomic<std::uint64_t> sum_us{0};
};

RequestMetrics::RequestMetrics() { set_routes({}); }
RequestMetrics::~RequestMetrics() = default;

void RequestMetrics::set_routes(std::vector<std::pair<bhttp::verb, std::string_view>> routes) {
  routes_ = routes.size();
  labels_.clear();
  for (const auto& [method, pattern] : routes) {
    labels_.emplace_back(bhttp::to_string(method), pattern);
  }
  for (auto method : kUnmatchedMethods) labels_.emplace_back(bhttp::to_string(method), "unmatched");
  labels_.emplace_back("other", "unmatched");
  series_ = std::make_unique<Series[]>(labels_.size());
}

void RequestMetrics::record(std::uint32_t dispatch_route, bhttp::verb method, unsigned status,
                            std::int64_t duration_us) noexcept {
  std::size_t index;
  if (dispatch_route < routes_) {
    index = dispatch_route;
  } else {
    std::size_t m = 0;
    while (m < kUnmatchedMethods.size() && kUnmatchedMethods[m] != method) ++m;
    index = routes_ + m;  // m == size: "other"
  }
  Series& s = series_[index];
  const std::size_t slot = status < kStatusSlot.size() ? kStatusSlot[status] : kStatuses.size();
  s.by_status[slot].fetch_add(1, std::memory_order_relaxed);
  if (duration_us < 0) duration_us = 0;
  std::size_t b = 0;
  while (b < kBucketMicros.size() && duration_us > kBucketMicros[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_us.fetch_add(static_cast<std::uint64_t>(duration_us), std::memory_order_relaxed);
}

void RequestMetrics::write(PrometheusText& out) const {
  out.family("grievance_http_requests_total", "counter",
             "Requests answered, by route template, method and status.");
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    const auto& [method, route] = labels_[i];
    for (std::size_t slot = 0; slot < kStatusSlots; ++slot) {
      const auto n = series_[i].by_status[slot].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status =
          slot < kStatuses.size() ? std::to_string(kStatuses[slot]) : std::string("other");
      out.sample("grievance_http_requests_total",
                 {{"method", method}, {"route", route}, {"status", status}},
                 static_cast<std::int64_t>(n));
    }
  }
  out.family("grievance_http_request_duration_seconds", "histogram",
             "Time from the complete request to the answer built (the handler; not TLS, "
             "reading or writing), by route template and method.");
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    const auto& [method, route] = labels_[i];
    const Series& s = series_[i];
    // Read the buckets first: the count is their sum, so _count always equals the +Inf
    // bucket even while requests are being recorded.
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};
    std::uint64_t total = 0;
    for (std::size_t b = 0; b < counts.size(); ++b) {
      counts[b] = s.buckets[b].load(std::memory_order_relaxed);
      total += counts[b];
    }
    if (total == 0) continue;
    const double sum = static_cast<double>(s.sum_us.load(std::memory_order_relaxed)) / 1e6;
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < counts.size(); ++b) {
      cumulative += counts[b];
      const std::string le = b < kBuckets.size() ? prometheus_number(kBuckets[b]) : "+Inf";
      out.sample("grievance_http_request_duration_seconds_bucket",
                 {{"method", method}, {"route", route}, {"le", le}},
                 static_cast<std::int64_t>(cumulative));
    }
    out.sample("grievance_http_request_duration_seconds_sum",
               {{"method", method}, {"route", route}}, sum);
    out.sample("grievance_http_request_duration_seconds_count",
               {{"method", method}, {"route", route}}, static_cast<std::int64_t>(total));
  }
}

}  // namespace grievance::http
