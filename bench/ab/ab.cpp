// In-process A/B comparison of two versions of the engine (scripts/ab.sh builds it): the same
// operations on a set<int64_t> built from the headers of an older revision (renamed into namespace
// AB_OLD_NS, included as AB_OLD_HEADER) and one from the current headers, alternating every round
// and which version goes first, so that the drift of a shared machine reaches both alike.
//
// Each round times a batch of 256 of each operation on each tree of n random keys:
//   insert  absent keys (the batch is erased afterwards, untimed)
//   find    present keys
//   erase   present keys (reinserted afterwards, untimed)
//   rank    present keys
//   nth     random indices
// and prints, per operation, the median time of each version and the median over rounds of the
// per-round ratio old/new (> 1: the current headers are faster). Identical headers on both sides
// give ratios within about 3% of 1 on the development VM.
// Usage: ab [rounds=3000] [n=1000000]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include AB_OLD_HEADER
#include "bptree/set.hpp"
#include "support/keys.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
constexpr std::size_t batch = 256;
constexpr int op_count = 5;
const char* const op_names[op_count] = {"insert", "find", "erase", "rank", "nth"};

// The suite's key data (bench/support/keys.hpp): `present` fills both trees, `absent` are the
// keys inserted and erased again.
using workload = bptree_bench::key_data<std::int64_t>;

double ns_per_op(clock_type::time_point from, clock_type::time_point to) {
    return std::chrono::duration<double, std::nano>(to - from).count() / batch;
}

// Round r's operands, gathered before either version runs, so that neither pays the cache misses
// of picking random keys out of the workload for the other.
struct round_operands {
    const std::int64_t* fresh;
    std::int64_t find[batch], erase[batch], rank[batch];
    std::size_t nth[batch];

    round_operands(const workload& w, long r) {
        const std::size_t n = w.present.size();
        const auto first = static_cast<std::size_t>(r) * batch;
        fresh = w.absent.data() + first % (w.absent.size() - batch);
        for (std::size_t i = 0; i < batch; ++i) {
            find[i] = w.present[(first + i) * 7919 % n];
            erase[i] = w.present[(first + i) * 104729 % n];
            rank[i] = w.present[(first + i) * 15485863 % n];
            nth[i] = (first + i) * 32452843 % n;
        }
    }
};

template <class Set>
class subject {
public:
    explicit subject(const workload& w) {
        for (auto k : w.present) s_.insert(k);
    }

    // Times the batches of one round into t[0..op_count).
    void run_round(const round_operands& in, double* t) {
        const auto t0 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += static_cast<std::uint64_t>(*s_.insert(in.fresh[i]).first);
        const auto t1 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += static_cast<std::uint64_t>(*s_.find(in.find[i]));
        const auto t2 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += s_.erase(in.erase[i]);
        const auto t3 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += s_.rank(in.rank[i]);
        const auto t4 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += static_cast<std::uint64_t>(*s_.nth(in.nth[i]));
        const auto t5 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) s_.erase(in.fresh[i]);
        for (std::size_t i = 0; i < batch; ++i) s_.insert(in.erase[i]);
        t[0] = ns_per_op(t0, t1);
        t[1] = ns_per_op(t1, t2);
        t[2] = ns_per_op(t2, t3);
        t[3] = ns_per_op(t3, t4);
        t[4] = ns_per_op(t4, t5);
    }
    std::uint64_t checksum() const { return sum_ + s_.size(); }

private:
    Set s_;
    std::uint64_t sum_ = 0;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const long rounds = argc > 1 ? std::atol(argv[1]) : 3000;
    const std::size_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000;
    if (rounds < 1 || n < 2 * batch) {
        std::fprintf(stderr, "ab: need rounds >= 1 and n >= %zu\n", 2 * batch);
        return 2;
    }
    const workload w(n);
    subject<bptree::AB_OLD_NS::set<std::int64_t>> old_version(w);
    subject<bptree::set<std::int64_t>> new_version(w);
    std::vector<double> old_times[op_count], new_times[op_count], speedups[op_count];
    for (long r = 0; r < rounds; ++r) {
        const round_operands operands(w, r);
        double o[op_count], c[op_count];
        if (r % 2 == 0) {
            old_version.run_round(operands, o);
            new_version.run_round(operands, c);
        } else {
            new_version.run_round(operands, c);
            old_version.run_round(operands, o);
        }
        for (int op = 0; op < op_count; ++op) {
            old_times[op].push_back(o[op]);
            new_times[op].push_back(c[op]);
            speedups[op].push_back(o[op] / c[op]);
        }
    }
    if (old_version.checksum() != new_version.checksum()) {
        std::fprintf(stderr, "ab: the two versions gave different results\n");
        return 1;
    }
    std::printf("%ld rounds of %zu operations each, %zu keys\n", rounds, batch, n);
    std::printf("| operation | old ns | new ns | old/new |\n|---|---|---|---|\n");
    for (int op = 0; op < op_count; ++op) {
        std::printf("| %s | %.1f | %.1f | %.3fx |\n", op_names[op], median(old_times[op]), median(new_times[op]),
                    median(speedups[op]));
    }
}
