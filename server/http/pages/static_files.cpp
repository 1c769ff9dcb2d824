#include "server/http/pages/static_files.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "server/http/files.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages {

namespace {

std::string content_type_for(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return {};
}

// A short content hash for cache-busting asset URLs (not security relevant: FNV-1a).
std::string short_hash(std::string_view data) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 10; ++i) out += kHex[(h >> (i * 4)) & 15];
  return out;
}

bool safe_static_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                     }) &&
         name.find("..") == std::string_view::npos;
}

}  // namespace

StaticFiles StaticFiles::load(const std::string& dir) {
  namespace fs = std::filesystem;
  StaticFiles out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const std::string type = content_type_for(entry.path());
    if (type.empty() || !safe_static_name(name)) continue;
    auto body = read_file(entry.path());
    if (!body) throw std::runtime_error("cannot read " + entry.path().string());
    out.files_.emplace(name, StaticFile{*std::move(body), type});
  }
  if (ec) throw std::runtime_error("cannot read " + dir + ": " + ec.message());
  return out;
}

const StaticFile* StaticFiles::find(std::string_view name) const {
  if (!safe_static_name(name)) return nullptr;
  auto it = files_.find(name);
  return it == files_.end() ? nullptr : &it->second;
}

std::string StaticFiles::url(std::string_view name) const {
  const StaticFile* file = find(name);
  if (file == nullptr) throw std::runtime_error("missing web/static/" + std::string(name));
  return "/static/" + std::string(name) + "?v=" + short_hash(file->body);
}

Response serve_static_file(const StaticFiles& files, const Request& req, std::string_view name) {
  const StaticFile* file = files.find(name);
  if (file == nullptr) {
    Response res{bhttp::status::not_found, req.version()};
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.body() = "Not found.\n";
    finish(res, req.version(), req.keep_alive());
    return res;
  }
  Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, file->content_type);
  // Page URLs carry ?v=<content hash>, so a changed file has a new URL.
  res.set(bhttp::field::cache_control, "public, max-age=31536000, immutable");
  res.body() = file->body;
  finish(res, req.version(), req.keep_alive(), /*cacheable=*/true);
  return res;
}

}  // namespace grievance::http::pages
