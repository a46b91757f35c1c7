// Allocators: a counting allocator shows zero leaks and balanced construct/destroy after every
// scenario; allocator propagation; pmr with a monotonic_buffer_resource; move-only mapped types.
#include <catch2/catch.hpp>

#include <memory>
#include <memory_resource>
#include <string>
#include <utility>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/counting_allocator.hpp"

namespace {

using bptree_test::allocation_ledger;
using bptree_test::counting_allocator;
using value_alloc = counting_allocator<std::pair<const std::string, std::string>>;
using counted_map =
    bptree::map<std::string, std::string, std::less<std::string>, value_alloc, bptree::slot_traits<4, 4>>;
using counted_multiset =
    bptree::multiset<std::string, std::less<std::string>, counting_allocator<std::string>, bptree::slot_traits<3, 4>>;

std::string long_string(int i) { return "a value long enough to defeat the small string buffer #" + std::to_string(i); }

}  // namespace

TEST_CASE("every scenario returns all memory and destroys every value it built", "[allocator]") {
    allocation_ledger ledger;
    const value_alloc alloc(&ledger);
    {
        counted_map m(alloc);
        for (int i = 0; i < 500; ++i) m.emplace(long_string(i % 300), long_string(i));
        for (int i = 0; i < 500; i += 3) m.erase(long_string(i));
        m.erase(m.nth(10), m.nth(150));
        m.verify();

        counted_map copy(m);
        counted_map moved(std::move(copy));
        counted_map assigned(alloc);
        assigned = moved;
        assigned.swap(moved);
        auto node = assigned.extract(assigned.begin());
        node.key() = "zzz";
        assigned.insert(std::move(node));
        counted_map other(alloc);
        for (int i = 0; i < 100; ++i) other.emplace(long_string(1000 + i), "x");
        assigned.merge(other);
        assigned.shrink_to_fit();
        std::vector<std::pair<std::string, std::string>> sorted(assigned.begin(), assigned.end());
        counted_map bulk(bptree::sorted_unique, sorted.begin(), sorted.end(), std::less<std::string>(), alloc);
        bulk.verify();
        assigned.verify();
        while (!bulk.empty()) bulk.pop_back();
        assigned.clear();
        CHECK(ledger.allocations > 0);
    }
    CHECK(ledger.allocations == ledger.deallocations);
    CHECK(ledger.live_bytes == 0);
    CHECK(ledger.constructions == ledger.destructions);
}

TEST_CASE("a multiset with duplicates balances too", "[allocator]") {
    allocation_ledger ledger;
    {
        counted_multiset s{counting_allocator<std::string>(&ledger)};
        for (int i = 0; i < 400; ++i) s.insert(long_string(i % 17));
        CHECK(s.count(long_string(3)) == 24);
        CHECK(s.erase(long_string(3)) == 24);
        erase_if(s, [](const std::string& v) { return v.back() == '1'; });
        s.verify();
    }
    CHECK(ledger.balanced());
}

TEST_CASE("allocators propagate as their traits say", "[allocator]") {
    allocation_ledger a, b;
    counted_map x{value_alloc(&a)};
    counted_map y{value_alloc(&b)};
    x.emplace("k", "v");
    y = x;  // propagate_on_container_copy_assignment
    CHECK(y.get_allocator() == x.get_allocator());
    counted_map z{value_alloc(&b)};
    z = std::move(y);  // propagate_on_container_move_assignment: steals y's memory
    CHECK(z.get_allocator() == x.get_allocator());
    CHECK(z.size() == 1);
    z.verify();
}

TEST_CASE("pmr containers take every node and every element's memory from the resource", "[allocator][pmr]") {
    std::pmr::monotonic_buffer_resource resource;
    bptree::pmr::map<int, std::pmr::string> m(&resource);
    for (int i = 0; i < 1000; ++i) m.emplace(i, long_string(i));
    // Uses-allocator construction: the strings use the map's resource too.
    CHECK(m.at(5).get_allocator().resource() == &resource);
    CHECK(m.get_allocator().resource() == &resource);
    m.erase(m.nth(100), m.nth(900));
    m.verify();
    CHECK(m.size() == 200);

    bptree::pmr::multiset<int> s(&resource);
    for (int i = 0; i < 100; ++i) s.insert(i % 10);
    CHECK(s.count(3) == 10);
}

TEST_CASE("move-only mapped types work in every member that does not copy", "[allocator]") {
    bptree::map<int, std::unique_ptr<int>, std::less<int>, std::allocator<std::pair<const int, std::unique_ptr<int>>>,
                bptree::slot_traits<3, 4>>
        m;
    for (int i = 0; i < 200; ++i) m.emplace(i, std::make_unique<int>(i));
    m.try_emplace(500, std::make_unique<int>(500));
    m.insert_or_assign(0, std::make_unique<int>(-1));
    m[7] = std::make_unique<int>(70);
    CHECK(*m.at(0) == -1);
    CHECK(*m.at(7) == 70);
    auto node = m.extract(42);
    CHECK(*node.mapped() == 42);
    node.key() = 1000;
    CHECK(m.insert(std::move(node)).inserted);
    m.erase(m.nth(10), m.nth(50));
    auto moved = std::move(m);
    moved.verify();
    CHECK(*moved.at(1000) == 42);
    CHECK(*moved.rbegin()->second == 42);
}
