// File: bptree/set.hpp
// Layer: public facade. bptree::set and bptree::multiset: std::set / std::multiset on a B+ tree,
// with rank(key), nth(i), index_of(it), O(1) front()/back(), pop_front()/pop_back(), sorted
// bulk load, O(log n + k/B) range erase, verify() and stats().
// Includes: container_base (the interface is written once there), fwd.
//
// Differences from std::set (as for every B-tree):
// - insert, emplace, erase, extract, merge and pop_* invalidate every iterator, pointer and
//   reference into the container; the iterator they return is valid. Lookups, rank/nth/index_of
//   and iteration invalidate nothing.
// - Values move between nodes, so value_type must be move constructible; a move constructor that
//   throws while the tree shifts values calls std::terminate (every std type and every type with
//   a noexcept move is safe).
// - extract() moves the value into the handle (no node to hand over) and merge() moves values.
// Exception safety: insert/emplace of one value give the strong guarantee (a throwing comparator,
// allocation, key copy or value construction leaves the contents unchanged); erase of one value
// gives the strong guarantee too; range operations give the basic guarantee.
#ifndef BPTREE_SET_HPP
#define BPTREE_SET_HPP

#include <functional>
#include <initializer_list>
#include <memory>

#include "bptree/detail/config.hpp"
#include "bptree/detail/container_base.hpp"
#include "bptree/detail/params.hpp"
#include "bptree/detail/tree.hpp"
#include "bptree/fwd.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// Ordered set of unique keys. Complexity: see the README's table; lookups and updates O(log n).
template <class Key, class Compare, class Allocator, class Traits>
class set : public detail::unique_container<
                detail::tree<detail::set_params<Key, Compare, Allocator, Traits, false>>> {
    using base = detail::unique_container<detail::tree<detail::set_params<Key, Compare, Allocator, Traits, false>>>;

public:
    using base::base;
    set() = default;
    // Declared here (not only inherited) so that class template argument deduction sees an
    // initializer-list constructor, as it does for std::set.
    set(std::initializer_list<Key> il, const Compare& comp = Compare(), const Allocator& alloc = Allocator())
        : base(il, comp, alloc) {}
    set(std::initializer_list<Key> il, const Allocator& alloc) : base(il, alloc) {}
    set& operator=(std::initializer_list<Key> il) {
        base::operator=(il);
        return *this;
    }
};

// Ordered multiset: equivalent keys are kept in insertion order, as std::multiset keeps them.
template <class Key, class Compare, class Allocator, class Traits>
class multiset : public detail::multi_container<
                     detail::tree<detail::set_params<Key, Compare, Allocator, Traits, true>>> {
    using base = detail::multi_container<detail::tree<detail::set_params<Key, Compare, Allocator, Traits, true>>>;

public:
    using base::base;
    multiset() = default;
    // Declared here (not only inherited) so that class template argument deduction sees an
    // initializer-list constructor, as it does for std::multiset.
    multiset(std::initializer_list<Key> il, const Compare& comp = Compare(), const Allocator& alloc = Allocator())
        : base(il, comp, alloc) {}
    multiset(std::initializer_list<Key> il, const Allocator& alloc) : base(il, alloc) {}
    multiset& operator=(std::initializer_list<Key> il) {
        base::operator=(il);
        return *this;
    }
};

// Erases the values for which pred holds; returns how many. Found by ADL: erase_if(s, pred).
template <class K, class C, class A, class T, class Pred>
typename set<K, C, A, T>::size_type erase_if(set<K, C, A, T>& s, Pred pred) {
    return detail::erase_if_impl(s, pred);
}
template <class K, class C, class A, class T, class Pred>
typename multiset<K, C, A, T>::size_type erase_if(multiset<K, C, A, T>& s, Pred pred) {
    return detail::erase_if_impl(s, pred);
}

// Deduction guides, as for std::set / std::multiset.
#define BPTREE_SET_DEDUCTION_GUIDES(container)                                                              \
    template <class It, class Comp = std::less<detail::iter_value_t<It>>,                                   \
              class Alloc = std::allocator<detail::iter_value_t<It>>,                                       \
              std::enable_if_t<detail::is_input_iterator<It>::value && !detail::is_allocator<Comp>::value && \
                                   detail::is_allocator<Alloc>::value,                                      \
                               int> = 0>                                                                    \
    container(It, It, Comp = Comp(), Alloc = Alloc())->container<detail::iter_value_t<It>, Comp, Alloc>;    \
    template <class Key, class Comp = std::less<Key>, class Alloc = std::allocator<Key>,                    \
              std::enable_if_t<!detail::is_allocator<Comp>::value && detail::is_allocator<Alloc>::value,    \
                               int> = 0>                                                                    \
    container(std::initializer_list<Key>, Comp = Comp(), Alloc = Alloc())->container<Key, Comp, Alloc>;     \
    template <class It, class Alloc,                                                                        \
              std::enable_if_t<detail::is_input_iterator<It>::value && detail::is_allocator<Alloc>::value,  \
                               int> = 0>                                                                    \
    container(It, It, Alloc)                                                                                \
        ->container<detail::iter_value_t<It>, std::less<detail::iter_value_t<It>>, Alloc>;                  \
    template <class Key, class Alloc, std::enable_if_t<detail::is_allocator<Alloc>::value, int> = 0>       \
    container(std::initializer_list<Key>, Alloc)->container<Key, std::less<Key>, Alloc>

BPTREE_SET_DEDUCTION_GUIDES(set);
BPTREE_SET_DEDUCTION_GUIDES(multiset);
#undef BPTREE_SET_DEDUCTION_GUIDES

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_SET_HPP
