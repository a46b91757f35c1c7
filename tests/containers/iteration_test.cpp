// Iteration: forward and backward across leaves, reverse iterators, std algorithms, and in C++20
// the std::ranges concepts and algorithms.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <numeric>
#include <type_traits>
#include <vector>
#if __cplusplus >= 202002L
#include <ranges>
#endif

#include "bptree/map.hpp"
#include "bptree/set.hpp"

namespace {
using tiny_set = bptree::set<int, std::less<int>, std::allocator<int>, bptree::slot_traits<3, 4>>;
using tiny_map = bptree::map<int, int, std::less<int>, std::allocator<std::pair<const int, int>>, bptree::slot_traits<3, 4>>;

static_assert(std::is_same_v<std::iterator_traits<tiny_set::iterator>::iterator_category,
                             std::bidirectional_iterator_tag>,
              "iterators are bidirectional");
static_assert(std::is_convertible_v<tiny_map::iterator, tiny_map::const_iterator>,
              "a mutable iterator converts to a constant one");
static_assert(std::is_same_v<decltype(*std::declval<tiny_set::iterator>()), const int&>,
              "set iterators give constant access, as std::set's");
static_assert(std::is_same_v<decltype(*std::declval<tiny_map::iterator>()), std::pair<const int, int>&>,
              "map iterators give true value_type references");
static_assert(std::is_nothrow_move_constructible_v<tiny_map>, "moving a container does not throw");

#if __cplusplus >= 202002L
static_assert(std::ranges::bidirectional_range<tiny_set>);
static_assert(std::ranges::sized_range<tiny_set>);
static_assert(std::ranges::common_range<tiny_map>);
static_assert(!std::ranges::random_access_range<tiny_set>);
static_assert(std::bidirectional_iterator<tiny_map::iterator>);
static_assert(std::bidirectional_iterator<tiny_map::const_iterator>);
static_assert(std::ranges::viewable_range<tiny_set&>);
static_assert(std::three_way_comparable<tiny_set>);
#endif
}  // namespace

TEST_CASE("iteration crosses leaves in both directions", "[iteration]") {
    tiny_set s;
    for (int i = 999; i >= 0; --i) s.insert(i);
    REQUIRE(s.stats().leaf_nodes > 100);
    int expected = 0;
    for (int v : s) CHECK(v == expected++);
    CHECK(expected == 1000);
    auto it = s.end();
    for (int i = 999; i >= 0; --i) CHECK(*--it == i);
    CHECK(it == s.begin());
    CHECK(std::equal(s.rbegin(), s.rend(), std::vector<int>(s.rbegin(), s.rend()).begin()));
    CHECK(*s.rbegin() == 999);
    CHECK(*std::prev(s.rend()) == 0);
    auto post = s.begin();
    CHECK(*post++ == 0);
    CHECK(*post-- == 1);
    CHECK(post == s.begin());
}

TEST_CASE("std algorithms work on the containers", "[iteration]") {
    tiny_map m;
    for (int i = 0; i < 300; ++i) m.emplace(i, i * i);
    const long long sum = std::accumulate(m.begin(), m.end(), 0LL,
                                          [](long long acc, const auto& kv) { return acc + kv.second; });
    CHECK(sum == 8955050);
    CHECK(std::find_if(m.begin(), m.end(), [](const auto& kv) { return kv.second == 144; })->first == 12);
    CHECK(std::distance(m.begin(), m.end()) == 300);
    CHECK(std::is_sorted(m.begin(), m.end(), m.value_comp()));
    for (auto& [k, v] : m) v = -k;
    CHECK(m.at(77) == -77);
    CHECK(std::count_if(m.cbegin(), m.cend(), [](const auto& kv) { return kv.first % 3 == 0; }) == 100);
}

#if __cplusplus >= 202002L
TEST_CASE("std::ranges algorithms and views work on the containers", "[iteration][c++20]") {
    tiny_set s;
    for (int i = 0; i < 100; ++i) s.insert(i * 2);
    CHECK(std::ranges::is_sorted(s));
    CHECK(*std::ranges::find(s, 42) == 42);
    CHECK(std::ranges::distance(s) == 100);
    CHECK(*std::ranges::lower_bound(s, 51) == 52);
#if !defined(__clang__) || __clang_major__ >= 15  // clang 14 + libstdc++ 12: llvm/llvm-project#52696
    std::vector<int> top;
    for (int v : s | std::views::reverse | std::views::take(3)) top.push_back(v);
    CHECK(top == std::vector<int>{198, 196, 194});
#endif
}
#endif
