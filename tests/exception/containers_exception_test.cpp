// Exception safety of every mutating member of set, multiset, map and multimap, tested as
// Boost.Unordered and unordered_dense test it: the k-th allocation fails, the k-th comparison
// throws, the k-th copy (or construction) of a value throws, for k = 1, 2, ... until the member
// completes (tests/support/exception_sweep.hpp). Single-value insertion and erasure must give the
// strong guarantee, everything else the basic one; no value or block may leak or be destroyed
// twice (a counted value type and a counting allocator balance). Moves of the value type here do
// not throw; throwing moves are tests/exception/throwing_move_test.cpp.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "container_cases.hpp"

namespace {

using V = bptree_test::counted<true>;
using tiny = bptree::slot_traits<3, 4>;
using dflt = bptree::default_traits;

template <class Traits>
using set_t = bptree::set<V, bptree_test::faulty_less<V>, bptree_test::counting_allocator<V>, Traits>;
template <class Traits>
using multiset_t = bptree::multiset<V, bptree_test::faulty_less<V>, bptree_test::counting_allocator<V>, Traits>;
template <class Traits>
using map_t =
    bptree::map<V, V, bptree_test::faulty_less<V>, bptree_test::counting_allocator<std::pair<const V, V>>, Traits>;
template <class Traits>
using multimap_t =
    bptree::multimap<V, V, bptree_test::faulty_less<V>, bptree_test::counting_allocator<std::pair<const V, V>>, Traits>;

// A container and the number of distinct keys of its fixture: tiny nodes make a tree of height 4
// from 60 keys, so splits and merges reach the root; default nodes hold 300 keys in two levels.
template <class C, int Keys>
struct config {
    using container = C;
    static constexpr int keys = Keys;
};

long total_faults(const std::vector<exception_cases::case_result>& results) {
    long n = 0;
    for (const auto& r : results) n += r.faults;
    return n;
}

bool uses_other_allocator(const std::string& member) { return member.find("unequal allocator") != std::string::npos; }

}  // namespace

#define EXCEPTION_CONFIGS                                                                                              \
    (config<set_t<tiny>, 60>), (config<multiset_t<tiny>, 60>), (config<map_t<tiny>, 60>),                              \
        (config<multimap_t<tiny>, 60>), (config<set_t<dflt>, 300>), (config<multiset_t<dflt>, 300>),                   \
        (config<map_t<dflt>, 300>), (config<multimap_t<dflt>, 300>)

TEMPLATE_TEST_CASE("every mutating member is exception safe when the k-th allocation fails", "[exception][allocator]",
                   EXCEPTION_CONFIGS) {
    using C = typename TestType::container;
    bptree_test::allocation_ledger la, lb;
    const auto results =
        exception_cases::run_cases<C>(bptree_test::allocator_faults{&la, "allocator"}, TestType::keys, la, lb);
    // The unequal allocator of the allocator-extended copy and move constructors fails too.
    const auto other = exception_cases::run_cases<C>(bptree_test::allocator_faults{&lb, "second allocator"},
                                                     TestType::keys, la, lb, uses_other_allocator);
    // Node memory comes in pool chunks, so only some calls allocate; they must all have failed once.
    CHECK(total_faults(results) >= 10);
    CHECK(total_faults(other) >= 2);
    CHECK(la.balanced());
    CHECK(lb.balanced());
}

TEMPLATE_TEST_CASE("every mutating member is exception safe when the k-th comparison throws", "[exception][comparator]",
                   EXCEPTION_CONFIGS) {
    using C = typename TestType::container;
    bptree_test::allocation_ledger la, lb;
    const auto results = exception_cases::run_cases<C>(
        bptree_test::value_faults{bptree_test::fault_compare, "comparator"}, TestType::keys, la, lb);
    CHECK(total_faults(results) >= 200);
    CHECK(la.balanced());
}

TEMPLATE_TEST_CASE("every mutating member is exception safe when the k-th copy of a value throws", "[exception][copy]",
                   EXCEPTION_CONFIGS) {
    using C = typename TestType::container;
    bptree_test::allocation_ledger la, lb;
    const auto results = exception_cases::run_cases<C>(bptree_test::value_faults{bptree_test::fault_any_copy, "copy"},
                                                       TestType::keys, la, lb);
    CHECK(total_faults(results) >= 200);
    CHECK(la.balanced());
}

// Node memory comes from pool chunks that grow geometrically, so in a fixture of fixed size most
// single-value inserts find a free block. Growing the fixture one key at a time reaches every size
// where a split needs a new chunk: each insertion member is swept at each of those sizes.
TEMPLATE_TEST_CASE("single-value inserts are strong when a split's allocation fails, at every size",
                   "[exception][allocator]", (config<set_t<tiny>, 0>), (config<multiset_t<tiny>, 0>),
                   (config<map_t<tiny>, 0>), (config<multimap_t<tiny>, 0>)) {
    using C = typename TestType::container;
    bptree_test::allocation_ledger la, lb;
    const auto single_insert = [](const std::string& m) {
        for (const char* prefix : {"insert(const", "insert(value", "insert(hint =", "emplace", "try_emplace",
                                   "insert_or_assign", "operator[]", "insert(P&&"}) {
            if (m.rfind(prefix, 0) == 0) return true;
        }
        return false;
    };
    long faults = 0;
    for (int n = 0; n <= 40; ++n) {
        for (const auto& r :
             exception_cases::run_cases<C>(bptree_test::allocator_faults{&la, "allocator"}, n, la, lb, single_insert)) {
            faults += r.faults;
        }
    }
    CHECK(faults >= 100);
    CHECK(la.balanced());
}
