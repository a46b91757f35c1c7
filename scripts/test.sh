#!/usr/bin/env bash
# Builds and runs every test: the Catch2 suites as C++17 with g++ in a Debug build with assertions
# on, then each extra lane in scripts/test-lanes/ (the asan lane builds and runs the same suites as
# C++20 with clang, ASan+UBSan and assertions on; fuzz corpus, consumer projects, ...), and the main
# suites under CTest last, so their summary closes the output. Each standard is built once, which
# keeps the run near a quarter of an hour on 2 cores; without the lanes (BPTREE_TEST_LANES=0) the
# main build covers C++20 too. The Debug build keeps line tables only (-g1): full debug information
# made it a third slower to compile (the largest test file: 47 s against 33 s).
# Usage: scripts/test.sh   (BUILD_DIR, JOBS override the defaults; BPTREE_TEST_LANES=0 skips lanes)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build/test}
jobs=${JOBS:-$(nproc)}

cxx20=OFF
if [[ ${BPTREE_TEST_LANES:-1} == 0 ]]; then cxx20=ON; fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DBPTREE_BUILD_BENCH=OFF \
    -DBPTREE_TEST_CXX20=$cxx20
cmake --build "$build_dir" -j "$jobs"

if [[ ${BPTREE_TEST_LANES:-1} != 0 ]]; then
    for lane in scripts/test-lanes/*.sh; do
        [[ -e $lane ]] || continue
        echo "=== lane: $lane"
        JOBS=$jobs "$lane"
    done
fi

ctest --test-dir "$build_dir" --no-tests=error --output-on-failure -j "$jobs"
