#!/usr/bin/env bash
# Builds and runs every test: the Catch2 suites as C++17 and C++20 in a Debug build with
# assertions on, then each extra lane in scripts/test-lanes/ (sanitizers, fuzz corpus, consumer
# projects, ...), and the main suites under CTest last, so their summary closes the output.
# Usage: scripts/test.sh   (BUILD_DIR, JOBS override the defaults; BPTREE_TEST_LANES=0 skips lanes)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build/test}
jobs=${JOBS:-$(nproc)}

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBPTREE_BUILD_BENCH=OFF
cmake --build "$build_dir" -j "$jobs"

if [[ ${BPTREE_TEST_LANES:-1} != 0 ]]; then
    for lane in scripts/test-lanes/*.sh; do
        [[ -e $lane ]] || continue
        echo "=== lane: $lane"
        JOBS=$jobs "$lane"
    done
fi

ctest --test-dir "$build_dir" --no-tests=error --output-on-failure -j "$jobs"
