// File: bptree/detail/tree_verify.hpp
// Layer: engine checks. tree<Params>::verify(): walks the whole tree depth-first and checks the
// invariants I1..I9 of node.hpp at every node, throwing
// std::logic_error("bptree::verify: I<n> <name>: <where and what>") for the first broken one it
// meets. Node paths read "root/2/0" (child indices from the root). O(n) comparisons.
// Includes: tree.
#ifndef BPTREE_DETAIL_TREE_VERIFY_HPP
#define BPTREE_DETAIL_TREE_VERIFY_HPP

#include <cstddef>
#include <stdexcept>
#include <string>

#include "bptree/detail/config.hpp"
#include "bptree/detail/tree.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

template <class Tree>
struct tree_verifier {
    using params = typename Tree::params_type;
    using key_type = typename Tree::key_type;
    using node_type = typename Tree::node_type;
    using leaf_type = typename Tree::leaf_type;
    using inner_type = typename Tree::inner_type;
    using size_type = std::size_t;

    [[noreturn]] BPTREE_NOINLINE static void fail(const char* invariant, const std::string& detail) {
        throw std::logic_error(std::string("bptree::verify: ") + invariant + ": " + detail);
    }

    struct walk_state {
        const Tree& tree;
        const leaf_type* previous_leaf = nullptr;  // leaf visited last, in key order
        size_type leaves = 0;
        size_type inners = 0;
    };

    static void verify(const Tree& t) {
        if (t.root_ == nullptr) {
            if (t.size_ != 0) fail("I8 size", "empty tree reports size " + std::to_string(t.size_));
            if (t.first_leaf_ != nullptr || t.last_leaf_ != nullptr) {
                fail("I7 leaf chain", "empty tree caches a first or last leaf");
            }
            check_pool(t, 0, 0);
            return;
        }
        if (t.root_->parent != nullptr) fail("I6 links", "the root has a parent");
        walk_state state{t};
        const size_type values = walk(state, t.root_, t.root_->level, true, nullptr, nullptr, "root");
        if (t.first_leaf_ == nullptr || t.first_leaf_->prev != nullptr) {
            fail("I7 leaf chain", "first_leaf is not the leftmost leaf");
        }
        if (t.last_leaf_ != state.previous_leaf || t.last_leaf_->next != nullptr) {
            fail("I7 leaf chain", "last_leaf is not the rightmost leaf");
        }
        if (values != t.size_) {
            fail("I8 size", "size() is " + std::to_string(t.size_) + " but the leaves hold " +
                                std::to_string(values));
        }
        check_pool(t, state.leaves, state.inners);
    }

    static void check_pool(const Tree& t, size_type leaves, size_type inners) {
        if (t.leaves_.live_blocks() != leaves || t.inners_.live_blocks() != inners) {
            fail("I9 pool", "the pools hand out " + std::to_string(t.leaves_.live_blocks()) +
                                " leaves and " + std::to_string(t.inners_.live_blocks()) +
                                " inner nodes, the tree holds " + std::to_string(leaves) + " and " +
                                std::to_string(inners));
        }
    }

    // Checks the subtree of n, whose keys must lie within [lo, hi] (null: unbounded; for unique
    // trees strictly below hi), and returns its number of values.
    static size_type walk(walk_state& st, const node_type* n, size_type level, bool rightmost,
                          const key_type* lo, const key_type* hi, const std::string& where) {
        const bool is_root = n == st.tree.root_;
        // Appends leave the rightmost path short, prepends the first leaf.
        const bool may_be_short = rightmost || n == st.tree.first_leaf_;
        check_fill(n, is_root, may_be_short, where);  // first: the other checks read the slots
        check_order(st.tree, n, where);
        if (n->is_leaf()) {
            check_leaf_bounds(st.tree, static_cast<const leaf_type*>(n), lo, hi, where);
        } else {
            check_separator_bounds(st.tree, static_cast<const inner_type*>(n), lo, hi, where);
        }
        if (n->level != level) {
            fail("I5 levels", where + " is at level " + std::to_string(n->level) + ", expected " +
                                  std::to_string(level));
        }
        if (n->is_leaf()) {
            if (level != 0) fail("I5 levels", where + " is a leaf above level 0");
            link_leaf(st, static_cast<const leaf_type*>(n), where);
            ++st.leaves;
            return n->count;
        }
        ++st.inners;
        const auto* in = static_cast<const inner_type*>(n);
        size_type total = 0;
        for (size_type i = 0; i < in->count; ++i) {
            const node_type* c = in->children[i];
            const std::string child_where = where + "/" + std::to_string(i);
            if (c == nullptr) fail("I6 links", child_where + " is null");
            if (c->parent != in || c->position != i) {
                fail("I6 links", child_where + " does not point back to its parent and position");
            }
            const key_type* child_lo = i == 0 ? lo : &in->key(i - 1);
            const key_type* child_hi = i + 1 == in->count ? hi : &in->key(i);
            const size_type below = walk(st, c, level - 1, rightmost && i + 1 == in->count,
                                         child_lo, child_hi, child_where);
            if (below != in->counts[i]) {
                fail("I4 counts", child_where + " holds " + std::to_string(below) +
                                      " values but its parent counts " + std::to_string(in->counts[i]));
            }
            total += below;
        }
        return total;
    }

    // I1: sorted, strictly for unique trees.
    static void check_order(const Tree& t, const node_type* n, const std::string& where) {
        const auto& comp = t.key_comp();
        const bool leaf = n->is_leaf();
        const size_type keys = leaf ? n->count : (n->count == 0 ? 0 : n->count - 1u);
        for (size_type i = 1; i < keys; ++i) {
            const key_type& a = key_of(n, i - 1);
            const key_type& b = key_of(n, i);
            const bool broken = Tree::is_multi ? comp(b, a) : !comp(a, b);
            if (broken) {
                fail("I1 order", where + (leaf ? " values " : " separators ") + std::to_string(i - 1) +
                                     " and " + std::to_string(i) + " are out of order");
            }
        }
    }

    static const key_type& key_of(const node_type* n, size_type i) {
        if (n->is_leaf()) return static_cast<const leaf_type*>(n)->key(i);
        return static_cast<const inner_type*>(n)->key(i);
    }

    // I2: every key within the separators of the parent.
    static bool within(const Tree& t, const key_type& k, const key_type* lo, const key_type* hi,
                       bool strict_hi) {
        const auto& comp = t.key_comp();
        if (lo != nullptr && comp(k, *lo)) return false;
        if (hi != nullptr && (strict_hi ? !comp(k, *hi) : comp(*hi, k))) return false;
        return true;
    }
    static void check_leaf_bounds(const Tree& t, const leaf_type* l, const key_type* lo,
                                  const key_type* hi, const std::string& where) {
        for (size_type i = 0; i < l->count; ++i) {
            if (!within(t, l->key(i), lo, hi, !Tree::is_multi)) {
                fail("I2 separators", where + " value " + std::to_string(i) +
                                          " lies outside its parent's separators");
            }
        }
    }
    static void check_separator_bounds(const Tree& t, const inner_type* in, const key_type* lo,
                                       const key_type* hi, const std::string& where) {
        for (size_type i = 0; i + 1 < in->count; ++i) {
            if (!within(t, in->key(i), lo, hi, false)) {
                fail("I2 separators", where + " separator " + std::to_string(i) +
                                          " lies outside its parent's separators");
            }
        }
    }

    // I3: capacity and minimum fill.
    static void check_fill(const node_type* n, bool is_root, bool may_be_short, const std::string& where) {
        const size_type capacity = n->is_leaf() ? Tree::leaf_slots : Tree::inner_slots;
        const size_type minimum = is_root ? (n->is_leaf() ? 1 : 2)
                                          : may_be_short ? 1
                                                      : (n->is_leaf() ? Tree::min_leaf : Tree::min_inner);
        if (n->count > capacity || n->count < minimum) {
            fail("I3 fill", where + " holds " + std::to_string(n->count) + (n->is_leaf() ? " values" : " children") +
                                ", allowed " + std::to_string(minimum) + ".." + std::to_string(capacity));
        }
        if (n->is_leaf() && n->first + n->count > capacity) {
            fail("I3 fill", where + " has its values at storage slots " + std::to_string(n->first) + ".." +
                                std::to_string(n->first + n->count - 1) + ", past its capacity " +
                                std::to_string(capacity));
        }
        if (!n->is_leaf() && n->first != 0) fail("I3 fill", where + " is an inner node with a value offset");
    }

    // I7: each leaf is linked to the leaf visited before it.
    static void link_leaf(walk_state& st, const leaf_type* l, const std::string& where) {
        if (l->prev != st.previous_leaf) fail("I7 leaf chain", where + " has a wrong prev link");
        if (st.previous_leaf == nullptr) {
            if (st.tree.first_leaf_ != l) fail("I7 leaf chain", "first_leaf is not the leftmost leaf");
        } else if (st.previous_leaf->next != l) {
            fail("I7 leaf chain", where + " is not the next leaf of its predecessor");
        }
        st.previous_leaf = l;
    }
};

template <class Params>
void tree<Params>::verify() const {
    tree_verifier<tree>::verify(*this);
}

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_TREE_VERIFY_HPP
