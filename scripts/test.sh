#!/usr/bin/env bash
# Builds and runs every test: the Catch2 suites as C++17 and C++20 in a Debug build with
# assertions on, under CTest. Usage: scripts/test.sh   (BUILD_DIR, JOBS override the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build/test}
jobs=${JOBS:-$(nproc)}

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBPTREE_BUILD_BENCH=OFF
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --no-tests=error --output-on-failure -j "$jobs"
