// The functions of abi_namespace_avx2.cpp, a translation unit built with -mavx2 where the
// compiler accepts it (tests/containers/CMakeLists.txt).
#ifndef BPTREE_TESTS_CONTAINERS_ABI_NAMESPACE_PROBE_HPP
#define BPTREE_TESTS_CONTAINERS_ABI_NAMESPACE_PROBE_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace abi_probe {
bool avx2_probe_built();  // false: the probe TU was built without -mavx2 (the rest is unusable)
bool cpu_has_avx2();
std::string avx2_type_name();                                        // typeid(bptree::set<int64_t>)
std::int64_t avx2_sum_of_finds(const std::vector<std::int64_t>& keys);  // sum of *find(k) + rank(k)
}  // namespace abi_probe

#endif  // BPTREE_TESTS_CONTAINERS_ABI_NAMESPACE_PROBE_HPP
