#include "server/http/log.hpp"

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "server/domain/types.hpp"

namespace grievance::http {
namespace {

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t plain = 0;  // s[plain, i) needs no escaping: appended in one piece
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
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
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out.push_back('"');
}

void append_json_number(std::string& out, std::int64_t value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 24 characters hold any int64
  out.push_back('"');
  out.append(buf, end);
  out.push_back('"');
}

// The start of every line, up to the level: {"ts":"2025-01-01T00:00:00Z". Formatted once per
// second per thread instead of once per line.
void append_timestamp(std::string& out) {
  thread_local std::chrono::sys_seconds cached_second{};
  thread_local std::string cached;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (cached.empty() || now != cached_second) {
    cached = "{\"ts\":";
    append_json_string(cached, domain::format_time(now));
    cached_second = now;
  }
  out += cached;
}

// One line is built per thread in a buffer that keeps its capacity.
std::string& line_buffer() {
  thread_local std::string line;
  line.clear();
  return line;
}

// Request lines are buffered like nginx's "access_log ... buffer=": one write(2) per 16 KiB or
// per 200 ms instead of one per request; warnings and errors are written at once, and the
// buffer is flushed at exit. A SIGKILL can lose at most the last 200 ms of request lines.
// The flusher thread does the buffered writes, so an I/O thread logging a request never waits
// for stderr (unless the flusher has fallen kMaxPendingBytes behind: then it writes itself).
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
    flush();
  }

  void write(std::string_view line, bool urgent) {
    bool full = false;
    {
      std::lock_guard lock(mu_);
      const bool was_below = buffer_.size() < kFlushBytes;
      buffer_ += line;
      if (urgent || buffer_.size() >= kMaxPendingBytes) {
        full = true;
      } else if (was_below && buffer_.size() >= kFlushBytes) {
        cv_.notify_one();
      }
    }
    if (full) flush();
  }

 private:
  static constexpr std::size_t kFlushBytes = 16 * 1024;
  static constexpr std::size_t kMaxPendingBytes = 1024 * 1024;

  void run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200),
                   [this] { return stop_ || buffer_.size() >= kFlushBytes; });
      lock.unlock();
      flush();
      lock.lock();
    }
  }

  // Writes what is buffered. Batches leave in the order they were taken: the one taking a
  // batch holds write_mu_ until it is written.
  void flush() {
    std::lock_guard writing(write_mu_);
    {
      std::lock_guard lock(mu_);
      if (buffer_.empty()) return;
      writing_.swap(buffer_);
    }
    std::fwrite(writing_.data(), 1, writing_.size(), stderr);
    std::fflush(stderr);
    writing_.clear();
  }

  std::mutex write_mu_;  // held while a batch is written; taken before mu_
  std::string writing_;  // GUARDED_BY(write_mu_)
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
  std::string& line = line_buffer();
  append_timestamp(line);
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

void log_request(std::string_view request_id, std::string_view method, std::string_view route,
                 unsigned status, std::int64_t duration_us) {
  std::string& line = line_buffer();
  append_timestamp(line);
  line += ",\"level\":\"info\",\"msg\":\"request\",\"request_id\":";
  append_json_string(line, request_id);
  line += ",\"method\":";
  append_json_string(line, method);
  line += ",\"route\":";
  append_json_string(line, route);
  line += ",\"status\":";
  append_json_number(line, status);
  line += ",\"duration_us\":";
  append_json_number(line, duration_us);
  line += "}\n";
  sink().write(line, false);
}

}  // namespace grievance::http
