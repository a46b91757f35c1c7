// Adaptor benchmarks: bptree::stream (Redis stream) on bptree::map (stream_bptree_map) against the
// same adaptor on std::map (stream_std_map). Entry i has ID (1700000000000 + i/4)-(i%4) and two
// fields, sensor and value (short strings, field names shared as in Redis's master entries).
//
//   command   one op is                                                        batch
//   XRANGE    visit_range(id, +, COUNT 10) from a random live ID: 10 entries    64
//   XADD      add(next ID, 2 fields)                                           n/8, max 256
//   XTRIM     trim(MAXLEN = size - k): per entry removed (exact trim)          n/8, max 256
//   XDEL      erase(id) of a random ID in the live window                      n/8, max 256
// Stream IDs only grow, so XADD, XTRIM and XDEL cannot be undone exactly: after a batch they keep
// the length at n untimed (XADD trims the oldest, XTRIM and XDEL append new entries), and the
// fixture is rebuilt before the next check pass (restores = false).
#if __has_include("bptree/stream.hpp")

#include "bptree/stream.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adaptors/adaptor_family.hpp"
#include "support/keys.hpp"

namespace bptree_bench::xstream {

struct backend_std {
    static constexpr const char* name = "std";
    using map = bptree::stream_std_map;
};
struct backend_bptree {
    static constexpr const char* name = "bptree";
    using map = bptree::stream_bptree_map<>;
};

constexpr std::uint64_t base_ms = 1700000000000ULL;

inline bptree::stream_id id_of(std::uint64_t i) { return {base_ms + i / 4, i % 4}; }
inline std::uint64_t number_of(const bptree::stream_id& id) { return (id.ms - base_ms) * 4 + id.seq; }

struct data {
    std::size_t n;
    std::vector<std::string> sensors;
    std::vector<std::string> values;
    std::vector<std::uint32_t> picks;  // random numbers for choosing entries

    explicit data(std::size_t size) : n(size) {
        for (int s = 0; s < 16; ++s) sensors.push_back("sensor-" + std::to_string(s));
        std::mt19937_64 rng(0x57ea3);
        for (int v = 0; v < 1024; ++v) values.push_back(std::to_string(rng() % 1000000));
        picks.reserve(std::size_t{1} << 20);
        for (std::size_t i = 0; i < (std::size_t{1} << 20); ++i) picks.push_back(static_cast<std::uint32_t>(rng()));
    }
    std::array<std::pair<std::string_view, std::string_view>, 2> fields(std::uint64_t i) const {
        return {{{"sensor", sensors[i % sensors.size()]}, {"value", values[(i * 7) % values.size()]}}};
    }
};

struct family {
    static constexpr const char* name = "stream";
    template <class Backend>
    using adaptor = bptree::stream<typename Backend::map>;
    using std_backend = backend_std;
    using data = xstream::data;
    static std::shared_ptr<const data> load(std::size_t n) { return cached_data<data>(n); }
    template <class A>
    static void build(A& a, const data& d) {
        for (std::uint64_t i = 0; i < d.n; ++i) a.add(id_of(i), d.fields(i));
    }
};

template <class Spec, class Derived>
using op = adaptor_op<Spec, Derived>;

inline std::size_t mutation_batch(std::size_t n) { return std::clamp<std::size_t>(n / 8, 1, 256); }

// Appends `count` entries after the last ID.
template <class A>
void append(A& a, const data& d, std::size_t count) {
    const std::uint64_t next = number_of(a.last_id()) + 1;
    for (std::uint64_t k = 0; k < count; ++k) a.add(id_of(next + k), d.fields(next + k));
}

template <class Spec>
class xrange : public op<Spec, xrange<Spec>> {
public:
    static constexpr std::size_t count_limit = 10;
    static constexpr op_info info{"XRANGE", 4, true};
    xrange(typename op<Spec, xrange>::fixture& f, std::uint64_t seed)
        : op<Spec, xrange>(f), pos_(stream_offset(seed, this->d_.picks.size())) {}
    std::size_t batch() const { return 64; }
    std::uint64_t run(std::size_t count) {
        const auto& s = this->a_;
        const auto& picks = this->d_.picks;
        const std::uint64_t first = number_of(s.first_id());
        const std::uint64_t span = number_of(s.last_id()) + 1 - first;
        std::size_t pos = pos_, entries = 0;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const bptree::stream_id from = id_of(first + picks[pos] % span);
            entries += s.visit_range(from, bptree::stream_id::max(), count_limit, false, [&](const auto& e) {
                sum += e.first.ms * 4 + e.first.seq;
                for (const auto& field : e.second) sum += field.second.size() + static_cast<unsigned char>(field.second[0]);
            });
            pos = pos + 1 == picks.size() ? 0 : pos + 1;
            benchmark::DoNotOptimize(sum);
        }
        pos_ = pos;
        if (entries == 0) this->fail("XRANGE: no entries read");
        return sum + entries;
    }
    void restore() {}

private:
    std::size_t pos_;
};

template <class Spec>
class xadd : public op<Spec, xadd<Spec>> {
public:
    static constexpr bool restores = false;
    static constexpr op_info info{"XADD", 16, true};
    xadd(typename op<Spec, xadd>::fixture& f, std::uint64_t) : op<Spec, xadd>(f) {}
    std::size_t batch() const { return mutation_batch(this->n_); }
    std::uint64_t run(std::size_t count) {
        auto& s = this->a_;
        const std::uint64_t next = number_of(s.last_id()) + 1;
        std::uint64_t sum = 0;
        for (std::uint64_t k = 0; k < count; ++k) {
            const bptree::stream_id id = s.add(id_of(next + k), this->d_.fields(next + k));
            sum += (id.ms - base_ms) * 4 + id.seq;
            benchmark::DoNotOptimize(sum);
        }
        if (s.size() != this->n_ + count) this->fail("XADD: an entry was not added");
        return sum;
    }
    void restore() { this->a_.trim(bptree::stream_trim::max_length(this->n_)); }
};

template <class Spec>
class xtrim : public op<Spec, xtrim<Spec>> {
public:
    static constexpr bool restores = false;
    static constexpr op_info info{"XTRIM", 0, false, 0.25};
    xtrim(typename op<Spec, xtrim>::fixture& f, std::uint64_t) : op<Spec, xtrim>(f) {}
    std::size_t batch() const { return mutation_batch(this->n_); }
    // One XTRIM MAXLEN = (length - count): the `count` oldest entries go; ns/op is per entry.
    std::uint64_t run(std::size_t count) {
        auto& s = this->a_;
        const std::size_t removed = s.trim(bptree::stream_trim::max_length(s.size() - count));
        benchmark::DoNotOptimize(removed);
        last_ = count;
        if (removed != count) this->fail("XTRIM: removed a different number of entries");
        return removed * 1000003u + number_of(s.first_id());
    }
    void restore() {
        append(this->a_, this->d_, last_);
        last_ = 0;
    }

private:
    std::size_t last_ = 0;
};

template <class Spec>
class xdel : public op<Spec, xdel<Spec>> {
public:
    static constexpr bool restores = false;
    static constexpr op_info info{"XDEL", 16, true};
    xdel(typename op<Spec, xdel>::fixture& f, std::uint64_t seed)
        : op<Spec, xdel>(f), pos_(stream_offset(seed, this->d_.picks.size())) {}
    std::size_t batch() const { return mutation_batch(this->n_); }
    // Deletes random IDs of the live window (IDs deleted before count as misses, as in Redis).
    std::uint64_t run(std::size_t count) {
        auto& s = this->a_;
        const auto& picks = this->d_.picks;
        const std::uint64_t first = number_of(s.first_id());
        const std::uint64_t span = number_of(s.last_id()) + 1 - first;
        std::size_t pos = pos_;
        std::uint64_t deleted = 0;
        for (std::size_t i = 0; i < count; ++i) {
            deleted += s.erase(id_of(first + picks[pos] % span));
            pos = pos + 1 == picks.size() ? 0 : pos + 1;
            benchmark::DoNotOptimize(deleted);
        }
        pos_ = pos;
        last_ = count;
        if (deleted == 0) this->fail("XDEL: no entry was deleted");
        return deleted;
    }
    // Back to n live entries: append as many as were asked to be deleted, then trim the oldest.
    void restore() {
        append(this->a_, this->d_, last_);
        this->a_.trim(bptree::stream_trim::max_length(this->n_));
        last_ = 0;
    }

private:
    std::size_t pos_;
    std::size_t last_ = 0;
};

template <class Spec>
struct register_ops {
    static void apply(std::size_t n) {
        register_benchmark<Spec, xrange>(n);
        register_benchmark<Spec, xadd>(n);
        register_benchmark<Spec, xtrim>(n, "per entry removed; XTRIM MAXLEN = (exact)");
        register_benchmark<Spec, xdel>(n);
    }
};

}  // namespace bptree_bench::xstream

BPTREE_BENCH_ADAPTOR(21, bptree_bench::xstream::family, bptree_bench::xstream::register_ops,
                     bptree_bench::xstream::backend_std, bptree_bench::xstream::backend_bptree)

#endif  // __has_include("bptree/stream.hpp")
