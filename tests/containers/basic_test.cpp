// Basic behaviour of the four containers: the std members and bptree's additions on small inputs.
#include <catch2/catch.hpp>

#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"

TEST_CASE("a set keeps unique keys in order and reports positions", "[set]") {
    bptree::set<int> s{5, 1, 4, 1, 3};
    CHECK(s.size() == 4);
    CHECK(std::vector<int>(s.begin(), s.end()) == std::vector<int>{1, 3, 4, 5});
    CHECK(s.front() == 1);
    CHECK(s.back() == 5);
    CHECK(s.rank(4) == 2);
    CHECK(s.rank(2) == 1);
    CHECK(*s.nth(3) == 5);
    CHECK(s.nth(4) == s.end());
    CHECK(s.index_of(s.find(4)) == 2);
    CHECK(s.index_of(s.end()) == 4);
    CHECK_FALSE(s.insert(3).second);
    s.pop_front();
    s.pop_back();
    CHECK(std::vector<int>(s.begin(), s.end()) == std::vector<int>{3, 4});
    s.verify();
}

TEST_CASE("a multiset keeps equal keys in insertion order", "[multiset]") {
    bptree::multimap<int, int> m;
    for (int i = 0; i < 10; ++i) m.emplace(i % 2, i);
    CHECK(m.count(0) == 5);
    std::vector<int> order;
    for (auto it = m.lower_bound(1); it != m.end(); ++it) order.push_back(it->second);
    CHECK(order == std::vector<int>{1, 3, 5, 7, 9});
    m.verify();
}

// std::multimap places a value as close as possible before the hint: inside its equal run, right
// before the hint; a hint before the run puts it first among its equals, a hint after the run last.
// Every hint and every key, in a tree of tiny leaves (runs span leaf boundaries), against std.
TEST_CASE("a multimap inserts with any hint where std::multimap does", "[multimap]") {
    using tiny = bptree::slot_traits<3, 4>;
    std::multimap<int, int> model;
    for (int i = 0; i < 24; ++i) model.emplace(1 + i % 4 * 2, i);  // runs of 6 at keys 1, 3, 5, 7
    const bptree::multimap<int, int, std::less<int>, std::allocator<std::pair<const int, int>>, tiny> proto(
        model.begin(), model.end());
    for (int key = 0; key <= 8; ++key) {
        for (std::size_t h = 0; h <= model.size(); ++h) {
            INFO("key " << key << ", hint at index " << h);
            auto expected = model;
            auto actual = proto;
            const auto se = expected.insert(std::next(expected.begin(), static_cast<std::ptrdiff_t>(h)), {key, -1});
            const auto be = actual.insert(std::next(actual.begin(), static_cast<std::ptrdiff_t>(h)), {key, -1});
            CHECK(std::distance(actual.begin(), be) == std::distance(expected.begin(), se));
            CHECK(std::equal(actual.begin(), actual.end(), expected.begin(), expected.end()));
            actual.verify();
        }
    }
}

TEST_CASE("a map gives true references to std::pair<const Key, T>", "[map]") {
    bptree::map<std::string, int> m{{"b", 2}, {"a", 1}};
    m["c"] = 3;
    for (auto& [k, v] : m) v *= 10;
    CHECK(m.at("a") == 10);
    CHECK(m.at("c") == 30);
    CHECK_THROWS_AS(m.at("z"), std::out_of_range);
    std::pair<const std::string, int>& ref = *m.begin();
    CHECK(ref.first == "a");
    m.verify();
}
