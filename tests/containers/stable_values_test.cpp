// Boxed values: Traits::stable_values keeps every value in its own allocation, so pointers and
// references survive inserts and erases of other values and node handles carry values without
// moving them; types whose move constructor may throw are boxed automatically, so no shift ever
// moves (or throws on) them.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/counting_allocator.hpp"

namespace {

struct stable_tiny : bptree::slot_traits<3, 4> {
    static constexpr bool stable_values = true;
};

// Moving may throw (not noexcept) and does when armed; copies never throw.
struct risky_move {
    static inline int armed = 0;  // > 0: the armed-th move from now throws
    int v = 0;
    explicit risky_move(int x) : v(x) {}
    risky_move(const risky_move& o) = default;
    risky_move(risky_move&& o) : v(o.v) {  // NOLINT: deliberately not noexcept
        if (armed > 0 && --armed == 0) throw std::runtime_error("move failed");
    }
    risky_move& operator=(const risky_move&) = default;
    friend bool operator<(const risky_move& a, const risky_move& b) { return a.v < b.v; }
};

}  // namespace

TEST_CASE("stable values keep their addresses across inserts and erases of others", "[stable]") {
    bptree::map<int, std::string, std::less<int>, std::allocator<std::pair<const int, std::string>>, stable_tiny> m;
    for (int i = 0; i < 500; i += 2) m.emplace(i, "value " + std::to_string(i));
    std::vector<std::pair<const int, std::string>*> pointers;
    for (auto& kv : m) pointers.push_back(&kv);
    for (int i = 1; i < 500; i += 2) m.emplace(i, "odd");        // splits and shifts everywhere
    for (int i = 0; i < 500; i += 4) m.erase(i + 1);              // merges and borrows
    m.verify();
    int k = 0;
    for (auto* p : pointers) {
        CHECK(p->first == k);
        CHECK(p->second == "value " + std::to_string(k));
        CHECK(&*m.find(k) == p);
        k += 2;
    }
}

TEST_CASE("node handles of stable values carry the value itself", "[stable]") {
    bptree::set<std::string, std::less<std::string>, std::allocator<std::string>, stable_tiny> s;
    for (int i = 0; i < 100; ++i) s.insert(std::to_string(i));
    const std::string* address = &*s.find("42");
    auto nh = s.extract("42");
    CHECK(&nh.value() == address);
    s.verify();
    nh.value() = "zz";
    const auto r = s.insert(std::move(nh));
    CHECK(r.inserted);
    CHECK(&*r.position == address);
    bptree::set<std::string, std::less<std::string>, std::allocator<std::string>, stable_tiny> other{"a", "zz"};
    const std::string* a = &*other.find("a");
    s.merge(other);  // "a" moves over by pointer; "zz" is a duplicate and stays
    CHECK(&*s.find("a") == a);
    CHECK(other.size() == 1);
    s.verify();
    other.verify();
}

TEST_CASE("stable values return every allocation", "[stable]") {
    bptree_test::allocation_ledger ledger;
    {
        bptree::set<std::string, std::less<std::string>, bptree_test::counting_allocator<std::string>, stable_tiny> s{
            bptree_test::counting_allocator<std::string>(&ledger)};
        for (int i = 0; i < 300; ++i) s.insert("a string long enough to allocate " + std::to_string(i));
        s.erase(s.nth(10), s.nth(200));
        auto nh = s.extract(s.begin());
        s.replace(s.begin(), "x");
        auto copy = s;
        copy.verify();
    }
    CHECK(ledger.balanced());
}

TEST_CASE("values whose move may throw are boxed and never moved by the tree", "[stable][exception]") {
    using set_type = bptree::set<risky_move, std::less<risky_move>, std::allocator<risky_move>, bptree::slot_traits<3, 4>>;
    set_type s;
    for (int i = 0; i < 300; ++i) s.insert(risky_move((i * 7) % 300));  // copies only
    s.verify();
    // Restructuring with the next move armed: the tree moves pointers, never values (values are
    // inserted as lvalues here, so they are copied into their boxes).
    risky_move::armed = 1;
    for (int i = 0; i < 300; i += 3) s.erase(risky_move(i));
    for (int i = 300; i < 600; ++i) {
        const risky_move v(i);
        s.insert(v);
    }
    CHECK(risky_move::armed == 1);
    s.verify();
    // Inserting an rvalue moves it once, into its box: a throw there leaves the set unchanged.
    const std::size_t before = s.size();
    CHECK_THROWS_AS(s.insert(risky_move(1000)), std::runtime_error);
    CHECK(s.size() == before);
    CHECK_FALSE(s.contains(risky_move(1000)));
    s.verify();
    risky_move::armed = 0;
    CHECK(s.insert(risky_move(1000)).second);
}
