#!/usr/bin/env bash
# Lane: every libFuzzer target (tests/fuzz/*_fuzz.cpp) for a bounded time, clang 14 with
# -fsanitize=fuzzer,address,undefined, in build/lane-fuzz, starting from the committed corpus
# (tests/fuzz/corpus/<target>/, never modified: new inputs go to build/lane-fuzz/corpus-work/<target>)
# with a fixed seed. Prints execs, coverage and exec/s per target. A crash, leak, timeout or
# broken invariant fails the lane and names the saved input; reproduce with
#   build/lane-fuzz/tests/fuzz/fuzz_<target> <input>
# Environment: BPTREE_FUZZ_SECONDS (per target; default 15, which with the build keeps the lane
# near two minutes on two cores), BPTREE_FUZZ_SEED (default 1), JOBS.
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir=build/lane-fuzz
jobs=${JOBS:-$(nproc)}
seconds=${BPTREE_FUZZ_SECONDS:-15}
seed=${BPTREE_FUZZ_SEED:-1}
targets=(containers zset_commands ts_commands stream_commands)
start=$SECONDS

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g" -DBPTREE_BUILD_FUZZERS=ON -DBPTREE_BUILD_BENCH=OFF \
    -DBPTREE_TEST_CXX20=OFF >/dev/null
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]/#/fuzz_}"
echo "fuzz lane: built in $((SECONDS - start)) s"

run_target() {
    local t=$1
    local work=$build_dir/corpus-work/$t
    local log=$build_dir/fuzz-$t.log
    rm -rf "$work" && mkdir -p "$work" "$build_dir/artifacts"
    local args=(-max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                -artifact_prefix="$build_dir/artifacts/$t-")
    if [[ -f tests/fuzz/dict/$t.dict ]]; then
        args+=(-dict="tests/fuzz/dict/$t.dict" -max_len=2048)
    else
        args+=(-max_len=512)
    fi
    if "$build_dir/tests/fuzz/fuzz_$t" "$work" "tests/fuzz/corpus/$t" "${args[@]}" >"$log" 2>&1; then
        local done_line execs
        done_line=$(grep -E '^#[0-9]+.*DONE' "$log" | tail -1)
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz lane: $t: $execs execs in ${seconds} s; ${done_line#*DONE   }"
    else
        echo "fuzz lane: $t FAILED; the log's end:"
        tail -40 "$log"
        return 1
    fi
}

# Two targets at a time on two cores.
status=0
pids=()
names=()
for t in "${targets[@]}"; do
    run_target "$t" &
    pids+=($!)
    names+=("$t")
    if ((${#pids[@]} >= (jobs > 1 ? 2 : 1))); then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
        names=("${names[@]:1}")
    fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
echo "fuzz lane: $([[ $status == 0 ]] && echo passed || echo FAILED) in $((SECONDS - start)) s"
exit $status
