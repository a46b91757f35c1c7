// Adaptor benchmarks: bptree::time_series (a RedisTimeSeries series) with its chunk index on
// bptree::map (bptree_map_index) against the same adaptor on std::map (std_map_index). Default
// series options (compressed chunks of 4096 bytes). Sample i is at 1700000000000 + 10 i ms with a
// pseudo-random value of two decimals.
//
//   command        one op is                                                       batch
//   TS.ADD         add(ts, value), ts after the newest sample (append)             n/8, max 256
//   TS.RANGE       range(from, from + 990 ms): 100 raw samples                     16
//   TS.RANGE_AGG   range over min(n, 10000) samples, AGGREGATION avg 1000 ms
//                  (about 100 buckets of 100 samples)                              4
// TS.ADD is undone untimed after each batch (TS.DEL of the samples it added).
#if __has_include("bptree/time_series.hpp")

#include "bptree/time_series.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "adaptors/adaptor_family.hpp"
#include "support/keys.hpp"

namespace bptree_bench::ts {

struct backend_std {
    static constexpr const char* name = "std";
    using index = bptree::std_map_index;
};
struct backend_bptree {
    static constexpr const char* name = "bptree";
    using index = bptree::bptree_map_index;
};

constexpr std::int64_t base_ts = 1700000000000LL;
constexpr std::int64_t step_ms = 10;

inline std::int64_t ts_of(std::uint64_t i) { return base_ts + static_cast<std::int64_t>(i) * step_ms; }
inline double value_of(std::uint64_t i) { return static_cast<double>(mix61(i) % 100000) / 100.0; }

struct data {
    std::size_t n;
    std::vector<std::uint32_t> picks;

    explicit data(std::size_t size) : n(size) {
        std::mt19937_64 rng(0x7153);
        picks.reserve(std::size_t{1} << 20);
        for (std::size_t i = 0; i < (std::size_t{1} << 20); ++i) picks.push_back(static_cast<std::uint32_t>(rng()));
    }
};

struct family {
    static constexpr const char* name = "time_series";
    template <class Backend>
    using adaptor = bptree::time_series<typename Backend::index>;
    using std_backend = backend_std;
    using data = ts::data;
    static std::shared_ptr<const data> load(std::size_t n) { return cached_data<data>(n); }
    template <class A>
    static void build(A& a, const data& d) {
        for (std::uint64_t i = 0; i < d.n; ++i) a.add(ts_of(i), value_of(i));
    }
};

template <class Spec, class Derived>
using op = adaptor_op<Spec, Derived>;

inline std::uint64_t sample_sum(const std::vector<bptree::ts_sample>& samples) {
    std::uint64_t sum = samples.size();
    for (const auto& s : samples) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &s.value, sizeof bits);
        sum = sum * 31u + static_cast<std::uint64_t>(s.ts - base_ts) + bits;
    }
    return sum;
}

template <class Spec>
class ts_add : public op<Spec, ts_add<Spec>> {
public:
    static constexpr op_info info{"TS.ADD", 16, true};
    ts_add(typename op<Spec, ts_add>::fixture& f, std::uint64_t) : op<Spec, ts_add>(f) {}
    std::size_t batch() const { return std::clamp<std::size_t>(this->n_ / 8, 1, 256); }
    std::uint64_t run(std::size_t count) {
        auto& series = this->a_;
        std::uint64_t sum = 0;
        for (std::uint64_t k = 0; k < count; ++k) {
            sum += static_cast<std::uint64_t>(series.add(ts_of(this->n_ + k), value_of(this->n_ + k)) - base_ts);
            benchmark::DoNotOptimize(sum);
        }
        last_ = count;
        if (series.size() != this->n_ + count) this->fail("TS.ADD: a sample was not added");
        return sum;
    }
    void restore() {
        if (last_ != 0) this->a_.del(ts_of(this->n_), ts_of(this->n_ + last_ - 1));
        last_ = 0;
    }

private:
    std::size_t last_ = 0;
};

template <class Spec>
class ts_range : public op<Spec, ts_range<Spec>> {
public:
    static constexpr std::uint64_t samples = 100;
    static constexpr op_info info{"TS.RANGE", 4, true};
    ts_range(typename op<Spec, ts_range>::fixture& f, std::uint64_t seed)
        : op<Spec, ts_range>(f), pos_(stream_offset(seed, this->d_.picks.size())) {}
    std::size_t batch() const { return 16; }
    std::uint64_t run(std::size_t count) {
        const auto& series = this->a_;
        const auto& picks = this->d_.picks;
        const std::uint64_t starts = this->n_ > samples ? this->n_ - samples + 1 : 1;
        std::size_t pos = pos_, read = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const std::int64_t from = ts_of(picks[pos] % starts);
            const auto result = series.range(from, from + static_cast<std::int64_t>(samples - 1) * step_ms);
            read += result.size();
            sum += sample_sum(result);
            pos = pos + 1 == picks.size() ? 0 : pos + 1;
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        if (read != count * std::min<std::uint64_t>(samples, this->n_)) this->fail("TS.RANGE: wrong sample count");
        return sum;
    }
    void restore() {}

private:
    std::size_t pos_;
};

template <class Spec>
class ts_range_agg : public op<Spec, ts_range_agg<Spec>> {
public:
    static constexpr op_info info{"TS.RANGE_AGG", 1, false};
    ts_range_agg(typename op<Spec, ts_range_agg>::fixture& f, std::uint64_t seed)
        : op<Spec, ts_range_agg>(f), pos_(stream_offset(seed, this->d_.picks.size())) {}
    std::size_t batch() const { return 4; }
    std::uint64_t run(std::size_t count) {
        const auto& series = this->a_;
        const auto& picks = this->d_.picks;
        const std::uint64_t window = std::min<std::uint64_t>(this->n_, 10000);
        const std::uint64_t starts = this->n_ - window + 1;
        bptree::ts_range_options options;
        bptree::ts_aggregation agg;
        agg.type = bptree::aggregator::avg;
        agg.bucket_duration = 1000;
        options.aggregation = agg;
        std::size_t pos = pos_, buckets = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const std::int64_t from = ts_of(picks[pos] % starts);
            const auto result = series.range(from, from + static_cast<std::int64_t>(window - 1) * step_ms, options);
            buckets += result.size();
            sum += sample_sum(result);
            pos = pos + 1 == picks.size() ? 0 : pos + 1;
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        if (buckets == 0) this->fail("TS.RANGE_AGG: no buckets");
        return sum;
    }
    void restore() {}

private:
    std::size_t pos_;
};

template <class Spec>
struct register_ops {
    static void apply(std::size_t n) {
        register_benchmark<Spec, ts_range>(n);
        register_benchmark<Spec, ts_range_agg>(n);
        register_benchmark<Spec, ts_add>(n);
    }
};

}  // namespace bptree_bench::ts

BPTREE_BENCH_ADAPTOR(22, bptree_bench::ts::family, bptree_bench::ts::register_ops, bptree_bench::ts::backend_std,
                     bptree_bench::ts::backend_bptree)

#endif  // __has_include("bptree/time_series.hpp")
