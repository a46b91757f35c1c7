// Adaptor benchmarks: bptree::sorted_set (Redis ZSET) on its bptree::set index against the same
// adaptor on a std::set index. Members and scores are the score_member keys of the container
// benchmarks (key_data<score_member>: about four members per score, 13-byte members).
//
//   command         one op is                                                  batch
//   ZSCORE          score(member), member present (random)                     256
//   ZRANK           rank(member)  (std index: walks, O(n))                     256 (std: 1-4)
//   ZRANGE          range_by_rank(i, i + 9): 10 entries read (std: O(i))       64 (std: 1-4)
//   ZRANGEBYSCORE   range_by_score([s, s + 2]): about 12 entries read          64
//   ZADD            add(member, score), member new                             n/8, max 256
//   ZREM            remove(member), member present                             n/8, max 256
// ZADD and ZREM are undone untimed after each batch. On the std index, ZRANK and ZRANGE run only
// up to options().linear_cap members (labelled); beyond it every bptree answer is checked
// against the sorted keys instead of against std.
#if __has_include("bptree/sorted_set.hpp")

#include "bptree/sorted_set.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "adaptors/adaptor_family.hpp"
#include "support/keys.hpp"

namespace bptree_bench::zset {

struct backend_std {
    static constexpr const char* name = "std";
    using index = bptree::std_set_index;
    static constexpr bool linear_positions = true;  // rank and index ranges walk the std::set
};
struct backend_bptree {
    static constexpr const char* name = "bptree";
    using index = bptree::bptree_index<>;
    static constexpr bool linear_positions = false;
};

struct family {
    static constexpr const char* name = "sorted_set";
    template <class Backend>
    using adaptor = bptree::sorted_set<std::string, typename Backend::index>;
    using std_backend = backend_std;
    using data = key_data<score_member>;
    static std::shared_ptr<const data> load(std::size_t n) { return key_data_for<score_member>(n); }
    template <class A>
    static void build(A& a, const data& d) {
        for (const score_member& k : d.present) a.add(k.second, k.first);
    }
};

inline std::uint64_t fp(double score, const std::string& member) {
    return key_traits<score_member>::fingerprint(score_member(score, member));
}

template <class Spec, class Derived>
using op = adaptor_op<Spec, Derived>;

template <class Spec>
constexpr bool linear = Spec::backend::linear_positions;


template <class Spec>
class zscore : public op<Spec, zscore<Spec>> {
public:
    static constexpr op_info info{"ZSCORE", 16, true};
    zscore(typename op<Spec, zscore>::fixture& f, std::uint64_t seed)
        : op<Spec, zscore>(f), pos_(stream_offset(seed, this->d_.hit_stream.size())) {}
    std::size_t batch() const { return 256; }
    std::uint64_t run(std::size_t count) {
        const auto& z = this->a_;
        const auto& probes = this->d_.hit_stream;
        std::size_t pos = pos_, found = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const auto s = z.score(probes[pos].second);
            if (s && *s == probes[pos].first) ++found;
            sum += s ? static_cast<std::uint64_t>(*s) * (i + 1) : 0;
            pos = wrap(pos, probes.size());
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        if (found != count) this->fail("ZSCORE: a member's score was missing or wrong");
        return sum;
    }
    void restore() {}

private:
    static std::size_t wrap(std::size_t i, std::size_t n) { return i + 1 == n ? 0 : i + 1; }
    std::size_t pos_;
};

template <class Spec>
class zrank : public op<Spec, zrank<Spec>> {
public:
    static constexpr op_info info{"ZRANK", linear<Spec> ? 0 : 16, true};
    zrank(typename op<Spec, zrank>::fixture& f, std::uint64_t seed)
        : op<Spec, zrank>(f), pos_(stream_offset(seed, this->d_.hit_stream.size())) {}
    std::size_t batch() const { return positional_batch(linear<Spec>, this->n_, 256); }
    std::size_t check_count() const { return positional_check_count(this->n_); }
    std::size_t check_rounds() const { return positional_check_rounds(this->n_); }
    static bool compare_with_reference(std::size_t n) { return n <= options().linear_cap; }
    std::uint64_t run(std::size_t count) {
        const auto& z = this->a_;
        const auto& probes = this->d_.hit_stream;
        const auto& sorted = this->d_.sorted;
        std::size_t pos = pos_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const auto r = z.rank(probes[pos].second);
            if (!r) {
                this->fail("ZRANK: a member was not found");
            } else if (this->checking()) {
                const auto want = std::lower_bound(sorted.begin(), sorted.end(), probes[pos]) - sorted.begin();
                if (*r != static_cast<std::size_t>(want)) this->fail("ZRANK: wrong rank");
            }
            sum += (r ? *r : 0) * (i + 1);
            pos = pos + 1 == probes.size() ? 0 : pos + 1;
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        return sum;
    }
    void restore() {}

private:
    std::size_t pos_;
};

template <class Spec>
class zrange : public op<Spec, zrange<Spec>> {
public:
    static constexpr long long length = 10;
    static constexpr op_info info{"ZRANGE", linear<Spec> ? 0 : 4, false};
    zrange(typename op<Spec, zrange>::fixture& f, std::uint64_t seed)
        : op<Spec, zrange>(f), pos_(stream_offset(seed, this->d_.index_stream.size())) {}
    std::size_t batch() const { return positional_batch(linear<Spec>, this->n_, 64); }
    std::size_t check_count() const { return positional_check_count(this->n_); }
    std::size_t check_rounds() const { return positional_check_rounds(this->n_); }
    static bool compare_with_reference(std::size_t n) { return n <= options().linear_cap; }
    std::uint64_t run(std::size_t count) {
        const auto& z = this->a_;
        const auto& index = this->d_.index_stream;
        const auto& sorted = this->d_.sorted;
        const long long last_start = static_cast<long long>(this->n_) - length;
        std::size_t pos = pos_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const long long start = std::min<long long>(index[pos], std::max(0LL, last_start));
            std::size_t k = 0;
            for (const auto& e : z.range_by_rank(start, start + length - 1)) {
                if (this->checking()) {
                    const score_member& want = sorted[static_cast<std::size_t>(start) + k];
                    if (e.score != want.first || e.member != want.second) this->fail("ZRANGE: wrong entry");
                }
                sum += fp(e.score, e.member) * (++k);
            }
            if (k != std::min<std::size_t>(length, this->n_)) this->fail("ZRANGE: wrong number of entries");
            pos = pos + 1 == index.size() ? 0 : pos + 1;
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        return sum;
    }
    void restore() {}

private:
    std::size_t pos_;
};

template <class Spec>
class zrangebyscore : public op<Spec, zrangebyscore<Spec>> {
public:
    static constexpr op_info info{"ZRANGEBYSCORE", 4, false};
    zrangebyscore(typename op<Spec, zrangebyscore>::fixture& f, std::uint64_t seed)
        : op<Spec, zrangebyscore>(f), pos_(stream_offset(seed, this->d_.hit_stream.size())) {}
    std::size_t batch() const { return 64; }
    std::uint64_t run(std::size_t count) {
        const auto& z = this->a_;
        const auto& probes = this->d_.hit_stream;
        std::size_t pos = pos_, entries = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const double lo = probes[pos].first;
            bptree::score_range range;
            range.min = bptree::score_bound{lo};
            range.max = bptree::score_bound{lo + 2};
            for (const auto& e : z.range_by_score(range)) {
                sum += fp(e.score, e.member) * (++entries);
            }
            pos = pos + 1 == probes.size() ? 0 : pos + 1;
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        if (entries < count) this->fail("ZRANGEBYSCORE: a range around a present score was empty");
        return sum + entries;
    }
    void restore() {}

private:
    std::size_t pos_;
};

template <class Spec>
class zadd : public op<Spec, zadd<Spec>> {
public:
    static constexpr op_info info{"ZADD", 16, true};
    zadd(typename op<Spec, zadd>::fixture& f, std::uint64_t seed)
        : op<Spec, zadd>(f), from_(stream_offset(seed, this->d_.absent.size())) {}
    std::size_t batch() const { return std::clamp<std::size_t>(this->n_ / 8, 1, 256); }
    std::uint64_t run(std::size_t count) {
        auto& z = this->a_;
        const auto& keys = this->d_.absent;
        std::size_t added = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0, j = from_; i < count; ++i, j = j + 1 == keys.size() ? 0 : j + 1) {
            const auto r = z.add(keys[j].second, keys[j].first);
            added += r.outcome == bptree::zadd_outcome::added;
            sum += static_cast<std::uint64_t>(r.score) * (i + 1);
            benchmark::DoNotOptimize(sum);
        }
        last_ = count;
        if (added != count) this->fail("ZADD: a new member was not added");
        return sum + added;
    }
    void restore() {
        const auto& keys = this->d_.absent;
        for (std::size_t i = 0; i < last_; ++i, from_ = from_ + 1 == keys.size() ? 0 : from_ + 1) {
            this->a_.remove(keys[from_].second);
        }
        last_ = 0;
    }

private:
    std::size_t from_;
    std::size_t last_ = 0;
};

template <class Spec>
class zrem : public op<Spec, zrem<Spec>> {
public:
    static constexpr op_info info{"ZREM", 16, true};
    zrem(typename op<Spec, zrem>::fixture& f, std::uint64_t seed)
        : op<Spec, zrem>(f), from_(stream_offset(seed, this->n_)) {}
    std::size_t batch() const { return std::clamp<std::size_t>(this->n_ / 8, 1, 256); }
    std::uint64_t run(std::size_t count) {
        auto& z = this->a_;
        const auto& keys = this->d_.present;
        std::size_t removed = 0;
        for (std::size_t i = 0, j = from_; i < count; ++i, j = j + 1 == keys.size() ? 0 : j + 1) {
            removed += z.remove(keys[j].second);
            benchmark::DoNotOptimize(removed);
        }
        last_ = count;
        if (removed != count) this->fail("ZREM: a present member was not removed");
        return removed;
    }
    void restore() {
        const auto& keys = this->d_.present;
        for (std::size_t i = 0; i < last_; ++i, from_ = from_ + 1 == keys.size() ? 0 : from_ + 1) {
            this->a_.add(keys[from_].second, keys[from_].first);
        }
        last_ = 0;
    }

private:
    std::size_t from_;
    std::size_t last_ = 0;
};

template <class Spec>
struct register_ops {
    static void apply(std::size_t n) {
        register_benchmark<Spec, zscore>(n);
        if (!linear<Spec> || n <= options().linear_cap) {
            register_benchmark<Spec, zrank>(n, linear<Spec> ? "O(n): std::set index walks to the member" : nullptr);
            register_benchmark<Spec, zrange>(n, linear<Spec> ? "O(n): std::set index walks to the start" : nullptr);
        }
        register_benchmark<Spec, zrangebyscore>(n);
        register_benchmark<Spec, zadd>(n);
        register_benchmark<Spec, zrem>(n);
    }
};

}  // namespace bptree_bench::zset

BPTREE_BENCH_ADAPTOR(20, bptree_bench::zset::family, bptree_bench::zset::register_ops, bptree_bench::zset::backend_std,
                     bptree_bench::zset::backend_bptree)

#endif  // __has_include("bptree/sorted_set.hpp")
