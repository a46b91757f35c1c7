// File: bptree/detail/iterator.hpp
// Layer: engine iteration. A (leaf, slot) position; ++ and -- follow the leaf links, so a full
// scan never climbs the tree. end() is (last leaf, its count); the empty tree's is (null, 0).
// Includes: config, node, standard headers.
#ifndef BPTREE_DETAIL_ITERATOR_HPP
#define BPTREE_DETAIL_ITERATOR_HPP

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>

#include "bptree/detail/config.hpp"
#include "bptree/detail/node.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

template <class Params>
class tree;

template <class Params, bool Const>
class tree_iterator {
    using leaf_type = leaf_node<Params>;
    // Set values are keys: both iterator kinds of a set give const access, as std::set's do.
    static constexpr bool is_constant = Const || !Params::is_map;

public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = typename Params::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<is_constant, const value_type&, value_type&>;
    using pointer = std::conditional_t<is_constant, const value_type*, value_type*>;

    tree_iterator() noexcept = default;

    // A mutable iterator converts to a constant one.
    template <bool C = Const, std::enable_if_t<C, int> = 0>
    tree_iterator(const tree_iterator<Params, false>& other) noexcept  // NOLINT: implicit by design
        : leaf_(other.leaf_), slot_(other.slot_) {
#if BPTREE_HAS_DEBUG_CHECKS()
        generation_ = other.generation_;
        stamp_ = other.stamp_;
#endif
    }

    reference operator*() const noexcept {
        check_valid();
        BPTREE_ASSERT(leaf_ != nullptr && slot_ < leaf_->count);
        return leaf_->value(slot_);
    }
    pointer operator->() const noexcept { return &**this; }

    tree_iterator& operator++() noexcept {
        check_valid();
        BPTREE_ASSERT(leaf_ != nullptr && slot_ < leaf_->count);
        if (++slot_ == leaf_->count && leaf_->next != nullptr) {
            leaf_ = leaf_->next;
            slot_ = 0;
        }
        return *this;
    }
    tree_iterator operator++(int) noexcept {
        tree_iterator old = *this;
        ++*this;
        return old;
    }
    tree_iterator& operator--() noexcept {
        check_valid();
        BPTREE_ASSERT(leaf_ != nullptr);
        if (slot_ == 0) {
            BPTREE_ASSERT(leaf_->prev != nullptr);
            leaf_ = leaf_->prev;
            slot_ = leaf_->count;
        }
        --slot_;
        return *this;
    }
    tree_iterator operator--(int) noexcept {
        tree_iterator old = *this;
        --*this;
        return old;
    }

    friend bool operator==(const tree_iterator& a, const tree_iterator& b) noexcept {
        a.check_valid();
        b.check_valid();
        return a.leaf_ == b.leaf_ && a.slot_ == b.slot_;
    }
    friend bool operator!=(const tree_iterator& a, const tree_iterator& b) noexcept {
        return !(a == b);
    }

private:
    template <class>
    friend class tree;
    template <class, bool>
    friend class tree_iterator;

    // The same position as a mutable iterator (the tree hands out writable positions).
    tree_iterator<Params, false> as_mutable() const noexcept {
        tree_iterator<Params, false> it(leaf_, slot_);
#if BPTREE_HAS_DEBUG_CHECKS()
        it.generation_ = generation_;
        it.stamp_ = stamp_;
#endif
        return it;
    }

    tree_iterator(const leaf_type* leaf, std::size_t slot) noexcept
        : leaf_(const_cast<leaf_type*>(leaf)), slot_(slot) {}

#if BPTREE_HAS_DEBUG_CHECKS()
    // Debug builds: the generation counter of the tree that made the iterator, and its value then.
    tree_iterator(const leaf_type* leaf, std::size_t slot, const std::uint64_t* generation) noexcept
        : leaf_(const_cast<leaf_type*>(leaf)), slot_(slot), generation_(generation), stamp_(*generation) {}

    void check_valid() const noexcept {
        BPTREE_ASSERT((generation_ == nullptr || *generation_ == stamp_) &&
                      "bptree: iterator used after its container was modified (every insert and erase "
                      "invalidates all iterators)");
    }
#else
    void check_valid() const noexcept {}
#endif

    leaf_type* leaf_ = nullptr;
    std::size_t slot_ = 0;
#if BPTREE_HAS_DEBUG_CHECKS()
    const std::uint64_t* generation_ = nullptr;
    std::uint64_t stamp_ = 0;
#endif
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ITERATOR_HPP
