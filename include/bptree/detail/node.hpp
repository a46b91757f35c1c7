// File: bptree/detail/node.hpp
// Layer: engine nodes. The leaf and inner node layouts, their capacities and the tree invariants.
// Includes: config, slots (slot_of, object_in), standard headers.
//
// Layout (64-bit, 8-byte key and value; every node is one fixed-size block from the node pool):
//
//   node_base (16 bytes)            leaf_node                     inner_node
//   +----------------------+        +-------------------+         +----------------------------+
//   | inner_node* parent   |        | node_base         |         | node_base                  |
//   | u16 position         |        | leaf_node* prev   |         | Key keys[inner_slots - 1]  |  separators
//   | u16 count            |        | leaf_node* next   |         | node_base* children[...]   |
//   | u8  level (0 = leaf) |        | value storage[...]|         | size_t counts[inner_slots] |  subtree sizes
//   | u16 first (leaf)     |        +-------------------+         +----------------------------+
//   +----------------------+
//
// A leaf's values are the `count` slots of its storage from index `first` on: free slots on both
// sides let an insert or erase move only the values on its cheaper side (pop_front and prepends
// move none). slots() points at value 0, so every index in the engine is relative to `first`.
//
// Keys are contiguous in inner nodes (and in leaves of sets, where value == key) so the in-node
// search kernels read one array; subtree counts are contiguous so rank sums can vectorize. A
// descent reads the header, the keys and one child pointer, which are therefore adjacent: they are
// prefetched together (prefetch_for_search) so a node costs one memory latency, not one per
// binary-search step.
// Every node knows its parent and its position there, so index_of(it) and erase(it) never search.
//
// Invariants (verify() checks them in this order and names them by these labels):
//   I1 order      values in a leaf and separators in an inner node are sorted (strictly for unique
//                 containers, non-decreasing for multi containers).
//   I2 separators for child i of an inner node, every key k in it satisfies keys[i-1] <= k and
//                 k <= keys[i]; for unique containers k < keys[i] (a separator is never larger than
//                 the smallest key to its right and, when unique, larger than every key to its left).
//   I3 fill       count <= capacity, and for a leaf first + count <= capacity; a non-root node has
//                 count >= its minimum, except nodes on the rightmost path (appends leave them
//                 short) and the first leaf (prepends do), which have count >= 1; an inner root
//                 has >= 2 children.
//   I4 counts     counts[i] equals the number of values in the subtree of child i.
//   I5 levels     leaves are at level 0, every child is one level below its parent.
//   I6 links      children[i]->parent == node and children[i]->position == i; the root has none.
//   I7 leaf chain leaves are doubly linked in key order; first_leaf/last_leaf are the ends.
//   I8 size       the tree's size equals the number of values.
//   I9 pool       the node pool's live blocks equal the nodes reachable from the root.
#ifndef BPTREE_DETAIL_NODE_HPP
#define BPTREE_DETAIL_NODE_HPP

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>

#include "bptree/detail/config.hpp"
#include "bptree/detail/slots.hpp"  // slot_of, object_in

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

template <class Params>
struct inner_node;

template <class Params>
struct node_base {
    inner_node<Params>* parent;
    std::uint16_t position;  // index of this node in parent->children
    std::uint16_t count;     // leaf: values held; inner: children held
    std::uint8_t level;      // 0 for leaves
    std::uint16_t first;     // leaf: storage index of value 0; inner: 0

    bool is_leaf() const noexcept { return level == 0; }
};

// The leaf size that Traits::leaf_node_bytes = 0 picks for value slots of slot_bytes bytes, as
// measured (README "Node size"): large leaves for small values, smaller ones where each shifted
// value costs more.
constexpr std::size_t automatic_leaf_bytes(std::size_t slot_bytes) noexcept { return slot_bytes <= 16 ? 2048 : 512; }

// Compile-time capacities, from Traits' byte targets unless Traits gives slot counts.
template <class Params>
struct node_capacity {
    using traits = typename Params::traits_type;
    using key_type = typename Params::key_type;
    using value_type = typename Params::value_type;

    static constexpr std::size_t leaf_header_bytes = sizeof(node_base<Params>) + 2 * sizeof(void*);
    static constexpr std::size_t inner_header_bytes = sizeof(node_base<Params>);
    using value_slot = slot_of<value_type, Params::boxed_values>;
    using key_slot = slot_of<key_type, Params::boxed_keys>;
    static constexpr std::size_t per_child_bytes =
        sizeof(key_slot) + sizeof(std::size_t) + sizeof(void*);

    static constexpr std::size_t leaf_bytes =
        traits::leaf_node_bytes != 0 ? traits::leaf_node_bytes : automatic_leaf_bytes(sizeof(value_slot));
    static constexpr std::size_t derived_leaf_slots =
        leaf_bytes > leaf_header_bytes + 2 * sizeof(value_slot) ? (leaf_bytes - leaf_header_bytes) / sizeof(value_slot)
                                                                 : 2;
    static constexpr std::size_t derived_inner_slots =
        traits::inner_node_bytes > inner_header_bytes + 4 * per_child_bytes
            ? (traits::inner_node_bytes - inner_header_bytes + sizeof(key_slot)) / per_child_bytes
            : 4;

    static constexpr std::size_t leaf_slots =
        traits::leaf_slots != 0 ? traits::leaf_slots : derived_leaf_slots;
    static constexpr std::size_t inner_slots =
        traits::inner_slots != 0 ? traits::inner_slots : derived_inner_slots;

    // Minimum fill of non-root nodes. A node at its minimum can always merge with a sibling at its
    // minimum (2 * min <= capacity), and a node below it plus a sibling that cannot merge hold
    // enough for both after balancing.
    static constexpr std::size_t min_leaf = leaf_slots / 2;
    static constexpr std::size_t min_inner = inner_slots / 2;

    static_assert(leaf_slots >= 2, "bptree: a leaf must hold at least 2 values");
    static_assert(inner_slots >= 4, "bptree: an inner node must hold at least 4 children");
    static_assert(leaf_slots <= 0xFFFF && inner_slots <= 0xFFFF,
                  "bptree: node counts are 16-bit; choose a smaller node size");
};

template <class Params>
struct leaf_node : node_base<Params> {
    using value_type = typename Params::value_type;
    // A value in place, or a pointer to it when values are boxed (see slots.hpp).
    using slot_type = slot_of<value_type, Params::boxed_values>;
    static constexpr std::size_t capacity = node_capacity<Params>::leaf_slots;

    leaf_node* prev;
    leaf_node* next;
    alignas(slot_type) unsigned char storage[capacity * sizeof(slot_type)];

    // Value 0's slot; values 0..count-1 follow it.
    slot_type* slots() noexcept { return storage_slots() + this->first; }
    const slot_type* slots() const noexcept {
        return std::launder(reinterpret_cast<const slot_type*>(storage)) + this->first;
    }
    slot_type* storage_slots() noexcept { return std::launder(reinterpret_cast<slot_type*>(storage)); }
    // Free slots before value 0 and after the last value.
    std::size_t front_room() const noexcept { return this->first; }
    std::size_t back_room() const noexcept { return capacity - this->first - this->count; }
    value_type& value(std::size_t i) noexcept { return object_in<Params::boxed_values>(slots()[i]); }
    const value_type& value(std::size_t i) const noexcept { return object_in<Params::boxed_values>(slots()[i]); }
    const typename Params::key_type& key(std::size_t i) const noexcept { return Params::key(value(i)); }
};

template <class Params>
struct inner_node : node_base<Params> {
    using key_type = typename Params::key_type;
    // A separator in place, or a pointer to it when keys are boxed (see slots.hpp).
    using key_slot_type = slot_of<key_type, Params::boxed_keys>;
    static constexpr std::size_t capacity = node_capacity<Params>::inner_slots;

    alignas(key_slot_type) unsigned char key_storage[(capacity - 1) * sizeof(key_slot_type)];
    node_base<Params>* children[capacity];
    std::size_t counts[capacity];

    key_slot_type* keys() noexcept { return std::launder(reinterpret_cast<key_slot_type*>(key_storage)); }
    const key_slot_type* keys() const noexcept {
        return std::launder(reinterpret_cast<const key_slot_type*>(key_storage));
    }
    key_type& key(std::size_t i) noexcept { return object_in<Params::boxed_keys>(keys()[i]); }
    const key_type& key(std::size_t i) const noexcept { return object_in<Params::boxed_keys>(keys()[i]); }
    node_base<Params>* child(std::size_t i) const noexcept { return children[i]; }

    // Number of values below this node: the sum of the children's counts. O(count).
    std::size_t subtree_size() const noexcept {
        std::size_t total = 0;
        for (std::size_t i = 0; i < this->count; ++i) total += counts[i];
        return total;
    }
};

template <class Params>
inline leaf_node<Params>* as_leaf(node_base<Params>* n) noexcept {
    BPTREE_ASSERT(n->is_leaf());
    return static_cast<leaf_node<Params>*>(n);
}
template <class Params>
inline const leaf_node<Params>* as_leaf(const node_base<Params>* n) noexcept {
    BPTREE_ASSERT(n->is_leaf());
    return static_cast<const leaf_node<Params>*>(n);
}
template <class Params>
inline inner_node<Params>* as_inner(node_base<Params>* n) noexcept {
    BPTREE_ASSERT(!n->is_leaf());
    return static_cast<inner_node<Params>*>(n);
}
template <class Params>
inline const inner_node<Params>* as_inner(const node_base<Params>* n) noexcept {
    BPTREE_ASSERT(!n->is_leaf());
    return static_cast<const inner_node<Params>*>(n);
}

// What a descent is about to read from a node: the search bytes (header, keys, child pointers of
// an inner node; the whole of a leaf), the counts of an inner node too (rank), or only the
// header and counts of an inner node (nth, which asks for leaves by prefetch_leaf_value).
enum class prefetch_kind { search, search_and_counts, counts };

constexpr std::size_t cache_line = 64;

// The prefetch helpers are always inlined, down to this loop: g++ 12 takes a function that only
// prefetches for one without effects and drops calls to it that it has not inlined. It did so for
// trees whose Traits live in an anonymous namespace (every descent 2.3x slower). Inlined at each
// call, the loop's bounds are constants and it unrolls.
BPTREE_ALWAYS_INLINE void prefetch_lines(const char* p, std::size_t from, std::size_t to) noexcept {
    for (std::size_t offset = from; offset < to; offset += cache_line) BPTREE_PREFETCH(p + offset);
}

// Asks the memory system for the bytes of n a descent reads, all at once: the lines arrive in
// parallel, so a node costs one memory latency, not one per line.
template <prefetch_kind Kind = prefetch_kind::search, class Params>
BPTREE_ALWAYS_INLINE void prefetch_node(const node_base<Params>* n, bool is_leaf) noexcept {
    constexpr std::size_t inner_end = sizeof(inner_node<Params>);
    constexpr std::size_t leaf_bytes = sizeof(leaf_node<Params>);
    const char* p = reinterpret_cast<const char*>(n);
    // The counts' offset, from the address itself (offsetof is not for a derived struct).
    const auto counts_begin = static_cast<std::size_t>(
        reinterpret_cast<const char*>(static_cast<const inner_node<Params>*>(n)->counts) - p);
    if (is_leaf) {
        prefetch_lines(p, 0, leaf_bytes);
    } else if constexpr (Kind == prefetch_kind::search) {
        prefetch_lines(p, 0, counts_begin);
    } else if constexpr (Kind == prefetch_kind::search_and_counts) {
        prefetch_lines(p, 0, inner_end);
    } else {
        BPTREE_PREFETCH(p);
        prefetch_lines(p, counts_begin & ~(cache_line - 1), inner_end);
    }
}

// Asks for the lines of leaf l that may hold its value i when it holds `count` values (known from
// its parent before l arrives): value i sits at storage slot first + i, and first is at most
// capacity - count. With the header, they arrive in parallel, so value i is one latency away.
template <class Params>
BPTREE_ALWAYS_INLINE void prefetch_leaf_value(const node_base<Params>* l, std::size_t i, std::size_t count) noexcept {
    using leaf = leaf_node<Params>;
    constexpr std::size_t slot_bytes = sizeof(typename leaf::slot_type);
    const char* p = reinterpret_cast<const char*>(l);
    const auto from = static_cast<std::size_t>(
        reinterpret_cast<const char*>(static_cast<const leaf*>(l)->storage) - p) + i * slot_bytes;
    BPTREE_PREFETCH(p);
    prefetch_lines(p, from, from + (leaf::capacity - count) * slot_bytes + 1u);
}

// Number of values below any node. O(1) for leaves, O(count) for inner nodes.
template <class Params>
inline std::size_t subtree_size(const node_base<Params>* n) noexcept {
    return n->is_leaf() ? n->count : as_inner(n)->subtree_size();
}

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_NODE_HPP
