// Benchmark support: the one benchmark body every container and adaptor benchmark runs through.
//
// A benchmark is an operation (a class template Op<Spec>) applied to a spec (a container or
// adaptor type and its key type) at a size n, and is named  op/family/impl/n,  for example
// find_hit/set.int64/bptree/1000000 or ZADD/sorted_set/std/100000.
//
// What run_benchmark does for each benchmark:
// 1. Fixture: the spec's fixture for n (a container built by inserting n keys in random order)
//    is shared by all operations of that spec and size; operations that modify it restore its
//    contents after each timed batch (untimed), so every batch starts from the same n entries.
// 2. Check pass, once per benchmark: the operation runs a fixed, seeded sequence of batches and
//    the checksum of its results must equal the one the std reference (std::set/std::map, or the
//    adaptor on its std backend) gives for the same sequence; the operation also checks its own
//    invariants (every find_hit finds, every insert inserts, ...), the fixture must be back to n
//    entries, and bptree containers must pass verify(). Any failure skips the benchmark with an
//    error, prints it, and makes the process exit non-zero: a benchmark that does no work or the
//    wrong work fails loudly.
// 3. Latency pass (when enabled for the operation): batches of L operations are timed one by
//    one (see timing.hpp) and give p50/p99/p999 in ns per operation.
// 4. Timed loop: each Google Benchmark iteration times one batch of operations with
//    steady_clock (manual time), then restores the fixture untimed. Results are accumulated into
//    a checksum passed to DoNotOptimize, and each operation also passes its result through
//    DoNotOptimize.
// Counters: ns_per_op (the median batch's time per operation, robust to preemption on a shared
// machine), ns_per_op_mean (total timed / operations), items_per_second (operations per second,
// from the mean), bytes_per_entry,
// allocs_per_entry, heap_bytes_per_entry (malloc's accounting, overhead included), p50_ns, p99_ns, p999_ns, lat_batch, lat_samples, vs_std (std ns/op divided by
// this benchmark's ns/op, from the std median measured earlier in the same run; > 1 is faster).
#ifndef BPTREE_BENCH_SUPPORT_HARNESS_HPP
#define BPTREE_BENCH_SUPPORT_HARNESS_HPP

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "support/heap.hpp"
#include "support/keys.hpp"
#include "support/timing.hpp"

namespace bptree_bench {

// ------------------------------------------------------------------------------ run options
enum class latency_mode { none, main, all };

struct run_options {
    std::vector<std::size_t> sizes{1000, 100000, 1000000};
    double min_time = 0.5;               // Google Benchmark's --benchmark_min_time (seconds)
    latency_mode latency = latency_mode::main;
    double latency_budget_s = 0.08;      // per benchmark
    std::size_t latency_max_samples = 20000;
    std::size_t linear_cap = 100000;     // largest n at which O(n) peer operations are benchmarked
    std::size_t check_batches = 4;
};

inline run_options& options() {
    static run_options o;
    return o;
}

// ------------------------------------------------------------------------------ shared results
struct run_registry {
    std::size_t failures = 0;
    std::map<std::string, std::uint64_t> reference_checksums;  // op/family/n -> checksum
    std::map<std::string, double> std_ns_per_op;               // op/family/n -> median ns/op of std
};

inline run_registry& registry() {
    static run_registry r;
    return r;
}

// Key of a benchmark without its implementation: "find_hit/set.int64/1000000".
inline std::string comparison_key(const std::string& op, const std::string& family, std::size_t n) {
    return op + "/" + family + "/" + std::to_string(n);
}

// ------------------------------------------------------------------------------ operations
// What the harness needs to know about an operation besides its code.
struct op_info {
    const char* name;
    std::size_t latency_batch;  // operations per latency sample; 0: no latency (bulk operations)
    bool main;                  // latency also in the quick run
    // Fraction of the minimum timed work for operations whose untimed undo costs far more than
    // the timed work (a 1.5 ns/entry range erase re-inserts every entry): without it, such a
    // benchmark spends 100x its timed work in restores. Their batches are large, so a shorter
    // minimum still averages thousands of batches.
    double min_time_scale = 1.0;
};

// Defaults for the optional members of an operation.
class op_base {
public:
    // Set by run() when a result breaks the operation's invariant (e.g. find_hit missed).
    const char* error() const noexcept { return error_; }
    // Untimed digest of the state after run() (check pass only); 0 when not needed.
    std::uint64_t digest() const { return 0; }
    // Operations also provide check_count() and check_rounds(): the check pass runs that many
    // batches of that many operations, and both must not depend on the implementation.
    // Memory per entry measured by the operation itself (bulk load); negative: use the fixture's.
    double bytes_per_entry() const noexcept { return -1; }
    double allocs_per_entry() const noexcept { return -1; }
    // Whether the check pass compares this operation's checksum with the std reference's at
    // size n. An operation may instead verify every result against the key data itself (rank and
    // nth beyond the size where std's O(n) answers are affordable).
    static bool compare_with_reference(std::size_t /*n*/) { return true; }
    // Set during the check pass: operations may then verify each result (untimed code path).
    void set_checking(bool on) noexcept { checking_ = on; }
    bool checking() const noexcept { return checking_; }

protected:
    void fail(const char* what) noexcept {
        if (error_ == nullptr) error_ = what;
    }

private:
    const char* error_ = nullptr;
    bool checking_ = false;
};

// Start offset for cursors into the probe streams: different for every invocation.
inline std::size_t stream_offset(std::uint64_t seed, std::size_t length) {
    return static_cast<std::size_t>(mix64(seed) % length);
}

// ------------------------------------------------------------------------------ fixtures
// The live shared fixtures: those of one family and size (every implementation's), so that the
// benchmarks of an operation can run for each implementation in turn (op-major order: the ratios
// then compare measurements taken minutes apart at most, not a family's whole run). A fixture of
// another family or size frees them all.
struct fixture_cache {
    std::string generation;  // family/size of the fixtures held
    std::map<std::string, std::shared_ptr<void>> fixtures;
};

inline fixture_cache& live_fixtures() {
    static fixture_cache cache;
    return cache;
}

template <class Spec>
std::string fixture_id(std::size_t n) {
    return std::string(typeid(Spec).name()) + "/" + std::to_string(n);
}

template <class Spec>
typename Spec::fixture& shared_fixture(std::size_t n) {
    fixture_cache& cache = live_fixtures();
    const std::string generation = std::string(Spec::family()) + "/" + std::to_string(n);
    if (cache.generation != generation) {
        cache.fixtures.clear();
        cache.generation = generation;
    }
    std::shared_ptr<void>& slot = cache.fixtures[fixture_id<Spec>(n)];
    if (!slot) slot = std::make_shared<typename Spec::fixture>(n);
    return *static_cast<typename Spec::fixture*>(slot.get());
}

// The shared fixture if one is live for this spec, else a fresh private one (reference checks).
template <class Spec>
std::shared_ptr<typename Spec::fixture> borrow_fixture(std::size_t n) {
    fixture_cache& cache = live_fixtures();
    const auto it = cache.fixtures.find(fixture_id<Spec>(n));
    if (it != cache.fixtures.end() && it->second) return std::static_pointer_cast<typename Spec::fixture>(it->second);
    return std::make_shared<typename Spec::fixture>(n);
}

// ------------------------------------------------------------------------------ check pass
// Positional operations (rank, nth, ZRANK, ZRANGE by index). Batch: O(n) implementations (std)
// get tiny batches, each operation walking n/2 entries; the others `fast`.
inline std::size_t positional_batch(bool linear, std::size_t n, std::size_t fast) {
    return linear ? std::max<std::size_t>(1, 4096 / n) : fast;
}
// Check plan, the same for every implementation. Up to linear_cap the checksum is compared with
// std's, whose answers cost O(n) each (about 35 ms at 100K entries, where every step is a cache
// miss), so large sizes get few answers; beyond linear_cap every answer is checked against the
// sorted keys instead, and std is not run.
inline std::size_t positional_check_count(std::size_t n) {
    return n > options().linear_cap ? 256 : n > 10000 ? 16 : 64;
}
inline std::size_t positional_check_rounds(std::size_t n) {
    return n > options().linear_cap || n <= 10000 ? options().check_batches : 1;
}

struct check_result {
    std::uint64_t checksum = 0;
    std::string error;
};

// Fixtures hold the state every check starts from. Operations that cannot undo their changes
// exactly (stream appends and trims: IDs only grow) declare restores = false; after they ran, the
// fixture is marked dirty and rebuilt before the next check pass, so checks of every
// implementation start from the same state.
template <class Fixture>
void make_pristine(Fixture& f) {
    if (f.dirty) {
        f.reset();
        f.dirty = false;
    }
}

template <class Spec, template <class> class Op>
check_result check_pass(typename Spec::fixture& f, std::size_t n) {
    check_result r;
    make_pristine(f);
    if (!Op<Spec>::restores) f.dirty = true;
    Op<Spec> op(f, 0xc0ffee);
    op.set_checking(true);
    const std::size_t count = op.check_count();
    const std::size_t rounds = op.check_rounds();
    for (std::size_t b = 0; b < rounds; ++b) {
        r.checksum = mix64(r.checksum ^ op.run(count));
        r.checksum = mix64(r.checksum ^ op.digest());
        op.restore();
    }
    if (op.error() != nullptr) {
        r.error = op.error();
        return r;
    }
    if (Op<Spec>::restores && !f.intact(n)) {
        r.error = "the fixture was not restored to its n entries after the operation";
        return r;
    }
    return r;
}

template <class Spec, template <class> class Op>
std::uint64_t reference_checksum(const std::string& key, std::size_t n, std::string& error) {
    auto& refs = registry().reference_checksums;
    const auto found = refs.find(key);
    if (found != refs.end()) return found->second;
    using ref_spec = typename Spec::reference;
    auto f = borrow_fixture<ref_spec>(n);
    const check_result r = check_pass<ref_spec, Op>(*f, n);
    if (!r.error.empty()) {
        error = "the std reference failed its own check: " + r.error;
        return 0;
    }
    refs.emplace(key, r.checksum);
    return r.checksum;
}

// ------------------------------------------------------------------------------ the benchmark
struct bench_record {
    bool checked = false;
    bool reported = false;
    std::string error;
    bool has_latency = false;
    latency_summary latency;
    std::uint64_t invocations = 0;
};

// Skips the benchmark with the error (every invocation), printing it once to stderr.
inline void report_failure(benchmark::State& st, bench_record& rec, const std::string& name) {
    if (!rec.reported) {
        rec.reported = true;
        std::fprintf(stderr, "BENCHMARK FAILED: %s: %s\n", name.c_str(), rec.error.c_str());
        std::fflush(stderr);
        ++registry().failures;
    }
    st.SkipWithError(rec.error.c_str());
}

inline bench_record& record_for(const std::string& name) {
    static std::map<std::string, bench_record> records;
    return records[name];
}

inline bool latency_enabled(const op_info& info) {
    if (info.latency_batch == 0) return false;
    switch (options().latency) {
        case latency_mode::none: return false;
        case latency_mode::main: return info.main;
        case latency_mode::all: return true;
    }
    return false;
}

template <class Spec, template <class> class Op>
latency_summary sample_latency(typename Spec::fixture& f, std::size_t batch, std::uint64_t seed) {
    Op<Spec> op(f, seed);
    const double overhead = clock_overhead_ns();
    std::vector<double> per_op;
    per_op.reserve(options().latency_max_samples);
    std::uint64_t sink = 0;
    const auto start = bench_clock::now();
    while (per_op.size() < options().latency_max_samples) {
        const auto t0 = bench_clock::now();
        sink += op.run(batch);
        const auto t1 = bench_clock::now();
        op.restore();
        const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() - overhead;
        per_op.push_back((ns > 0 ? ns : 0) / static_cast<double>(batch));
        if (seconds_between(start, t1) > options().latency_budget_s && per_op.size() >= 100) break;
    }
    benchmark::DoNotOptimize(sink);
    return summarize_latency(per_op, batch);
}

template <class Spec, template <class> class Op>
void run_benchmark(benchmark::State& st, const std::string& name, std::size_t n) {
    using op_type = Op<Spec>;
    bench_record& rec = record_for(name);
    typename Spec::fixture& f = shared_fixture<Spec>(n);

    if (!rec.checked) {
        rec.checked = true;
        const std::string key = comparison_key(op_type::info.name, Spec::family(), n);
        const check_result mine = check_pass<Spec, Op>(f, n);
        if (!mine.error.empty()) {
            rec.error = std::string("check failed: ") + mine.error;
        } else if (!f.verify(rec.error)) {
            rec.error = "check failed: " + rec.error;
        } else {
            std::string ref_error;
            const bool compare = op_type::compare_with_reference(n);
            const std::uint64_t want = !compare ? mine.checksum
                                       : Spec::is_reference
                                           ? registry().reference_checksums.emplace(key, mine.checksum).first->second
                                           : reference_checksum<Spec, Op>(key, n, ref_error);
            if (!ref_error.empty()) {
                rec.error = ref_error;
            } else if (want != mine.checksum) {
                char buf[160];
                std::snprintf(buf, sizeof buf, "checksum %016llx differs from std's %016llx for the same inputs",
                              static_cast<unsigned long long>(mine.checksum), static_cast<unsigned long long>(want));
                rec.error = buf;
            }
        }
        if (rec.error.empty() && latency_enabled(op_type::info)) {
            rec.latency = sample_latency<Spec, Op>(f, op_type::info.latency_batch, mix64(0x1a7e ^ n));
            rec.has_latency = true;
        }
    }
    if (!rec.error.empty()) {
        report_failure(st, rec, name);
        return;
    }

    if (!op_type::restores) f.dirty = true;
    op_type op(f, mix64(std::hash<std::string>()(name) + ++rec.invocations));
    const std::size_t batch = op.batch();
    std::uint64_t sink = 0;
    double timed = 0;
    std::vector<float> batch_seconds;
    batch_seconds.reserve(static_cast<std::size_t>(std::min<benchmark::IterationCount>(st.max_iterations, 1 << 20)));
    for (auto _ : st) {
        const auto t0 = bench_clock::now();
        sink += op.run(batch);
        const auto t1 = bench_clock::now();
        const double s = seconds_between(t0, t1);
        st.SetIterationTime(s);
        timed += s;
        batch_seconds.push_back(static_cast<float>(s));
        op.restore();
    }
    benchmark::DoNotOptimize(sink);
    if (op.error() != nullptr) {
        rec.error = std::string("timed run: ") + op.error();
        report_failure(st, rec, name);
        return;
    }

    const double ops = static_cast<double>(st.iterations()) * static_cast<double>(batch);
    st.SetItemsProcessed(static_cast<std::int64_t>(ops));
    // ns_per_op: the median batch, per operation. A batch averages hundreds of operations, so its
    // time varies little unless the VM preempts the benchmark; the median ignores those batches
    // where the mean (ns_per_op_mean, items_per_second, real_time) counts them.
    const auto mid = batch_seconds.begin() + static_cast<std::ptrdiff_t>(batch_seconds.size() / 2);
    std::nth_element(batch_seconds.begin(), mid, batch_seconds.end());
    const double ns_per_op = batch_seconds.empty() ? 0 : static_cast<double>(*mid) * 1e9 / static_cast<double>(batch);
    st.counters["ns_per_op"] = ns_per_op;
    st.counters["ns_per_op_mean"] = timed * 1e9 / ops;
    st.counters["entries"] = static_cast<double>(n);
    const double bytes = op.bytes_per_entry() >= 0 ? op.bytes_per_entry() : f.bytes_per_entry;
    const double allocs = op.allocs_per_entry() >= 0 ? op.allocs_per_entry() : f.allocs_per_entry;
    if (bytes >= 0) st.counters["bytes_per_entry"] = bytes;
    if (allocs >= 0) st.counters["allocs_per_entry"] = allocs;
    if (f.heap_bytes_per_entry >= 0) st.counters["heap_bytes_per_entry"] = f.heap_bytes_per_entry;
    if (rec.has_latency) {
        st.counters["p50_ns"] = rec.latency.p50;
        st.counters["p99_ns"] = rec.latency.p99;
        st.counters["p999_ns"] = rec.latency.p999;
        st.counters["lat_batch"] = static_cast<double>(rec.latency.batch);
        st.counters["lat_samples"] = static_cast<double>(rec.latency.samples);
    }
    if (!Spec::is_reference) {
        const auto& medians = registry().std_ns_per_op;
        const auto m = medians.find(comparison_key(op_type::info.name, Spec::family(), n));
        if (m != medians.end() && ns_per_op > 0) st.counters["vs_std"] = m->second / ns_per_op;
    }
}

// Names of every registered benchmark, in order (for the progress total).
inline std::vector<std::string>& registered_names() {
    static std::vector<std::string> names;
    return names;
}

// Registers one benchmark; every benchmark uses manual time and reports nanoseconds.
template <class Spec, template <class> class Op>
void register_benchmark(std::size_t n, const char* label = nullptr) {
    const std::string name =
        std::string(Op<Spec>::info.name) + "/" + Spec::family() + "/" + Spec::impl_name() + "/" + std::to_string(n);
    std::string label_text = label ? label : "";
    auto* b = benchmark::RegisterBenchmark(name.c_str(), [name, n, label_text](benchmark::State& st) {
        if (!label_text.empty()) st.SetLabel(label_text);
        run_benchmark<Spec, Op>(st, name, n);
    });
    b->UseManualTime()->Unit(benchmark::kNanosecond);
    if (Op<Spec>::info.min_time_scale != 1.0) b->MinTime(options().min_time * Op<Spec>::info.min_time_scale);
    registered_names().push_back(name);
}

// ------------------------------------------------------------------------------ suites
// A suite registers the benchmarks of one family (e.g. set.int64, sorted_set) for one size.
// main() calls every suite size by size, so all benchmarks of a size run together and each
// fixture is built once. `order` sorts suites (containers before adaptors).
struct suite {
    int order;
    std::string name;
    std::function<void(std::size_t)> register_size;
};

inline std::vector<suite>& suites() {
    static std::vector<suite> all;
    return all;
}

inline bool add_suite(int order, std::string name, std::function<void(std::size_t)> register_size) {
    suites().push_back({order, std::move(name), std::move(register_size)});
    return true;
}

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_SUPPORT_HARNESS_HPP
