// File: bptree/tree_stats.hpp
// Layer: public value type. What stats() reports about a tree's shape and memory.
#ifndef BPTREE_TREE_STATS_HPP
#define BPTREE_TREE_STATS_HPP

#include <cstddef>

namespace bptree {

struct tree_stats {
    std::size_t size = 0;             // elements
    std::size_t height = 0;           // levels; 0 for an empty tree, 1 for a single leaf
    std::size_t leaf_nodes = 0;
    std::size_t inner_nodes = 0;
    std::size_t leaf_slots = 0;       // capacity of one leaf (values)
    std::size_t inner_slots = 0;      // capacity of one inner node (children)
    std::size_t node_bytes_used = 0;  // bytes of the nodes in the tree
    std::size_t bytes_allocated = 0;  // bytes obtained from the allocator (pool chunks included)
    double leaf_fill = 0.0;           // average leaf occupancy, 0..1
    double inner_fill = 0.0;          // average inner-node occupancy, 0..1

    friend bool operator==(const tree_stats& a, const tree_stats& b) noexcept {
        return a.size == b.size && a.height == b.height && a.leaf_nodes == b.leaf_nodes &&
               a.inner_nodes == b.inner_nodes && a.leaf_slots == b.leaf_slots &&
               a.inner_slots == b.inner_slots && a.node_bytes_used == b.node_bytes_used &&
               a.bytes_allocated == b.bytes_allocated && a.leaf_fill == b.leaf_fill &&
               a.inner_fill == b.inner_fill;
    }
    friend bool operator!=(const tree_stats& a, const tree_stats& b) noexcept { return !(a == b); }
};

}  // namespace bptree

#endif  // BPTREE_TREE_STATS_HPP
