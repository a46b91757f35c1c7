#!/usr/bin/env bash
# The long differential soak run (tests/soak/soak.cpp): random operations on every container
# against std, across key types, node sizes and key spaces, with a progress line. Builds with -O2
# (asserts on) in build/soak and runs niced. A failure prints the command that reproduces it.
# Usage: scripts/soak.sh [--ops N] [--seed S] [--phase P] [--progress-seconds T]
#        (defaults: 100,000,000 operations, seed 1; BUILD_DIR, JOBS override the build)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build/soak}
jobs=${JOBS:-$(nproc)}

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -g" \
    -DBPTREE_BUILD_BENCH=OFF -DBPTREE_TEST_CXX20=OFF >/dev/null
nice cmake --build "$build_dir" -j "$jobs" --target bptree_soak
exec nice -n 10 "$build_dir/tests/soak/bptree_soak" "$@"
