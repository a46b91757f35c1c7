#!/usr/bin/env bash
# Lane: the programs in examples/ (the code of docs/usage.md), each checking what it prints. Built
# as C++17 with g++ and as C++20 with clang++ (warnings as errors), then run through CTest.
# Usage: scripts/test-lanes/examples.sh   (JOBS: parallel build jobs; builds in
#        ${LANE_BUILD_ROOT:-build}/lane-examples-*)
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=${JOBS:-2}
start=$SECONDS

run() {  # run <compiler> <standard>
    local dir=${LANE_BUILD_ROOT:-build}/lane-examples-$1-cxx$2
    echo "--- examples: $1 C++$2"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$1" -DCMAKE_CXX_STANDARD="$2" -DCMAKE_BUILD_TYPE= \
        -DBPTREE_BUILD_EXAMPLES=ON -DBPTREE_BUILD_TESTS=OFF -DBPTREE_BUILD_BENCH=OFF -DBPTREE_BUILD_DOCS=OFF \
        -DBPTREE_INSTALL=OFF >/dev/null
    cmake --build "$dir" -j "$jobs" >"$dir/build.log" 2>&1 || {
        cat "$dir/build.log"
        echo "${0##*/}: build FAILED in $dir" >&2
        exit 1
    }
    tail -1 "$dir/build.log"
    ctest --test-dir "$dir" --no-tests=error --output-on-failure >"$dir/ctest.log" 2>&1 || {
        cat "$dir/ctest.log"
        echo "examples lane FAILED: $1 C++$2" >&2
        exit 1
    }
    grep -E '^ *[0-9]+/[0-9]+ Test' "$dir/ctest.log"
}

run g++ 17
run clang++ 20
echo "examples lane: passed in $((SECONDS - start)) s"
