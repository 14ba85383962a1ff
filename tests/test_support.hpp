// SPDX-License-Identifier: MIT
// What several test files share: objects that count their constructions and destructions (so a
// test sees every destructor run exactly once), and running a test body on a fresh thread.
#ifndef JMPCO_TESTS_TEST_SUPPORT_HPP
#define JMPCO_TESTS_TEST_SUPPORT_HPP

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <stdexcept>
#include <utility>
#include <vector>

#include "jmpco/jmpco.hpp"  // (not config.hpp: the single-header build has only jmpco.hpp)

#if JMPCO_THREADS
#include <thread>
#else
#include "thread_state.hpp"  // lib/: what a thread's exit releases
#endif

// A test that needs a second thread says so first: a build without threads (JMPCO_THREADS=0, bare
// metal) reports it as skipped, with the reason, instead of running it.
#if JMPCO_THREADS
#define JMPCO_TEST_NEEDS_THREADS() static_cast<void>(0)
#else
#define JMPCO_TEST_NEEDS_THREADS() \
  GTEST_SKIP() << "needs a second thread; this build has none (JMPCO_THREADS=0)"
#endif

// Likewise a test that needs POSIX signals and mmap (a Unix-like OS).
#if defined(__unix__) || defined(__APPLE__)
#define JMPCO_TEST_HAS_SIGNALS 1
#define JMPCO_TEST_NEEDS_SIGNALS() static_cast<void>(0)
#else
#define JMPCO_TEST_HAS_SIGNALS 0
#define JMPCO_TEST_NEEDS_SIGNALS() \
  GTEST_SKIP() << "needs POSIX signals and mmap; this target has no OS"
#endif

namespace jmpco_test {

struct counted {
  static inline int alive = 0;
  static inline int destroyed = 0;
  counted() { ++alive; }
  counted(const counted&) { ++alive; }
  ~counted() {
    --alive;
    ++destroyed;
  }
};

struct counters_reset {
  counters_reset() { counted::alive = counted::destroyed = 0; }
};

// Sets a flag when destroyed: shows that a killed task's stack was unwound.
struct destroyed_flag {
  bool* flag;
  ~destroyed_flag() { *flag = true; }
};

// What identifies a multiset of values: their count, sum and sum of squares (mod 2^64). A lost,
// duplicated or changed value changes it.
struct checksum {
  std::uint64_t count = 0;
  std::uint64_t sum = 0;
  std::uint64_t squares = 0;
  void add(std::uint64_t v) noexcept {
    ++count;
    sum += v;
    squares += v * v;
  }
  void merge(const checksum& other) noexcept {
    count += other.count;
    sum += other.sum;
    squares += other.squares;
  }
  bool operator==(const checksum& o) const noexcept {
    return count == o.count && sum == o.sum && squares == o.squares;
  }
};

// The checksum of `first`, first+1, ..., n-1.
inline checksum expected_for(std::uint64_t n, std::uint64_t first = 0) {
  checksum c;
  for (std::uint64_t v = first; v < n; ++v) c.add(v);
  return c;
}

// A value that counts itself as dropped if destroyed before a receiver consumed it.
struct parcel {
  static inline std::atomic<long> dropped{0};
  bool full = true;
  parcel() = default;
  parcel(parcel&& other) noexcept : full(std::exchange(other.full, false)) {}
  parcel& operator=(parcel&&) = delete;
  ~parcel() {
    if (full) ++dropped;
  }
  void consume() noexcept { full = false; }
};

#if JMPCO_THREADS
// Another thread offering parcels to `channels` in turn (try_send) until finish(), counting those
// taken and those refused (a refused parcel is dropped). finish() then receives what the channels
// still hold and says how many: a test that destroys schedulers whose tasks receive meanwhile
// checks that received + parcel::dropped == sent + refused (nothing lost unaccounted, nothing
// twice).
template <class Channel>
class parcel_offers {
 public:
  explicit parcel_offers(std::initializer_list<Channel*> channels) : channels_(channels) {
    thread_ = std::thread([this] {
      for (std::size_t k = 0; !stop_.load(); k = (k + 1) % channels_.size()) {
        if (channels_[k]->try_send(parcel()).ok())
          ++sent;
        else
          ++refused;
      }
    });
  }
  parcel_offers(const parcel_offers&) = delete;
  parcel_offers& operator=(const parcel_offers&) = delete;
  ~parcel_offers() { (void)finish(); }

  long finish() {
    if (!thread_.joinable()) return 0;
    stop_.store(true);
    thread_.join();
    long left = 0;
    for (Channel* ch : channels_) {
      while (auto p = ch->try_recv()) {
        p->consume();
        ++left;
      }
    }
    return left;
  }

  std::atomic<long> sent{0};
  long refused = 0;  // read after finish()

 private:
  std::vector<Channel*> channels_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};
#endif

#if JMPCO_EXCEPTIONS
// A value whose move throws when asked to (its copy never does).
struct throwing_move {
  int value = 0;
  bool throw_on_move = false;
  throwing_move() = default;
  explicit throwing_move(int v, bool t) : value(v), throw_on_move(t) {}
  throwing_move(const throwing_move&) = default;
  throwing_move& operator=(const throwing_move&) = default;
  throwing_move(throwing_move&& other) : value(other.value), throw_on_move(other.throw_on_move) {
    if (throw_on_move) throw std::runtime_error("move failed");
  }
  throwing_move& operator=(throwing_move&&) = default;
};

// A value whose `moves_until_throw`-th move from now throws (0: none does), once; it counts the
// live ones and every use of a destroyed one (a read of a slot emptied under a channel's feet).
struct fragile {
  static inline int live = 0;
  static inline int dead_uses = 0;
  static inline int moves_until_throw = 0;
  static constexpr int kAlive = 0x600d;
  int value = 0;
  int magic = kAlive;

  explicit fragile(int v) : value(v) { ++live; }
  fragile(const fragile& other) : value(other.value) {
    note_use(other);
    ++live;
  }
  fragile(fragile&& other) : value(other.value) {
    note_use(other);
    if (moves_until_throw > 0 && --moves_until_throw == 0) throw std::runtime_error("move failed");
    ++live;
  }
  fragile& operator=(const fragile&) = delete;
  ~fragile() {
    note_use(*this);
    *static_cast<volatile int*>(&magic) = 0;  // volatile: kept past the lifetime's end
    --live;
  }
  static void note_use(const fragile& f) {
    if (f.magic != kAlive) ++dead_uses;
  }
};

// A channel (channel or shared_channel of fragile, `capacity`) with a sender parked on it: it
// sends 1 ... capacity + 1 and closes. Then a receiver's `nth` move throws in `receive_once`
// (recv, try_recv, a select...), and it drains the channel. Gives every value received, in order;
// each value must come once, whatever move threw.
template <class Channel, class Receive>
std::vector<int> received_around_a_throwing_move(std::size_t capacity, int nth,
                                                 Receive receive_once) {
  jmpco::scheduler s;
  Channel ch(capacity);
  std::vector<int> got;
  auto sender = s.spawn([&] {
    for (int i = 1; i <= static_cast<int>(capacity) + 1; ++i) EXPECT_TRUE(ch.send(fragile(i)).ok());
    (void)ch.close();
  });
  auto receiver = s.spawn([&] {
    fragile::moves_until_throw = nth;
    try {
      receive_once(ch, got);
    } catch (const std::runtime_error&) {
    }
    fragile::moves_until_throw = 0;
    while (auto v = ch.recv()) got.push_back(v->value);
  });
  EXPECT_TRUE(s.run().ok());
  return got;
}
#endif

// Runs `program` once with the default allocator (to warm up the thread's own buffers), then
// with its 1st, 2nd, ... allocation failing, until a run makes fewer allocations than the one
// that would fail. Counts the runs that left a block behind; gives the number of runs made.
struct each_allocation_failing {
  static inline long live_blocks = 0;
  static inline long allocations = 0;
  static inline long fail_at = 0;
  long runs = 0;
  long leaking_runs = 0;

  static void* allocate(std::size_t size, void*) {
    if (++allocations == fail_at) return nullptr;
    ++live_blocks;
    return std::malloc(size);
  }
  static void deallocate(void* block, std::size_t, void*) {
    --live_blocks;
    std::free(block);
  }

  template <class F>
  each_allocation_failing(F program, long at_most) {
    program();
    jmpco::set_allocator({&allocate, &deallocate, nullptr});
    for (runs = 1; runs < at_most; ++runs) {
      allocations = 0;
      fail_at = runs;
      live_blocks = 0;
      program();
      if (live_blocks != 0) ++leaking_runs;
      if (allocations < runs) break;  // every allocation has failed once
    }
    jmpco::set_allocator({});
  }
};

// A thread's main context keeps a scratch buffer until the thread exits: a fresh thread shows
// every block a test allocates, and its exit returns them. Without threads the one thread stands
// in: what its exit would release is released after `fn` (tests/bare_metal's runner also does so
// before each test).
template <class F>
void on_fresh_thread(F fn) {
#if JMPCO_THREADS
  std::thread(fn).join();
#else
  fn();
  jmpco::detail::release_thread_resources(jmpco::detail::this_thread_state());
#endif
}

// Blocks of jmpco's allocator still held after `program` ran on a fresh thread (whose exit
// returns the thread's own buffers).
template <class F>
long blocks_left_by(F program) {
  using counting = each_allocation_failing;
  counting::fail_at = 0;  // never
  counting::live_blocks = 0;
  jmpco::set_allocator({&counting::allocate, &counting::deallocate, nullptr});
  on_fresh_thread(program);
  jmpco::set_allocator({});
  return counting::live_blocks;
}

}  // namespace jmpco_test

#endif  // JMPCO_TESTS_TEST_SUPPORT_HPP
