// SPDX-License-Identifier: MIT
// Firmware style: compiled with -fno-exceptions -fno-rtti, so errors are values. A sensor task
// yields readings; a reading out of range makes it raise an error, which kills that coroutine and
// comes back from resume() as a failed result the caller checks.
#include <cstdio>

#include "jmpco/jmpco.hpp"

namespace {

constexpr int kReadings[] = {20, 21, 23, 250, 22};
constexpr int kSensorFault = 7;  // the application's own error code

// Yields each reading; a reading no sensor can produce ends the task with an error.
int sensor_task(jmpco::yielder<int()>& y) {
  for (int reading : kReadings) {
    if (reading > 125) jmpco::this_coroutine::raise(jmpco::error(kSensorFault, "sensor fault"));
    y.yield(reading);
  }
  return -1;  // no more readings
}

}  // namespace

int main() {
  jmpco::coroutine<int()> sensor(&sensor_task);
  for (;;) {
    jmpco::result<int> r = sensor.resume();
    if (!r.ok()) {
      std::printf("task stopped: %s, code %d (%s)\n", r.error().what(), r.error().user_code(),
                  sensor.status() == jmpco::status::dead ? "dead" : "alive");
      break;
    }
    std::printf("reading %d\n", r.value());
  }
  // A dead coroutine refuses to resume, with Lua's words.
  std::printf("again: %s\n", jmpco::message(sensor.resume().code()));
}
