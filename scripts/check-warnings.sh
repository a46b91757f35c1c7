#!/usr/bin/env bash
# Compiles every test, tool and example source with the suites' own flags (-Wall -Wextra
# -Wpedantic -Werror) in the two cells of the warning matrix that CI does not build whole: g++ 12
# as C++20 and clang++ 14 as C++17. CI builds g++ 12 as C++17 (scripts/test.sh), clang++ 14 as
# C++20 (the asan lane), and every header, the explicit instantiations of every container and
# adaptor, the examples and the gdb demo with both compilers in both standards (lanes tidy,
# examples, gdb). This script takes several CPU-minutes, so it is run by hand before a release or
# after a large change.
# Usage: scripts/check-warnings.sh   (BUILD_ROOT, JOBS override the defaults; compiles objects only)
set -euo pipefail
cd "$(dirname "$0")/.."
root=${BUILD_ROOT:-build}
jobs=${JOBS:-$(nproc)}

# check <compiler> <standard>: the objects of that standard's test targets, plus the examples,
# tools and support code.
check() {
    local compiler=$1 std=$2 other=$(( $2 == 17 ? 20 : 17 ))
    local dir=$root/check-warnings-$compiler-$std start=$SECONDS
    cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG= -DBPTREE_BUILD_BENCH=OFF -DBPTREE_BUILD_DOCS=OFF -DBPTREE_BUILD_EXAMPLES=ON \
        -DCMAKE_CXX_STANDARD="$std" >/dev/null
    local objects
    mapfile -t objects < <(ninja -C "$dir" -t targets all | sed -n 's/^\([^:]*\.o\): CXX_COMPILER.*/\1/p' |
        grep -v "_cxx${other}\.dir/")
    ninja -C "$dir" -j "$jobs" -k 0 "${objects[@]}"  # -k 0: report every failing file
    echo "check-warnings: ${#objects[@]} objects compiled warning-free with $compiler as C++$std in $((SECONDS - start)) s"
}

check g++ 20
check clang++ 17
