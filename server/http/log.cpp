#include "server/http/log.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "server/domain/types.hpp"

namespace grievance::http {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

std::mutex log_mutex;

}  // namespace

void log_line(std::string_view level, std::string_view msg,
              std::initializer_list<LogField> fields) {
  std::string line = "{\"ts\":";
  append_json_string(line, domain::format_time(std::chrono::floor<std::chrono::seconds>(
                               std::chrono::system_clock::now())));
  line += ",\"level\":";
  append_json_string(line, level);
  line += ",\"msg\":";
  append_json_string(line, msg);
  for (const auto& [k, v] : fields) {
    line.push_back(',');
    append_json_string(line, k);
    line.push_back(':');
    append_json_string(line, v);
  }
  line += "}\n";
  std::lock_guard lock(log_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace grievance::http
