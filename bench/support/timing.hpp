// Benchmark support: the clock, and latency percentiles from small timed batches.
//
// Reading std::chrono::steady_clock costs about 30 ns on this VM (kvm-clock through the vDSO),
// as much as one lookup in a small tree, so single operations are never timed alone:
// - throughput: every benchmark iteration times one batch of up to a few hundred operations
//   (manual time), so the two clock reads cost well under 1 ns per operation;
// - latency: a separate sampling pass times batches of L operations (L = 16 for tree operations,
//   64 for iterator steps and front/back), subtracts the measured cost of one clock read pair, and
//   divides by L. p50/p99/p999 are percentiles of these per-batch averages: they show how the cost
//   of a short burst varies (cache misses, splits, allocations), not single-operation outliers
//   shorter than a batch.
#ifndef BPTREE_BENCH_SUPPORT_TIMING_HPP
#define BPTREE_BENCH_SUPPORT_TIMING_HPP

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace bptree_bench {

using bench_clock = std::chrono::steady_clock;

inline double seconds_between(bench_clock::time_point a, bench_clock::time_point b) noexcept {
    return std::chrono::duration<double>(b - a).count();
}

// Median cost in nanoseconds of two back-to-back clock reads, measured once.
inline double clock_overhead_ns() {
    static const double overhead = [] {
        std::vector<double> d;
        d.reserve(20001);
        for (int i = 0; i < 20001; ++i) {
            const auto a = bench_clock::now();
            const auto b = bench_clock::now();
            d.push_back(std::chrono::duration<double, std::nano>(b - a).count());
        }
        std::nth_element(d.begin(), d.begin() + 10000, d.end());
        return d[10000];
    }();
    return overhead;
}

struct latency_summary {
    std::size_t samples = 0;
    std::size_t batch = 0;  // operations per timed batch
    double p50 = 0, p99 = 0, p999 = 0;  // ns per operation
};

// Percentiles (nearest rank) of per-operation times, in ns.
inline latency_summary summarize_latency(std::vector<double>& per_op_ns, std::size_t batch) {
    latency_summary s;
    s.samples = per_op_ns.size();
    s.batch = batch;
    if (per_op_ns.empty()) return s;
    std::sort(per_op_ns.begin(), per_op_ns.end());
    auto at = [&](double q) {
        const std::size_t last = per_op_ns.size() - 1;
        return per_op_ns[std::min(last, static_cast<std::size_t>(q * static_cast<double>(per_op_ns.size())))];
    };
    s.p50 = at(0.50);
    s.p99 = at(0.99);
    s.p999 = at(0.999);
    return s;
}

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_SUPPORT_TIMING_HPP
