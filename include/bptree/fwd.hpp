// File: bptree/fwd.hpp
// Layer: public declarations. Forward declarations of the containers with their default template
// arguments, the pmr aliases, and the tags of the sorted bulk-load constructors.
#ifndef BPTREE_FWD_HPP
#define BPTREE_FWD_HPP

#include <functional>
#include <memory>
#include <memory_resource>
#include <utility>

#include "bptree/detail/config.hpp"
#include "bptree/traits.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// Tag for constructors and inserts whose input is sorted with no equivalent keys.
struct sorted_unique_t {
    explicit sorted_unique_t() = default;
};
inline constexpr sorted_unique_t sorted_unique{};

// Tag for constructors and inserts whose input is sorted (equivalent keys allowed).
struct sorted_equivalent_t {
    explicit sorted_equivalent_t() = default;
};
inline constexpr sorted_equivalent_t sorted_equivalent{};

template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>,
          class Traits = default_traits>
class set;
template <class Key, class Compare = std::less<Key>, class Allocator = std::allocator<Key>,
          class Traits = default_traits>
class multiset;
template <class Key, class T, class Compare = std::less<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>, class Traits = default_traits>
class map;
template <class Key, class T, class Compare = std::less<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>, class Traits = default_traits>
class multimap;

namespace pmr {
template <class Key, class Compare = std::less<Key>, class Traits = default_traits>
using set = bptree::set<Key, Compare, std::pmr::polymorphic_allocator<Key>, Traits>;
template <class Key, class Compare = std::less<Key>, class Traits = default_traits>
using multiset = bptree::multiset<Key, Compare, std::pmr::polymorphic_allocator<Key>, Traits>;
template <class Key, class T, class Compare = std::less<Key>, class Traits = default_traits>
using map = bptree::map<Key, T, Compare,
                        std::pmr::polymorphic_allocator<std::pair<const Key, T>>, Traits>;
template <class Key, class T, class Compare = std::less<Key>, class Traits = default_traits>
using multimap = bptree::multimap<Key, T, Compare,
                                  std::pmr::polymorphic_allocator<std::pair<const Key, T>>, Traits>;
}  // namespace pmr

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_FWD_HPP
