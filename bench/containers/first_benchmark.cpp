// The first benchmark: random insert, find, erase and full iteration of 1M int64 keys,
// bptree::set against std::set, each run printing the ratio std time / bptree time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bptree/set.hpp"

namespace {

constexpr std::size_t n = 1'000'000;

const std::vector<std::int64_t>& random_keys() {
    static const std::vector<std::int64_t> keys = [] {
        std::vector<std::int64_t> k(n);
        std::iota(k.begin(), k.end(), 0);
        std::shuffle(k.begin(), k.end(), std::mt19937_64(42));
        for (auto& x : k) x = x * 7919 + 13;
        return k;
    }();
    return keys;
}

template <class Set>
void bm_insert(benchmark::State& st) {
    const auto& keys = random_keys();
    for (auto _ : st) {
        Set s;
        for (auto k : keys) s.insert(k);
        benchmark::DoNotOptimize(s.size());
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * n));
}

template <class Set>
void bm_find(benchmark::State& st) {
    const auto& keys = random_keys();
    const Set s(keys.begin(), keys.end());
    std::vector<std::int64_t> probes(keys);
    std::shuffle(probes.begin(), probes.end(), std::mt19937_64(7));
    std::size_t found = 0;
    for (auto _ : st) {
        for (auto k : probes) found += s.find(k) != s.end();
    }
    if (found != st.iterations() * n) st.SkipWithError("find missed keys");
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * n));
}

template <class Set>
void bm_erase(benchmark::State& st) {
    const auto& keys = random_keys();
    std::vector<std::int64_t> order(keys);
    std::shuffle(order.begin(), order.end(), std::mt19937_64(9));
    for (auto _ : st) {
        st.PauseTiming();
        Set s(keys.begin(), keys.end());
        st.ResumeTiming();
        for (auto k : order) s.erase(k);
        if (!s.empty()) st.SkipWithError("erase left values");
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * n));
}

template <class Set>
void bm_iterate(benchmark::State& st) {
    const auto& keys = random_keys();
    const Set s(keys.begin(), keys.end());
    for (auto _ : st) {
        std::int64_t sum = 0;
        for (auto k : s) sum += k;
        benchmark::DoNotOptimize(sum);
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * n));
}

using bset = bptree::set<std::int64_t>;
using sset = std::set<std::int64_t>;
BENCHMARK_TEMPLATE(bm_insert, bset)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_insert, sset)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_find, bset)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_find, sset)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_erase, bset)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_erase, sset)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_iterate, bset)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_iterate, sset)->Unit(benchmark::kMillisecond);

// Prints std/bptree time ratios per operation after the runs.
class ratio_reporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            if (r.run_type != Run::RT_Iteration && r.aggregate_name != "median") continue;
            const std::string name = r.benchmark_name();
            const auto lt = name.find('<');
            const std::string op = name.substr(0, lt);
            const double t = r.GetAdjustedRealTime();
            if (name.find("<bset>") != std::string::npos) bptree_[op] = t;
            if (name.find("<sset>") != std::string::npos) std_[op] = t;
        }
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        std::printf("\n%-12s %12s\n", "operation", "std/bptree");
        for (const auto& [op, t] : bptree_) {
            if (std_.count(op)) std::printf("%-12s %11.2fx\n", op.c_str(), std_[op] / t);
        }
    }

private:
    std::map<std::string, double> bptree_, std_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    ratio_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
}
