#!/usr/bin/env bash
# Before/after ratios of an engine change that the shared machine's drift cannot fake: builds
# bench/ab/ab.cpp with the headers of an older revision REV (renamed into namespace
# bptree::abi_ab_<rev>) and the working tree's side by side in one program, which alternates
# rounds of insert, find, erase, rank and nth between the two trees of 1M random int64 keys and
# prints each version's median time and the median per-round ratio old/new (> 1: faster now).
# Separate benchmark runs of the two versions minutes apart differ by 10-30% here; identical
# headers on both sides of this program come out within about 3%.
# --absl puts absl::btree_set on the old side instead of REV (insert, find and erase only);
# --leaf / --inner set the working tree's node sizes in bytes (Traits::leaf_node_bytes and
# inner_node_bytes) for a node-size sweep against absl or an older revision.
# Needs REV to have the ABI namespace (67895bd or later).
# Usage: scripts/ab.sh [--native] [--rounds N] [--size N] [--leaf B] [--inner B] (REV | --absl)
set -euo pipefail
cd "$(dirname "$0")/.."

native=0
rounds=3000
size=1000000
rev=
absl=0
node_flags=()
while (($#)); do
    case $1 in
        --native) native=1 ;;
        --rounds) rounds=${2:?--rounds needs a number}; shift ;;
        --size) size=${2:?--size needs a number}; shift ;;
        --absl) absl=1 ;;
        --leaf) node_flags+=("-DAB_LEAF_BYTES=${2:?--leaf needs bytes}"); shift ;;
        --inner) node_flags+=("-DAB_INNER_BYTES=${2:?--inner needs bytes}"); shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "ab.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) rev=$1 ;;
    esac
    shift
done
flags=(-std=c++17 -O3 -DNDEBUG -DBPTREE_NO_GDB_PRINTERS "${node_flags[@]}")
if ((native)); then flags+=(-march=native); fi
if ((absl)); then
    [[ -z $rev ]] || { echo "ab.sh: --absl and a revision exclude each other" >&2; exit 2; }
    mkdir -p build/ab/absl
    "${CXX:-g++}" "${flags[@]}" -DAB_ABSL -Iinclude -Ibench bench/ab/ab.cpp -o build/ab/absl/ab
    echo "ab.sh: old = absl::btree_set, new = the working tree ($(git rev-parse --short HEAD)$(git diff --quiet -- include || echo ' + changes')); flags ${flags[*]}"
    exec build/ab/absl/ab "$rounds" "$size"
fi
[[ -n $rev ]] || { echo "ab.sh: which revision? (see --help)" >&2; exit 2; }
short=$(git rev-parse --short "$rev^{commit}")
name=ab_$short
if ! git show "$short:include/bptree/detail/config.hpp" | grep -q BPTREE_ABI_NAMESPACE; then
    echo "ab.sh: $rev predates the ABI namespace (67895bd); its headers cannot share a program" >&2
    exit 2
fi

# The old headers as include/bptree_<name>/: own include guards and include paths, types in
# namespace bptree::abi_<name> (not inline, so that bptree::set stays the current one), and the
# headers outside the ABI namespace (error, traits, tree_stats) shared with the current ones.
dir=build/ab/$short
rm -rf "$dir"
mkdir -p "$dir/include"
git archive "$short" include/bptree | tar -x -C "$dir"
mv "$dir/include/bptree" "$dir/include/bptree_$name"
find "$dir/include" -name '*.hpp' -print0 | xargs -0 sed -i -E \
    -e "s/\b(BPTREE_[A-Z0-9_]*_HPP)\b/\1_$name/g" \
    -e "s#\"bptree/#\"bptree_$name/#g" \
    -e "s/inline namespace BPTREE_ABI_NAMESPACE/namespace abi_$name/" \
    -e "s/\bBPTREE_ABI_NAMESPACE\b/abi_$name/g" \
    -e "s/\bbptree::/bptree::abi_$name::/g" \
    -e "s/bptree::abi_$name::abi_$name::/bptree::abi_$name::/g"
sed -i -E "/#define abi_$name /d" "$dir/include/bptree_$name/detail/config.hpp"
for shared in error traits tree_stats; do
    printf '#include "bptree/%s.hpp"\nnamespace bptree { namespace abi_%s { using namespace ::bptree; } }\n' \
        "$shared" "$name" >"$dir/include/bptree_$name/$shared.hpp"
done

"${CXX:-g++}" "${flags[@]}" -DAB_OLD_NS="abi_$name" -DAB_OLD_HEADER="\"bptree_$name/set.hpp\"" \
    -I"$dir/include" -Iinclude -Ibench bench/ab/ab.cpp -o "$dir/ab"
echo "ab.sh: old = $short, new = the working tree ($(git rev-parse --short HEAD)$(git diff --quiet -- include || echo ' + changes')); flags ${flags[*]}"
"$dir/ab" "$rounds" "$size"
