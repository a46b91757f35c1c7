#!/usr/bin/env bash
# Lane: the gdb pretty printers (extras/gdb/). Checks that include/bptree/detail/gdb_printers.hpp is
# generated from the current bptree_printers.py, builds extras/gdb/test/printers_demo.cpp, and runs
# gdb in batch mode with extras/gdb/test/check_printers.py, which compares the printed text:
#   - g++ and clang++ builds, printers auto-loaded from the program's .debug_gdb_scripts section;
#   - a g++ build with -DBPTREE_NO_GDB_PRINTERS: no such section, printers loaded with `source`.
# Usage: scripts/test-lanes/gdb.sh   (JOBS: parallel compiles; builds in ${LANE_BUILD_ROOT:-build}/lane-gdb)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$PWD/${LANE_BUILD_ROOT:-build}/lane-gdb
jobs=${JOBS:-2}
start=$SECONDS
mkdir -p "$out"

"${PYTHON:-python3}" extras/gdb/embed_printers.py --check

src=extras/gdb/test/printers_demo.cpp
flags=(-std=c++17 -g -O0 -Iinclude -Wall -Wextra -Werror)
builds=(
    "g++ ${flags[*]} $src -o $out/demo-gcc"
    "clang++ ${flags[*]} -fstandalone-debug $src -o $out/demo-clang"
    "g++ ${flags[*]} -DBPTREE_NO_GDB_PRINTERS $src -o $out/demo-sourced"
)
printf '%s\n' "${builds[@]}" | xargs -P "$jobs" -I{} sh -c '{}'

if readelf -SW "$out/demo-sourced" | grep -q '\.debug_gdb_scripts'; then
    echo "gdb lane FAILED: BPTREE_NO_GDB_PRINTERS left a .debug_gdb_scripts section" >&2
    exit 1
fi

check() {  # check <binary> <gdb options...>
    local binary=$1
    shift
    echo "--- gdb: $(basename "$binary") $*"
    gdb -batch -nx "$@" -x extras/gdb/test/check_printers.py "$binary" >"$binary.log" 2>&1 || true
    grep -E '^(FAIL|  want|  got)' "$binary.log" || true
    if ! grep -q 'printer check: [0-9]* passed, 0 failed' "$binary.log"; then
        cat "$binary.log"
        echo "gdb lane FAILED: $binary" >&2
        exit 1
    fi
    grep 'printer check:' "$binary.log"
}
check "$out/demo-gcc" -iex "add-auto-load-safe-path $out"
check "$out/demo-clang" -iex "add-auto-load-safe-path $out"
check "$out/demo-sourced" -ex "source extras/gdb/bptree_printers.py" -ex "python BPTREE_EXPECT_OBJFILE = False"
echo "gdb lane: passed in $((SECONDS - start)) s"
