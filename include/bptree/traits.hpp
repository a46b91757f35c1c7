// File: bptree/traits.hpp
// Layer: public configuration. The Traits parameter of every container: node sizes and checks.
// Derive from default_traits and override single members (as tlx's btree_default_traits).
#ifndef BPTREE_TRAITS_HPP
#define BPTREE_TRAITS_HPP

#include <cstddef>

namespace bptree {

struct default_traits {
    // Target size in bytes of a leaf node (header, leaf links and values) and of an inner node
    // (header, separator keys, child pointers and subtree counts). The slot counts are derived from
    // these at compile time; see the README's node-size table for how the defaults were chosen.
    // A leaf size of 0 picks it from the value: 2048 bytes when a value slot takes at most 16
    // bytes (sets and maps of scalars), 512 otherwise (larger values cost more to shift).
    static constexpr std::size_t leaf_node_bytes = 0;
    static constexpr std::size_t inner_node_bytes = 1024;

    // Non-zero values override the derived slot counts (tests use tiny nodes to get deep trees).
    // Requires: leaf_slots == 0 or leaf_slots >= 2; inner_slots == 0 or inner_slots >= 4.
    static constexpr std::size_t leaf_slots = 0;
    static constexpr std::size_t inner_slots = 0;

    // When true, every value lives in its own allocation and leaves hold pointers to them:
    // pointers and references to values stay valid across inserts and erases of other values
    // (iterators are still invalidated), node handles carry the value without moving it, and large
    // values are cheap to shift. Costs one allocation per value and a pointer hop per access.
    // Values whose move constructor may throw are stored this way whatever this says.
    static constexpr bool stable_values = false;

    // When true, every mutating member runs verify() before returning (tests only: O(n) each).
    static constexpr bool self_verify = false;
};

// Traits with explicit slot counts: slot_traits<3, 4> gives leaves of 3 values and inner nodes of
// 4 children, so a few hundred elements already make a tree of height 5.
template <std::size_t LeafSlots, std::size_t InnerSlots, bool SelfVerify = false>
struct slot_traits : default_traits {
    static constexpr std::size_t leaf_slots = LeafSlots;
    static constexpr std::size_t inner_slots = InnerSlots;
    static constexpr bool self_verify = SelfVerify;
};

}  // namespace bptree

#endif  // BPTREE_TRAITS_HPP
