// bptree_soak: a long differential run. Random operations on bptree::set / multiset / map /
// multimap and on their std counterparts, across key types (int64, double, string), node sizes
// (slot_traits<3, 4>, slot_traits<8, 8>, default) and key spaces (64 .. 2^20 keys, so trees stay
// tiny, medium or large), comparing every result and position; verify() and a full comparison run
// periodically (every step while the tree is small). Prints a progress line; any mismatch prints
// the seed, the phase and the step, and exits 1.
//
// Usage: bptree_soak [--ops N] [--seed S] [--phase P] [--progress-seconds T]
//   --ops N     total operations over all phases (default 100,000,000)
//   --seed S    the run's seed (default 1); phase P uses seed S * 1000003 + P
//   --phase P   run only phase P (to reproduce a failure), with the ops one phase gets
// scripts/soak.sh builds it with -O2 and runs it niced.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/container_traits.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

struct settings {
    std::uint64_t ops = 100'000'000;
    std::uint64_t seed = 1;
    long phase = -1;
    double progress_seconds = 10;
};

struct progress {
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    clock_type::time_point start = clock_type::now();
    clock_type::time_point last = clock_type::now();
    double every = 10;
    std::size_t largest = 0;  // the largest tree seen at a tick

    void tick(std::uint64_t n, const std::string& phase, std::size_t size, std::uint64_t seed) {
        done += n;
        largest = std::max(largest, size);
        const auto now = clock_type::now();
        if (std::chrono::duration<double>(now - last).count() < every) return;
        last = now;
        const double elapsed = std::chrono::duration<double>(now - start).count();
        std::printf("soak: %llu / %llu ops (%.1f%%), %.0f s, %.2f Mops/s, seed %llu, phase %s, size %zu\n",
                    static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                    100.0 * static_cast<double>(done) / static_cast<double>(total), elapsed,
                    static_cast<double>(done) / elapsed / 1e6, static_cast<unsigned long long>(seed), phase.c_str(),
                    size);
        std::fflush(stdout);
    }
};

template <class K>
K make_key(std::uint64_t v) {
    if constexpr (std::is_same_v<K, std::string>) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "k%012llu", static_cast<unsigned long long>(v));
        return buf;
    } else if constexpr (std::is_floating_point_v<K>) {
        return static_cast<K>(v) * 0.5 - 1000.0;  // negative and fractional keys too
    } else {
        return static_cast<K>(v) - 5000;
    }
}

using bptree_test::is_map_v;
using bptree_test::is_multi_v;
using bptree_test::key_of;

// How to rerun the failing phase alone (set by main before each phase).
std::string g_reproduce;

[[noreturn]] void mismatch(const std::string& phase, std::uint64_t seed, std::uint64_t step, const char* what) {
    std::printf("soak: MISMATCH in phase %s (phase seed %llu), step %llu: %s\nsoak: reproduce with: %s\n",
                phase.c_str(), static_cast<unsigned long long>(seed), static_cast<unsigned long long>(step), what,
                g_reproduce.c_str());
    std::fflush(stdout);
    std::exit(1);
}

template <class B, class S>
class phase_runner {
public:
    using value_type = typename B::value_type;
    using key_type = typename B::key_type;

    phase_runner(std::string name, std::uint64_t seed, std::uint64_t key_space)
        : name_(std::move(name)), seed_(seed), rng_(seed), key_space_(key_space) {}

    void run(std::uint64_t ops, progress& p) {
        const std::uint64_t chunk = 4096;
        for (std::uint64_t done = 0; done < ops; done += chunk) {
            const std::uint64_t n = std::min(chunk, ops - done);
            for (std::uint64_t i = 0; i < n; ++i) {
                ++step_;
                one_op();
                // Full checks (O(n)): every step while the tree is small, then after a number of
                // steps proportional to the size, so that they cost O(1) per operation.
                if (s_.size() < 64 || step_ >= next_full_check_) {
                    full_check();
                    next_full_check_ = step_ + std::max<std::uint64_t>(8192, 4 * s_.size());
                }
            }
            p.tick(n, name_, s_.size(), seed_);
        }
        full_check();
    }

private:
    void same(bool ok, const char* what) {
        if (!ok) mismatch(name_, seed_, step_, what);
    }
    std::uint64_t draw(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }
    key_type next_key() { return make_key<key_type>(draw(key_space_)); }
    value_type next_value() {
        if constexpr (is_map_v<B>) {
            return {next_key(), make_key<typename B::mapped_type>(draw(1000))};
        } else {
            return next_key();
        }
    }
    template <class It>
    std::size_t sidx(It it) const {
        return static_cast<std::size_t>(std::distance(s_.begin(), typename S::const_iterator(it)));
    }
    // std::distance on a large std container is O(n): positions are compared only on small trees
    // and through rank() otherwise.
    bool small() const { return s_.size() < 2048; }

    // The mix drifts in cycles of 200,000 steps: grow, churn, shrink, churn. Growing and churning
    // add more than they remove (about +0.5 and +0.2 values per step while keys are fresh), and
    // shrinking removes runs of up to 40, so trees in the 2^20 key space reach 10^5..10^6 values
    // and are cut back again.
    enum class drift { grow, churn, shrink };
    drift current_drift() const {
        const std::uint64_t cycle = (step_ / 200000) % 4;
        return cycle == 0 ? drift::grow : cycle == 2 ? drift::shrink : drift::churn;
    }

    void one_op() {
        const drift d = current_drift();
        const unsigned insert_weight = d == drift::grow ? 75 : d == drift::churn ? 40 : 15;
        const unsigned r = static_cast<unsigned>(draw(100));
        if (r < insert_weight) return insert();
        const unsigned op = static_cast<unsigned>(draw(16));
        switch (op) {
            case 0:
            case 1:
            case 2: {
                const key_type k = next_key();
                same(b_.erase(k) == s_.erase(k), "erase(key)");
                break;
            }
            case 3:
            case 4:
            case 5:
            case 6: {  // lookups
                const key_type k = next_key();
                same(b_.count(k) == s_.count(k), "count");
                const auto lb = b_.lower_bound(k);
                const auto slb = s_.lower_bound(k);
                same((lb == b_.end()) == (slb == s_.end()), "lower_bound end");
                if (slb != s_.end()) same(*lb == *slb, "lower_bound value");
                const auto ub = b_.upper_bound(k);
                const auto sub = s_.upper_bound(k);
                same((ub == b_.end()) == (sub == s_.end()), "upper_bound end");
                if (sub != s_.end()) same(*ub == *sub, "upper_bound value");
                same(b_.index_of(ub) - b_.index_of(lb) == s_.count(k), "equal range length");
                if (small()) same(b_.rank(k) == sidx(slb), "rank");
                break;
            }
            case 7: {  // nth / index_of against iteration from the nearer end
                if (s_.empty()) break;
                const std::size_t i = static_cast<std::size_t>(draw(s_.size()));
                const auto it = b_.nth(i);
                same(b_.index_of(it) == i, "index_of(nth(i))");
                if (i < 64) same(*it == *std::next(s_.begin(), static_cast<std::ptrdiff_t>(i)), "nth from the front");
                if (s_.size() - i <= 64) {
                    same(*it == *std::prev(s_.end(), static_cast<std::ptrdiff_t>(s_.size() - i)), "nth from the back");
                }
                break;
            }
            case 8: {  // erase(iterator) near a key
                const key_type k = next_key();
                const auto slb = s_.lower_bound(k);
                if (slb == s_.end()) break;
                const auto next_s = s_.erase(slb);
                const auto next_b = b_.erase(b_.lower_bound(k));
                same((next_b == b_.end()) == (next_s == s_.end()), "erase(iterator) result");
                if (next_s != s_.end()) same(*next_b == *next_s, "erase(iterator) next");
                break;
            }
            case 9: {  // a short range erase from a key
                const key_type k = next_key();
                const std::size_t len = static_cast<std::size_t>(draw(current_drift() == drift::shrink ? 40 : 4));
                auto sf = s_.lower_bound(k);
                auto sl = sf;
                std::size_t n = 0;
                while (sl != s_.end() && n < len) ++sl, ++n;
                const auto bf = b_.lower_bound(k);
                const auto bl = b_.nth(b_.index_of(bf) + n);
                s_.erase(sf, sl);
                b_.erase(bf, bl);
                break;
            }
            case 10: {  // hinted insert with the right hint
                const value_type v = next_value();
                const key_type& k = key_of<B>(v);
                const auto rb = b_.insert(b_.upper_bound(k), v);
                const auto rs = s_.insert(s_.upper_bound(k), v);
                same(*rb == *rs, "insert(hint)");
                break;
            }
            case 11: {  // replace with a nearby key (in place or moved)
                if (s_.empty()) break;
                const key_type k = next_key();
                auto pos_s = s_.lower_bound(k);
                if (pos_s == s_.end()) break;
                const auto pos_b = b_.lower_bound(k);
                const value_type v = next_value();
                const auto r = b_.replace(pos_b, v);
                same(r.second == bptree_test::model_replace(s_, pos_s, v).second, "replace");
                break;
            }
            case 12: {  // pop_front / pop_back
                if (s_.empty()) break;
                if (draw(2) == 0) {
                    b_.pop_front();
                    s_.erase(s_.begin());
                } else {
                    b_.pop_back();
                    s_.erase(std::prev(s_.end()));
                }
                break;
            }
            case 13: {  // extract and re-insert
                const key_type k = next_key();
                auto nb = b_.extract(k);
                auto ns = s_.extract(k);
                same(nb.empty() == ns.empty(), "extract");
                if (!ns.empty()) {
                    b_.insert(std::move(nb));
                    s_.insert(std::move(ns));
                }
                break;
            }
            case 14: {  // rare whole-tree operations
                const unsigned w = static_cast<unsigned>(draw(4096));
                if (w == 0) {
                    b_.clear();
                    s_.clear();
                } else if (w == 1) {
                    b_.shrink_to_fit();
                } else if (w == 2) {
                    B copy(b_);
                    b_ = std::move(copy);
                } else if (w == 3 && s_.size() < 100000) {
                    const unsigned mod = 2 + static_cast<unsigned>(draw(9));
                    std::size_t n = 0;
                    const auto pred = [&](const value_type& v) {
                        return std::hash<key_type>()(key_of<B>(v)) % mod == 0;
                    };
                    for (auto it = s_.begin(); it != s_.end();) {
                        if (pred(*it)) {
                            it = s_.erase(it);
                            ++n;
                        } else {
                            ++it;
                        }
                    }
                    same(erase_if(b_, pred) == n, "erase_if");
                }
                break;
            }
            default: insert(); break;
        }
    }

    void insert() {
        const value_type v = next_value();
        if constexpr (is_multi_v<S>) {
            const auto rb = b_.insert(v);
            const auto rs = s_.insert(v);
            same(*rb == *rs, "insert");
            if (small()) same(b_.index_of(rb) == sidx(rs), "insert position");
        } else {
            const auto rb = b_.insert(v);
            const auto rs = s_.insert(v);
            same(rb.second == rs.second, "insert inserted");
            same(*rb.first == *rs.first, "insert value");
        }
    }

    void full_check() {
        try {
            b_.verify();
        } catch (const std::logic_error& e) {
            mismatch(name_, seed_, step_, e.what());
        }
        same(b_.size() == s_.size(), "size");
        same(std::equal(b_.begin(), b_.end(), s_.begin(), s_.end()), "contents");
    }

    std::string name_;
    std::uint64_t seed_;
    std::mt19937_64 rng_;
    std::uint64_t key_space_;
    std::uint64_t step_ = 0;
    std::uint64_t next_full_check_ = 0;
    B b_;
    S s_;
};

template <class K>
const char* key_name() {
    if constexpr (std::is_same_v<K, std::string>) {
        return "string";
    } else if constexpr (std::is_floating_point_v<K>) {
        return "double";
    } else {
        return "int64";
    }
}

// One phase: container kind x key type x node size x key space, chosen from the phase index.
template <class K, class Traits>
void run_kind(unsigned kind, const char* traits_name, std::uint64_t key_space, std::uint64_t seed, std::uint64_t ops,
              progress& p) {
    using A1 = std::allocator<K>;
    using A2 = std::allocator<std::pair<const K, K>>;
    const std::string name = std::string(kind == 0   ? "set"
                                         : kind == 1 ? "multiset"
                                         : kind == 2 ? "map"
                                                     : "multimap") +
                             "<" + key_name<K>() + ">/" + traits_name + "/keys " + std::to_string(key_space);
    switch (kind) {
        case 0:
            phase_runner<bptree::set<K, std::less<K>, A1, Traits>, std::set<K>>(name, seed, key_space).run(ops, p);
            break;
        case 1:
            phase_runner<bptree::multiset<K, std::less<K>, A1, Traits>, std::multiset<K>>(name, seed, key_space)
                .run(ops, p);
            break;
        case 2:
            phase_runner<bptree::map<K, K, std::less<K>, A2, Traits>, std::map<K, K>>(name, seed, key_space)
                .run(ops, p);
            break;
        default:
            phase_runner<bptree::multimap<K, K, std::less<K>, A2, Traits>, std::multimap<K, K>>(name, seed, key_space)
                .run(ops, p);
            break;
    }
}

constexpr unsigned phase_count = 4 * 3 * 3 * 3;  // kinds x key types x node sizes x key spaces

void run_phase(unsigned phase, std::uint64_t seed, std::uint64_t ops, progress& p) {
    const unsigned kind = phase % 4;
    const unsigned key_type = (phase / 4) % 3;
    const unsigned nodes = (phase / 12) % 3;
    const unsigned space = (phase / 36) % 3;
    const std::uint64_t key_space = space == 0 ? 64 : space == 1 ? 4096 : (1u << 20);
    const auto with_key = [&](auto key_tag) {
        using K = decltype(key_tag);
        if (nodes == 0) {
            run_kind<K, bptree::slot_traits<3, 4>>(kind, "slots 3/4", key_space, seed, ops, p);
        } else if (nodes == 1) {
            run_kind<K, bptree::slot_traits<8, 8>>(kind, "slots 8/8", key_space, seed, ops, p);
        } else {
            run_kind<K, bptree::default_traits>(kind, "default nodes", key_space, seed, ops, p);
        }
    };
    if (key_type == 0) {
        with_key(std::int64_t{});
    } else if (key_type == 1) {
        with_key(double{});
    } else {
        with_key(std::string{});
    }
}

bool parse_u64(const char* s, std::uint64_t& out) {
    char* end = nullptr;
    out = std::strtoull(s, &end, 10);
    return end != s && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
    settings cfg;
    for (int i = 1; i < argc; i += 2) {  // options come in pairs: --name value
        std::uint64_t v = 0;
        const bool has_value = i + 1 < argc && parse_u64(argv[i + 1], v);
        if (std::strcmp(argv[i], "--ops") == 0 && has_value) {
            cfg.ops = v;
        } else if (std::strcmp(argv[i], "--seed") == 0 && has_value) {
            cfg.seed = v;
        } else if (std::strcmp(argv[i], "--phase") == 0 && has_value && v < phase_count) {
            cfg.phase = static_cast<long>(v);
        } else if (std::strcmp(argv[i], "--progress-seconds") == 0 && has_value) {
            cfg.progress_seconds = static_cast<double>(v);
        } else {
            std::fprintf(stderr, "usage: %s [--ops N] [--seed S] [--phase P (0..%u)] [--progress-seconds T]\n", argv[0],
                         phase_count - 1);
            return 2;
        }
    }
    const std::uint64_t per_phase = std::max<std::uint64_t>(1, cfg.ops / phase_count);
    progress p;
    p.every = cfg.progress_seconds;
    p.total = cfg.phase >= 0 ? per_phase : per_phase * phase_count;
    std::printf("soak: %llu ops in %u phases of %llu, seed %llu%s\n", static_cast<unsigned long long>(p.total),
                cfg.phase >= 0 ? 1u : phase_count, static_cast<unsigned long long>(per_phase),
                static_cast<unsigned long long>(cfg.seed), cfg.phase >= 0 ? " (one phase)" : "");
    for (unsigned phase = 0; phase < phase_count; ++phase) {
        if (cfg.phase >= 0 && phase != static_cast<unsigned>(cfg.phase)) continue;
        const std::uint64_t seed = cfg.seed * 1000003ull + phase;
        g_reproduce = std::string(argv[0]) + " --seed " + std::to_string(cfg.seed) + " --phase " +
                      std::to_string(phase) + " --ops " + std::to_string(cfg.ops);
        run_phase(phase, seed, per_phase, p);
    }
    const double elapsed = std::chrono::duration<double>(clock_type::now() - p.start).count();
    std::printf("soak: PASSED %llu ops in %.0f s (%.2f Mops/s), seed %llu, largest tree %zu\n",
                static_cast<unsigned long long>(p.done), elapsed, static_cast<double>(p.done) / elapsed / 1e6,
                static_cast<unsigned long long>(cfg.seed), p.largest);
    return 0;
}
