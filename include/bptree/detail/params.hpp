// File: bptree/detail/params.hpp
// Layer: engine parameters. One Params type carries everything the engine needs to know about a
// container (key, value, comparator, allocator, traits, unique or multi), as abseil's
// common_params does. set_params and map_params differ only in how a value yields its key and in
// how a value is moved between slots.
// Includes: config, traits, standard headers.
#ifndef BPTREE_DETAIL_PARAMS_HPP
#define BPTREE_DETAIL_PARAMS_HPP

#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "bptree/detail/config.hpp"
#include "bptree/traits.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

template <class Compare, class = void>
struct is_transparent : std::false_type {};
template <class Compare>
struct is_transparent<Compare, std::void_t<typename Compare::is_transparent>> : std::true_type {};

template <class Key, class Compare, class Allocator, class Traits, bool Multi>
struct set_params {
    using key_type = Key;
    using value_type = Key;
    using key_compare = Compare;
    using allocator_type = Allocator;
    using traits_type = Traits;
    static constexpr bool is_multi = Multi;
    static constexpr bool is_map = false;

    static const key_type& key(const value_type& v) noexcept { return v; }
    // The value as an rvalue whose members may be moved from (relocation between slots).
    static value_type&& movable(value_type& v) noexcept { return std::move(v); }
    // Values whose bytes may be copied to relocate them (no construct/destroy calls needed).
    static constexpr bool is_trivially_relocatable = std::is_trivially_copyable_v<Key>;
    static constexpr bool is_nothrow_relocatable = std::is_nothrow_move_constructible_v<Key>;
    // Values live in their own allocation ("boxed") when asked for stable addresses, or when
    // moving them could throw (the tree then moves pointers, which cannot).
    static constexpr bool boxed_values = Traits::stable_values || !is_nothrow_relocatable;
    static constexpr bool boxed_keys = !std::is_nothrow_move_constructible_v<Key>;
};

template <class Key, class T, class Compare, class Allocator, class Traits, bool Multi>
struct map_params {
    using key_type = Key;
    using mapped_type = T;
    using value_type = std::pair<const Key, T>;
    using key_compare = Compare;
    using allocator_type = Allocator;
    using traits_type = Traits;
    static constexpr bool is_multi = Multi;
    static constexpr bool is_map = true;

    static const key_type& key(const value_type& v) noexcept { return v.first; }
    // A map value keeps its key const for users; when the engine relocates a value it moves the key
    // out of the slot it is about to destroy, as libstdc++'s node handles do for key().
    static std::pair<Key&&, T&&> movable(value_type& v) noexcept {
        return {std::move(const_cast<Key&>(v.first)), std::move(v.second)};
    }
    static constexpr bool is_trivially_relocatable =
        std::is_trivially_copyable_v<Key> && std::is_trivially_copyable_v<T>;
    static constexpr bool is_nothrow_relocatable =
        std::is_nothrow_move_constructible_v<Key> && std::is_nothrow_move_constructible_v<T>;
    static constexpr bool boxed_values = Traits::stable_values || !is_nothrow_relocatable;
    static constexpr bool boxed_keys = !std::is_nothrow_move_constructible_v<Key>;
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_PARAMS_HPP
