// File: bptree/map.hpp
// Layer: public facade. bptree::map and bptree::multimap: std::map / std::multimap on a B+ tree,
// with rank(key), nth(i), index_of(it), O(1) front()/back(), pop_front()/pop_back(), sorted
// bulk load, O(log n + k/B) range erase, verify() and stats(). *it is a true
// std::pair<const Key, T>&, so `for (auto& [k, v] : m)` works.
// Includes: container_base (the interface is written once there), fwd.
//
// Differences from std::map: the same as for bptree::set (see set.hpp): insert, emplace, erase,
// extract, merge and pop_* invalidate every iterator, pointer and reference into the container.
#ifndef BPTREE_MAP_HPP
#define BPTREE_MAP_HPP

#include <functional>
#include <initializer_list>
#include <memory>
#include <utility>

#include "bptree/detail/config.hpp"
#include "bptree/detail/container_base.hpp"
#include "bptree/detail/params.hpp"
#include "bptree/detail/tree.hpp"
#include "bptree/fwd.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// Ordered map with unique keys.
template <class Key, class T, class Compare, class Allocator, class Traits>
class map : public detail::map_container<
                detail::tree<detail::map_params<Key, T, Compare, Allocator, Traits, false>>> {
    using base = detail::map_container<detail::tree<detail::map_params<Key, T, Compare, Allocator, Traits, false>>>;

public:
    using base::base;
    map() = default;
    // Declared here (not only inherited) so that class template argument deduction sees an
    // initializer-list constructor, as it does for std::map.
    map(std::initializer_list<std::pair<const Key, T>> il, const Compare& comp = Compare(), const Allocator& alloc = Allocator())
        : base(il, comp, alloc) {}
    map(std::initializer_list<std::pair<const Key, T>> il, const Allocator& alloc) : base(il, alloc) {}
    map& operator=(std::initializer_list<std::pair<const Key, T>> il) {
        base::operator=(il);
        return *this;
    }
};

// Ordered multimap: values with equivalent keys are kept in insertion order.
template <class Key, class T, class Compare, class Allocator, class Traits>
class multimap : public detail::multi_container<
                     detail::tree<detail::map_params<Key, T, Compare, Allocator, Traits, true>>> {
    using base = detail::multi_container<detail::tree<detail::map_params<Key, T, Compare, Allocator, Traits, true>>>;

public:
    using mapped_type = T;
    using base::base;
    multimap() = default;
    // Declared here (not only inherited) so that class template argument deduction sees an
    // initializer-list constructor, as it does for std::multimap.
    multimap(std::initializer_list<std::pair<const Key, T>> il, const Compare& comp = Compare(), const Allocator& alloc = Allocator())
        : base(il, comp, alloc) {}
    multimap(std::initializer_list<std::pair<const Key, T>> il, const Allocator& alloc) : base(il, alloc) {}
    multimap& operator=(std::initializer_list<std::pair<const Key, T>> il) {
        base::operator=(il);
        return *this;
    }
};

// Erases the values for which pred holds; returns how many. Found by ADL: erase_if(m, pred).
template <class K, class V, class C, class A, class T, class Pred>
typename map<K, V, C, A, T>::size_type erase_if(map<K, V, C, A, T>& m, Pred pred) {
    return detail::erase_if_impl(m, pred);
}
template <class K, class V, class C, class A, class T, class Pred>
typename multimap<K, V, C, A, T>::size_type erase_if(multimap<K, V, C, A, T>& m, Pred pred) {
    return detail::erase_if_impl(m, pred);
}

// Deduction guides, as for std::map / std::multimap.
#define BPTREE_MAP_DEDUCTION_GUIDES(container)                                                                \
    template <class It, class Comp = std::less<detail::iter_key_t<It>>,                                       \
              class Alloc = std::allocator<detail::iter_to_alloc_t<It>>,                                      \
              std::enable_if_t<detail::is_input_iterator<It>::value && !detail::is_allocator<Comp>::value &&   \
                                   detail::is_allocator<Alloc>::value,                                        \
                               int> = 0>                                                                      \
    container(It, It, Comp = Comp(), Alloc = Alloc())                                                         \
        ->container<detail::iter_key_t<It>, detail::iter_mapped_t<It>, Comp, Alloc>;                          \
    template <class Key, class V, class Comp = std::less<Key>,                                                \
              class Alloc = std::allocator<std::pair<const Key, V>>,                                          \
              std::enable_if_t<!detail::is_allocator<Comp>::value && detail::is_allocator<Alloc>::value,      \
                               int> = 0>                                                                      \
    container(std::initializer_list<std::pair<Key, V>>, Comp = Comp(), Alloc = Alloc())                       \
        ->container<Key, V, Comp, Alloc>;                                                                     \
    template <class It, class Alloc,                                                                          \
              std::enable_if_t<detail::is_input_iterator<It>::value && detail::is_allocator<Alloc>::value,    \
                               int> = 0>                                                                      \
    container(It, It, Alloc)                                                                                  \
        ->container<detail::iter_key_t<It>, detail::iter_mapped_t<It>, std::less<detail::iter_key_t<It>>,     \
                    Alloc>;                                                                                   \
    template <class Key, class V, class Alloc, std::enable_if_t<detail::is_allocator<Alloc>::value, int> = 0> \
    container(std::initializer_list<std::pair<Key, V>>, Alloc)                                                \
        ->container<Key, V, std::less<Key>, Alloc>

BPTREE_MAP_DEDUCTION_GUIDES(map);
BPTREE_MAP_DEDUCTION_GUIDES(multimap);
#undef BPTREE_MAP_DEDUCTION_GUIDES

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_MAP_HPP
