// Basic behaviour of the four containers: the std members and bptree's additions on small inputs.
#include <catch2/catch.hpp>

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
