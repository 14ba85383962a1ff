# shellcheck shell=bash
# Helpers shared by ci/fuzz-smoke and ci/fuzz-campaign (sourced, not run; they
# expect the repository root as the current directory).

# The flags of the fuzz preset; used when CMakePresets.json has no "fuzz" preset yet.
JMPCO_FUZZ_CXX_FLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link -fno-omit-frame-pointer"

# Configures (if needed) and builds build/fuzz: the preset when there is one, else the same
# settings by hand.
fuzz_build() {
  local jobs="${JMPCO_JOBS:-2}"
  if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
    if cmake --list-presets 2>/dev/null | grep -q '"fuzz"'; then
      printf '+ cmake --preset fuzz\n'
      cmake --preset fuzz >/dev/null
    else
      printf '+ cmake -S . -B build/fuzz (fuzz preset settings)\n'
      cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        "-DCMAKE_CXX_FLAGS=${JMPCO_FUZZ_CXX_FLAGS}" -DJMPCO_BUILD_FUZZERS=ON -DJMPCO_BUILD_TESTS=OFF \
        -DJMPCO_BUILD_EXAMPLES=OFF >/dev/null
    fi
  fi
  printf '+ cmake --build build/fuzz -j%s (fuzz targets)\n' "${jobs}"
  # The configure step lists the targets this build has (the optional ones exist when their
  # prerequisites do, see fuzz/CMakeLists.txt).
  local targets=(scenario_fuzzer_planted scheduler_fuzzer_planted)
  mapfile -t -O 2 targets < <(grep -v '^$' build/fuzz/fuzz-targets.txt)
  cmake --build build/fuzz -j "${jobs}" --target "${targets[@]}"
}

# libFuzzer flags for a target (dictionary, input size, time limit per input), into the array
# FUZZ_FLAGS.
fuzz_flags() {
  local target="$1"
  local dict="fuzz/${target}.dict"
  [[ "${target}" == lua_generator_fuzzer ]] && dict="fuzz/lua_differential_fuzzer.dict"
  FUZZ_FLAGS=(-timeout=25 -rss_limit_mb=4096)
  if [[ -f "${dict}" ]]; then FUZZ_FLAGS+=("-dict=${dict}"); fi
  case "${target}" in
    scenario_fuzzer*) FUZZ_FLAGS+=(-max_len=4096) ;;
    scheduler_fuzzer*) FUZZ_FLAGS+=(-max_len=2048) ;;
    replay_parser_fuzzer) FUZZ_FLAGS+=(-max_len=8192) ;;
    lua_*) FUZZ_FLAGS+=(-max_len=2048) ;;
  esac
}

# Number of files in a directory, leaving out names that end in the optional second argument.
count_files() {
  if [[ $# -gt 1 ]]; then
    find "$1" -maxdepth 1 -type f ! -name "*$2" 2>/dev/null | wc -l
  else
    find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l
  fi
}

# The seed corpus of a target (lua_generator_fuzzer shares the differential target's).
fuzz_corpus_of() {
  case "$1" in
    lua_generator_fuzzer) printf 'fuzz/corpus/lua_differential_fuzzer' ;;
    *) printf 'fuzz/corpus/%s' "$1" ;;
  esac
}

# The fuzz targets this build has, one per line.
fuzz_targets() {
  if [[ -f build/fuzz/fuzz-targets.txt ]]; then
    grep -v '^$' build/fuzz/fuzz-targets.txt
  fi
}
# SPDX-License-Identifier: MIT
