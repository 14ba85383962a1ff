#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: builds jmpco and every fuzz target with the flags the
# service passes, and puts the binaries, seed corpora and dictionaries into $OUT.
#
# Honours: $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT, and $SRC/$WORK when set.
# For example, the way those services call it:
#   CC=clang CXX=clang++ CFLAGS="-fsanitize=address -fsanitize-address-use-after-scope" \
#   CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out bash fuzz/build.sh
# Needs cmake, zip, and for the Lua targets liblua5.4-dev and GoogleTest's CMake package (the
# conformance layer's CMakeLists asks for it; nothing here links it). See fuzz/clusterfuzzlite/.
#
# Per target it writes $OUT/TARGET, $OUT/TARGET_seed_corpus.zip, $OUT/TARGET.dict and
# $OUT/TARGET.options. scenario_fuzzer_planted (the divergence self-test) is never shipped.

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "${here}")"
: "${CC:=clang}"
: "${CXX:=clang++}"
: "${CFLAGS:=}"
: "${CXXFLAGS:=}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:?set OUT to the output directory}"
build="${WORK:-/tmp}/jmpco-fuzz-build"
jobs="$(nproc 2>/dev/null || echo 2)"

generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

# ASan's fake stack must never hold locals that jmpco copies (the fuzz CMakeLists adds
# -fsanitize-address-use-after-return=never when it sees ASan in the flags).
cmake -S "${root}" -B "${build}" "${generator[@]}" \
  -DCMAKE_C_COMPILER="${CC}" -DCMAKE_CXX_COMPILER="${CXX}" \
  -DCMAKE_C_FLAGS="${CFLAGS}" -DCMAKE_CXX_FLAGS="${CXXFLAGS} -DJMPCO_ASSERTIONS=1" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJMPCO_CHECKED=ON \
  -DJMPCO_BUILD_FUZZERS=ON -DJMPCO_BUILD_TESTS=OFF -DJMPCO_BUILD_EXAMPLES=OFF \
  -DJMPCO_BUILD_CONFORMANCE=ON \
  -DJMPCO_FUZZ_ENGINE="${LIB_FUZZING_ENGINE}"

mapfile -t targets < <(grep -v '^$' "${build}/fuzz-targets.txt")
cmake --build "${build}" -j "${jobs}" --target "${targets[@]}"

mkdir -p "${OUT}"
for target in "${targets[@]}"; do
  cp "${build}/${target}" "${OUT}/${target}"
  dict="${here}/${target}.dict"
  [[ "${target}" == lua_generator_fuzzer ]] && dict="${here}/lua_differential_fuzzer.dict"
  [[ -f "${dict}" ]] && cp "${dict}" "${OUT}/${target}.dict"
  corpus="${here}/corpus/${target}"
  [[ "${target}" == lua_generator_fuzzer ]] && corpus="${here}/corpus/lua_differential_fuzzer"
  rm -f "${OUT}/${target}_seed_corpus.zip"
  if [[ -d "${corpus}" ]]; then
    (cd "${corpus}" && zip -q -r "${OUT}/${target}_seed_corpus.zip" .)
  fi
  case "${target}" in
    scenario_fuzzer) max_len=4096 ;;
    replay_parser_fuzzer) max_len=8192 ;;
    *) max_len=2048 ;;
  esac
  printf '[libfuzzer]\nmax_len = %s\nrss_limit_mb = 4096\n' "${max_len}" >"${OUT}/${target}.options"
  [[ -f "${OUT}/${target}.dict" ]] && printf 'dict = %s.dict\n' "${target}" >>"${OUT}/${target}.options"
done
printf 'fuzz/build.sh: %s targets in %s: %s\n' "${#targets[@]}" "${OUT}" "${targets[*]}"
# SPDX-License-Identifier: MIT
