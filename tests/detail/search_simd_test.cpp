// The SIMD in-node search kernels return exactly what the scalar kernels return: every key type
// with a kernel, both comparators, every fill from 0 to 130 keys, runs of equal keys, the extreme
// values, -0.0 and +0.0, infinities. This file is also compiled with -mavx2 and with AVX-512
// flags (see CMakeLists.txt), so each instruction set's kernels are checked.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "bptree/detail/search.hpp"

#if BPTREE_HAS_XSIMD()
#include "bptree/detail/search_simd.hpp"

namespace {

using bptree::detail::identity_key;
namespace simd = bptree::detail::simd;

// Candidate key values of T: extremes, zeros, small and large magnitudes.
template <class T>
std::vector<T> interesting_values() {
    using lim = std::numeric_limits<T>;
    std::vector<T> v{lim::lowest(), lim::max(), T(0), T(1), T(2), T(3), T(5), T(100), T(101)};
    if constexpr (std::is_signed_v<T>) {
        v.insert(v.end(), {T(-1), T(-2), T(-100), static_cast<T>(lim::lowest() + T(1))});
    }
    if constexpr (std::is_floating_point_v<T>) {
        v.insert(v.end(), {T(-0.0), T(0.5), T(-0.5), lim::infinity(), -lim::infinity(), lim::denorm_min(),
                           -lim::denorm_min(), lim::min(), T(1e30), T(-1e30)});
    } else {
        v.push_back(static_cast<T>(lim::max() - T(1)));
    }
    return v;
}

// Compares SIMD and scalar answers for every probe; returns the number of probes checked.
template <class T, class Compare>
std::size_t check_array(const std::vector<T>& keys, const std::vector<T>& probes) {
    const Compare comp;
    for (const T& k : probes) {
        const std::size_t lo = bptree::detail::lower_bound_index(keys.data(), keys.size(), k, comp, identity_key{});
        const std::size_t hi = bptree::detail::upper_bound_index(keys.data(), keys.size(), k, comp, identity_key{});
        const std::size_t simd_lo = simd::lower_bound_index<T, Compare>(keys.data(), keys.size(), k);
        const std::size_t simd_hi = simd::upper_bound_index<T, Compare>(keys.data(), keys.size(), k);
        if (simd_lo != lo || simd_hi != hi) {
            INFO("n=" << keys.size() << " probe=" << +k);
            CHECK(simd_lo == lo);
            CHECK(simd_hi == hi);
        }
    }
    return probes.size();
}

template <class T, class Compare>
void check_type() {
    std::size_t checked = 0;
    std::mt19937_64 rng(42);
    const std::vector<T> pool = interesting_values<T>();
    for (std::size_t n = 0; n <= 130; ++n) {
        for (int pattern = 0; pattern < 4; ++pattern) {
            std::vector<T> keys;
            for (std::size_t i = 0; i < n; ++i) {
                switch (pattern) {
                    case 0: keys.push_back(static_cast<T>(2 * (i % 60))); break;             // distinct, gaps
                    case 1: keys.push_back(static_cast<T>(i / 5));  break;                   // runs of 5
                    case 2: keys.push_back(pool[rng() % pool.size()]); break;               // extremes mixed
                    default: keys.push_back(static_cast<T>(7)); break;                       // all equal
                }
            }
            std::sort(keys.begin(), keys.end(), Compare());
            std::vector<T> probes = pool;
            for (const T& k : keys) {
                probes.push_back(k);
                if constexpr (std::is_floating_point_v<T>) {
                    probes.push_back(std::nextafter(k, std::numeric_limits<T>::infinity()));
                    probes.push_back(std::nextafter(k, -std::numeric_limits<T>::infinity()));
                } else {
                    // Neighbours without overflow (the extremes are in the pool already).
                    if (k != std::numeric_limits<T>::max()) probes.push_back(static_cast<T>(k + T(1)));
                    if (k != std::numeric_limits<T>::min()) probes.push_back(static_cast<T>(k - T(1)));
                }
            }
            checked += check_array<T, Compare>(keys, probes);
        }
    }
    CHECK(checked > 50000);
}

}  // namespace

TEMPLATE_TEST_CASE("SIMD kernels equal the scalar kernels for every fill, probe and order", "[search][simd]",
                   std::int32_t, std::uint32_t, std::int64_t, std::uint64_t, float, double, long long,
                   unsigned long long) {
    INFO("architecture " << xsimd::default_arch::name());
    check_type<TestType, std::less<TestType>>();
    check_type<TestType, std::greater<TestType>>();
    check_type<TestType, std::less<>>();
    check_type<TestType, std::greater<>>();
}

TEST_CASE("the engine picks SIMD kernels exactly for arithmetic keys under less and greater", "[search][simd]") {
    static_assert(simd::has_kernel<std::int64_t, std::less<std::int64_t>>);
    static_assert(simd::has_kernel<double, std::greater<>>);
    static_assert(!simd::has_kernel<std::int16_t, std::less<std::int16_t>>);
    static_assert(!simd::has_kernel<std::int64_t, std::less_equal<std::int64_t>>);
    static_assert(!simd::has_kernel<long double, std::less<long double>>);
    SUCCEED("checked at compile time");
}

#else
TEST_CASE("SIMD kernels are compiled out without xsimd", "[search][simd]") {
    SUCCEED("BPTREE_HAS_XSIMD() is 0: only the scalar kernels exist");
}
#endif
