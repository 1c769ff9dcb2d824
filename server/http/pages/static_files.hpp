// The files of web/static (CSS, JavaScript, icons), read once at startup and served from
// memory under /static/<name>. Pages link to them by hashed URLs ("/static/site.css?v=<hash of
// the content>") so that a changed file has a new URL and browsers may cache each one for a
// year.
// Thread-safety: a loaded StaticFiles is immutable; every const method may be called from any
// thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "server/http/app.hpp"

namespace grievance::http::pages {

struct StaticFile {
  std::string body;
  std::string content_type;
};

class StaticFiles {
 public:
  // Every file of `dir` with a known type and a safe name. Throws std::runtime_error when the
  // directory or one of those files cannot be read.
  static StaticFiles load(const std::string& dir);

  // The file called `name`; null when there is none or the name is not a safe one.
  const StaticFile* find(std::string_view name) const;
  // "/static/<name>?v=<content hash>". Throws std::runtime_error when there is no such file
  // (at startup: the layouts link to it).
  std::string url(std::string_view name) const;

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

// GET /static/{file}: the file, cacheable for a year (its URL changes with its content), or a
// plain-text 404.
Response serve_static_file(const StaticFiles& files, const Request& req, std::string_view name);

}  // namespace grievance::http::pages
