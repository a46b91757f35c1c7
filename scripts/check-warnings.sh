#!/usr/bin/env bash
# Compiles every test, tool and example source as C++20 with clang++ 14 and the suites' own flags
# (-Wall -Wextra -Wpedantic -Werror): the one cell of the warning matrix that CI does not build
# whole. CI covers g++ 12 as C++17 and C++20 (scripts/test.sh), clang++ 14 as C++17 (the asan
# lane), and clang++ 14 as C++20 for every header, the explicit instantiations of every container
# and adaptor, the examples and the gdb demo (lanes tidy, examples, gdb). This script takes about
# 3-5 CPU-minutes, so it is run by hand before a release or after a large change.
# Usage: scripts/check-warnings.sh   (BUILD_DIR, JOBS override the defaults; compiles objects only)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BUILD_DIR:-build/check-warnings-clang}
jobs=${JOBS:-$(nproc)}
start=$SECONDS

cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG= \
    -DBPTREE_BUILD_BENCH=OFF -DBPTREE_BUILD_DOCS=OFF -DBPTREE_BUILD_EXAMPLES=ON -DCMAKE_CXX_STANDARD=20 >/dev/null
# The C++20 objects of the test targets (name_cxx20), plus the examples, tools and support code.
mapfile -t objects < <(ninja -C "$dir" -t targets all | sed -n 's/^\([^:]*\.o\): CXX_COMPILER.*/\1/p' |
    grep -v '_cxx17\.dir/')
ninja -C "$dir" -j "$jobs" -k 0 "${objects[@]}"  # -k 0: report every failing file
echo "check-warnings: ${#objects[@]} objects compiled warning-free with clang++ as C++20 in $((SECONDS - start)) s"
