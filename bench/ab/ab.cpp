// In-process A/B comparison (scripts/ab.sh builds it): the same operations on two set<int64_t>,
// alternating every round and which one goes first, so that the drift of a shared machine reaches
// both alike. The new side is bptree::set from the current headers (node sizes AB_LEAF_BYTES and
// AB_INNER_BYTES when defined, else the defaults). The old side is either bptree::set from the
// headers of an older revision (renamed into namespace AB_OLD_NS, included as AB_OLD_HEADER) or,
// with AB_ABSL defined, absl::btree_set.
//
// Each round times a batch of 256 of each operation on each tree of n random keys:
//   insert  absent keys (the batch is erased afterwards, untimed)
//   find    present keys
//   erase   present keys (reinserted afterwards, untimed)
//   rank    present keys (bptree only)
//   nth     random indices (bptree only)
// and prints, per operation, the median time of each side and the median over rounds of the
// per-round ratio old/new (> 1: the new side is faster). Identical headers on both sides give
// ratios within about 3% of 1 on the development VM.
// Usage: ab [rounds=3000] [n=1000000]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <vector>

#ifdef AB_ABSL
#include <absl/container/btree_set.h>
#else
#include AB_OLD_HEADER
#endif
#include "bptree/set.hpp"
#include "support/keys.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
constexpr std::size_t batch = 256;
constexpr int op_count = 5;
const char* const op_names[op_count] = {"insert", "find", "erase", "rank", "nth"};
constexpr int op_rank = 3;  // rank and nth, from here on, need order statistics on both sides

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

template <class Set, class = void>
struct bptree_set : std::false_type {};
template <class Set>
struct bptree_set<Set, std::void_t<decltype(std::declval<const Set&>().rank(std::int64_t{}))>> : std::true_type {};

template <class Set>
class subject {
public:
    explicit subject(const workload& w) {
        for (auto k : w.present) s_.insert(k);
    }

    // Times the batches of one round into t[0..op_count); rank and nth only with OrderStatistics
    // (both sides must do the same work: each side's batches evict the other's tree).
    template <bool OrderStatistics>
    void run_round(const round_operands& in, double* t) {
        const auto t0 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += static_cast<std::uint64_t>(*s_.insert(in.fresh[i]).first);
        const auto t1 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += static_cast<std::uint64_t>(*s_.find(in.find[i]));
        const auto t2 = clock_type::now();
        for (std::size_t i = 0; i < batch; ++i) sum_ += s_.erase(in.erase[i]);
        const auto t3 = clock_type::now();
        if constexpr (OrderStatistics) {
            for (std::size_t i = 0; i < batch; ++i) order_sum_ += s_.rank(in.rank[i]);
        }
        const auto t4 = clock_type::now();
        if constexpr (OrderStatistics) {
            for (std::size_t i = 0; i < batch; ++i) order_sum_ += static_cast<std::uint64_t>(*s_.nth(in.nth[i]));
        }
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
    std::uint64_t order_checksum() const { return order_sum_; }
    static constexpr bool has_order_statistics = bptree_set<Set>::value;

private:
    Set s_;
    std::uint64_t sum_ = 0;
    std::uint64_t order_sum_ = 0;  // of rank and nth
};

// The new side's node sizes.
struct new_traits : bptree::default_traits {
#ifdef AB_LEAF_BYTES
    static constexpr std::size_t leaf_node_bytes = AB_LEAF_BYTES;
#endif
#ifdef AB_INNER_BYTES
    static constexpr std::size_t inner_node_bytes = AB_INNER_BYTES;
#endif
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
#ifdef AB_ABSL
    subject<absl::btree_set<std::int64_t>> old_version(w);
#else
    subject<bptree::AB_OLD_NS::set<std::int64_t>> old_version(w);
#endif
    subject<bptree::set<std::int64_t, std::less<std::int64_t>, std::allocator<std::int64_t>, new_traits>> new_version(w);
    constexpr bool both_rank = decltype(old_version)::has_order_statistics;
    std::vector<double> old_times[op_count], new_times[op_count], speedups[op_count];
    for (long r = 0; r < rounds; ++r) {
        const round_operands operands(w, r);
        double o[op_count], c[op_count];
        if (r % 2 == 0) {
            old_version.template run_round<both_rank>(operands, o);
            new_version.template run_round<both_rank>(operands, c);
        } else {
            new_version.template run_round<both_rank>(operands, c);
            old_version.template run_round<both_rank>(operands, o);
        }
        for (int op = 0; op < op_count; ++op) {
            old_times[op].push_back(o[op]);
            new_times[op].push_back(c[op]);
            speedups[op].push_back(o[op] / c[op]);
        }
    }
    if (old_version.checksum() != new_version.checksum() ||
        (both_rank && old_version.order_checksum() != new_version.order_checksum())) {
        std::fprintf(stderr, "ab: the two versions gave different results\n");
        return 1;
    }
    std::printf("%ld rounds of %zu operations each, %zu keys\n", rounds, batch, n);
    std::printf("| operation | old ns | new ns | old/new |\n|---|---|---|---|\n");
    for (int op = 0; op < (both_rank ? op_count : op_rank); ++op) {
        std::printf("| %s | %.1f | %.1f | %.3fx |\n", op_names[op], median(old_times[op]), median(new_times[op]),
                    median(speedups[op]));
    }
}
