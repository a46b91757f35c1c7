#!/usr/bin/env bash
# Lane: static checks of the headers (tests/headers/), with -Wall -Wextra -Wpedantic -Werror.
#   1. Every header under include/bptree compiles on its own (a generated TU per header, including
#      it twice), under g++ as C++17. Missing includes are the same under either compiler, so one
#      pass is enough: the per-header TUs are most of the lane's cost.
#   2. One TU with every header plus explicit instantiations of the containers and adaptors (so
#      member bodies compile too) builds under g++ 12 and clang++ 14, each as C++17 and C++20.
#   3. clang-tidy 14 (checks in .clang-tidy, warnings as errors) over that TU, as C++17.
# The whole test suite's warning check is elsewhere: the main run builds it with g++ as C++17 and
# C++20 and the asan lane with clang++ as C++17, both with -Werror; scripts/check-warnings.sh adds
# clang++ C++20 (not run by CI: about 3 CPU-minutes).
# Usage: scripts/test-lanes/tidy.sh   (JOBS: parallel jobs; builds in ${LANE_BUILD_ROOT:-build}/lane-tidy-*)
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=${JOBS:-2}
root=${LANE_BUILD_ROOT:-build}
start=$SECONDS

build() {  # build <compiler> <standard> <headers alone: ON|OFF>
    local dir=$root/lane-tidy-$1-$2
    echo "--- headers: $1 C++$2, one TU per header: $3"
    cmake -S tests/headers -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$1" -DCMAKE_CXX_STANDARD="$2" \
        -DCMAKE_BUILD_TYPE= -DBPTREE_HEADERS_ALONE="$3" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
    cmake --build "$dir" -j "$jobs" >"$dir/build.log" 2>&1 || {
        cat "$dir/build.log"
        echo "${0##*/}: build FAILED in $dir" >&2
        exit 1
    }
    tail -1 "$dir/build.log"
}
build g++ 17 ON
build clang++ 20 OFF
build g++ 20 OFF
build clang++ 17 OFF
echo "tidy lane: headers built in $((SECONDS - start)) s"

dir=$root/lane-tidy-clang++-17
tidy=$(command -v clang-tidy-14 || command -v clang-tidy)
echo "--- clang-tidy (C++17, $("$tidy" --list-checks -p "$dir" "$dir/all_headers.cpp" | grep -c '^    ') checks):" \
    "$(grep -c '^#include <bptree/' "$dir/all_headers.cpp") headers"
status=0
"$tidy" --quiet -p "$dir" "$dir/all_headers.cpp" >"$dir/clang-tidy.log" 2>&1 || status=$?
grep -v 'warnings generated' "$dir/clang-tidy.log" || true
if [[ $status != 0 ]] || grep -q 'error:\|warning:' "$dir/clang-tidy.log"; then
    echo "tidy lane FAILED: clang-tidy findings above (exit status $status)" >&2
    exit 1
fi
echo "tidy lane: clang-tidy clean; lane passed in $((SECONDS - start)) s"
