// The real `grievance` binary (GRIEVANCE_BINARY) as a child process: started on port 0 with a
// temporary data directory and certificate, its `listening on https://HOST:PORT` line read
// for the port, stopped with SIGTERM. Also runs one-shot commands (admin, backup).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "integration/test_env.hpp"

namespace grievance::testing {

class ServerProcess {
 public:
  // Runs `grievance serve --listen 127.0.0.1:0 --data <data_dir> --tls-cert --tls-key --demo
  // <extra...>`; stderr goes to <log_file>. Throws std::runtime_error when the binary does not
  // print its listening line within `startup`.
  ServerProcess(const std::filesystem::path& data_dir, const TestCertificate& cert,
                const std::filesystem::path& log_file, std::vector<std::string> extra = {},
                std::chrono::milliseconds startup = std::chrono::seconds(30));
  ~ServerProcess();  // SIGTERM, then SIGKILL if it does not exit
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& listening_line() const { return line_; }

  // Sends `signal`.
  void signal(int signal) const;
  // Waits for the process to exit; its exit code, 128+signal when killed by a signal, or -1
  // when it was still running at the deadline.
  int wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string line_;
  bool reaped_ = false;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs GRIEVANCE_BINARY with `args` and waits (at most `timeout`, then SIGKILL).
CommandResult run_grievance(const std::vector<std::string>& args,
                            std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace grievance::testing
