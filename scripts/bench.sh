#!/usr/bin/env bash
# Builds and runs bptree's benchmarks against std, absl and pbds, then writes the results folder:
#   results/<timestamp>/bench.json   Google Benchmark JSON (medians of repetitions + custom counters)
#   results/<timestamp>/summary.md   tables: operation | bptree | std | absl | pbds | ratios | verdict
#   results/<timestamp>/charts/      gnuplot SVG + PNG: ns/op against size (log-log), bytes/entry
#   results/<timestamp>/run.log      the console output
# and points results/latest at it. The quick run (default) covers 1K, 100K and 1M entries in a few
# minutes on 2 cores; see docs/benchmarks/README.md for how to read the output.
#
# Usage: scripts/bench.sh [options]
#   --full              add 10M entries and latency percentiles for every operation (long)
#   --filter REGEX      run only benchmarks whose name (op/family/impl/n) matches REGEX
#   --native            build with -march=native (binary needs this CPU; default: no -m flags)
#   --compare A B [...] print per-benchmark ratios between two bench.json files, then exit;
#                       later options go to bench/tools/compare.py (--filter RE, --impl NAME)
#   --publish           copy the summary and charts to docs/benchmarks/ (docs/benchmarks/native/
#                       with --native), for the README
#   --sizes LIST        entries to run, comma-separated (default 1000,100000,1000000)
#   --repetitions N     repetitions per benchmark; the median is reported (default 3)
#   --min-time S        minimum timed seconds per repetition (default 0.03; full: 0.1)
#   --no-install        do not call scripts/install-deps.sh
#   --jobs N            build jobs (default: number of CPUs)
#   -h, --help          this text
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

full=0 native=0 publish=0 install=1
filter="" sizes="" repetitions=3 min_time="" jobs=$(nproc)
compare=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case "$1" in
        --full) full=1 ;;
        --native) native=1 ;;
        --publish) publish=1 ;;
        --no-install) install=0 ;;
        --filter) filter=${2:?--filter needs a regular expression}; shift ;;
        --filter=*) filter=${1#*=} ;;
        --sizes) sizes=${2:?--sizes needs a list}; shift ;;
        --sizes=*) sizes=${1#*=} ;;
        --repetitions) repetitions=${2:?}; shift ;;
        --min-time) min_time=${2:?}; shift ;;
        --jobs) jobs=${2:?}; shift ;;
        --compare)
            # Everything after --compare goes to bench/tools/compare.py (--filter RE, --impl NAME, --threshold F).
            shift
            (($# >= 2)) || { echo "bench.sh: --compare needs two bench.json files" >&2; exit 2; }
            compare=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

python=/usr/bin/python3
[[ -x $python ]] || python=python3
tools=$root/bench/tools

if ((${#compare[@]})); then
    exec "$python" "$tools/compare.py" "${compare[@]}"
fi

if ((install)); then
    scripts/install-deps.sh
fi

# ---------------------------------------------------------------------------- build (Release, -O3)
build_dir=build/bench native_flag=OFF variant=""
if ((native)); then build_dir=build/bench-native native_flag=ON variant=-native; fi
generator=()
if [[ ! -f $build_dir/CMakeCache.txt ]] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
echo "bench.sh: building $build_dir (Release, -O3$([[ $native_flag == ON ]] && echo ', -march=native'))"
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DBPTREE_BUILD_TESTS=OFF -DBPTREE_BUILD_BENCH=ON -DBPTREE_INSTALL=OFF \
    -DBPTREE_BENCH_NATIVE=$native_flag >/dev/null
cmake --build "$build_dir" --target bptree_bench -j "$jobs"
binary=$build_dir/bench/bptree_bench

# ---------------------------------------------------------------------------- run
if ((full)); then
    mode=full
    : "${sizes:=1000,100000,1000000,10000000}"
    : "${min_time:=0.1}"
    latency=all
else
    mode=quick
    : "${sizes:=1000,100000,1000000}"
    : "${min_time:=0.03}"
    latency=main
fi
if ((native)); then mode+="+native"; fi

git_rev=unknown
if git_sha=$(GIT_OPTIONAL_LOCKS=0 git rev-parse --short HEAD 2>/dev/null); then
    git_rev=$git_sha
    if ! GIT_OPTIONAL_LOCKS=0 git diff-index --quiet HEAD -- 2>/dev/null; then git_rev+=" with local changes"; fi
fi

stamp=$(date +%Y%m%d-%H%M%S)$variant
out=results/$stamp
mkdir -p "$out"
args=(
    --benchmark_out="$out/bench.json" --benchmark_out_format=json
    --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true
    --benchmark_min_time="$min_time"
    --benchmark_context="bptree.mode=$mode,bptree.git=$git_rev"
    --bptree_sizes="$sizes" --bptree_latency="$latency"
)
if [[ -n $filter ]]; then args+=(--benchmark_filter="$filter"); fi

echo "bench.sh: $mode run, sizes $sizes, $repetitions repetitions of >= ${min_time}s; results in $out"
set +e
"$binary" "${args[@]}" 2>&1 | tee "$out/run.log"
status=${PIPESTATUS[0]}
set -e

# ---------------------------------------------------------------------------- report
if [[ ! -s $out/bench.json ]]; then
    echo "bench.sh: no results were written" >&2
    exit 1
fi
"$python" "$tools/summary.py" "$out/bench.json" -o "$out/summary.md"
if command -v gnuplot >/dev/null; then
    "$python" "$tools/charts.py" "$out/bench.json" "$out/charts" --each
else
    echo "bench.sh: gnuplot not found, no charts (apt-get install gnuplot-nox)" >&2
fi
ln -sfn "$stamp" results/latest

if ((publish)); then
    # docs/benchmarks/ holds the portable build's run; docs/benchmarks/native/ the -march=native one.
    docs=docs/benchmarks
    if ((native)); then docs=docs/benchmarks/native; fi
    mkdir -p "$docs/charts"
    rm -f "$docs"/charts/*.svg "$docs"/charts/*.png
    cp "$out/summary.md" "$docs/summary.md"
    if [[ -d $out/charts ]]; then
        cp "$out"/charts/*.svg "$out"/charts/*.png "$docs/charts/"
    fi
    echo "bench.sh: published the summary and charts to $docs/"
fi

echo
"$python" "$tools/summary.py" "$out/bench.json" --console
echo
echo "bench.sh: full summary: $out/summary.md; charts: $out/charts/; JSON: $out/bench.json (also results/latest/)"
if ((status != 0)); then
    echo "bench.sh: bptree_bench FAILED (exit status $status): see the FAILED lines above" >&2
    exit "$status"
fi
