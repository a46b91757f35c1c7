// The in-node search's instruction set is part of every bptree type (BPTREE_ABI_NAMESPACE, see
// config.hpp): a translation unit built with -mavx2 (abi_namespace_avx2.cpp) and this one, built
// without it, get distinct types and so distinct symbols, where the same names would let the linker
// run one TU's AVX2 code for both. Both copies still answer the same.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "abi_namespace_probe.hpp"

TEST_CASE("translation units built for different instruction sets get distinct bptree types", "[abi]") {
#if defined(__AVX2__)
    SUCCEED("this translation unit is built for AVX2 too: nothing to tell apart");
    return;
#endif
    if (!abi_probe::avx2_probe_built()) {
        SUCCEED("no -mavx2 translation unit on this compiler or architecture");
        return;
    }
    const std::string portable = abi_probe::local_type_name();
    const std::string avx2 = abi_probe::avx2_type_name();
    INFO("portable: " << portable << ", avx2: " << avx2);
    CHECK(portable != avx2);
    CHECK(avx2.find("abi_v0_avx2") != std::string::npos);
    if (abi_probe::cpu_has_avx2()) {
        std::vector<std::int64_t> keys;
        for (std::int64_t i = 0; i < 5000; ++i) keys.push_back(i * 7919 % 10007 - 5000);
        CHECK(abi_probe::avx2_sum_of_finds(keys) == abi_probe::local_sum_of_finds(keys));
    }
}

TEST_CASE("rank agrees between the AVX2 and the portable build, and with a sorted array", "[abi][rank]") {
    if (!abi_probe::avx2_probe_built() || !abi_probe::cpu_has_avx2()) {
        SUCCEED("no AVX2 translation unit or CPU");
        return;
    }
    // 200,000 keys: three levels (a root, some 40 inner nodes, the leaves) with the default node
    // sizes, before and after the erasures.
    std::vector<std::int64_t> keys;
    for (std::int64_t i = 0; i < 200000; ++i) keys.push_back(i * 7919 % 200003 * 2);
    std::vector<std::int64_t> kept;
    for (std::size_t i = 0; i < keys.size(); i += 3) kept.push_back(keys[i]);
    std::sort(kept.begin(), kept.end());
    std::vector<std::int64_t> probes;  // present, erased and absent keys, and both ends
    for (std::int64_t i = 0; i < 30000; ++i) probes.push_back(i * 104729 % 400013 - 3);
    const std::vector<std::size_t> avx2 = abi_probe::avx2_ranks_after_erasures(keys, probes);
    const std::vector<std::size_t> portable = abi_probe::local_ranks_after_erasures(keys, probes);
    REQUIRE(avx2.size() == probes.size());
    REQUIRE(portable.size() == probes.size());
    std::size_t wrong = 0;
    for (std::size_t j = 0; j < probes.size(); ++j) {
        const auto expected =
            static_cast<std::size_t>(std::lower_bound(kept.begin(), kept.end(), probes[j]) - kept.begin());
        if (avx2[j] != expected || portable[j] != expected) ++wrong;
    }
    CHECK(wrong == 0);
}
