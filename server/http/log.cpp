#include "server/http/log.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "server/domain/types.hpp"

namespace grievance::http {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
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

// Request lines are buffered like nginx's "access_log ... buffer=": one write(2) per 16 KiB or
// per 200 ms instead of one per request; warnings and errors are written at once, and the
// buffer is flushed at exit. A SIGKILL can lose at most the last 200 ms of request lines.
class Sink {
 public:
  Sink() : flusher_([this] { run(); }) {}
  ~Sink() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    flusher_.join();
    flush_locked();
  }

  void write(const std::string& line, bool urgent) {
    std::lock_guard lock(mu_);
    buffer_ += line;
    if (urgent || buffer_.size() >= kFlushBytes) flush_locked();
  }

 private:
  static constexpr std::size_t kFlushBytes = 16 * 1024;

  void run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      flush_locked();
    }
  }

  void flush_locked() {  // REQUIRES: mu_ held (or the flusher joined)
    if (buffer_.empty()) return;
    std::fwrite(buffer_.data(), 1, buffer_.size(), stderr);
    std::fflush(stderr);
    buffer_.clear();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;  // GUARDED_BY(mu_)
  bool stop_ = false;   // GUARDED_BY(mu_)
  std::thread flusher_;
};

Sink& sink() {
  static Sink s;
  return s;
}

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
  sink().write(line, level != "info");
}

}  // namespace grievance::http
