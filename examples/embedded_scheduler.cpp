// SPDX-License-Identifier: MIT
// Firmware style with the scheduler: compiled with -fno-exceptions -fno-rtti, every byte from one
// static arena. A sensor task sends readings through a channel to a logger task, a watchdog
// sleeps until it is killed, and spawning more tasks than the arena holds fails with an error
// value, never an abort; once the scheduler is gone the arena is whole again.
#include <chrono>
#include <cstdio>

#include "jmpco/jmpco.hpp"
#include "static_arena.hpp"  // ports/common: first fit over a static buffer

namespace {

alignas(jmpco_port::static_arena::alignment) unsigned char buffer[64 * 1024];
jmpco_port::static_arena arena(buffer, sizeof buffer);

constexpr int kCrowd = 1000;  // more tasks than the arena can hold

// Readings every millisecond, then the end of the stream.
int sensor(jmpco::channel<int>& readings) {
  for (int reading : {20, 21, 23, 22}) {
    if (!readings.send(reading)) return -1;
    (void)jmpco::this_task::sleep_for(std::chrono::milliseconds(1));
  }
  (void)readings.close();
  return 0;
}

int logger(jmpco::channel<int>& readings) {
  int sum = 0;
  while (auto r = readings.recv()) {
    std::printf("reading %d\n", *r);
    sum += *r;
  }
  return sum;
}

void run_board() {
  jmpco::scheduler s;
  jmpco::channel<int> readings(2);
  auto producer = s.spawn(sensor, std::ref(readings));
  auto consumer = s.spawn(logger, std::ref(readings));
  auto watchdog = s.spawn([] { return jmpco::this_task::sleep_for(std::chrono::hours(1)); });
  auto sum = consumer.join();
  std::printf("sum %d, sensor %d\n", sum ? *sum : -1, producer.join().value());
  (void)watchdog.kill();
  std::printf("watchdog: %s\n", watchdog.join().error().what());

  static jmpco::task<int> crowd[kCrowd];  // a handle is a pointer; the tasks are in the arena
  int spawned = 0;
  jmpco::errc refused = jmpco::errc::ok;
  for (int i = 0; i < kCrowd && refused == jmpco::errc::ok; ++i) {
    crowd[i] = s.spawn([i] { return i; });
    if (crowd[i])
      ++spawned;
    else
      refused = crowd[i].join().code();
  }
  // The arena is full: spawn gives an empty handle.
  std::printf("%s tasks spawned, then: %s\n", spawned > 10 ? "more than 10" : "at most 10",
              jmpco::message(refused));
  long total = 0;
  for (int i = 0; i < spawned; ++i) total += crowd[i].join().value();
  std::printf("the crowd's results add up: %s\n",
              total == static_cast<long>(spawned) * (spawned - 1) / 2 ? "yes" : "no");
}

}  // namespace

int main() {
  // Before the first coroutine, and for good: the thread keeps a buffer from it until it exits.
  jmpco::set_allocator(arena.hooks());
  run_board();
  const std::size_t free_after_one = arena.free_bytes();
  run_board();  // the same again: the first one gave everything back
  std::printf("the arena is whole again: %s\n",
              arena.free_bytes() == free_after_one ? "yes" : "no");
}
