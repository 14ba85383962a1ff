#!/bin/bash -eu
# ClusterFuzzLite entry point: the real build script is fuzz/build.sh.
exec "$SRC/jmpco/fuzz/build.sh"
# SPDX-License-Identifier: MIT
