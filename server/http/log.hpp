// Logs are JSON lines on stderr (SPEC section 4). Never pass personal data, complaint text,
// access codes, passwords, tokens or client addresses to these functions. Thread-safe.
// "info" lines are buffered (flushed every 200 ms, per 16 KiB and at exit); other levels are
// written at once.
#pragma once

#include <initializer_list>
#include <string_view>
#include <utility>

namespace grievance::http {

using LogField = std::pair<std::string_view, std::string_view>;

// {"ts":"...","level":"info","msg":"...","<k>":"<v>",...}
void log_line(std::string_view level, std::string_view msg,
              std::initializer_list<LogField> fields = {});

}  // namespace grievance::http
