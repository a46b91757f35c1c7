#!/usr/bin/env bash
# Lane: the whole test suite as C++20 (the main build is C++17) under AddressSanitizer + UndefinedBehaviorSanitizer with leak
# detection, built with clang in build/lane-asan (so it also proves that the tests build
# warning-free under clang with -Werror). Left to other runs: the live Redis differentials (label
# redis-live) and the soak smoke run to the main run, the fuzz corpus replay to the fuzz lane (its
# targets start from the committed corpus under ASan + UBSan), and the tools; together they were
# 95 of the lane's 640 CPU-seconds of compiling. Assertions and debug checks stay on (the tests
# define them).
#
# -O0 with line tables only: about half the compile time of -O1 -g for a somewhat slower test run,
# which keeps the lane within CI's time (docs/reliability.md has the timings). The build type is a
# custom one ("Sanitize", as in the asan preset of CMakePresets.json) so that the Debug-only -Og of
# the test targets does not apply.
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir=build/lane-asan
jobs=${JOBS:-$(nproc)}
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
start=$SECONDS

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Sanitize \
    -DCMAKE_CXX_FLAGS="-O0 -gline-tables-only $sanitize" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" \
    -DBPTREE_BUILD_BENCH=OFF -DBPTREE_BUILD_EXAMPLES=OFF -DBPTREE_BUILD_DOCS=OFF -DBPTREE_BUILD_TOOLS=OFF \
    -DBPTREE_TEST_SKIP="fuzz;soak" -DBPTREE_TEST_CXX17=OFF -DBPTREE_TEST_CXX20=ON >/dev/null
cmake --build "$build_dir" -j "$jobs"
echo "asan lane: built in $((SECONDS - start)) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build_dir" --no-tests=error --output-on-failure -j "$jobs" -LE redis-live
echo "asan lane: passed in $((SECONDS - start)) s"
