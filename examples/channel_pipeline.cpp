// SPDX-License-Identifier: MIT
// A producer/consumer pipeline over channels: a producer task emits readings, a filter task
// keeps the ones over a threshold, and a reporter task prints them, with a watchdog that a
// select ends when the pipeline is done. Each stage closes its output when its input is closed.
#include <cstdio>

#include "jmpco/jmpco.hpp"

int main() {
  jmpco::scheduler s;
  jmpco::channel<int> readings(2);  // buffered: the producer runs ahead a little
  jmpco::channel<int> alarms(0);    // unbuffered: each alarm is handed over
  jmpco::channel<int> done(0);

  auto producer = s.spawn([&] {
    const int samples[] = {12, 48, 95, 30, 77, 101, 5};
    for (int v : samples) {
      if (!readings.send(v)) return;
    }
    (void)readings.close();
  });
  auto filter = s.spawn([&] {
    while (auto v = readings.recv()) {
      if (*v > 70 && !alarms.send(*v)) return;
    }
    (void)alarms.close();
  });
  auto reporter = s.spawn([&] {
    int count = 0;
    while (auto v = alarms.recv()) std::printf("alarm %d: %d\n", ++count, *v);
    (void)done.close();
    return count;
  });
  auto watchdog = s.spawn([&] {
    int ticks = 0;
    for (bool finished = false; !finished;) {
      // Wait for the end, or tick while the pipeline runs.
      auto which =
          jmpco::select(jmpco::recv_case(done, [&](jmpco::result<int>) { finished = true; }),
                        jmpco::default_case([&] { ++ticks; }));
      if (!which) return -1;
      if (!finished) (void)jmpco::this_task::yield();
    }
    return ticks;
  });

  if (!s.run()) return 1;
  const int alarm_count = reporter.join().value();
  const bool watchdog_ticked = watchdog.join().value() > 0;
  std::printf("%d alarms, watchdog %s\n", alarm_count, watchdog_ticked ? "ticked" : "idle");
  return producer.join().ok() && filter.join().ok() ? 0 : 1;
}
