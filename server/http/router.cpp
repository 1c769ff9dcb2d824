#include "server/http/router.hpp"

namespace grievance::http {
namespace {

// Views into `path`: matching a request allocates only for the parameters it captures.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_placeholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::string_view PathParams::get(std::string_view name) const {
  for (const auto& [k, v] : values) {
    if (k == name) return v;
  }
  return {};
}

void Router::add(bhttp::verb method, std::string pattern, Handler handler, bool runs_inline) {
  std::vector<std::string> segments;
  for (auto segment : split_path(pattern)) segments.emplace_back(segment);
  routes_.push_back(
      Route{method, std::move(pattern), std::move(segments), std::move(handler), runs_inline});
}

Router::Match Router::match(bhttp::verb method, std::string_view target) const {
  Match m;
  auto path = target.substr(0, target.find('?'));
  // A trailing slash is a different resource ("/api/v1/meta/" is not "/api/v1/meta"), except
  // for the root.
  if (path.size() > 1 && path.back() == '/') return m;
  const auto segments = split_path(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    PathParams params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (is_placeholder(route.segments[i])) {
        params.values.emplace_back(route.segments[i].substr(1, route.segments[i].size() - 2),
                                   segments[i]);
      } else {
        ok = route.segments[i] == segments[i];
      }
    }
    if (!ok) continue;
    m.path_known = true;
    if (route.method == method ||
        (method == bhttp::verb::head && route.method == bhttp::verb::get)) {
      if (m.handler == nullptr) {
        m.handler = &route.handler;
        m.pattern = route.pattern;
        m.params = std::move(params);
        m.runs_inline = route.runs_inline;
      }
    }
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += std::string(bhttp::to_string(route.method));
  }
  return m;
}

}  // namespace grievance::http
