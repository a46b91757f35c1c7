// File: bptree/detail/search_simd.hpp
// Layer: engine search kernels, SIMD tier. lower/upper_bound over a sorted array of arithmetic
// keys under std::less / std::greater with xsimd (8.1) batches. Same results as the scalar kernels
// of search.hpp for every input without NaN; debug builds check each result against them.
// Included only when BPTREE_HAS_XSIMD(). Includes: config, xsimd, standard headers.
//
// How a search works. Under the comparator, the keys that satisfy pred (k' < k for lower_bound,
// k' <= k for upper_bound; reversed for std::greater) form a prefix, so the answer is the number
// of keys that satisfy pred. The kernel
//   1. narrows [0, n) with branch-free binary steps until at most 4 * W keys remain (W = lanes of
//      a batch): each step keeps the half that holds the prefix's end;
//   2. compares the window with four independent batch loads and counts true lanes per batch
//      (movemask/popcount, or the AVX-512 mask register directly); loads are clamped to end at the
//      window's end, so no lane past the end is ever read.
// Arrays shorter than one batch use the scalar kernel.
#ifndef BPTREE_DETAIL_SEARCH_SIMD_HPP
#define BPTREE_DETAIL_SEARCH_SIMD_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail::simd {

// Key types with SIMD kernels.
template <class T>
inline constexpr bool is_simd_key =
    std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t> || std::is_same_v<T, std::int64_t> ||
    std::is_same_v<T, std::uint64_t> || std::is_same_v<T, float> || std::is_same_v<T, double> ||
    ((std::is_same_v<T, long> || std::is_same_v<T, unsigned long> || std::is_same_v<T, long long> ||
      std::is_same_v<T, unsigned long long> || std::is_same_v<T, int> || std::is_same_v<T, unsigned>) &&
     (sizeof(T) == 4 || sizeof(T) == 8));

// The fixed-width type a key is searched as (long and long long are the same width as int64_t).
template <class T>
using lane_type = std::conditional_t<
    std::is_floating_point_v<T>, T,
    std::conditional_t<std::is_signed_v<T>, std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t>,
                       std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>>>;

enum class order { none, ascending, descending };

// Which order a comparator imposes on T, when the kernels know it.
template <class Compare, class T>
inline constexpr order order_of =
    std::is_same_v<Compare, std::less<T>> || std::is_same_v<Compare, std::less<>> ? order::ascending
    : std::is_same_v<Compare, std::greater<T>> || std::is_same_v<Compare, std::greater<>> ? order::descending
                                                                                           : order::none;

template <class Key, class Compare>
inline constexpr bool has_kernel = is_simd_key<Key> && order_of<Compare, Key> != order::none;

// Whether the kernels are used for Key on this build's architecture (the kernels themselves exist
// and are tested for every has_kernel key everywhere). Plain SSE2, the x86-64 baseline, has no
// 64-bit integer comparison: xsimd emulates it, and the emulation measured 2.7x slower than the
// scalar search (find on 1M random int64 keys, g++ 12 -O3: 220 vs 80 ns; absl 137), so 64-bit
// integer keys search scalar there. SSE4.2, AVX2 and AVX-512 compare them natively.
template <class A>
inline constexpr bool lacks_int64_compare =
#if XSIMD_WITH_SSE2
    std::is_base_of_v<xsimd::sse2, A> && !std::is_base_of_v<xsimd::sse4_2, A>;
#else
    false;
#endif
template <class Key, class Compare>
inline constexpr bool use_kernel =
    has_kernel<Key, Compare> &&
    !(std::is_integral_v<Key> && sizeof(Key) == 8 && lacks_int64_compare<xsimd::default_arch>);

// Sign bits of a comparison register as lane bits, by register type (overloads rather than
// type traits: the vector types carry attributes that templates would drop).
#if XSIMD_WITH_SSE2
template <std::size_t Width>
inline unsigned movemask(__m128i r) noexcept {
    if constexpr (Width == 8) return static_cast<unsigned>(_mm_movemask_pd(_mm_castsi128_pd(r)));
    else return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(r)));
}
template <std::size_t Width>
inline unsigned movemask(__m128d r) noexcept {
    return static_cast<unsigned>(_mm_movemask_pd(r));
}
template <std::size_t Width>
inline unsigned movemask(__m128 r) noexcept {
    return static_cast<unsigned>(_mm_movemask_ps(r));
}
#endif
#if XSIMD_WITH_AVX
template <std::size_t Width>
inline unsigned movemask(__m256i r) noexcept {
    if constexpr (Width == 8) return static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(r)));
    else return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(r)));
}
template <std::size_t Width>
inline unsigned movemask(__m256d r) noexcept {
    return static_cast<unsigned>(_mm256_movemask_pd(r));
}
template <std::size_t Width>
inline unsigned movemask(__m256 r) noexcept {
    return static_cast<unsigned>(_mm256_movemask_ps(r));
}
#endif

// The lanes of a batch_bool as bits (bit i = lane i). AVX-512 comparisons already produce a mask
// register; SSE and AVX use movemask; other architectures go through memory.
template <class A, class T>
inline unsigned lane_bits(const xsimd::batch_bool<T, A>& m) noexcept {
#if XSIMD_WITH_AVX512F
    if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
        return static_cast<unsigned>(m.data);
    } else
#endif
#if XSIMD_WITH_AVX
        if constexpr (std::is_base_of_v<xsimd::avx, A>) {
        return movemask<sizeof(T)>(m.data);
    } else
#endif
#if XSIMD_WITH_SSE2
        if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
        return movemask<sizeof(T)>(m.data);
    } else
#endif
    {
        constexpr std::size_t lanes = xsimd::batch_bool<T, A>::size;
        alignas(64) bool flags[lanes];
        m.store_aligned(flags);
        unsigned bits = 0;
        for (std::size_t i = 0; i < lanes; ++i) bits |= static_cast<unsigned>(flags[i]) << i;
        return bits;
    }
}

inline unsigned popcount(unsigned x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    return static_cast<unsigned>(__builtin_popcount(x));
#else
    unsigned c = 0;
    for (; x != 0; x &= x - 1) ++c;
    return c;
#endif
}

// pred(key) for lower_bound (Upper == false) or upper_bound (Upper == true) under Order.
template <order Order, bool Upper, class T>
inline bool satisfies(T key, T k) noexcept {
    if constexpr (Order == order::ascending) return Upper ? !(k < key) : key < k;
    else return Upper ? !(key < k) : k < key;
}
template <order Order, bool Upper, class B>
inline auto satisfies_lanes(const B& keys, const B& k) noexcept {
    if constexpr (Order == order::ascending) return Upper ? keys <= k : keys < k;
    else return Upper ? keys >= k : keys > k;
}

// How many batches the final window spans: narrowing stops at most window_batches * W keys.
// Four independent loads measured faster than further dependent binary steps on SSE2, AVX2 and
// AVX-512, in cache and out of it (see the README's search table).
inline constexpr std::size_t window_batches = 4;

// Number of the n keys (W <= n <= window_batches * W) that satisfy pred, branch-free: batch j is
// loaded at min(j * W, n - W) (the last ones overlap when n is short), and since the true lanes
// form a prefix, the answer is o_j + count_j for the first batch that is not all true, or n.
template <class A, order Order, bool Upper, class T>
inline std::size_t count_window(const T* keys, std::size_t n, const xsimd::batch<T, A>& probe) noexcept {
    using batch = xsimd::batch<T, A>;
    constexpr std::size_t W = batch::size;
    std::size_t answer = n;
    for (std::size_t j = window_batches; j-- > 0;) {
        const std::size_t offset = j * W < n - W ? j * W : n - W;
        const std::size_t count =
            popcount(lane_bits<A>(satisfies_lanes<Order, Upper>(batch::load_unaligned(keys + offset), probe)));
        answer = count < W && offset + count < answer ? offset + count : answer;
    }
    return answer;
}

// lower_bound (Upper == false) or upper_bound index of k in the n sorted keys. Scalar reads use
// the key type itself; batch loads read the same bytes as the lane type of equal width.
template <class A, order Order, bool Upper, class Key>
inline std::size_t bound_index(const Key* keys, std::size_t n, Key k) noexcept {
    using T = lane_type<Key>;
    using batch = xsimd::batch<T, A>;
    constexpr std::size_t W = batch::size;
    if (n < W) {
        std::size_t count = 0;  // branch-free scalar count: the array is shorter than a batch
        for (std::size_t i = 0; i < n; ++i) count += satisfies<Order, Upper>(keys[i], k) ? 1 : 0;
        return count;
    }
    const Key* base = keys;
    std::size_t len = n;
    while (len > window_batches * W) {
        const std::size_t half = len / 2;
        base = satisfies<Order, Upper>(base[half], k) ? base + half : base;
        len -= half;
    }
    return static_cast<std::size_t>(base - keys) +
           count_window<A, Order, Upper>(reinterpret_cast<const T*>(base), len, batch(static_cast<T>(k)));
}

// Entry points. Requires: has_kernel<Key, Compare>.
template <class Key, class Compare>
inline std::size_t lower_bound_index(const Key* keys, std::size_t n, const Key& k) noexcept {
    return bound_index<xsimd::default_arch, order_of<Compare, Key>, false>(keys, n, k);
}
template <class Key, class Compare>
inline std::size_t upper_bound_index(const Key* keys, std::size_t n, const Key& k) noexcept {
    return bound_index<xsimd::default_arch, order_of<Compare, Key>, true>(keys, n, k);
}

}  // namespace detail::simd
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_SEARCH_SIMD_HPP
