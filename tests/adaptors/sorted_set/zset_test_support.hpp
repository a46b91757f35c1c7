// Test support for bptree::sorted_set: the backends every typed test runs on, and a brute-force
// reference model of a Redis sorted set (a std::map member -> score plus a sorted copy) written
// from Redis's documented rules, independently of the adaptor's code.
#ifndef BPTREE_TESTS_ADAPTORS_SORTED_SET_ZSET_TEST_SUPPORT_HPP
#define BPTREE_TESTS_ADAPTORS_SORTED_SET_ZSET_TEST_SUPPORT_HPP

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "bptree/sorted_set.hpp"

namespace zset_test {

// The backends: the default bptree index, a bptree index with tiny nodes that checks its
// invariants after every change (height 5+ with a few hundred members), and std::set.
using bptree_backend = bptree::sorted_set<std::string>;
using tiny_bptree_backend = bptree::sorted_set<std::string, bptree::bptree_index<bptree::slot_traits<3, 4, true>>>;
using std_set_backend = bptree::sorted_set<std::string, bptree::std_set_index>;

#define ZSET_BACKENDS zset_test::bptree_backend, zset_test::tiny_bptree_backend, zset_test::std_set_backend

struct pair_entry {
    std::string member;
    double score;
    friend bool operator==(const pair_entry& a, const pair_entry& b) {
        return a.member == b.member && a.score == b.score;
    }
};

// Any range of entries (a view, a vector, the set itself) as (member, score) pairs.
template <class Range>
std::vector<pair_entry> entries(const Range& range) {
    std::vector<pair_entry> out;
    for (const auto& e : range) out.push_back({e.member, e.score});
    return out;
}

inline std::vector<std::string> members(const std::vector<pair_entry>& es) {
    std::vector<std::string> out;
    for (const auto& e : es) out.push_back(e.member);
    return out;
}

// Byte order as memcmp (std::string's char_traits compares as unsigned char).
inline bool member_less(const std::string& a, const std::string& b) { return a < b; }

inline bool entry_less(const pair_entry& a, const pair_entry& b) {
    if (a.score != b.score) return a.score < b.score;
    return member_less(a.member, b.member);
}

// The reference model. Every query answers from a freshly sorted vector: slow and obvious.
class reference_zset {
public:
    std::map<std::string, double> scores;

    std::vector<pair_entry> ordered() const {
        std::vector<pair_entry> out;
        for (const auto& [m, s] : scores) out.push_back({m, s});
        std::sort(out.begin(), out.end(), entry_less);
        return out;
    }

    // Redis's zsetAdd; returns (outcome, score) or throws std::domain_error for a NaN result.
    std::pair<bptree::zadd_outcome, double> add(const std::string& m, double value, const bptree::zadd_options& o,
                                                bool increment) {
        if (std::isnan(value)) throw std::domain_error("nan");
        const auto it = scores.find(m);
        if (it == scores.end()) {
            if (o.xx) return {bptree::zadd_outcome::skipped, value};
            scores[m] = value == 0 ? 0.0 : value;
            return {bptree::zadd_outcome::added, value};
        }
        if (o.nx) return {bptree::zadd_outcome::skipped, it->second};
        const double current = it->second;
        const double target = increment ? current + value : value;
        if (std::isnan(target)) throw std::domain_error("nan");
        if (o.gt && !(target > current)) return {bptree::zadd_outcome::skipped, current};
        if (o.lt && !(target < current)) return {bptree::zadd_outcome::skipped, current};
        if (target == current) return {bptree::zadd_outcome::unchanged, target};
        it->second = target == 0 ? 0.0 : target;
        return {bptree::zadd_outcome::updated, target};
    }

    static bool in_score_range(double s, const bptree::score_range& r) {
        const bool above_min = r.min.exclusive ? s > r.min.value : s >= r.min.value;
        const bool below_max = r.max.exclusive ? s < r.max.value : s <= r.max.value;
        return above_min && below_max;
    }

    static bool in_lex_range(const std::string& m, const bptree::lex_range<std::string>& r) {
        using kind = bptree::lex_bound<std::string>::kind;
        bool above_min = true;
        switch (r.min.type) {
            case kind::minus_infinity: above_min = true; break;
            case kind::plus_infinity: above_min = false; break;
            case kind::inclusive: above_min = !member_less(m, r.min.value); break;
            case kind::exclusive: above_min = member_less(r.min.value, m); break;
        }
        bool below_max = true;
        switch (r.max.type) {
            case kind::minus_infinity: below_max = false; break;
            case kind::plus_infinity: below_max = true; break;
            case kind::inclusive: below_max = !member_less(r.max.value, m); break;
            case kind::exclusive: below_max = member_less(m, r.max.value); break;
        }
        return above_min && below_max;
    }

    // The entries a predicate selects, in order, after direction and LIMIT.
    template <class Pred>
    std::vector<pair_entry> select(Pred pred, bptree::range_direction dir, bptree::range_limit limit) const {
        std::vector<pair_entry> all;
        for (const auto& e : ordered()) {
            if (pred(e)) all.push_back(e);
        }
        if (dir == bptree::range_direction::reverse) std::reverse(all.begin(), all.end());
        if (limit.offset < 0) return {};
        std::vector<pair_entry> out;
        for (std::size_t i = static_cast<std::size_t>(limit.offset); i < all.size(); ++i) {
            if (limit.count >= 0 && out.size() == static_cast<std::size_t>(limit.count)) break;
            out.push_back(all[i]);
        }
        return out;
    }

    // Redis's start/stop rule, written as a filter over positions.
    std::vector<pair_entry> by_rank(long long start, long long stop, bptree::range_direction dir) const {
        std::vector<pair_entry> all = ordered();
        if (dir == bptree::range_direction::reverse) std::reverse(all.begin(), all.end());
        const long long n = static_cast<long long>(all.size());
        if (start < 0) start = std::max(0LL, n + start);
        if (stop < 0) stop = n + stop;
        std::vector<pair_entry> out;
        for (long long i = start; i <= stop && i < n; ++i) out.push_back(all[static_cast<std::size_t>(i)]);
        return out;
    }

    template <class Pred>
    std::size_t erase_if(Pred pred) {
        std::size_t n = 0;
        for (auto it = scores.begin(); it != scores.end();) {
            if (pred(pair_entry{it->first, it->second})) {
                it = scores.erase(it);
                ++n;
            } else {
                ++it;
            }
        }
        return n;
    }
};

}  // namespace zset_test

// Failure messages show entries as {member, score}.
namespace Catch {
template <>
struct StringMaker<zset_test::pair_entry> {
    static std::string convert(const zset_test::pair_entry& e) {
        return "{" + StringMaker<std::string>::convert(e.member) + ", " + StringMaker<double>::convert(e.score) + "}";
    }
};
}  // namespace Catch

#endif  // BPTREE_TESTS_ADAPTORS_SORTED_SET_ZSET_TEST_SUPPORT_HPP
