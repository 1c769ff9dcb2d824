#include "server/http/router.hpp"

#include <stdexcept>

namespace grievance::http {
namespace {

// Calls `segment(view)` for each non-empty segment of `path` ("//" counts as one "/"); stops
// early when it returns false.
template <class F>
void for_each_segment(std::string_view path, F&& segment) {
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (!segment(path.substr(i, j - i))) return;
    i = j;
  }
}

bool is_placeholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool method_matches(bhttp::verb route, bhttp::verb request) {
  return route == request || (request == bhttp::verb::head && route == bhttp::verb::get);
}

}  // namespace

std::string_view PathParams::get(std::string_view name) const {
  for (std::size_t i = 0; i < size_; ++i) {
    if (values_[i].first == name) return values_[i].second;
  }
  return {};
}

void Router::add(bhttp::verb method, std::string pattern, Handler handler, bool runs_inline) {
  std::vector<Segment> segments;
  std::size_t placeholders = 0;
  for_each_segment(pattern, [&](std::string_view segment) {
    if (is_placeholder(segment)) {
      ++placeholders;
      segments.push_back(Segment{std::string(segment.substr(1, segment.size() - 2)), true});
    } else {
      segments.push_back(Segment{std::string(segment), false});
    }
    return true;
  });
  if (placeholders > PathParams::kMaxParams || segments.size() > kMaxSegments) {
    throw std::invalid_argument("route pattern has too many segments or placeholders: " + pattern);
  }
  const auto length = segments.size();
  if (by_length_.size() <= length) by_length_.resize(length + 1);
  by_length_[length].push_back(static_cast<std::uint32_t>(routes_.size()));
  routes_.push_back(
      Route{method, std::move(pattern), std::move(segments), std::move(handler), runs_inline});
}

bool Router::split_target(std::string_view target, Segments& out, std::size_t& count) {
  const auto path = target.substr(0, target.find('?'));
  // A trailing slash is a different resource ("/api/v1/meta/" is not "/api/v1/meta"), except
  // for the root.
  if (path.size() > 1 && path.back() == '/') return false;
  count = 0;
  bool fits = true;
  for_each_segment(path, [&](std::string_view segment) {
    if (count == kMaxSegments) return fits = false;
    out[count++] = segment;
    return true;
  });
  return fits;
}

bool Router::path_matches(const Route& route, const Segments& segments) {
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const Segment& s = route.segments[i];
    if (!s.placeholder && s.text != segments[i]) return false;
  }
  return true;
}

Router::Match Router::match(bhttp::verb method, std::string_view target) const {
  Match m;
  Segments segments;
  std::size_t count = 0;
  if (!split_target(target, segments, count) || count >= by_length_.size()) return m;
  for (const std::uint32_t index : by_length_[count]) {
    const Route& route = routes_[index];
    if (!path_matches(route, segments)) continue;
    m.path_known = true;
    if (method_matches(route.method, method)) {
      m.route = &route;
      return m;
    }
  }
  return m;
}

PathParams Router::params(const Route& route, std::string_view target) {
  PathParams params;
  std::size_t i = 0;
  for_each_segment(target.substr(0, target.find('?')), [&](std::string_view segment) {
    if (i >= route.segments.size()) return false;
    const Segment& s = route.segments[i++];
    if (s.placeholder) params.add(s.text, segment);
    return true;
  });
  return params;
}

std::string Router::allow(std::string_view target) const {
  std::string allow;
  Segments segments;
  std::size_t count = 0;
  if (!split_target(target, segments, count) || count >= by_length_.size()) return allow;
  for (const std::uint32_t index : by_length_[count]) {
    const Route& route = routes_[index];
    if (!path_matches(route, segments)) continue;
    if (!allow.empty()) allow += ", ";
    allow += bhttp::to_string(route.method);
  }
  return allow;
}

}  // namespace grievance::http
