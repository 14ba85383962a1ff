// SPDX-License-Identifier: MIT
#include "replay.hpp"

#include <pthread.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <sstream>

#include "interp.hpp"
#include "jmpco/core.hpp"
#include "lexer.hpp"
#include "parser.hpp"

namespace replay {

namespace {

// Stack left free below the interpreter's deepest frame: room for a native function, a switch,
// and (under sanitizers) much larger frames.
constexpr std::size_t kStackMargin = std::size_t{4} << 20;

#if defined(__SANITIZE_ADDRESS__)
#define JMPCO_REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JMPCO_REPLAY_ASAN 1
#endif
#endif
#if defined(JMPCO_REPLAY_ASAN)
// AddressSanitizer stops cleaning the stack shadow on a throw when more than 64 MiB of stack are
// in use (and then reports false errors): the interpreter stays well below that.
constexpr std::size_t kMaxUsedStack = std::size_t{48} << 20;
#else
constexpr std::size_t kMaxUsedStack = ~std::size_t{0};
#endif

struct Job {
  std::string_view chunkname;
  std::string_view source;
  std::ostream* out;
  std::ostream* err;
  const options* opts;
  std::uintptr_t stack_top = 0;  // thread_main's frame, near the top of the interpreter's stack
  int status = 0;
};

// The interpreter's thread was created with opts.stack_size bytes of stack and thread_main runs at
// its top, so the lowest address the interpreter may use follows from thread_main's frame, on every
// system: pthread_getattr_np, which could tell it exactly, is a glibc extension (MinGW's
// winpthreads lacks it). What lies above the frame (glibc keeps the thread's TLS there) only makes
// the real bottom higher than this estimate by a few KiB, well inside kStackMargin.
std::uintptr_t lowest_usable_stack_address(std::uintptr_t top, std::size_t size) {
  if (size >= top) return 0;
  const std::uintptr_t low = top - size;
  std::uintptr_t limit = low + kStackMargin;
  if (size > kMaxUsedStack && low + size - kMaxUsedStack > limit)
    limit = low + size - kMaxUsedStack;
  return limit;
}

void report(const Job& job, const std::string& message) {
  *job.err << job.opts->program_name << ": " << message << "\n";
}

int run_here(Job& job) {
  // Lua's limits: errors at LUAI_MAXCCALLS levels, "error in error handling" at 11/10 of it.
  jmpco::coroutine_core::set_nesting_limit(kErrorHandlingCCalls - 1);
  Chunk chunk;
  try {
    chunk = parse_chunk(job.chunkname, job.source);
  } catch (const SyntaxError& e) {
    report(job, e.what());
    return 1;
  }
  std::string message;
  int status = 0;
  {
    // On the heap, like everything coroutines share: never inside a stack slice jmpco moves.
    auto in = std::make_unique<Interp>(job.chunkname, *job.out, *job.opts);
    in->set_err(*job.err);
    in->set_stack_limit(lowest_usable_stack_address(job.stack_top, job.opts->stack_size));
    status = in->run_main(chunk, message);
    in->shutdown();
  }
  if (!message.empty()) report(job, message);
  return status;
}

void* thread_main(void* p) {
  Job& job = *static_cast<Job*>(p);
#if defined(__GNUC__) || defined(__clang__)
  // Not the address of a local: AddressSanitizer may keep locals on a heap "fake stack".
  job.stack_top = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
#else
  char here = 0;
  job.stack_top = reinterpret_cast<std::uintptr_t>(&here);
#endif
  try {
    job.status = run_here(job);
  } catch (const std::bad_alloc&) {
    report(job, "not enough memory");
    job.status = 1;
  } catch (const std::exception& e) {
    report(job, std::string("internal error: ") + e.what());
    job.status = 1;
  }
  return nullptr;
}

}  // namespace

int run_source(std::string_view chunkname, std::string_view source, std::ostream& out,
               std::ostream& err, const options& opts) {
  // The interpreter runs on a thread of its own with a large stack: Lua calls are C++ calls,
  // and every coroutine's frames live on that same stack.
  Job job{chunkname, source, &out, &err, &opts};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, opts.stack_size);
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, thread_main, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    report(job, std::string("cannot start the interpreter thread: ") + std::strerror(rc));
    return 1;
  }
  pthread_join(thread, nullptr);
  out.flush();
  return job.status;
}

int run_file(const std::string& path, std::ostream& out, std::ostream& err, const options& opts) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << opts.program_name << ": cannot open " << path << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad() || (in.fail() && !in.eof())) {
    err << opts.program_name << ": cannot read " << path << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  std::string source = buffer.str();
  // lua.c skips a first line starting with '#' (a shebang), keeping the line count.
  if (!source.empty() && source[0] == '#') {
    std::size_t eol = source.find('\n');
    source = eol == std::string::npos ? std::string() : source.substr(eol);
  }
  return run_source(path, source, out, err, opts);
}

}  // namespace replay
