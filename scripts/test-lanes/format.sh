#!/usr/bin/env bash
# Lane: formatting and the checked-in tool files (a few seconds).
#   - .clang-format parses under clang-format 14 (--dump-config).
#   - Files under FORMATTED must be exactly as clang-format 14 writes them (--dry-run --Werror).
#     The code written before .clang-format existed is not reformatted wholesale behind its
#     owners' backs: for every other C++ file the lane only reports how many places clang-format
#     would change. Add a path to FORMATTED once its owner has run clang-format over it.
#   - CMakePresets.json parses (cmake --list-presets) and extras/natvis/bptree.natvis is
#     well-formed XML (no Visual Studio here to load it).
# Usage: scripts/test-lanes/format.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
format=$(command -v clang-format-14 || command -v clang-format)

FORMATTED=(examples tests/cmake_consumer tests/headers extras/gdb/test packaging)

"$format" --dump-config >/dev/null

mapfile -t strict < <(find "${FORMATTED[@]}" \( -name '*.cpp' -o -name '*.hpp' -o -name '*.inc' \) | sort)
"$format" --dry-run --Werror "${strict[@]}"
echo "format: ${#strict[@]} files formatted"

mapfile -t others < <(find include tests bench tools \( -name '*.cpp' -o -name '*.hpp' \) | sort |
    grep -v -e '^tests/cmake_consumer/' -e '^tests/headers/' -e '^include/bptree/detail/gdb_printers.hpp$')
findings=$("$format" --dry-run "${others[@]}" 2>&1 | grep ': warning: code should be clang-formatted' || true)
echo "format: other files (report only): clang-format would change $(grep -c . <<<"$findings") places in" \
    "$(cut -d: -f1 <<<"$findings" | sort -u | grep -c .) of ${#others[@]} files"

cmake --list-presets=all >/dev/null
"${PYTHON:-python3}" -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' extras/natvis/bptree.natvis
echo "format lane: passed (CMakePresets.json and bptree.natvis parse)"
