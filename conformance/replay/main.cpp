// SPDX-License-Identifier: MIT
// jmpco-replay FILE.lua: runs a Lua 5.4 script (of the replay subset) on jmpco coroutines.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "replay.hpp"

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#endif

namespace {

// Print what lua5.4 prints on Linux, "\n" line ends included, whatever the system: in the text mode
// that Windows programs start in, every "\n" would come out as "\r\n".
void use_binary_output() {
#if defined(_WIN32)
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  use_binary_output();
  std::ios::sync_with_stdio(false);
  replay::options opts;
  int i = 1;
  for (; i < argc && std::strncmp(argv[i], "--", 2) == 0; ++i) {
    if (std::strcmp(argv[i], "--max-steps") == 0 && i + 1 < argc) {
      opts.max_steps = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--max-depth") == 0 && i + 1 < argc) {
      opts.max_call_depth = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--stack-mb") == 0 && i + 1 < argc) {
      opts.stack_size = std::strtoull(argv[++i], nullptr, 10) << 20;
    } else if (std::strcmp(argv[i], "--") == 0) {
      ++i;
      break;
    } else {
      std::cerr << "jmpco-replay: unknown option " << argv[i] << "\n";
      return 1;
    }
  }
  if (i >= argc) {
    std::cerr << "usage: jmpco-replay [--max-steps N] [--max-depth N] [--stack-mb N] FILE.lua\n";
    return 1;
  }
  int status = replay::run_file(argv[i], std::cout, std::cerr, opts);
  std::cout.flush();
  return status;
}
