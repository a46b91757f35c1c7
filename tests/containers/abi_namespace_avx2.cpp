// Built with -mavx2 when the compiler accepts it (see abi_namespace_test.cpp). Only called when
// the CPU has AVX2.
#include <cstdint>
#include <string>
#include <vector>

#include "abi_namespace_probe.hpp"

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

std::string avx2_type_name() { return local_type_name(); }

std::int64_t avx2_sum_of_finds(const std::vector<std::int64_t>& keys) { return local_sum_of_finds(keys); }

std::vector<std::size_t> avx2_ranks_after_erasures(const std::vector<std::int64_t>& keys,
                                                   const std::vector<std::int64_t>& probes) {
    return local_ranks_after_erasures(keys, probes);
}

}  // namespace abi_probe
