#!/usr/bin/env bash
# Lane: the concurrency test (tests/concurrency/) under ThreadSanitizer, clang, -O1, in
# build/lane-tsan: reader threads over shared containers and adaptors (const members must have no
# hidden mutable state). Only that target is built, to keep the lane short.
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir=build/lane-tsan
jobs=${JOBS:-$(nproc)}
sanitize="-fsanitize=thread -fno-omit-frame-pointer"
start=$SECONDS

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize" -DBPTREE_BUILD_BENCH=OFF -DBPTREE_TEST_CXX20=OFF >/dev/null
cmake --build "$build_dir" -j "$jobs" --target concurrency_cxx17
echo "tsan lane: built in $((SECONDS - start)) s"

TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 "$build_dir/tests/concurrency/concurrency_cxx17"
echo "tsan lane: passed in $((SECONDS - start)) s"
