#!/usr/bin/env bash
# The planted-bug check for issue 13: builds today's scenario_fuzzer against the library as it
# was at df4f7f5 (before the hostile-use fixes of 1d72c48) and shows that each of the inputs
# fuzz/regressions/defect*.scenario makes it fail there, while the fixed core runs them clean
# (ctest replays them on the fuzz build).
#
# Usage: fuzz/old_core/check_defects.sh OLD_TREE [WORK_DIR]
#   OLD_TREE  a checkout of df4f7f5 (read only; it is copied)
#   WORK_DIR  scratch directory (default /tmp/jmpco-old-core)
#
# The copy gets df4f7f5-api-shim.patch: only names the fuzzer needs to compile (errc::closing
# and errc::foreign_stack, never produced; deferred_closes() and run_deferred_closes(), always 0;
# unwind_for_close()). The fuzzer is built with -DJMPCO_FUZZ_OLD_API=1, which accepts the old
# API's forced_unwind thrown by try_yield (1d72c48 made it return errc::closing).
# To fuzz the old core without the API differences that are not defects 1-5 (foreign stacks,
# try_yield throwing through noexcept code and destructors): JMPCO_FUZZ_SKIP_OPS=FiQ.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fuzz="$(dirname "${here}")"
old="${1:?usage: check_defects.sh OLD_TREE [WORK_DIR]}"
work="${2:-/tmp/jmpco-old-core}"
rm -rf "${work}"
cp -r "${old}" "${work}"
rm -rf "${work}/.git" "${work}/build" "${work}/fuzz"
cp -r "${fuzz}" "${work}/fuzz"
(cd "${work}" && patch -s -p1 <"${here}/df4f7f5-api-shim.patch")
flags="-fsanitize=address,undefined -fsanitize=fuzzer-no-link -fno-omit-frame-pointer -fno-sanitize-recover=all -DJMPCO_FUZZ_OLD_API=1"
cmake -S "${work}" -B "${work}/build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" \
  -DJMPCO_BUILD_FUZZERS=ON -DJMPCO_BUILD_TESTS=OFF -DJMPCO_BUILD_EXAMPLES=OFF -DJMPCO_BUILD_CONFORMANCE=OFF >/dev/null
cmake --build "${work}/build" -j2 --target scenario_fuzzer >/dev/null
status=0
for input in "${fuzz}"/regressions/defect*.scenario "${fuzz}"/regressions/pins_do_not_nest*.scenario; do
  log="$(mktemp)"
  if JMPCO_FUZZ_SKIP_OPS=FiQ "${work}/build/scenario_fuzzer" -runs=1 "${input}" >"${log}" 2>&1; then
    printf 'NOT FOUND %s: runs clean on the old core\n' "$(basename "${input}")"
    status=1
  elif sign="$(grep -a -m1 -E 'DIVERGENCE|ERROR: |runtime error|not enough memory' "${log}")"; then
    printf 'found     %s: %s\n' "$(basename "${input}")" "$(sed -E 's/^=* *//; s/==[0-9]+==//' <<<"${sign}" | cut -c1-150)"
  else
    printf 'FAILED    %s: no crash report (see below)\n' "$(basename "${input}")"
    tail -n 5 "${log}"
    status=1
  fi
  rm -f "${log}"
done
exit "${status}"
# SPDX-License-Identifier: MIT
