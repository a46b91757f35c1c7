// What abi_namespace_test.cpp compares between two translation units: this one (portable) and
// abi_namespace_avx2.cpp, built with -mavx2 where the compiler accepts it
// (tests/containers/CMakeLists.txt).
#ifndef BPTREE_TESTS_CONTAINERS_ABI_NAMESPACE_PROBE_HPP
#define BPTREE_TESTS_CONTAINERS_ABI_NAMESPACE_PROBE_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <typeinfo>
#include <vector>

#include "bptree/set.hpp"

namespace abi_probe {

// Defined in abi_namespace_avx2.cpp.
bool avx2_probe_built();  // false: the probe TU was built without -mavx2 (the rest is unusable)
bool cpu_has_avx2();
std::string avx2_type_name();
std::int64_t avx2_sum_of_finds(const std::vector<std::int64_t>& keys);
std::vector<std::size_t> avx2_ranks_after_erasures(const std::vector<std::int64_t>& keys,
                                                   const std::vector<std::int64_t>& probes);

namespace {  // internal linkage: each translation unit compiles its own copy for its own flags

std::string local_type_name() { return typeid(bptree::set<std::int64_t>).name(); }

// The sum of *find(k) + rank(k) over the keys, in a set of those keys.
std::int64_t local_sum_of_finds(const std::vector<std::int64_t>& keys) {
    const bptree::set<std::int64_t> s(keys.begin(), keys.end());
    std::int64_t sum = 0;
    for (const std::int64_t k : keys) sum += *s.find(k) + static_cast<std::int64_t>(s.rank(k));
    return sum;
}

// rank(p) for every probe, in a set of the keys from which two keys in three were then erased,
// so that merged inner nodes keep stale counts past their count (the AVX2 build's rank sums the
// whole counts array, masked; the portable one sums the shorter side of the path's child).
std::vector<std::size_t> local_ranks_after_erasures(const std::vector<std::int64_t>& keys,
                                                    const std::vector<std::int64_t>& probes) {
    bptree::set<std::int64_t> s(keys.begin(), keys.end());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i % 3 != 0) s.erase(keys[i]);
    }
    std::vector<std::size_t> ranks;
    for (const std::int64_t p : probes) ranks.push_back(s.rank(p));
    return ranks;
}

}  // namespace
}  // namespace abi_probe

#endif  // BPTREE_TESTS_CONTAINERS_ABI_NAMESPACE_PROBE_HPP
