#include "integration/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace grievance::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> to_argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

// fork + exec; the child's stdout goes to `out_fd`, its stderr to `err_fd`.
pid_t spawn(std::vector<std::string> args, int out_fd, int err_fd) {
  auto argv = to_argv(args);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    // The test process may have blocked signals or ignored SIGPIPE; the server starts clean.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid, std::chrono::milliseconds timeout, bool& reaped) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      reaped = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (r < 0) return -1;
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

ServerProcess::ServerProcess(const std::filesystem::path& data_dir, const TestCertificate& cert,
                             const std::filesystem::path& log_file, std::vector<std::string> extra,
                             std::chrono::milliseconds startup) {
  std::vector<std::string> args = {GRIEVANCE_BINARY, "serve",      "--listen",   "127.0.0.1:0",
                                   "--data",         data_dir,     "--tls-cert", cert.cert_file,
                                   "--tls-key",      cert.key_file};
  args.insert(args.end(), extra.begin(), extra.end());
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_file.string());
  pid_ = spawn(args, fds[1], log_fd);
  ::close(fds[1]);
  ::close(log_fd);
  stdout_fd_ = fds[0];

  // Read stdout until the listening line (or the deadline, or the process ends).
  const std::regex listening(R"(^listening on https://([^\s]+):(\d+)$)");
  std::string buffer;
  const auto deadline = Clock::now() + startup;
  while (Clock::now() < deadline) {
    pollfd p{stdout_fd_, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 1))) <= 0) continue;
    char chunk[256];
    const ssize_t n = ::read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
    // Lines before it (--demo prints the demo users) are skipped.
    std::size_t start = 0;
    for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n', start)) {
      line_ = buffer.substr(start, nl - start);
      start = nl + 1;
      std::smatch m;
      if (std::regex_match(line_, m, listening)) {
        port_ = static_cast<std::uint16_t>(std::stoi(m[2].str()));
        return;
      }
    }
  }
  signal(SIGKILL);
  wait(std::chrono::seconds(5));
  std::ifstream log(log_file);
  std::stringstream text;
  text << log.rdbuf();
  throw std::runtime_error("grievance serve did not start: stdout '" + buffer + "', stderr '" +
                           text.str() + "'");
}

ServerProcess::~ServerProcess() {
  if (!reaped_ && pid_ > 0) {
    signal(SIGTERM);
    if (wait(std::chrono::seconds(15)) == -1) {
      signal(SIGKILL);
      wait(std::chrono::seconds(5));
    }
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void ServerProcess::signal(int sig) const {
  if (!reaped_ && pid_ > 0) ::kill(pid_, sig);
}

int ServerProcess::wait(std::chrono::milliseconds timeout) {
  if (reaped_) return -1;
  return wait_for(pid_, timeout, reaped_);
}

CommandResult run_grievance(const std::vector<std::string>& args,
                            std::chrono::milliseconds timeout) {
  std::vector<std::string> full = {GRIEVANCE_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  char path[] = "/tmp/grievance-cmd-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  const pid_t pid = spawn(full, fd, fd);
  ::close(fd);
  bool reaped = false;
  CommandResult result;
  result.exit_code = wait_for(pid, timeout, reaped);
  if (!reaped) {
    ::kill(pid, SIGKILL);
    wait_for(pid, std::chrono::seconds(5), reaped);
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  result.output = text.str();
  std::remove(path);
  return result;
}

}  // namespace grievance::testing
