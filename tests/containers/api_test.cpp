// The std interface, checked member by member against what std::set / std::map do: node handles,
// merge, try_emplace, insert_or_assign, transparent lookup, comparisons, erase_if, deduction
// guides, initializer lists, swap, observers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "bptree/bptree.hpp"

TEST_CASE("node handles move values out and back in", "[api]") {
    bptree::map<int, std::string> m{{1, "one"}, {2, "two"}, {3, "three"}};
    auto nh = m.extract(2);
    REQUIRE_FALSE(nh.empty());
    CHECK(nh.key() == 2);
    CHECK(nh.mapped() == "two");
    CHECK(m.size() == 2);
    nh.key() = 1;  // now a duplicate
    auto r = m.insert(std::move(nh));
    CHECK_FALSE(r.inserted);
    CHECK(r.position == m.find(1));
    REQUIRE_FALSE(r.node.empty());
    r.node.key() = 4;
    auto r2 = m.insert(std::move(r.node));
    CHECK(r2.inserted);
    CHECK(r2.node.empty());
    CHECK(m.at(4) == "two");
    CHECK(m.extract(99).empty());
    bptree::multiset<int> ms{1, 1, 2};
    auto snh = ms.extract(ms.begin());
    CHECK(snh.value() == 1);
    ms.insert(std::move(snh));
    CHECK(ms.count(1) == 2);
}

TEST_CASE("merge moves absent keys and leaves duplicates in the source", "[api]") {
    bptree::set<int> a{1, 3, 5};
    bptree::set<int> b{2, 3, 4};
    a.merge(b);
    CHECK(std::vector<int>(a.begin(), a.end()) == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(std::vector<int>(b.begin(), b.end()) == std::vector<int>{3});
    bptree::multiset<int> m{3};
    m.merge(b);
    CHECK(m.count(3) == 2);
    CHECK(b.empty());
    bptree::set<int, std::greater<int>> c{9, 1};
    a.merge(c);  // any comparator; 1 is a duplicate and stays in c
    CHECK(a.size() == 6);
    CHECK(std::vector<int>(c.begin(), c.end()) == std::vector<int>{1});
}

TEST_CASE("try_emplace does not consume its arguments when the key exists", "[api]") {
    bptree::map<std::string, std::string> m;
    std::string value = "payload";
    CHECK(m.try_emplace("k", std::move(value)).second);
    std::string again = "kept";
    CHECK_FALSE(m.try_emplace("k", std::move(again)).second);
    CHECK(again == "kept");  // NOLINT: try_emplace promises not to move from it
    CHECK(m.insert_or_assign("k", std::string("new")).second == false);
    CHECK(m["k"] == "new");
    CHECK(m.insert_or_assign(m.end(), "z", std::string("zz"))->second == "zz");
    CHECK(m.try_emplace(m.begin(), "a", "aa")->second == "aa");
}

TEST_CASE("transparent comparators enable heterogeneous lookup", "[api]") {
    bptree::map<std::string, int, std::less<>> m{{"apple", 1}, {"banana", 2}};
    const std::string_view key = "banana";
    CHECK(m.find(key)->second == 2);
    CHECK(m.contains(std::string_view("apple")));
    CHECK(m.count("apple") == 1);
    CHECK(m.lower_bound(std::string_view("b"))->first == "banana");
    CHECK(m.rank(std::string_view("b")) == 1);
    CHECK(m.at(key) == 2);
    CHECK(m.erase(std::string_view("apple")) == 1);
    CHECK(m.size() == 1);
}

TEST_CASE("comparison operators order containers lexicographically", "[api]") {
    const bptree::set<int> a{1, 2, 3};
    const bptree::set<int> b{1, 2, 4};
    CHECK(a == a);
    CHECK(a != b);
    CHECK(a < b);
    CHECK(b > a);
    CHECK(a <= b);
    CHECK(b >= a);
#if __cplusplus >= 202002L
    CHECK(std::is_lt(a <=> b));
    const bptree::map<int, double> x{{1, 0.5}};
    const bptree::map<int, double> y{{1, 0.25}};
    CHECK(std::is_gt(x <=> y));
#endif
}

TEST_CASE("erase_if returns the number erased and keeps the rest in order", "[api]") {
    bptree::map<int, int> m;
    for (int i = 0; i < 1000; ++i) m.emplace(i, i);
    CHECK(erase_if(m, [](const auto& kv) { return kv.first % 3 != 0; }) == 666);
    CHECK(m.size() == 334);
    CHECK(m.begin()->first == 0);
    CHECK(std::next(m.begin())->first == 3);
    m.verify();
}

TEST_CASE("deduction guides deduce as std's do", "[api]") {
    const std::vector<std::pair<int, double>> pairs{{1, 1.0}, {2, 2.0}};
    bptree::map m(pairs.begin(), pairs.end());
    static_assert(std::is_same_v<decltype(m), bptree::map<int, double>>);
    bptree::set s{3, 1, 2};
    static_assert(std::is_same_v<decltype(s), bptree::set<int>>);
    bptree::multiset ms({1, 1}, std::greater<int>());
    static_assert(std::is_same_v<decltype(ms), bptree::multiset<int, std::greater<int>>>);
    const std::vector<std::string> words{"b", "a"};
    bptree::set ws(words.begin(), words.end());
    static_assert(std::is_same_v<decltype(ws), bptree::set<std::string>>);
    bptree::set copy(s);
    CHECK(copy == s);
    CHECK(m.size() == 2);
}

TEST_CASE("initializer lists construct and assign", "[api]") {
    bptree::multimap<int, char> m{{2, 'b'}, {1, 'a'}, {2, 'c'}};
    CHECK(m.size() == 3);
    CHECK(m.lower_bound(2)->second == 'b');
    m = {{5, 'e'}};
    CHECK(m.size() == 1);
    bptree::set<int> s;
    s = {4, 4, 2};
    CHECK(s.size() == 2);
    s.insert({7, 8});
    CHECK(s.back() == 8);
}

TEST_CASE("swap exchanges contents and is found by ADL", "[api]") {
    bptree::set<int> a{1};
    bptree::set<int> b{2, 3};
    swap(a, b);
    CHECK(a.size() == 2);
    CHECK(b.size() == 1);
    std::swap(a, b);
    CHECK(a.size() == 1);
    a.verify();
    b.verify();
}

TEST_CASE("observers and capacity", "[api]") {
    bptree::map<int, int, std::greater<int>> m{{1, 1}, {2, 2}};
    CHECK(m.key_comp()(2, 1));
    CHECK(m.value_comp()(*m.begin(), *std::next(m.begin())));
    CHECK(m.begin()->first == 2);
    CHECK(m.max_size() > 1000000);
    CHECK_FALSE(m.empty());
    CHECK(m.get_allocator() == std::allocator<std::pair<const int, int>>());
}

TEST_CASE("sorted bulk load builds dense nodes in order", "[api]") {
    std::vector<int> v(10000);
    for (int i = 0; i < 10000; ++i) v[static_cast<std::size_t>(i)] = 2 * i;
    bptree::set<int> s(bptree::sorted_unique, v.begin(), v.end());
    s.verify();
    CHECK(s.size() == 10000);
    CHECK(s.stats().leaf_fill > 0.95);
    CHECK(*s.nth(5000) == 10000);
    std::vector<int> dup{1, 1, 2, 2, 2, 3};
    bptree::multiset<int> ms(bptree::sorted_equivalent, dup.begin(), dup.end());
    CHECK(ms.count(2) == 3);
    ms.verify();
}

TEST_CASE("stats reports the shape and memory of the tree", "[api]") {
    bptree::set<int> s;
    CHECK(s.stats().height == 0);
    CHECK(s.stats().bytes_allocated == 0);
    for (int i = 0; i < 100000; ++i) s.insert(i);
    const bptree::tree_stats st = s.stats();
    CHECK(st.size == 100000);
    CHECK(st.height >= 2);
    CHECK(st.leaf_nodes >= 100000 / st.leaf_slots);
    CHECK(st.inner_nodes >= 1);
    CHECK(st.leaf_fill > 0.95);  // sequential inserts leave full leaves behind
    CHECK(st.bytes_allocated >= st.node_bytes_used);
    s.clear();
    CHECK(s.stats().size == 0);
}

TEMPLATE_TEST_CASE("descending inserts (prepends) leave full leaves behind, as appends do", "[api]",
                   (bptree::set<int>), (bptree::multiset<int>),
                   (bptree::set<int, std::less<int>, std::allocator<int>, bptree::slot_traits<4, 4>>)) {
    TestType s;
    constexpr bool multi = !std::is_same_v<decltype(s.insert(0)), std::pair<typename TestType::iterator, bool>>;
    std::vector<int> expected;
    for (int i = 20000; i-- > 0;) {
        s.insert(i / 2);  // each key twice: the multiset keeps both, the set ignores the second
        if (multi || expected.empty() || expected.back() != i / 2) expected.push_back(i / 2);
    }
    s.verify();
    std::reverse(expected.begin(), expected.end());
    CHECK(std::equal(s.begin(), s.end(), expected.begin(), expected.end()));
    const bptree::tree_stats st = s.stats();
    // Every leaf but the first (split off with one value) is full.
    CHECK(st.leaf_fill * static_cast<double>(st.leaf_nodes) >= static_cast<double>(st.leaf_nodes - 1));
    // Erasing from the front of the short first leaf keeps every invariant.
    for (int i = 0; i < 200; ++i) {
        s.erase(s.begin());
        s.verify();
    }
}

TEST_CASE("pops and pushes at both ends keep every invariant while the end leaves run short", "[api]") {
    // Leaves of 4: the first and last leaves empty and refill many times.
    bptree::set<int, std::less<int>, std::allocator<int>, bptree::slot_traits<4, 4>> s;
    std::set<int> model;
    int low = 0;
    int high = 0;
    for (int round = 0; round < 400; ++round) {
        const int pushes = round % 7;
        for (int i = 0; i < pushes; ++i) {
            s.insert(--low);
            model.insert(low);
            s.insert(high++);
            model.insert(high - 1);
        }
        const int pops = (round * 5) % 9;
        for (int i = 0; i < pops && !model.empty(); ++i) {
            if ((round + i) % 3 == 0) {
                s.pop_back();
                model.erase(std::prev(model.end()));
            } else {
                s.pop_front();
                model.erase(model.begin());
            }
            s.verify();
        }
        REQUIRE(std::equal(s.begin(), s.end(), model.begin(), model.end()));
    }
    CHECK(s.size() == model.size());
}

TEST_CASE("replace updates a value in place when it keeps its place, repairing separators", "[api]") {
    bptree::set<int, std::less<int>, std::allocator<int>, bptree::slot_traits<3, 4>> s;
    for (int i = 0; i < 300; i += 10) s.insert(i);  // appends: leaves [0 10 20] [30 40 50] ...
    s.verify();
    // The first value of a leaf moves below the separator before its leaf.
    auto r = s.replace(s.find(30), 25);
    CHECK(r.second);
    CHECK(*r.first == 25);
    s.verify();
    // A stale separator (its leaf's first value erased) below a leaf's new last value.
    s.erase(60);
    r = s.replace(s.find(50), 65);
    CHECK(*r.first == 65);
    s.verify();
    // A value that no longer fits moves; a key that exists elsewhere changes nothing.
    r = s.replace(s.find(100), 5);
    CHECK(*r.first == 5);
    CHECK(s.index_of(r.first) == 1);
    r = s.replace(s.find(110), 200);
    CHECK_FALSE(r.second);
    CHECK(*r.first == 200);
    CHECK(s.contains(110));
    s.verify();
    bptree::map<std::string, int> m{{"a", 1}, {"c", 3}};
    auto mr = m.replace(m.find("c"), std::pair<const std::string, int>("b", 2));
    CHECK(mr.first->first == "b");
    CHECK(m.at("b") == 2);
    CHECK_FALSE(m.contains("c"));
}
