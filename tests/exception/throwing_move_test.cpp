// Exception safety with a value type whose move constructor (and move assignment) may throw, the
// k-th move throwing, for every mutating member (the cases of the copy, comparator and allocator
// sweeps, tests/exception/container_cases.hpp), with the same guarantees: the engine boxes such a
// type (README "Exception safety"), so the tree itself moves only pointers and a throwing move can
// only happen where a value is handed over (insert, extract, merge, assignment...).
#include <catch2/catch.hpp>

#include <type_traits>

#include "container_cases.hpp"

namespace {

using W = bptree_test::counted<false>;  // move may throw
static_assert(!std::is_nothrow_move_constructible_v<W>, "the value type's move must be allowed to throw");
using tiny = bptree::slot_traits<3, 4>;
using A1 = bptree_test::counting_allocator<W>;
using A2 = bptree_test::counting_allocator<std::pair<const W, W>>;
using set_w = bptree::set<W, bptree_test::faulty_less<W>, A1, tiny>;
using multiset_w = bptree::multiset<W, bptree_test::faulty_less<W>, A1, tiny>;
using map_w = bptree::map<W, W, bptree_test::faulty_less<W>, A2, tiny>;
using multimap_w = bptree::multimap<W, W, bptree_test::faulty_less<W>, A2, tiny>;

long total_faults(const std::vector<exception_cases::case_result>& results) {
    long n = 0;
    for (const auto& r : results) n += r.faults;
    return n;
}

}  // namespace

TEMPLATE_TEST_CASE("every mutating member is exception safe when the k-th move of a value throws",
                   "[exception][throwing-move]", set_w, multiset_w, map_w, multimap_w) {
    bptree_test::allocation_ledger la, lb;
    const auto results = exception_cases::run_cases<TestType>(
        bptree_test::value_faults{bptree_test::fault_any_move, "move"}, 20, la, lb);
    CHECK(total_faults(results) >= 50);
    CHECK(la.balanced());
}
