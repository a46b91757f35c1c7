// Costs that must not grow with size, counted in comparisons (not time): begin/rbegin/front/back,
// full iteration and pop_front/pop_back use no comparison at all; lookups stay logarithmic.
// The debug checks double-check comparisons; this file counts the algorithm's own, so it turns
// them off (its container types exist only in this translation unit).
#define BPTREE_DEBUG_CHECKS 0

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <functional>

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
