#include "server/http/log.hpp"

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/domain/types.hpp"
#include "server/http/json_writer.hpp"

namespace grievance::http {
namespace {

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
//
// Each thread appends to its own buffer under its own mutex, which only the flusher ever
// contends: two I/O threads logging every request on one shared mutex waited for each other
// (futex calls in perf). The flusher thread writes the buffers, so an I/O thread never waits
// for stderr, unless its buffer has grown kMaxPendingBytes (stderr blocked): then it writes
// itself. Lines of one thread keep their order; lines of different threads within one flush
// are grouped by thread.
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
    Local& local = this_thread();
    std::size_t pending = 0;
    {
      std::lock_guard lock(local.mu);
      local.lines += line;
      pending = local.lines.size();
    }
    if (urgent || pending >= kMaxPendingBytes) {
      flush();
    } else if (pending >= kFlushBytes && pending - line.size() < kFlushBytes) {
      cv_.notify_one();  // a lost wake-up only waits for the next 200 ms tick
    }
  }

 private:
  static constexpr std::size_t kFlushBytes = 16 * 1024;
  static constexpr std::size_t kMaxPendingBytes = 1024 * 1024;

  // One thread's buffer. Registered with the sink on the thread's first line; at thread exit
  // its lines are written and it leaves the registry.
  struct Local {
    explicit Local(Sink& s) : sink(s) {
      std::lock_guard lock(sink.registry_mu_);
      sink.locals_.push_back(this);
    }
    ~Local() {
      sink.flush();
      std::lock_guard lock(sink.registry_mu_);
      std::erase(sink.locals_, this);
    }
    Sink& sink;
    std::mutex mu;
    std::string lines;  // GUARDED_BY(mu)
  };

  Local& this_thread() {
    thread_local Local local(*this);
    return local;
  }

  void run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      lock.unlock();
      flush();
      lock.lock();
    }
  }

  // Takes every thread's lines and writes them. Batches leave in the order they were taken:
  // the one taking a batch holds write_mu_ until it is written.
  void flush() {
    std::lock_guard writing(write_mu_);
    {
      std::lock_guard registry(registry_mu_);
      for (Local* local : locals_) {
        std::lock_guard lock(local->mu);
        writing_ += local->lines;
        local->lines.clear();  // keeps its capacity
      }
    }
    if (writing_.empty()) return;
    std::fwrite(writing_.data(), 1, writing_.size(), stderr);
    std::fflush(stderr);
    writing_.clear();
  }

  std::mutex write_mu_;  // taken before registry_mu_, which is taken before Local::mu
  std::string writing_;  // GUARDED_BY(write_mu_)
  std::mutex registry_mu_;
  std::vector<Local*> locals_;  // GUARDED_BY(registry_mu_)
  std::mutex mu_;               // for the flusher's wait
  std::condition_variable cv_;
  bool stop_ = false;  // GUARDED_BY(mu_)
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
