// Exception safety, tested as Boost.Unordered tests it: make the k-th allocation, comparison or
// copy throw, for k = 1, 2, ... until the operation completes. Single-value insert and erase must
// give the strong guarantee (verify() holds, contents unchanged); nothing may leak.
#include <catch2/catch.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/counting_allocator.hpp"

namespace {

// Counts down to an exception: every instrumented call decrements it, the one reaching zero throws.
struct fault_point {
    static inline long countdown = 0;  // 0: disarmed
    static void hit() {
        if (countdown > 0 && --countdown == 0) throw std::runtime_error("injected fault");
    }
};

struct throwing_less {
    bool operator()(int a, int b) const {
        fault_point::hit();
        return a < b;
    }
};

// A key whose copy constructor may throw; moves never do (as for std::string).
struct fragile {
    int v = 0;
    fragile() = default;
    explicit fragile(int x) : v(x) {}
    fragile(const fragile& o) : v(o.v) { fault_point::hit(); }
    fragile(fragile&& o) noexcept : v(o.v) {}
    fragile& operator=(const fragile& o) {
        fault_point::hit();
        v = o.v;
        return *this;
    }
    fragile& operator=(fragile&& o) noexcept {
        v = o.v;
        return *this;
    }
    friend bool operator<(const fragile& a, const fragile& b) { return a.v < b.v; }
    friend bool operator==(const fragile& a, const fragile& b) { return a.v == b.v; }
};

template <class C>
std::vector<typename C::value_type> snapshot(const C& c) {
    return {c.begin(), c.end()};
}

// Runs op with the k-th fault armed for k = 1.. until op completes; after every throw, c must
// verify and hold exactly what it held before. Returns the number of faults injected.
template <class C, class Op>
int sweep_strong(C& c, Op op) {
    for (long k = 1;; ++k) {
        const auto before = snapshot(c);
        fault_point::countdown = k;
        try {
            op(c);
            fault_point::countdown = 0;
            c.verify();
            return static_cast<int>(k - 1);
        } catch (const std::runtime_error&) {
            fault_point::countdown = 0;
            c.verify();
            REQUIRE(snapshot(c) == before);
        }
    }
}

using tiny = bptree::slot_traits<3, 4>;

}  // namespace

TEST_CASE("insert and erase are strong when the comparator throws", "[exception]") {
    bptree::set<int, throwing_less, std::allocator<int>, tiny> s;
    for (int i = 0; i < 300; i += 2) s.insert(i);
    int faults = 0;
    for (int k : {101, 0, 299, 150, -1, 1000}) {
        faults += sweep_strong(s, [&](auto& c) { c.insert(k); });
        faults += sweep_strong(s, [&](auto& c) { c.erase(k + 1); });
        faults += sweep_strong(s, [&](auto& c) { c.erase(k); });
    }
    CHECK(faults > 50);
}

TEST_CASE("insert is strong when the allocator fails", "[exception]") {
    bptree_test::allocation_ledger ledger;
    {
        bptree::map<std::string, int, std::less<std::string>,
                    bptree_test::counting_allocator<std::pair<const std::string, int>>, tiny>
            m{bptree_test::counting_allocator<std::pair<const std::string, int>>(&ledger)};
        int failures = 0;
        for (int i = 0; i < 300; ++i) {
            for (long k = 1;; ++k) {
                const auto before = snapshot(m);
                ledger.fail_at = static_cast<std::size_t>(k);
                try {
                    m.emplace(std::to_string((i * 37) % 300), i);
                    ledger.fail_at = 0;
                    break;
                } catch (const std::bad_alloc&) {
                    ++failures;
                    m.verify();
                    REQUIRE(snapshot(m) == before);
                }
            }
            m.verify();
        }
        // Only splits that need a new pool chunk call the allocator (chunks grow geometrically).
        CHECK(failures >= 10);
    }
    CHECK(ledger.balanced());
}

TEST_CASE("insert and erase are strong when copying a key throws", "[exception]") {
    bptree::set<fragile, std::less<fragile>, std::allocator<fragile>, tiny> s;
    for (int i = 0; i < 200; ++i) s.insert(fragile(i * 2));  // moves only: no fault
    int faults = 0;
    for (int i = 0; i < 200; ++i) {
        const fragile v((i * 53) % 400);
        // insert(const value&) copies the value; a split copies a separator key.
        faults += sweep_strong(s, [&](auto& c) { c.insert(v); });
    }
    for (int i = 0; i < 400; ++i) {
        // Erasing may balance a leaf with its sibling, which copies a separator first.
        faults += sweep_strong(s, [&](auto& c) { c.erase(fragile((i * 71) % 400)); });
    }
    CHECK(s.empty());
    CHECK(faults > 100);
}
