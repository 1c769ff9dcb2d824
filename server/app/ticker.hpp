// A background thread that calls a function at a fixed interval until it is destroyed (the
// deadline scheduler's hand: server/domain/deadline_scheduler.hpp). The first call comes at
// once, so a restart catches up before the first interval passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

namespace grievance::app {

class Ticker {
 public:
  Ticker(std::chrono::milliseconds interval, std::function<void()> tick)
      : thread_([this, interval, tick = std::move(tick)](std::stop_token stop) {
          std::mutex mu;
          std::unique_lock lock(mu);
          while (!stop.stop_requested()) {
            tick();
            wake_.wait_for(lock, stop, interval, [] { return false; });
          }
        }) {}
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;
  ~Ticker() = default;  // the jthread requests stop, wakes the wait and joins

 private:
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: started after wake_ exists, joined before it goes
};

}  // namespace grievance::app
