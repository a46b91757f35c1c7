// Benchmark support: the console reporter (one progress line per benchmark, with its median
// ns/op, latency and ratio to std) and the run context written into the JSON.
#ifndef BPTREE_BENCH_SUPPORT_PROGRESS_HPP
#define BPTREE_BENCH_SUPPORT_PROGRESS_HPP

#include <benchmark/benchmark.h>

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "support/timing.hpp"

namespace bptree_bench {

// Prints "[  37/768  1:42] find_hit/set.int64/bptree/1000000  23.1 ns/op ..." for every
// benchmark as it finishes, and records the std medians that later benchmarks compare against.
class progress_reporter : public benchmark::BenchmarkReporter {
public:
    explicit progress_reporter(std::size_t total) : total_(total) {}
    bool ReportContext(const Context& context) override;
    void ReportRuns(const std::vector<Run>& reports) override;
    void Finalize() override;

    std::size_t failed() const noexcept { return failed_; }

private:
    std::size_t total_;
    std::size_t done_ = 0;
    std::size_t failed_ = 0;
    std::set<std::string> seen_;
    bench_clock::time_point start_ = bench_clock::now();
};

// Adds compiler, flags, ISA, node sizes and the measuring method to the JSON context.
void add_run_context();

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_SUPPORT_PROGRESS_HPP
