// SPDX-License-Identifier: MIT
// One round trip (resume + yield) repeated COUNT times with LIVE bytes (0 or 256) of live stack in
// the coroutine, for counting instructions under callgrind: unlike time, the count repeats exactly
// on a shared machine. ci/bench-instructions runs it twice per size (COUNT 0 and 100000) and
// reports the difference per round trip.
//   roundtrip_instructions LIVE COUNT
#include <cstdlib>

#include "jmpco/jmpco.hpp"
#include "roundtrip_body.hpp"

namespace {

template <std::size_t Live>
void round_trips(long count) {
  jmpco::coroutine<void()> co = bench::roundtrip_coroutine<Live>();
  if (!co.resume()) std::abort();
  for (long i = 0; i < count; ++i) {
    if (!co.resume()) std::abort();
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const long count = std::atol(argv[2]);
  if (std::atoi(argv[1]) == 0)
    round_trips<0>(count);
  else
    round_trips<256>(count);
}
