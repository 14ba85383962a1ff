// SPDX-License-Identifier: MIT
// echo_load: an echo server under N concurrent connections on loopback, a jmpco task per
// connection (examples/echo.hpp on one scheduler) against a thread per connection with blocking
// I/O. For each server and each N:
//  1. the server runs in a child process of its own, so that its resident memory is its own;
//  2. the client (this process, a jmpco task per connection) opens N connections, and each
//     sends one message and checks its echo: then every connection of the server is open and
//     idle, waiting for its next message, and the server reports its RSS growth since it began
//     listening, divided by N: the memory per connection;
//  3. every connection then makes M more round trips of a 32-byte message, all N at once, each
//     echo checked byte for byte: the round trips per second;
//  4. the client closes everything; the server ends when all its connections have ended.
// Local addresses only (127.0.0.1, a port the kernel picks) and bounded: every run has a hard
// time limit, after which it counts as failed.
//
// Usage: echo_load [--json FILE] [--messages M] [--servers jmpco,threads] N...
// Prints one line per run and, with --json, writes them for bench/render.py. Exit status 1 if a
// run failed (a connection refused, an echo wrong, the time limit passed). Linux only (the RSS is
// read from /proc/self/status).
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "echo.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
constexpr unsigned kRunSeconds = 300;                     // the hard limit of one run
constexpr std::size_t kThreadStack = 64 * 1024;           // thread-per-connection stack size
constexpr auto kIdleTimeout = std::chrono::seconds(120);  // a server connection's idle limit

long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// What a server child tells the client through a pipe once every connection is idle.
struct server_report {
  long rss_listening_kib = -1;  // before the first connection
  long rss_connected_kib = -1;  // all N connected, each after its first echo
};

// Counts the first echoes of the server's connections; at the N-th, sends the report.
struct first_echoes {
  std::atomic<int> count{0};
  int expected = 0;
  int report_fd = -1;
  server_report report;

  void one_more() {
    if (count.fetch_add(1) + 1 != expected) return;
    report.rss_connected_kib = resident_kib();
    if (::write(report_fd, &report, sizeof report) != static_cast<ssize_t>(sizeof report))
      std::_Exit(3);
  }
};

// ---- jmpco: a task per connection ----

// The first echo of a connection is counted, then the connection is served as usual.
void count_first_echo(void* user) {
  auto* counted = static_cast<std::pair<first_echoes*, bool>*>(user);
  if (!counted->second) {
    counted->second = true;
    counted->first->one_more();
  }
}

std::size_t serve_counted(int fd, first_echoes* echoes) {
  std::pair<first_echoes*, bool> counted{echoes, false};
  return echo::serve_for(fd, std::chrono::duration_cast<std::chrono::seconds>(kIdleTimeout),
                         count_first_echo, &counted);
}

int accept_connections(jmpco::scheduler& s, int listener, first_echoes& echoes) {
  int accepted = 0;
  while (accepted < echoes.expected) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd >= 0) {
      echo::make_nonblocking(fd);
      auto connection = s.spawn(serve_counted, fd, &echoes);
      if (!connection) std::_Exit(4);  // no memory for a task
      connection.detach();
      ++accepted;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      std::_Exit(5);
    } else if (!jmpco::this_task::wait_readable(listener, std::chrono::seconds(60))) {
      std::_Exit(6);
    }
  }
  return accepted;
}

int serve_with_jmpco(int listener, first_echoes& echoes) {
  jmpco::scheduler s;
  auto acceptor = s.spawn(accept_connections, std::ref(s), listener, std::ref(echoes));
  return s.run() ? 0 : 7;
}

// ---- a thread per connection, blocking I/O ----

struct thread_connection {
  int fd;
  first_echoes* echoes;
};

void* serve_blocking(void* argument) {
  const thread_connection c = *static_cast<thread_connection*>(argument);
  delete static_cast<thread_connection*>(argument);
  char buffer[4096];
  bool first = true;
  for (;;) {
    const ssize_t got = ::read(c.fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    ssize_t done = 0;
    while (done < got) {
      const ssize_t put = ::write(c.fd, buffer + done, static_cast<std::size_t>(got - done));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) break;
      done += put;
    }
    if (first) {
      first = false;
      c.echoes->one_more();
    }
  }
  ::close(c.fd);
  return nullptr;
}

int serve_with_threads(int listener, first_echoes& echoes) {
  const int flags = ::fcntl(listener, F_GETFL);
  ::fcntl(listener, F_SETFL, flags & ~O_NONBLOCK);
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kThreadStack);
  std::vector<pthread_t> threads;
  threads.reserve(static_cast<std::size_t>(echoes.expected));
  while (static_cast<int>(threads.size()) < echoes.expected) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) {
      if (errno == EINTR) continue;
      return 5;
    }
    pthread_t thread;
    if (pthread_create(&thread, &attributes, serve_blocking, new thread_connection{fd, &echoes}) !=
        0)
      return 8;  // the system's thread limit
    threads.push_back(thread);
  }
  for (pthread_t thread : threads) pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
  return 0;
}

// ---- the client ----

struct client_run {
  int connections = 0;
  int messages = 0;
  int ok = 0;                            // connections whose every echo matched
  jmpco::channel<int>* start = nullptr;  // closed when the server has reported
  bool reported = false;
  clock_type::time_point connected;  // when the report came
};

bool client_connection(const sockaddr_in& server, int number, client_run& run) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  struct close_on_exit {
    int fd;
    ~close_on_exit() { ::close(fd); }
  } closer{fd};
  echo::make_nonblocking(fd);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
      (errno != EINPROGRESS || !jmpco::this_task::wait_writable(fd, std::chrono::seconds(60))))
    return false;
  char message[33];
  std::snprintf(message, sizeof message, "%-31d\n", number);
  if (!echo::ask(fd, message, 32)) return false;
  (void)run.start->recv();  // every connection is open: the server measures; then go on
  for (int i = 0; i < run.messages; ++i) {
    message[0] = static_cast<char>('a' + i % 26);
    if (!echo::ask(fd, message, 32)) return false;
  }
  ++run.ok;
  return true;
}

// Reads the server's report, then lets every client go on.
void await_report(int report_fd, server_report& report, client_run& run) {
  echo::make_nonblocking(report_fd);
  std::size_t got = 0;
  auto* bytes = reinterpret_cast<char*>(&report);
  while (got < sizeof report) {
    const ssize_t n = ::read(report_fd, bytes + got, sizeof report - got);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR) ||
               !jmpco::this_task::wait_readable(report_fd, std::chrono::seconds(kRunSeconds))) {
      break;
    }
  }
  run.reported = got == sizeof report;
  run.connected = clock_type::now();
  (void)run.start->close();
}

struct result_line {
  std::string server;
  int connections = 0;
  int messages = 0;
  bool ok = false;
  double connect_seconds = 0;  // all N connected and echoed once
  double round_trips_per_second = 0;
  double rss_per_connection = 0;  // bytes
  double rss_connected = 0;       // bytes, the server's whole RSS with N connections
};

void raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

result_line run_one(const std::string& kind, int connections, int messages) {
  result_line line{kind, connections, messages};
  sockaddr_in address{};
  const int listener = echo::listen_on_loopback(address);
  int report_pipe[2];
  if (listener < 0 || ::pipe(report_pipe) != 0) return line;
  ::listen(listener, SOMAXCONN);  // the longest backlog the system allows
  const pid_t server = ::fork();
  if (server == 0) {  // the server
    ::alarm(kRunSeconds);
    ::close(report_pipe[0]);
    first_echoes echoes;
    echoes.expected = connections;
    echoes.report_fd = report_pipe[1];
    echoes.report.rss_listening_kib = resident_kib();
    std::_Exit(kind == "jmpco" ? serve_with_jmpco(listener, echoes)
                               : serve_with_threads(listener, echoes));
  }
  ::close(report_pipe[1]);
  ::close(listener);
  if (server < 0) return line;

  jmpco::scheduler s;
  jmpco::channel<int> start(0);
  client_run run;
  run.connections = connections;
  run.messages = messages;
  run.start = &start;
  server_report report;
  const auto began = clock_type::now();
  s.spawn(await_report, report_pipe[0], std::ref(report), std::ref(run)).detach();
  for (int i = 0; i < connections; ++i)
    s.spawn(client_connection, std::cref(address), i, std::ref(run)).detach();
  const bool ran = static_cast<bool>(s.run());
  const auto finished = clock_type::now();
  ::close(report_pipe[0]);
  int status = 0;
  ::waitpid(server, &status, 0);

  const bool reported = ran && run.reported;
  line.ok = reported && run.ok == connections && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  line.connect_seconds = std::chrono::duration<double>(run.connected - began).count();
  const double talking = std::chrono::duration<double>(finished - run.connected).count();
  if (talking > 0) line.round_trips_per_second = double(connections) * messages / talking;
  line.rss_connected = double(report.rss_connected_kib) * 1024;
  line.rss_per_connection =
      double(report.rss_connected_kib - report.rss_listening_kib) * 1024 / connections;
  if (!line.ok)
    std::fprintf(stderr,
                 "echo_load: %s with %d connections failed: %d of them answered, report %s, "
                 "server exit status %d\n",
                 kind.c_str(), connections, run.ok, reported ? "received" : "missing",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  std::string json;
  int messages = 20;
  std::vector<std::string> servers{"jmpco", "threads"};
  std::vector<int> counts;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json" && i + 1 < argc) {
      json = argv[++i];
    } else if (arg == "--messages" && i + 1 < argc) {
      messages = std::atoi(argv[++i]);
    } else if (arg == "--servers" && i + 1 < argc) {
      servers.clear();
      std::string list = argv[++i];
      for (std::size_t at = 0; at <= list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        servers.push_back(list.substr(at, comma - at));
        at = comma + 1;
      }
    } else if (std::atoi(arg.c_str()) > 0) {
      counts.push_back(std::atoi(arg.c_str()));
    } else {
      std::fprintf(
          stderr, "usage: echo_load [--json FILE] [--messages M] [--servers jmpco,threads] N...\n");
      return 2;
    }
  }
  if (counts.empty()) counts = {10, 1000};
  raise_fd_limit();
  ::signal(SIGPIPE, SIG_IGN);
  ::alarm(kRunSeconds * static_cast<unsigned>(counts.size() * servers.size()));

  std::vector<result_line> lines;
  bool all_ok = true;
  for (int n : counts) {
    for (const std::string& kind : servers) {
      const result_line line = run_one(kind, n, messages);
      std::printf(
          "%-8s %6d connections: %s, connected in %.3f s, %.0f round trips/s, server RSS "
          "%.1f MiB, %.0f B per connection\n",
          kind.c_str(), n, line.ok ? "ok" : "FAILED", line.connect_seconds,
          line.round_trips_per_second, line.rss_connected / 1048576, line.rss_per_connection);
      std::fflush(stdout);
      all_ok = all_ok && line.ok;
      lines.push_back(line);
    }
  }
  if (!json.empty()) {
    std::FILE* out = std::fopen(json.c_str(), "w");
    if (out == nullptr) return 1;
    std::fprintf(out, "{\"messages\": %d, \"thread_stack_bytes\": %zu, \"runs\": [\n", messages,
                 kThreadStack);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const result_line& l = lines[i];
      std::fprintf(out,
                   "  {\"server\": \"%s\", \"connections\": %d, \"ok\": %s, "
                   "\"connect_seconds\": %.6f, \"round_trips_per_second\": %.1f, "
                   "\"rss_connected_bytes\": %.0f, \"rss_per_connection_bytes\": %.1f}%s\n",
                   l.server.c_str(), l.connections, l.ok ? "true" : "false", l.connect_seconds,
                   l.round_trips_per_second, l.rss_connected, l.rss_per_connection,
                   i + 1 < lines.size() ? "," : "");
    }
    std::fprintf(out, "]}\n");
    std::fclose(out);
  }
  return all_ok ? 0 : 1;
}
