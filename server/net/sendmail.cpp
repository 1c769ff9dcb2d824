#include "server/net/sendmail.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

extern char** environ;

namespace grievance::net {
namespace {

using domain::Error;
using domain::fail;
using Clock = std::chrono::steady_clock;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

Error send_failed() { return Error::unavailable("The mail command did not take the message."); }

// Writes all of `data` to the non-blocking `fd` before `deadline`.
bool write_all(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLOUT, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || (p.revents & (POLLERR | POLLHUP)) != 0) return false;
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && (command[i] == ' ' || command[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < command.size() && command[i] != ' ' && command[i] != '\t') ++i;
    if (i > start) out.emplace_back(command.substr(start, i - start));
  }
  return out;
}

SendmailTransport::SendmailTransport(std::string_view command, std::chrono::milliseconds timeout)
    : argv_(split_command(command)), timeout_(timeout) {
  // A command that exits before reading the whole message must fail the send, not end the
  // process (the server ignores SIGPIPE too: server/main.cpp).
  ::signal(SIGPIPE, SIG_IGN);
}

domain::Status SendmailTransport::send(std::string_view message) {
  if (argv_.empty()) return fail(send_failed());
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return fail(send_failed());
  Fd read_end{pipe_fds[0]};
  Fd write_end{pipe_fds[1]};
  Fd null_fd{::open("/dev/null", O_WRONLY | O_CLOEXEC)};
  if (null_fd.fd < 0) return fail(send_failed());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, read_end.fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, null_fd.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, null_fd.fd, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The server blocks signals in its threads; the command gets a clean mask and defaults.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (std::string& a : argv_) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) return fail(send_failed());
  read_end.close();
  null_fd.close();

  const auto deadline = Clock::now() + timeout_;
  ::fcntl(write_end.fd, F_SETFL, ::fcntl(write_end.fd, F_GETFL) | O_NONBLOCK);
  bool ok = write_all(write_end.fd, message, deadline);
  write_end.close();  // end of the message

  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return fail(send_failed());
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return fail(send_failed());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) return fail(send_failed());
  return {};
}

}  // namespace grievance::net
