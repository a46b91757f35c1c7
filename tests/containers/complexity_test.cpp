// Costs that must not grow with size, counted in comparisons (not time): begin/rbegin/front/back,
// full iteration and pop_front/pop_back use no comparison at all; lookups stay logarithmic. And
// costs counted in values moved: a leaf keeps free slots on both sides of its values, so pop_front
// and prepends move none and an insert or erase moves the fewer values of its two sides.
// The debug checks double-check comparisons; this file counts the algorithm's own, so it turns
// them off (its container types exist only in this translation unit).
#define BPTREE_DEBUG_CHECKS 0

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include "bptree/set.hpp"

namespace {

std::size_t comparisons = 0;

struct counting_less {
    bool operator()(int a, int b) const {
        ++comparisons;
        return a < b;
    }
};

using counted_set = bptree::set<int, counting_less>;

// Without debug checks an iterator is a leaf pointer and a slot index, nothing more: the checks
// cost nothing when they are off.
static_assert(sizeof(counted_set::iterator) == sizeof(void*) + sizeof(std::size_t),
              "iterators carry no debug data when BPTREE_DEBUG_CHECKS is 0");

std::size_t comparisons_of(const std::function<void()>& f) {
    comparisons = 0;
    f();
    return comparisons;
}

// An int whose moves are counted. Its move constructor is user-provided (but noexcept), so leaves
// hold it in place and shift it one value at a time, each shift a counted move.
std::size_t moves = 0;

struct moved_int {
    int v;
    moved_int(int x) : v(x) {}  // NOLINT(google-explicit-constructor): built from int keys
    moved_int(const moved_int& o) = default;
    moved_int(moved_int&& o) noexcept : v(o.v) { ++moves; }
    moved_int& operator=(const moved_int&) = default;
    moved_int& operator=(moved_int&& o) noexcept {
        v = o.v;
        ++moves;
        return *this;
    }
    friend bool operator<(const moved_int& a, const moved_int& b) { return a.v < b.v; }
};

// Leaves of 64 values, inner nodes of 8 children.
using moved_set = bptree::set<moved_int, std::less<moved_int>, std::allocator<moved_int>, bptree::slot_traits<64, 8>>;

std::size_t moves_of(const std::function<void()>& f) {
    moves = 0;
    f();
    return moves;
}

std::vector<int> values_of(const moved_set& s) {
    std::vector<int> out;
    for (const moved_int& m : s) out.push_back(m.v);
    return out;
}

}  // namespace

TEST_CASE("the ends of the tree cost no comparison at any size", "[complexity]") {
    for (const int n : {10, 1000, 100000}) {
        counted_set s;
        for (int i = 0; i < n; ++i) s.insert((i * 7919) % n);
        INFO("size " << n << ", height " << s.stats().height);
        CHECK(comparisons_of([&] { CHECK(*s.begin() == 0); }) == 0);
        CHECK(comparisons_of([&] { CHECK(*s.rbegin() == n - 1); }) == 0);
        CHECK(comparisons_of([&] { CHECK(s.front() == 0); }) == 0);
        CHECK(comparisons_of([&] { CHECK(s.back() == n - 1); }) == 0);
        CHECK(comparisons_of([&] {
                  long long sum = 0;
                  for (int v : s) sum += v;
                  CHECK(sum == static_cast<long long>(n) * (n - 1) / 2);
              }) == 0);
        CHECK(comparisons_of([&] { s.pop_front(); }) == 0);
        CHECK(comparisons_of([&] { s.pop_back(); }) == 0);
        CHECK(comparisons_of([&] { CHECK(*s.nth(static_cast<std::size_t>(n / 2)) == n / 2 + 1); }) == 0);
    }
}

TEST_CASE("lookups and inserts use O(log n) comparisons", "[complexity]") {
    counted_set s;
    for (int i = 0; i < 200000; ++i) s.insert((i * 7919) % 200000);
    const double log2n = std::log2(200000.0);
    // A binary search per level: about log2(n) comparisons in all, plus one per level.
    const auto bound = static_cast<std::size_t>(log2n) + 2 * s.stats().height + 2;
    CHECK(comparisons_of([&] { s.find(123457); }) <= bound);
    CHECK(comparisons_of([&] { (void)s.rank(99999); }) <= bound);
    CHECK(comparisons_of([&] { s.insert(-5); }) <= bound);
    // An append past the back compares only with the back; a prepend before the front with the
    // back and the front.
    CHECK(comparisons_of([&] { s.insert(300000); }) == 1);
    CHECK(comparisons_of([&] { s.insert(-10); }) == 2);
}

TEST_CASE("an insert or erase in a leaf moves only the values on its cheaper side", "[complexity]") {
    moved_set s;
    // Every insert moves its new value into its slot once; the counts below include that move.
    // 40 appends into one leaf move no other value; 10 pop_fronts move none and leave 10 free
    // slots before the values.
    CHECK(moves_of([&] {
              for (int i = 1; i <= 40; ++i) s.insert(i * 10);
          }) == 40);
    CHECK(moves_of([&] {
              for (int i = 0; i < 10; ++i) s.pop_front();
          }) == 0);
    REQUIRE(s.stats().leaf_nodes == 1);
    // Second place: the value before it moves one slot to the front.
    CHECK(moves_of([&] { s.insert(115); }) == 1 + 1);
    // Second to last place: the last value moves one slot to the back.
    CHECK(moves_of([&] { s.insert(395); }) == 1 + 1);
    // First place: into the free slot before the values.
    CHECK(moves_of([&] { s.insert(5); }) == 1);
    // Erasing the third value moves the two before it; the third to last, the two after it.
    CHECK(moves_of([&] { s.erase(115); }) == 2);
    CHECK(moves_of([&] { s.erase(390); }) == 2);
    s.verify();
    std::vector<int> expected{5, 110};
    for (int i = 12; i <= 38; ++i) expected.push_back(i * 10);
    expected.push_back(395);
    expected.push_back(400);
    CHECK(values_of(s) == expected);
}

TEST_CASE("pop_front, prepends and a queue's cycles move O(1) values each, amortized", "[complexity]") {
    const int n = 5000;
    SECTION("pop_front moves values only when an emptied first leaf takes in its sibling's") {
        moved_set s;
        for (int i = 0; i < n; ++i) s.insert(i);
        // Before leaf gaps every pop_front shifted its whole leaf: about 32 moves each. Now a
        // leaf's 64 values move once, when the first leaf before it has emptied.
        const std::size_t moved = moves_of([&] {
            for (int i = 0; i < n / 2; ++i) s.pop_front();
        });
        CHECK(moved <= static_cast<std::size_t>(n));
        s.verify();
        CHECK(s.front().v == n / 2);
    }
    SECTION("descending inserts move about 3 values each") {
        // Their own, and per leaf's worth of prepends: the split's, and one move of the first
        // leaf's values to make room at its front after it handed its last value to the next.
        moved_set s;
        const std::size_t moved = moves_of([&] {
            for (int i = n; i > 0; --i) s.insert(i);
        });
        CHECK(moved <= static_cast<std::size_t>(3.2 * n));
        s.verify();
        CHECK(s.size() == static_cast<std::size_t>(n));
    }
    SECTION("a queue in one leaf: push_back and pop_front") {
        moved_set s;
        for (int i = 0; i < 40; ++i) s.insert(i);
        const std::size_t moved = moves_of([&] {
            for (int i = 40; i < 40 + n; ++i) {
                s.insert(i);
                s.pop_front();
            }
        });
        // Each push moves its own value; the back runs out of room every 23 cycles, and the 40
        // values then move to the front.
        CHECK(moved <= static_cast<std::size_t>(3 * n));
        s.verify();
        CHECK(s.size() == 40u);
        CHECK(s.front().v == n);
    }
}
