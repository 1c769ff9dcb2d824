// Injectable time: the domain never reads the system clock itself, so every deadline, expiry
// and lockout is tested with a manual clock (STYLE point 10).
#pragma once

#include "server/domain/types.hpp"

namespace grievance::domain {

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC, second precision. Thread-safe.
  virtual TimePoint now() const = 0;
};

}  // namespace grievance::domain
