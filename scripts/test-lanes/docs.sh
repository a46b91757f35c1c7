#!/usr/bin/env bash
# Lane: the Doxygen API reference (docs/api/). Builds the bptree_docs target with Debian's doxygen;
# the Doxyfile sets WARN_AS_ERROR=FAIL_ON_WARNINGS, so any doc warning fails the lane.
# Usage: scripts/test-lanes/docs.sh   (builds in ${LANE_BUILD_ROOT:-build}/lane-docs)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${LANE_BUILD_ROOT:-build}/lane-docs
start=$SECONDS

command -v doxygen >/dev/null || { echo "docs lane FAILED: doxygen is not installed (scripts/install-deps.sh)" >&2; exit 1; }
cmake -S . -B "$dir" -G Ninja -DBPTREE_BUILD_TESTS=OFF -DBPTREE_BUILD_BENCH=OFF -DBPTREE_INSTALL=OFF \
    -DBPTREE_BUILD_DOCS=ON >/dev/null
cmake --build "$dir" --target bptree_docs
index=$dir/docs/api/html/index.html
[[ -f $index ]] || { echo "docs lane FAILED: no $index" >&2; exit 1; }
pages=$(find "$dir/docs/api/html" -name 'class*.html' ! -name '*-members.html' | wc -l)
echo "docs lane: passed in $((SECONDS - start)) s ($(doxygen --version), $pages class pages, $index)"
