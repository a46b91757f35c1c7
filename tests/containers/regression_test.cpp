// Regression tests for the failures of the Rust B+ tree this library generalizes: rank and nth in
// trees of height 3 and more, lower_bound of a missing key just before a leaf boundary, and
// range queries that start at the first key of a leaf.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/test_seed.hpp"

namespace {
// Leaves of 8 values: 200,000 values give a tree of height 5 and many leaf boundaries.
using small_nodes = bptree::slot_traits<8, 8>;
}  // namespace

TEMPLATE_TEST_CASE("rank and nth are exact after 200,000 random inserts", "[regression]",
                   bptree::default_traits, small_nodes) {
    const std::uint64_t seed = bptree_test::test_seed(7);
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    bptree::set<std::int64_t, std::less<std::int64_t>, std::allocator<std::int64_t>, TestType> s;
    std::vector<std::int64_t> keys;
    while (keys.size() < 200000) {
        const auto k = static_cast<std::int64_t>(rng() % 10'000'000);
        if (s.insert(k).second) keys.push_back(k);
    }
    s.verify();
    REQUIRE(s.stats().height >= 3);
    std::sort(keys.begin(), keys.end());
    for (std::size_t i = 0; i < keys.size(); i += 97) {
        CHECK(s.rank(keys[i]) == i);
        CHECK(*s.nth(i) == keys[i]);
        CHECK(s.index_of(s.find(keys[i])) == i);
        // A missing key between two present ones ranks after the smaller one.
        if (i + 1 < keys.size() && keys[i] + 1 < keys[i + 1]) CHECK(s.rank(keys[i] + 1) == i + 1);
    }
    CHECK(s.rank(-1) == 0);
    CHECK(s.rank(10'000'000) == keys.size());
    CHECK(*s.nth(keys.size() - 1) == keys.back());
}

TEST_CASE("lower_bound of a missing key just before a leaf boundary finds the next leaf's first key",
          "[regression]") {
    // Even keys only, so every odd key is missing; leaves of 4 put boundaries everywhere.
    bptree::set<int, std::less<int>, std::allocator<int>, bptree::slot_traits<4, 4>> s;
    for (int i = 0; i < 2000; i += 2) s.insert(i);
    s.verify();
    for (auto it = s.begin(); it != s.end(); ++it) {
        const int k = *it;
        // k - 1 is missing and falls just before k, whether or not k starts a leaf.
        const auto lb = s.lower_bound(k - 1);
        REQUIRE(lb != s.end());
        CHECK(*lb == k);
        CHECK(s.upper_bound(k - 1) == lb);
        CHECK(s.rank(k - 1) == s.index_of(it));
        CHECK(s.find(k - 1) == s.end());
    }
    CHECK(s.lower_bound(1999) == s.end());
}

TEST_CASE("range queries that start at the first key of a leaf return the whole range", "[regression]") {
    using map_type = bptree::map<int, int, std::less<int>, std::allocator<std::pair<const int, int>>,
                                 bptree::slot_traits<4, 4>>;
    map_type m;
    std::mt19937 rng(bptree_test::test_seed(11));
    std::vector<int> keys(3000);
    std::iota(keys.begin(), keys.end(), 0);
    std::shuffle(keys.begin(), keys.end(), rng);
    for (int k : keys) m.emplace(k, -k);
    m.verify();
    // Every key is tested as a range start, so every leaf's first key is among them.
    for (int start = 0; start < 3000; ++start) {
        const int end = std::min(3000, start + 50);
        std::vector<int> got;
        for (auto it = m.lower_bound(start); it != m.end() && it->first < end; ++it) got.push_back(it->first);
        std::vector<int> expected(static_cast<std::size_t>(end - start));
        std::iota(expected.begin(), expected.end(), start);
        REQUIRE(got == expected);
        // The same range by position.
        const std::size_t first = m.rank(start);
        CHECK(first == static_cast<std::size_t>(start));
        CHECK(std::distance(m.nth(first), m.lower_bound(end)) == end - start);
    }
    // Erasing a range that starts exactly at a leaf's first key.
    for (int start = 0; start + 20 < 3000; start += 300) {
        m.erase(m.lower_bound(start), m.lower_bound(start + 20));
        m.verify();
        CHECK(m.lower_bound(start)->first == start + 20);
    }
}
