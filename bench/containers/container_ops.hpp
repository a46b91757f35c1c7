// Container benchmarks: one class template per operation (abseil btree_benchmark.cc's shape),
// instantiated over every container (bptree, std, absl, pbds), kind (set, map) and key type
// (int64, score_member) by register_container_family.
//
// Every operation is measured in the steady state at size n: the fixture holds n entries built
// by random inserts, and operations that change it undo their changes untimed after each batch.
//
//   operation            one "op" is                                         batch
//   find_hit             find(k), k present (random)                         256
//   find_miss            find(k), k absent, between present keys             256
//   find_batched         one key of find_many(256 keys) (others: find loop)  256
//   lower_bound_scan100  lower_bound(k) then read the next 100 entries       64
//   iterate_forward      one ++it and a read (whole container, wrapping)     256
//   iterate_backward     one --it and a read                                 256
//   front_back           read the first and the last entry                   256
//   rank                 rank(k) (std: distance(begin, lower_bound(k)))      256 (std: 1-4)
//   nth                  nth(i)  (std: next(begin, i))                       256 (std: 1-4)
//   insert_random        insert(k), k absent and random                      n/8, max 256
//   insert_sequential    insert(k), k ascending above every key (append)     n/8, max 256
//   insert_reverse       insert(k), k descending below every key (prepend)   n/8, max 256
//   erase_random         erase(k), k present and random                      n/8, max 256
//   pop_front            pop_front() (others: erase(begin()))                n/8, max 256
//   range_erase          erase(lower_bound(a), lower_bound(b)), per entry    n/8, max 8192
//   mixed                50% find, 25% insert, 25% erase, random order       n/8, max 256
//   bulk_load            build from a sorted range, per entry                n
//
// std's rank and nth are O(n) and only run up to options().linear_cap entries (labelled).
#ifndef BPTREE_BENCH_CONTAINERS_CONTAINER_OPS_HPP
#define BPTREE_BENCH_CONTAINERS_CONTAINER_OPS_HPP

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/containers.hpp"
#include "support/counting_allocator.hpp"
#include "support/harness.hpp"
#include "support/heap.hpp"
#include "support/keys.hpp"

namespace bptree_bench {

template <class C, class = void>
struct has_verify : std::false_type {};
template <class C>
struct has_verify<C, std::void_t<decltype(std::declval<const C&>().verify())>> : std::true_type {};

// ------------------------------------------------------------------------------ fixture
template <class Spec>
struct container_fixture {
    using container = typename Spec::container;
    using key_type = typename Spec::key_type;
    // What bulk_load reads: keys for sets, (key, mapped) pairs for maps; sorted by key.
    using bulk_value = std::conditional_t<Spec::is_map, std::pair<key_type, std::int64_t>, key_type>;

    std::shared_ptr<const key_data<key_type>> data;
    std::unique_ptr<container> c;
    double bytes_per_entry = -1;
    double allocs_per_entry = -1;
    double heap_bytes_per_entry = -1;
    bool dirty = false;  // never set: every container operation restores the contents exactly

    explicit container_fixture(std::size_t n) : data(key_data_for<key_type>(n)) { reset(); }

    // Builds the container by inserting the n keys in random order.
    void reset() {
        c.reset();
        const std::size_t n = data->n;
        const allocation_probe probe;
        const heap_probe heap;
        c = std::make_unique<container>();
        for (const key_type& k : data->present) c->insert(Spec::make_value(k));
        bytes_per_entry = probe.bytes() / static_cast<double>(n);
        allocs_per_entry = probe.blocks() / static_cast<double>(n);
        heap_bytes_per_entry = heap.bytes() < 0 ? -1 : heap.bytes() / static_cast<double>(n);
        if (c->size() != n) throw std::logic_error("bench: the fixture did not get n distinct keys");
    }

    // The container holds the n keys it was built with (size and both ends).
    bool intact(std::size_t n) const {
        if (c->size() != n || n == 0) return c->size() == n;
        const auto& sorted = data->sorted;
        return Spec::key_of(Spec::impl::front(*c)) == sorted.front() &&
               Spec::key_of(Spec::impl::back(*c)) == sorted.back();
    }

    // bptree containers must pass their own invariant checker.
    bool verify(std::string& error) const {
        if constexpr (has_verify<container>::value) {
            try {
                c->verify();
            } catch (const std::exception& e) {
                error = e.what();
                return false;
            }
        }
        return true;
    }

    const std::vector<bulk_value>& bulk_input() {
        if constexpr (Spec::is_map) {
            if (bulk_.empty()) {
                bulk_.reserve(data->sorted.size());
                for (const key_type& k : data->sorted) bulk_.emplace_back(k, mapped_for(k));
            }
            return bulk_;
        } else {
            return data->sorted;
        }
    }

private:
    std::vector<bulk_value> bulk_;
};

namespace ops {

inline std::size_t mutation_batch(std::size_t n) { return std::clamp<std::size_t>(n / 8, 1, 256); }
inline std::size_t wrap(std::size_t i, std::size_t size) { return i + 1 == size ? 0 : i + 1; }

// Members every container operation uses. Derived: the operation, for the check plan defaults.
template <class Spec, class Derived>
class container_op : public op_base {
public:
    using fixture = container_fixture<Spec>;
    using container = typename Spec::container;
    using key_type = typename Spec::key_type;
    using impl = typename Spec::impl;

    // The check pass runs check_rounds() batches of check_count() operations; both must depend
    // only on n (never on the implementation), so every container sees the same inputs.
    std::size_t check_count() const { return static_cast<const Derived*>(this)->batch(); }
    std::size_t check_rounds() const { return options().check_batches; }
    // Every container operation undoes its changes exactly (see harness.hpp, make_pristine).
    static constexpr bool restores = true;

protected:
    explicit container_op(fixture& f) : f_(f), c_(*f.c), d_(*f.data), n_(f.data->n) {}

    static std::uint64_t fp(const typename Spec::value_type& v) noexcept { return Spec::fingerprint(v); }

    fixture& f_;
    container& c_;
    const key_data<key_type>& d_;
    std::size_t n_;
};

// ---------------------------------------------------------------- lookups (read only)
template <class Spec>
class find_hit : public container_op<Spec, find_hit<Spec>> {
    using base = container_op<Spec, find_hit<Spec>>;

public:
    static constexpr op_info info{"find_hit", 16, true};
    find_hit(typename base::fixture& f, std::uint64_t seed)
        : base(f), pos_(stream_offset(seed, this->d_.hit_stream.size())) {}
    std::size_t batch() const { return 256; }
    std::uint64_t run(std::size_t count) {
        const auto& c = this->c_;
        const auto& probes = this->d_.hit_stream;
        std::size_t pos = pos_, hits = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const auto it = c.find(probes[pos]);
            pos = ops::wrap(pos, probes.size());
            if (it != c.end()) {
                ++hits;
                sum += this->fp(*it);
            }
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        if (hits != count) this->fail("find_hit: a present key was not found");
        return sum;
    }
    void restore() {}

private:
    std::size_t pos_;
};

// find over a batch of keys: bptree's find_many interleaves the descents of a group of keys
// with prefetches, so at sizes beyond the cache the misses overlap; the peers loop find.
template <class Spec>
class find_batched : public container_op<Spec, find_batched<Spec>> {
    using base = container_op<Spec, find_batched<Spec>>;
    using const_iterator = typename base::container::const_iterator;

public:
    static constexpr std::size_t group = 256;  // keys per find_many call
    static constexpr op_info info{"find_batched", 0, false};
    find_batched(typename base::fixture& f, std::uint64_t seed)
        : base(f), pos_(stream_offset(seed, this->d_.hit_stream.size())), found_(group) {}
    std::size_t batch() const { return group; }
    std::uint64_t run(std::size_t count) {
        const auto& c = this->c_;
        const auto& probes = this->d_.hit_stream;
        std::uint64_t sum = 0;
        while (count != 0) {
            const std::size_t take = std::min({count, group, probes.size() - pos_});
            const auto first = probes.begin() + static_cast<std::ptrdiff_t>(pos_);
            base::impl::find_batch(c, first, first + static_cast<std::ptrdiff_t>(take), found_.begin());
            for (std::size_t i = 0; i < take; ++i) {
                if (found_[i] == c.end()) this->fail("find_batched: a present key was not found");
                sum += this->fp(*found_[i]);
            }
            benchmark::DoNotOptimize(sum);
            pos_ = (pos_ + take) % probes.size();
            count -= take;
        }
        return sum;
    }
    void restore() {}

private:
    std::size_t pos_;
    std::vector<const_iterator> found_;
};

template <class Spec>
class find_miss : public container_op<Spec, find_miss<Spec>> {
    using base = container_op<Spec, find_miss<Spec>>;

public:
    static constexpr op_info info{"find_miss", 16, false};
    find_miss(typename base::fixture& f, std::uint64_t seed)
        : base(f), pos_(stream_offset(seed, this->d_.miss_stream.size())) {}
    std::size_t batch() const { return 256; }
    std::uint64_t run(std::size_t count) {
        const auto& c = this->c_;
        const auto& probes = this->d_.miss_stream;
        std::size_t pos = pos_;
        std::uint64_t misses = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const auto it = c.find(probes[pos]);
            pos = ops::wrap(pos, probes.size());
            misses += it == c.end();
            benchmark::DoNotOptimize(misses);
        }
        pos_ = pos;
        if (misses != count) this->fail("find_miss: an absent key was found");
        return misses;
    }
    void restore() {}

private:
    std::size_t pos_;
};

template <class Spec>
class lower_bound_scan : public container_op<Spec, lower_bound_scan<Spec>> {
    using base = container_op<Spec, lower_bound_scan<Spec>>;

public:
    static constexpr std::size_t scan = 100;
    static constexpr op_info info{"lower_bound_scan100", 4, false};
    lower_bound_scan(typename base::fixture& f, std::uint64_t seed)
        : base(f), pos_(stream_offset(seed, this->d_.miss_stream.size())) {}
    std::size_t batch() const { return 64; }
    std::uint64_t run(std::size_t count) {
        const auto& c = this->c_;
        const auto& probes = this->d_.miss_stream;
        std::size_t pos = pos_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            auto it = c.lower_bound(probes[pos]);
            pos = ops::wrap(pos, probes.size());
            const auto end = c.end();
            for (std::size_t j = 0; j < scan && it != end; ++j, ++it) sum += this->fp(*it);
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
class iterate_forward : public container_op<Spec, iterate_forward<Spec>> {
    using base = container_op<Spec, iterate_forward<Spec>>;

public:
    static constexpr op_info info{"iterate_forward", 64, false};
    iterate_forward(typename base::fixture& f, std::uint64_t) : base(f), it_(std::as_const(this->c_).begin()) {}
    std::size_t batch() const { return 256; }
    std::uint64_t run(std::size_t count) {
        const auto& c = this->c_;
        auto it = it_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (it == c.end()) it = c.begin();
            sum += this->fp(*it) * (i + 1);
            ++it;
            benchmark::DoNotOptimize(sum);
        }
        it_ = it;
        return sum;
    }
    void restore() {}

private:
    typename base::container::const_iterator it_;
};

template <class Spec>
class iterate_backward : public container_op<Spec, iterate_backward<Spec>> {
    using base = container_op<Spec, iterate_backward<Spec>>;

public:
    static constexpr op_info info{"iterate_backward", 64, false};
    iterate_backward(typename base::fixture& f, std::uint64_t) : base(f), it_(std::as_const(this->c_).end()) {}
    std::size_t batch() const { return 256; }
    std::uint64_t run(std::size_t count) {
        const auto& c = this->c_;
        auto it = it_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (it == c.begin()) it = c.end();
            --it;
            sum += this->fp(*it) * (i + 1);
            benchmark::DoNotOptimize(sum);
        }
        it_ = it;
        return sum;
    }
    void restore() {}

private:
    typename base::container::const_iterator it_;
};

template <class Spec>
class front_back : public container_op<Spec, front_back<Spec>> {
    using base = container_op<Spec, front_back<Spec>>;

public:
    static constexpr op_info info{"front_back", 64, false};
    front_back(typename base::fixture& f, std::uint64_t) : base(f) {}
    std::size_t batch() const { return 256; }
    std::uint64_t run(std::size_t count) {
        const auto& c = this->c_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            sum += this->fp(base::impl::front(c)) + 3 * this->fp(base::impl::back(c));
            benchmark::DoNotOptimize(sum);
        }
        return sum;
    }
    void restore() {}
};

// ---------------------------------------------------------------- order statistics
// rank and nth: batches sized for the implementation's order statistics (O(n) for std), the same
// check plan for every implementation, and a position in the probe stream kept from run to run.
// Derived provides run_impl<Check>(count).
template <class Spec, class Derived>
class order_stats_op : public container_op<Spec, Derived> {
    using base = container_op<Spec, Derived>;

public:
    std::size_t batch() const {
        return positional_batch(Spec::impl::rank_support == order_stats::linear, this->n_, 256);
    }
    std::size_t check_count() const { return positional_check_count(this->n_); }
    std::size_t check_rounds() const { return positional_check_rounds(this->n_); }
    static bool compare_with_reference(std::size_t n) { return n <= options().linear_cap; }
    std::uint64_t run(std::size_t count) {
        auto& self = static_cast<Derived&>(*this);
        return this->checking() ? self.template run_impl<true>(count) : self.template run_impl<false>(count);
    }
    void restore() {}

protected:
    // No latency for O(n) peers: a few samples of milliseconds each say nothing p99 could.
    static constexpr std::size_t latency_batch = Spec::impl::rank_support == order_stats::linear ? 0 : 16;

    order_stats_op(typename base::fixture& f, std::size_t stream_size, std::uint64_t seed)
        : base(f), pos_(stream_offset(seed, stream_size)) {}

    std::size_t pos_;
};

template <class Spec>
class rank : public order_stats_op<Spec, rank<Spec>> {
    using base = order_stats_op<Spec, rank<Spec>>;
    friend base;

public:
    static constexpr op_info info{"rank", base::latency_batch, true};
    rank(typename base::fixture& f, std::uint64_t seed) : base(f, f.data->hit_stream.size(), seed) {}

private:
    // Check: every answer must equal the position std::lower_bound finds in the sorted keys.
    template <bool Check>
    std::uint64_t run_impl(std::size_t count) {
        const auto& c = this->c_;
        const auto& probes = this->d_.hit_stream;
        const auto& sorted = this->d_.sorted;
        std::size_t pos = this->pos_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t r = base::impl::rank(c, probes[pos]);
            if constexpr (Check) {
                const auto want = std::lower_bound(sorted.begin(), sorted.end(), probes[pos]) - sorted.begin();
                if (r != static_cast<std::size_t>(want)) this->fail("rank: wrong position");
            }
            sum += r * (i + 1);
            pos = ops::wrap(pos, probes.size());
            benchmark::DoNotOptimize(sum);
        }
        this->pos_ = pos;
        return sum;
    }
};

template <class Spec>
class nth : public order_stats_op<Spec, nth<Spec>> {
    using base = order_stats_op<Spec, nth<Spec>>;
    friend base;

public:
    static constexpr op_info info{"nth", base::latency_batch, true};
    nth(typename base::fixture& f, std::uint64_t seed) : base(f, f.data->index_stream.size(), seed) {}

private:
    // Check: every answer must be the i-th of the sorted keys.
    template <bool Check>
    std::uint64_t run_impl(std::size_t count) {
        const auto& c = this->c_;
        const auto& index = this->d_.index_stream;
        std::size_t pos = this->pos_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const auto& v = *base::impl::nth(c, index[pos]);
            if constexpr (Check) {
                if (!(Spec::key_of(v) == this->d_.sorted[index[pos]])) this->fail("nth: wrong entry");
            }
            sum += this->fp(v) * (i + 1);
            pos = ops::wrap(pos, index.size());
            benchmark::DoNotOptimize(sum);
        }
        this->pos_ = pos;
        return sum;
    }
};

// ---------------------------------------------------------------- updates (restored untimed)
// Inserts `count` keys taken from `keys` starting at `from` (wrapping); restore erases them.
template <class Spec, class Derived>
class insert_op : public container_op<Spec, Derived> {
    using base = container_op<Spec, Derived>;

public:
    std::size_t batch() const { return mutation_batch(this->n_); }
    void restore() {
        for (std::size_t i = 0, j = from_; i < last_; ++i, j = ops::wrap(j, keys_->size())) {
            this->c_.erase((*keys_)[j]);
        }
        if (advance_) from_ = (from_ + last_) % keys_->size();
        last_ = 0;
    }
    std::uint64_t run(std::size_t count) {
        auto& c = this->c_;
        const auto& keys = *keys_;
        std::size_t inserted = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0, j = from_; i < count; ++i, j = ops::wrap(j, keys.size())) {
            const auto r = c.insert(Spec::make_value(keys[j]));
            inserted += r.second;
            sum += this->fp(*r.first) * (i + 1);
            benchmark::DoNotOptimize(sum);
        }
        last_ = count;
        if (inserted != count) this->fail("insert: a new key was not inserted");
        return sum;
    }

protected:
    insert_op(typename base::fixture& f, const std::vector<typename base::key_type>& keys, std::size_t from,
              bool advance)
        : base(f), keys_(&keys), from_(from), advance_(advance) {}

private:
    const std::vector<typename base::key_type>* keys_;
    std::size_t from_;
    bool advance_;
    std::size_t last_ = 0;
};

template <class Spec>
class insert_random : public insert_op<Spec, insert_random<Spec>> {
public:
    static constexpr op_info info{"insert_random", 16, true};
    insert_random(container_fixture<Spec>& f, std::uint64_t seed)
        : insert_op<Spec, insert_random<Spec>>(f, f.data->absent, stream_offset(seed, f.data->absent.size()), true) {}
};

template <class Spec>
class insert_sequential : public insert_op<Spec, insert_sequential<Spec>> {
public:
    static constexpr op_info info{"insert_sequential", 16, false, 0.25};
    insert_sequential(container_fixture<Spec>& f, std::uint64_t)
        : insert_op<Spec, insert_sequential<Spec>>(f, f.data->above, 0, false) {}
};

template <class Spec>
class insert_reverse : public insert_op<Spec, insert_reverse<Spec>> {
public:
    static constexpr op_info info{"insert_reverse", 16, false, 0.5};
    insert_reverse(container_fixture<Spec>& f, std::uint64_t)
        : insert_op<Spec, insert_reverse<Spec>>(f, f.data->below, 0, false) {}
};

template <class Spec>
class erase_random : public container_op<Spec, erase_random<Spec>> {
    using base = container_op<Spec, erase_random<Spec>>;

public:
    static constexpr op_info info{"erase_random", 16, true};
    erase_random(typename base::fixture& f, std::uint64_t seed)
        : base(f), from_(stream_offset(seed, this->n_)) {}
    std::size_t batch() const { return mutation_batch(this->n_); }
    std::uint64_t run(std::size_t count) {
        auto& c = this->c_;
        const auto& keys = this->d_.present;
        std::uint64_t erased = 0;
        for (std::size_t i = 0, j = from_; i < count; ++i, j = ops::wrap(j, keys.size())) {
            erased += c.erase(keys[j]);
            benchmark::DoNotOptimize(erased);
        }
        last_ = count;
        if (erased != count) this->fail("erase_random: a present key was not erased");
        return erased;
    }
    void restore() {
        const auto& keys = this->d_.present;
        for (std::size_t i = 0, j = from_; i < last_; ++i, j = ops::wrap(j, keys.size())) {
            this->c_.insert(Spec::make_value(keys[j]));
        }
        from_ = (from_ + last_) % keys.size();
        last_ = 0;
    }

private:
    std::size_t from_;
    std::size_t last_ = 0;
};

template <class Spec>
class pop_front : public container_op<Spec, pop_front<Spec>> {
    using base = container_op<Spec, pop_front<Spec>>;

public:
    static constexpr op_info info{"pop_front", 16, false, 0.25};
    pop_front(typename base::fixture& f, std::uint64_t) : base(f) {}
    std::size_t batch() const { return mutation_batch(this->n_); }
    std::uint64_t run(std::size_t count) {
        auto& c = this->c_;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            sum += this->fp(base::impl::front(c)) * (i + 1);
            base::impl::pop_front(c);
            benchmark::DoNotOptimize(sum);
        }
        last_ = count;
        return sum;
    }
    void restore() {
        // The popped entries are always the smallest keys, because every batch starts intact.
        for (std::size_t i = 0; i < last_; ++i) this->c_.insert(Spec::make_value(this->d_.sorted[i]));
        last_ = 0;
    }

private:
    std::size_t last_ = 0;
};

template <class Spec>
class range_erase : public container_op<Spec, range_erase<Spec>> {
    using base = container_op<Spec, range_erase<Spec>>;

public:
    static constexpr op_info info{"range_erase", 0, false, 0.1};
    range_erase(typename base::fixture& f, std::uint64_t seed) : base(f), rng_(seed) {}
    std::size_t batch() const { return std::clamp<std::size_t>(this->n_ / 8, 1, 8192); }
    // One range of `count` consecutive entries at a random position; ns/op is per erased entry.
    std::uint64_t run(std::size_t count) {
        auto& c = this->c_;
        const auto& sorted = this->d_.sorted;
        start_ = pick(rng_, this->n_ - count + 1);
        const std::size_t stop = start_ + count;
        const auto key_of = [](const typename Spec::value_type& v) -> const typename base::key_type& {
            return Spec::key_of(v);
        };
        const std::size_t erased =
            base::impl::range_erase(c, sorted[start_], stop < sorted.size() ? &sorted[stop] : nullptr, key_of);
        benchmark::DoNotOptimize(erased);
        last_ = count;
        if (erased != count) this->fail("range_erase: the range did not hold the expected entries");
        return erased * 1000003u + c.size();
    }
    void restore() {
        const auto& sorted = this->d_.sorted;
        for (std::size_t i = start_; i < start_ + last_; ++i) this->c_.insert(Spec::make_value(sorted[i]));
        last_ = 0;
    }

private:
    std::mt19937_64 rng_;
    std::size_t start_ = 0;
    std::size_t last_ = 0;
};

// Steady-state mix: in every 4 operations, 2 finds (random present keys), 1 insert of a new key,
// 1 erase of a present key, in a random order; the size stays within n +- batch/4.
template <class Spec>
class mixed : public container_op<Spec, mixed<Spec>> {
    using base = container_op<Spec, mixed<Spec>>;
    enum : std::uint8_t { find_op, insert_op_code, erase_op };

public:
    static constexpr op_info info{"mixed", 16, true};
    mixed(typename base::fixture& f, std::uint64_t seed)
        : base(f),
          code_pos_(stream_offset(seed, codes().size() / 4) * 4),
          find_pos_(stream_offset(seed + 1, this->d_.hit_stream.size())),
          insert_from_(stream_offset(seed + 2, this->d_.absent.size())),
          erase_from_(stream_offset(seed + 3, this->n_)) {}
    std::size_t batch() const { return std::max<std::size_t>(4, mutation_batch(this->n_) / 4 * 4); }
    std::uint64_t run(std::size_t count) {
        auto& c = this->c_;
        const auto& code = codes();
        const auto& probes = this->d_.hit_stream;
        const auto& absent = this->d_.absent;
        const auto& present = this->d_.present;
        std::size_t cp = code_pos_, fp_pos = find_pos_, ins = 0, era = 0;
        std::size_t ins_pos = insert_from_, era_pos = erase_from_;
        bool ok = true;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            switch (code[cp]) {
                case find_op: {
                    const auto it = std::as_const(c).find(probes[fp_pos]);
                    fp_pos = ops::wrap(fp_pos, probes.size());
                    sum += it != std::as_const(c).end() ? this->fp(*it) : 1u;
                    break;
                }
                case insert_op_code: {
                    const auto r = c.insert(Spec::make_value(absent[ins_pos]));
                    ins_pos = ops::wrap(ins_pos, absent.size());
                    ++ins;
                    ok &= r.second;
                    sum += this->fp(*r.first);
                    break;
                }
                default: {
                    ok &= c.erase(present[era_pos]) == 1;
                    era_pos = ops::wrap(era_pos, present.size());
                    ++era;
                    break;
                }
            }
            cp = ops::wrap(cp, code.size());
            benchmark::DoNotOptimize(sum);
        }
        code_pos_ = cp;
        find_pos_ = fp_pos;
        last_inserts_ = ins;
        last_erases_ = era;
        if (!ok) this->fail("mixed: an insert or an erase did not take effect");
        return sum;
    }
    void restore() {
        auto& c = this->c_;
        const auto& absent = this->d_.absent;
        const auto& present = this->d_.present;
        for (std::size_t i = 0; i < last_inserts_; ++i) {
            c.erase(absent[insert_from_]);
            insert_from_ = ops::wrap(insert_from_, absent.size());
        }
        for (std::size_t i = 0; i < last_erases_; ++i) {
            c.insert(Spec::make_value(present[erase_from_]));
            erase_from_ = ops::wrap(erase_from_, present.size());
        }
        last_inserts_ = last_erases_ = 0;
    }

private:
    // 2^16 operation codes: random permutations of {find, find, insert, erase}.
    static const std::vector<std::uint8_t>& codes() {
        static const std::vector<std::uint8_t> all = [] {
            std::vector<std::uint8_t> v;
            std::mt19937_64 rng(0x313ed);
            for (std::size_t q = 0; q < (std::size_t{1} << 14); ++q) {
                std::uint8_t quad[4] = {find_op, find_op, insert_op_code, erase_op};
                std::shuffle(quad, quad + 4, rng);
                v.insert(v.end(), quad, quad + 4);
            }
            return v;
        }();
        return all;
    }

    std::size_t code_pos_, find_pos_, insert_from_, erase_from_;
    std::size_t last_inserts_ = 0, last_erases_ = 0;
};

// Builds a container of n entries from a sorted range (bptree: the sorted_unique constructor;
// std, absl, pbds: the range constructor). Timed: the construction only; the destruction is not.
template <class Spec>
class bulk_load : public container_op<Spec, bulk_load<Spec>> {
    using base = container_op<Spec, bulk_load<Spec>>;

public:
    static constexpr op_info info{"bulk_load", 0, false};
    bulk_load(typename base::fixture& f, std::uint64_t) : base(f), input_(&f.bulk_input()) {}
    std::size_t batch() const { return this->n_; }
    std::size_t check_rounds() const { return 1; }
    std::uint64_t run(std::size_t) {
        const allocation_probe probe;
        built_ = base::impl::template bulk_load<typename base::container>(input_->begin(), input_->end());
        const auto& c = *built_;
        bytes_ = probe.bytes() / static_cast<double>(this->n_);
        allocs_ = probe.blocks() / static_cast<double>(this->n_);
        std::uint64_t sum = c.size();
        if (!c.empty()) sum += this->fp(base::impl::front(c)) + 3 * this->fp(base::impl::back(c));
        benchmark::DoNotOptimize(sum);
        return sum;
    }
    // Check pass: every entry, in order.
    std::uint64_t digest() const {
        std::uint64_t h = 0;
        for (const auto& v : *built_) h = mix64(h ^ this->fp(v));
        return h;
    }
    void restore() { built_.reset(); }
    double bytes_per_entry() const noexcept { return bytes_; }
    double allocs_per_entry() const noexcept { return allocs_; }

private:
    const std::vector<typename base::fixture::bulk_value>* input_;
    std::unique_ptr<typename base::container> built_;
    double bytes_ = -1, allocs_ = -1;
};

}  // namespace ops

// ------------------------------------------------------------------------------ registration
// Operation Op for one implementation, labelled where it differs from the others, or nothing
// when the implementation lacks it (std's O(n) rank and nth beyond the linear cap).
template <class Spec, template <class> class Op>
void register_container_op(std::size_t n) {
    using impl = typename Spec::impl;
    constexpr bool order_stats_op = std::is_same_v<Op<Spec>, ops::rank<Spec>> || std::is_same_v<Op<Spec>, ops::nth<Spec>>;
    if constexpr (order_stats_op && impl::rank_support == order_stats::linear) {
        if (n > options().linear_cap) return;
        constexpr bool is_rank = std::is_same_v<Op<Spec>, ops::rank<Spec>>;
        register_benchmark<Spec, Op>(n, is_rank ? "O(n): std::distance(begin, lower_bound(k))" : "O(n): std::next(begin, i)");
    } else if constexpr (order_stats_op && impl::rank_support == order_stats::none) {
        return;
    } else if constexpr (std::is_same_v<Op<Spec>, ops::find_batched<Spec>>) {
        register_benchmark<Spec, Op>(n, impl::batched_find ? "" : "a find loop");
#if defined(BPTREE_BENCH_HAVE_PBDS)
    } else if constexpr (std::is_same_v<Op<Spec>, ops::range_erase<Spec>> && std::is_same_v<impl, impl_pbds>) {
        register_benchmark<Spec, Op>(n, "no range erase: erase(it) one by one");
#endif
    } else {
        register_benchmark<Spec, Op>(n);
    }
}

// Operation Op for every implementation in turn, std first: its medians are known when the
// others run (vs_std) and its checksums are the reference.
template <class Kind, class Key, template <class> class Op>
void register_for_each_impl(std::size_t n) {
    register_container_op<container_spec<impl_std, Kind, Key>, Op>(n);
    register_container_op<container_spec<impl_bptree, Kind, Key>, Op>(n);
#if defined(BPTREE_BENCH_HAVE_ABSL)
    register_container_op<container_spec<impl_absl, Kind, Key>, Op>(n);
#endif
#if defined(BPTREE_BENCH_HAVE_PBDS)
    register_container_op<container_spec<impl_pbds, Kind, Key>, Op>(n);
#endif
}

// All containers of one kind and key type at size n, operation by operation (each operation
// runs for every implementation back to back, so machine drift hardly enters their ratios).
template <class Kind, class Key>
void register_container_family(std::size_t n) {
    register_for_each_impl<Kind, Key, ops::find_hit>(n);
    register_for_each_impl<Kind, Key, ops::find_miss>(n);
    register_for_each_impl<Kind, Key, ops::find_batched>(n);
    register_for_each_impl<Kind, Key, ops::lower_bound_scan>(n);
    register_for_each_impl<Kind, Key, ops::iterate_forward>(n);
    register_for_each_impl<Kind, Key, ops::iterate_backward>(n);
    register_for_each_impl<Kind, Key, ops::front_back>(n);
    register_for_each_impl<Kind, Key, ops::rank>(n);
    register_for_each_impl<Kind, Key, ops::nth>(n);
    register_for_each_impl<Kind, Key, ops::insert_random>(n);
    register_for_each_impl<Kind, Key, ops::insert_sequential>(n);
    register_for_each_impl<Kind, Key, ops::insert_reverse>(n);
    register_for_each_impl<Kind, Key, ops::erase_random>(n);
    register_for_each_impl<Kind, Key, ops::pop_front>(n);
    register_for_each_impl<Kind, Key, ops::range_erase>(n);
    register_for_each_impl<Kind, Key, ops::mixed>(n);
    register_for_each_impl<Kind, Key, ops::bulk_load>(n);
}

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_CONTAINERS_CONTAINER_OPS_HPP
