// File: bptree/detail/search.hpp
// Layer: engine search kernels. The in-node search seam: every descent and every leaf lookup asks
// node_search<Params> for an index, so faster kernels (SIMD for arithmetic keys) plug in here
// without touching the tree. The scalar kernels are the reference and are always built.
// Includes: config, slots (slot_of), search_simd when xsimd is present, standard headers.
#ifndef BPTREE_DETAIL_SEARCH_HPP
#define BPTREE_DETAIL_SEARCH_HPP

#include <cstddef>
#include <type_traits>

#include "bptree/detail/config.hpp"
#include "bptree/detail/slots.hpp"
#if BPTREE_HAS_XSIMD()
#include "bptree/detail/search_simd.hpp"
#endif

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

// Projections from an array element to the key it holds.
struct identity_key {
    template <class T>
    const T& operator()(const T& t) const noexcept {
        return t;
    }
};
// A separator slot: the key itself, or a pointer to it when keys are boxed.
template <class Params>
struct separator_key {
    template <class Slot>
    const typename Params::key_type& operator()(const Slot& s) const noexcept {
        return object_in<Params::boxed_keys>(s);
    }
};
// A leaf slot: the value (or a pointer to it when values are boxed), projected to its key.
template <class Params>
struct value_key {
    template <class Slot>
    const typename Params::key_type& operator()(const Slot& s) const noexcept {
        return Params::key(object_in<Params::boxed_values>(s));
    }
};

// Index of the first element whose key is not less than k (std::lower_bound), in a sorted
// array of n elements. Branch-free binary search: the comparison result only selects the next
// base, which compiles to a conditional move for arithmetic keys. O(log n) comparisons.
template <class T, class K, class Compare, class Proj>
inline std::size_t lower_bound_index(const T* first, std::size_t n, const K& k, const Compare& comp,
                                     Proj proj) {
    if (n == 0) return 0;
    const T* base = first;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = comp(proj(base[half]), k) ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - first) + (comp(proj(*base), k) ? 1 : 0);
}

// Index of the first element whose key is greater than k (std::upper_bound). O(log n).
template <class T, class K, class Compare, class Proj>
inline std::size_t upper_bound_index(const T* first, std::size_t n, const K& k, const Compare& comp,
                                     Proj proj) {
    if (n == 0) return 0;
    const T* base = first;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = comp(k, proj(base[half])) ? base : base + half;
        n -= half;
    }
    return static_cast<std::size_t>(base - first) + (comp(k, proj(*base)) ? 0 : 1);
}

// The kernels the engine uses for a given Params. Inner nodes search their separator array;
// leaves search their values through the key projection. Arithmetic keys under std::less or
// std::greater use the SIMD kernels when xsimd is available (searched as the key type itself:
// heterogeneous probes take the scalar path); debug builds check every SIMD answer against the
// scalar kernel.
template <class Params>
struct node_search {
    using key_type = typename Params::key_type;
    using value_type = typename Params::value_type;
    using key_compare = typename Params::key_compare;
    using key_slot = slot_of<key_type, Params::boxed_keys>;
    using value_slot = slot_of<value_type, Params::boxed_values>;
#if BPTREE_HAS_XSIMD()
    static constexpr bool simd_keys = simd::use_kernel<key_type, key_compare> && !Params::boxed_keys;
#else
    static constexpr bool simd_keys = false;
#endif
    // Map leaves hold pairs, so their keys are not contiguous.
    static constexpr bool simd_values = simd_keys && !Params::is_map && !Params::boxed_values;

    template <class K, class Compare>
    static std::size_t lower_in_keys(const key_slot* keys, std::size_t n, const K& k, const Compare& comp) {
        if constexpr (simd_keys && std::is_same_v<K, key_type>) {
            return checked(simd_lower(keys, n, k), lower_bound_index(keys, n, k, comp, separator_key<Params>{}));
        } else {
            return lower_bound_index(keys, n, k, comp, separator_key<Params>{});
        }
    }
    template <class K, class Compare>
    static std::size_t upper_in_keys(const key_slot* keys, std::size_t n, const K& k, const Compare& comp) {
        if constexpr (simd_keys && std::is_same_v<K, key_type>) {
            return checked(simd_upper(keys, n, k), upper_bound_index(keys, n, k, comp, separator_key<Params>{}));
        } else {
            return upper_bound_index(keys, n, k, comp, separator_key<Params>{});
        }
    }
    template <class K, class Compare>
    static std::size_t lower_in_values(const value_slot* values, std::size_t n, const K& k,
                                       const Compare& comp) {
        if constexpr (simd_values && std::is_same_v<K, key_type>) {
            return lower_in_keys(values, n, k, comp);
        } else {
            return lower_bound_index(values, n, k, comp, value_key<Params>{});
        }
    }
    template <class K, class Compare>
    static std::size_t upper_in_values(const value_slot* values, std::size_t n, const K& k,
                                       const Compare& comp) {
        if constexpr (simd_values && std::is_same_v<K, key_type>) {
            return upper_in_keys(values, n, k, comp);
        } else {
            return upper_bound_index(values, n, k, comp, value_key<Params>{});
        }
    }

private:
#if BPTREE_HAS_XSIMD()
    static std::size_t simd_lower(const key_type* keys, std::size_t n, const key_type& k) noexcept {
        return simd::lower_bound_index<key_type, key_compare>(keys, n, k);
    }
    static std::size_t simd_upper(const key_type* keys, std::size_t n, const key_type& k) noexcept {
        return simd::upper_bound_index<key_type, key_compare>(keys, n, k);
    }
#else
    static std::size_t simd_lower(const key_type*, std::size_t, const key_type&) noexcept { return 0; }
    static std::size_t simd_upper(const key_type*, std::size_t, const key_type&) noexcept { return 0; }
#endif
    // The SIMD answer; in debug builds, checked against the scalar reference.
    static std::size_t checked(std::size_t simd_answer, [[maybe_unused]] std::size_t scalar_answer) noexcept {
        BPTREE_ASSERT(simd_answer == scalar_answer);
        return simd_answer;
    }
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_SEARCH_HPP
