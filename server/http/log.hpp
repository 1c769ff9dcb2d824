// Logs are JSON lines on stderr (docs/security.md "Logs"). Never pass personal data, complaint
// text, access codes, passwords, tokens or client addresses to these functions. Thread-safe. "info"
// lines are buffered (flushed every 200 ms, per 16 KiB and at exit); other levels are written at
// once.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace grievance::http {

using LogField = std::pair<std::string_view, std::string_view>;

// {"ts":"...","level":"info","msg":"...","<k>":"<v>",...}
void log_line(std::string_view level, std::string_view msg,
              std::initializer_list<LogField> fields = {});

// The line of one answered request, the same as log_line("info", "request", {{"request_id",..},
// {"method",..}, {"route",..}, {"status","200"}, {"duration_us",".."}}) but without building the
// fields: it is written for every request. `route` is the route's pattern, never the target.
void log_request(std::string_view request_id, std::string_view method, std::string_view route,
                 unsigned status, std::int64_t duration_us);

}  // namespace grievance::http
