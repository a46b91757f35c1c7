// Built with -mavx2 when the compiler accepts it (see abi_namespace_test.cpp). Only called when
// the CPU has AVX2.
#include <cstdint>
#include <string>
#include <typeinfo>
#include <vector>

#include "abi_namespace_probe.hpp"
#include "bptree/set.hpp"

namespace abi_probe {

bool avx2_probe_built() {
#if defined(__AVX2__)
    return true;
#else
    return false;
#endif
}

bool cpu_has_avx2() {
#if defined(__AVX2__) && (defined(__GNUC__) || defined(__clang__))
    return __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

std::string avx2_type_name() { return typeid(bptree::set<std::int64_t>).name(); }

std::int64_t avx2_sum_of_finds(const std::vector<std::int64_t>& keys) {
    const bptree::set<std::int64_t> s(keys.begin(), keys.end());
    std::int64_t sum = 0;
    for (const std::int64_t k : keys) sum += *s.find(k) + static_cast<std::int64_t>(s.rank(k));
    return sum;
}

}  // namespace abi_probe
