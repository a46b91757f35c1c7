// File: bptree/detail/container_base.hpp
// Layer: containers. The std::set/std::map interface written once over tree<Params>, split as
// abseil's btree_container.h splits it:
//   container_base<Tree>    everything unique and multi containers share, plus bptree's additions
//   unique_container<Tree>  insert/emplace returning pair<iterator, bool>, merge, node insert
//   multi_container<Tree>   insert/emplace returning iterator, merge, node insert
//   map_container<Tree>     unique maps: operator[], at, try_emplace, insert_or_assign
// The public facades (set.hpp, map.hpp) inherit these and only add their names and guides.
// Includes: tree, tree_verify, node_handle, fwd.
#ifndef BPTREE_DETAIL_CONTAINER_BASE_HPP
#define BPTREE_DETAIL_CONTAINER_BASE_HPP

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>
#if __cplusplus >= 202002L
#include <compare>
#endif

#include "bptree/detail/config.hpp"
#include "bptree/detail/node_handle.hpp"
#include "bptree/detail/tree.hpp"
#include "bptree/detail/tree_verify.hpp"
#include "bptree/fwd.hpp"
#include "bptree/tree_stats.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

// std::map's value_compare: orders values by their keys.
template <class Value, class Compare>
class map_value_compare {
public:
    bool operator()(const Value& a, const Value& b) const { return comp(a.first, b.first); }

protected:
    template <class>
    friend class container_base;
    explicit map_value_compare(Compare c) : comp(std::move(c)) {}
    Compare comp;
};

#if __cplusplus >= 202002L
// The standard's synth-three-way: <=> when the type has it, otherwise derived from <.
struct synth_three_way {
    template <class T>
    constexpr auto operator()(const T& a, const T& b) const {
        if constexpr (std::three_way_comparable<T>) {
            return a <=> b;
        } else {
            if (a < b) return std::weak_ordering::less;
            if (b < a) return std::weak_ordering::greater;
            return std::weak_ordering::equivalent;
        }
    }
};
#endif

template <class Tree>
class container_base {
protected:
    using params_type = typename Tree::params_type;
    static constexpr bool is_multi = params_type::is_multi;
    using traits_type = typename params_type::traits_type;
    template <class C>
    using enable_if_transparent = std::enable_if_t<is_transparent<C>::value, int>;

public:
    using key_type = typename Tree::key_type;
    using value_type = typename Tree::value_type;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using key_compare = typename Tree::key_compare;
    using value_compare = std::conditional_t<params_type::is_map,
                                             map_value_compare<value_type, key_compare>, key_compare>;
    using allocator_type = typename Tree::allocator_type;
    using reference = value_type&;
    using const_reference = const value_type&;
    using pointer = typename std::allocator_traits<allocator_type>::pointer;
    using const_pointer = typename std::allocator_traits<allocator_type>::const_pointer;
    using iterator = typename Tree::iterator;
    using const_iterator = typename Tree::const_iterator;
    using reverse_iterator = std::reverse_iterator<iterator>;
    using const_reverse_iterator = std::reverse_iterator<const_iterator>;
    using node_type = node_handle<params_type>;

    // ------------------------------------------------------------ construction
    container_base() : container_base(key_compare()) {}
    explicit container_base(const key_compare& comp, const allocator_type& alloc = allocator_type())
        : tree_(comp, alloc) {}
    explicit container_base(const allocator_type& alloc) : tree_(key_compare(), alloc) {}

    template <class InputIt>
    container_base(InputIt first, InputIt last, const key_compare& comp = key_compare(),
                   const allocator_type& alloc = allocator_type())
        : tree_(comp, alloc) {
        insert(first, last);
    }
    template <class InputIt>
    container_base(InputIt first, InputIt last, const allocator_type& alloc)
        : container_base(first, last, key_compare(), alloc) {}

    container_base(std::initializer_list<value_type> il, const key_compare& comp = key_compare(),
                   const allocator_type& alloc = allocator_type())
        : container_base(il.begin(), il.end(), comp, alloc) {}
    container_base(std::initializer_list<value_type> il, const allocator_type& alloc)
        : container_base(il.begin(), il.end(), key_compare(), alloc) {}

    // Bulk load from a sorted range: O(n), nodes filled densely. Requires: [first, last) is
    // sorted by the comparator (without equivalent keys for sorted_unique); checked by assertions.
    template <class InputIt>
    container_base(sorted_unique_t, InputIt first, InputIt last, const key_compare& comp = key_compare(),
                   const allocator_type& alloc = allocator_type())
        : tree_(comp, alloc) {
        tree_.append_sorted(first, last);
    }
    template <class InputIt>
    container_base(sorted_unique_t tag, InputIt first, InputIt last, const allocator_type& alloc)
        : container_base(tag, first, last, key_compare(), alloc) {}
    container_base(sorted_unique_t tag, std::initializer_list<value_type> il,
                   const key_compare& comp = key_compare(), const allocator_type& alloc = allocator_type())
        : container_base(tag, il.begin(), il.end(), comp, alloc) {}

    container_base(const container_base&) = default;
    container_base(container_base&&) noexcept = default;
    container_base(const container_base& other, const allocator_type& alloc) : tree_(other.tree_, alloc) {}
    container_base(container_base&& other, const allocator_type& alloc)
        : tree_(std::move(other.tree_), alloc) {}

    container_base& operator=(const container_base&) = default;
    container_base& operator=(container_base&&) = default;
    container_base& operator=(std::initializer_list<value_type> il) {
        clear();
        insert(il.begin(), il.end());
        return *this;
    }

    allocator_type get_allocator() const { return tree_.get_allocator(); }
    key_compare key_comp() const { return tree_.key_comp(); }
    value_compare value_comp() const { return value_compare(tree_.key_comp()); }

    // ------------------------------------------------------------ iterators: O(1)
    iterator begin() noexcept { return tree_.begin(); }
    const_iterator begin() const noexcept { return tree_.begin(); }
    const_iterator cbegin() const noexcept { return tree_.begin(); }
    iterator end() noexcept { return tree_.end(); }
    const_iterator end() const noexcept { return tree_.end(); }
    const_iterator cend() const noexcept { return tree_.end(); }
    reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
    const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
    const_reverse_iterator crbegin() const noexcept { return const_reverse_iterator(end()); }
    reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
    const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
    const_reverse_iterator crend() const noexcept { return const_reverse_iterator(begin()); }

    [[nodiscard]] bool empty() const noexcept { return tree_.empty(); }
    size_type size() const noexcept { return tree_.size(); }
    size_type max_size() const noexcept { return tree_.max_size(); }

    // ------------------------------------------------------------ lookup: O(log n)
    iterator find(const key_type& k) { return tree_.find(k); }
    const_iterator find(const key_type& k) const { return tree_.find(k); }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    iterator find(const K& k) {
        return tree_.find(k);
    }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    const_iterator find(const K& k) const {
        return tree_.find(k);
    }

    bool contains(const key_type& k) const { return tree_.find(k) != tree_.end(); }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    bool contains(const K& k) const {
        return tree_.find(k) != tree_.end();
    }

    // Unique: 0 or 1. Multi: O(log n) from the ranks of the equal range, whatever its length.
    size_type count(const key_type& k) const { return count_impl(k); }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    size_type count(const K& k) const {
        return count_impl(k);
    }

    iterator lower_bound(const key_type& k) { return tree_.lower_bound(k); }
    const_iterator lower_bound(const key_type& k) const { return tree_.lower_bound(k); }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    iterator lower_bound(const K& k) {
        return tree_.lower_bound(k);
    }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    const_iterator lower_bound(const K& k) const {
        return tree_.lower_bound(k);
    }

    iterator upper_bound(const key_type& k) { return tree_.upper_bound(k); }
    const_iterator upper_bound(const key_type& k) const { return tree_.upper_bound(k); }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    iterator upper_bound(const K& k) {
        return tree_.upper_bound(k);
    }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    const_iterator upper_bound(const K& k) const {
        return tree_.upper_bound(k);
    }

    std::pair<iterator, iterator> equal_range(const key_type& k) { return equal_range_impl(k); }
    std::pair<const_iterator, const_iterator> equal_range(const key_type& k) const {
        return const_cast<container_base*>(this)->equal_range_impl(k);
    }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    std::pair<iterator, iterator> equal_range(const K& k) {
        return equal_range_impl(k);
    }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    std::pair<const_iterator, const_iterator> equal_range(const K& k) const {
        return const_cast<container_base*>(this)->equal_range_impl(k);
    }

    // ------------------------------------------------------------ order statistics: O(log n)
    // Number of values whose key is less than k: the index of lower_bound(k).
    size_type rank(const key_type& k) const { return tree_.rank(k); }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0>
    size_type rank(const K& k) const {
        return tree_.rank(k);
    }
    // Iterator to the value at 0-based index i; end() when i >= size().
    iterator nth(size_type i) noexcept { return tree_.nth(i); }
    const_iterator nth(size_type i) const noexcept { return tree_.nth(i); }
    // 0-based index of it; size() for end().
    size_type index_of(const_iterator it) const noexcept { return tree_.index_of(it); }

    // ------------------------------------------------------------ batched lookups: O(m log n)
    // find / lower_bound / rank of every key in [first, last) (m keys), written to out in order:
    // the same results as one call per key. Up to 16 descents run interleaved with prefetches,
    // so in a tree larger than the cache their misses overlap instead of queueing (README:
    // batched lookup). The keys are key_type, or any type the comparator accepts when it is
    // transparent. Returns the output iterator past the last result.
    template <class ForwardIt, class OutputIt>
    OutputIt find_many(ForwardIt first, ForwardIt last, OutputIt out) {
        tree_.find_many(first, last, write_to<iterator>(out));
        return out;
    }
    template <class ForwardIt, class OutputIt>
    OutputIt find_many(ForwardIt first, ForwardIt last, OutputIt out) const {
        as_mutable_tree().find_many(first, last, write_to<const_iterator>(out));
        return out;
    }
    template <class ForwardIt, class OutputIt>
    OutputIt lower_bound_many(ForwardIt first, ForwardIt last, OutputIt out) {
        tree_.lower_bound_many(first, last, write_to<iterator>(out));
        return out;
    }
    template <class ForwardIt, class OutputIt>
    OutputIt lower_bound_many(ForwardIt first, ForwardIt last, OutputIt out) const {
        as_mutable_tree().lower_bound_many(first, last, write_to<const_iterator>(out));
        return out;
    }
    template <class ForwardIt, class OutputIt>
    OutputIt rank_many(ForwardIt first, ForwardIt last, OutputIt out) const {
        tree_.rank_many(first, last, write_to<size_type>(out));
        return out;
    }

    // ------------------------------------------------------------ ends: O(1)
    // Requires: !empty().
    reference front() noexcept { return tree_.front(); }
    const_reference front() const noexcept { return tree_.front(); }
    reference back() noexcept { return tree_.back(); }
    const_reference back() const noexcept { return tree_.back(); }
    // Remove the first / last value: O(1) amortized plus rebalancing. Requires: !empty().
    void pop_front() {
        BPTREE_ASSERT(!empty());
        tree_.erase(tree_.begin());
        after_mutation();
    }
    void pop_back() {
        BPTREE_ASSERT(!empty());
        tree_.erase(std::prev(tree_.end()));
        after_mutation();
    }

    // ------------------------------------------------------------ modifiers
    // Each value goes in as by insert(v), in input order (for unique keys the first of equivalent
    // values wins). A forward range of values that is not sorted is sorted first (through
    // iterators to it, stably) and inserted in key order, each with the position after the
    // previous one as hint: sorted input appends in O(1) per value and the descents of sorted keys
    // share their cached paths. O(m log(n + m)) for m values; basic guarantee.
    template <class InputIt>
    void insert(InputIt first, InputIt last) {
        using category = typename std::iterator_traits<InputIt>::iterator_category;
        using input_value = std::decay_t<typename std::iterator_traits<InputIt>::reference>;
        if constexpr (std::is_base_of_v<std::forward_iterator_tag, category> &&
                      std::is_same_v<input_value, value_type>) {
            if (!is_sorted_by_key(first, last)) {
                insert_in_key_order(first, last);
                after_mutation();
                return;
            }
        }
        for (; first != last; ++first) insert_with_hint(tree_.end(), *first);
        after_mutation();
    }
    void insert(std::initializer_list<value_type> il) { insert(il.begin(), il.end()); }

    // Erase invalidates every iterator; the returned one is valid. O(log n).
    iterator erase(const_iterator pos) {
        iterator next = tree_.erase(pos);
        after_mutation();
        return next;
    }
    iterator erase(iterator pos) { return erase(const_iterator(pos)); }
    // O(log n + k/B) node work for k values, plus their destructors.
    iterator erase(const_iterator first, const_iterator last) {
        iterator next = tree_.erase(first, last);
        after_mutation();
        return next;
    }
    size_type erase(const key_type& k) {
        const size_type n = tree_.erase_key(k);
        after_mutation();
        return n;
    }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0,
              std::enable_if_t<!std::is_convertible_v<K&&, iterator> &&
                                   !std::is_convertible_v<K&&, const_iterator>,
                               int> = 0>
    size_type erase(K&& k) {
        const size_type n = tree_.erase_key(k);
        after_mutation();
        return n;
    }

    void clear() noexcept { tree_.clear(); }

    // Replaces the value at pos with one built from args (its key may change). In place when the
    // new value still sorts between pos's neighbours: O(1) plus at most two separator copies,
    // strong guarantee, no tree restructuring. Otherwise the new value is inserted and the old one
    // erased: O(log n), basic guarantee. In a unique container a key another value already has
    // changes nothing and returns that value's position with false. Invalidates iterators.
    template <class... Args>
    std::pair<iterator, bool> replace(const_iterator pos, Args&&... args) {
        auto r = tree_.replace(pos, std::forward<Args>(args)...);
        after_mutation();
        return r;
    }

    // Moves the value at pos into a node handle and erases its slot. O(log n). Strong guarantee:
    // the handle's storage is allocated, and any separator key copied, before the value moves.
    node_type extract(const_iterator pos) {
        BPTREE_ASSERT(pos != end());
        node_type nh = node_handle_access::take_from<node_type>(
            get_allocator(), [&](auto take) { tree_.erase_taking(pos, take); });
        after_mutation();
        return nh;
    }
    node_type extract(const key_type& k) {
        const const_iterator it = find(k);
        return it == end() ? node_type() : extract(it);
    }
    template <class K, class C = key_compare, enable_if_transparent<C> = 0,
              std::enable_if_t<!std::is_convertible_v<K&&, iterator> &&
                                   !std::is_convertible_v<K&&, const_iterator>,
                               int> = 0>
    node_type extract(K&& k) {
        const const_iterator it = find(k);
        return it == end() ? node_type() : extract(it);
    }

    // Requires: the allocators are equal or propagate on swap.
    void swap(container_base& other) noexcept { tree_.swap(other.tree_); }
    friend void swap(container_base& a, container_base& b) noexcept { a.swap(b); }

    // ------------------------------------------------------------ checks and memory
    // Checks every structural invariant; throws std::logic_error naming the broken one. O(n).
    void verify() const { tree_.verify(); }
    // Shape and memory figures. O(1).
    tree_stats stats() const noexcept { return tree_.stats(); }
    // Rebuilds the tree densely in fresh memory and returns spare pool memory. O(n).
    void shrink_to_fit() {
        tree_.shrink_to_fit();
        after_mutation();
    }

    // ------------------------------------------------------------ comparisons
    friend bool operator==(const container_base& a, const container_base& b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
    }
#if __cplusplus >= 202002L
    friend auto operator<=>(const container_base& a, const container_base& b) {
        return std::lexicographical_compare_three_way(a.begin(), a.end(), b.begin(), b.end(),
                                                      synth_three_way{});
    }
#else
    friend bool operator!=(const container_base& a, const container_base& b) { return !(a == b); }
    friend bool operator<(const container_base& a, const container_base& b) {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
    friend bool operator>(const container_base& a, const container_base& b) { return b < a; }
    friend bool operator<=(const container_base& a, const container_base& b) { return !(b < a); }
    friend bool operator>=(const container_base& a, const container_base& b) { return !(a < b); }
#endif

protected:
    template <class>
    friend class container_base;
    template <class>
    friend struct tree_test_access;
    template <class>
    friend class unique_container;
    template <class>
    friend class multi_container;

    void after_mutation() const {
        if constexpr (traits_type::self_verify) tree_.verify();
    }

    // A source tree's slot (a value, or a pointer to it when the source boxes values), the value
    // in it, what builds one of our slots from it, and what the source slot holds afterwards: a
    // boxed value moving into a boxed tree changes owner (the source slot is nulled, so the
    // source destroys nothing); any other value is moved out and the source destroys the rest.
    template <class Slot>
    static value_type& object_of(Slot& slot) noexcept {
        if constexpr (std::is_pointer_v<Slot>) return *slot;
        else return slot;
    }
    template <class Slot>
    static decltype(auto) take_source(Slot& slot) noexcept {
        if constexpr (std::is_pointer_v<Slot> && params_type::boxed_values) {
            return boxed_object<value_type>{slot};
        } else {
            return params_type::movable(object_of(slot));
        }
    }
    template <class Slot>
    static void taken(Slot& slot) noexcept {
        if constexpr (std::is_pointer_v<Slot> && params_type::boxed_values) slot = nullptr;
    }

    // What builds a tree slot from the value a handle owns: a boxed value changes owner (nothing
    // moves), any other value is moved out of the handle.
    static decltype(auto) handle_source(node_type& nh) noexcept {
        value_type& v = node_handle_access::value(nh);
        if constexpr (params_type::boxed_values) {
            return boxed_object<value_type>{&v};
        } else {
            return params_type::movable(v);
        }
    }
    // After the tree took the handle's value: release a boxed one, destroy a moved-from one.
    static void handle_consumed(node_type& nh) noexcept {
        if constexpr (params_type::boxed_values) {
            node_handle_access::release(nh);
        } else {
            node_handle_access::reset(nh);
        }
    }

    template <class ForwardIt>
    bool is_sorted_by_key(ForwardIt first, ForwardIt last) const {
        const key_compare comp = key_comp();
        return std::is_sorted(first, last, [&comp](const value_type& a, const value_type& b) {
            return comp(params_type::key(a), params_type::key(b));
        });
    }

    // The sort order of an unsorted range insert: iterators to the values, stably sorted by key,
    // with a copy of the key beside each iterator when keys are small and trivially copyable (the
    // sort then reads no value: the values' memory is touched once, when it is inserted).
    template <class ForwardIt>
    struct key_order {
        static constexpr bool keys_inline =
            std::is_trivially_copyable_v<key_type> && sizeof(key_type) <= 2 * sizeof(void*);
        using entry = std::conditional_t<keys_inline, std::pair<key_type, ForwardIt>, ForwardIt>;

        static const key_type& key(const entry& e) {
            if constexpr (keys_inline) return e.first;
            else return params_type::key(*e);
        }
        static const ForwardIt& position(const entry& e) {
            if constexpr (keys_inline) return e.second;
            else return e;
        }
        static std::vector<entry> sorted(ForwardIt first, ForwardIt last, const key_compare& comp) {
            std::vector<entry> order;
            order.reserve(static_cast<std::size_t>(std::distance(first, last)));
            for (; first != last; ++first) {
                if constexpr (keys_inline) order.emplace_back(params_type::key(*first), first);
                else order.push_back(first);
            }
            std::stable_sort(order.begin(), order.end(),
                             [&comp](const entry& a, const entry& b) { return comp(key(a), key(b)); });
            return order;
        }
    };

    // Inserts the values of [first, last) in key order (key_order), each insertion hinted just
    // after the previous one. Strong until the first value goes in.
    template <class ForwardIt>
    void insert_in_key_order(ForwardIt first, ForwardIt last) {
        using order = key_order<ForwardIt>;
        using reference = typename std::iterator_traits<ForwardIt>::reference;
        const_iterator hint = tree_.end();
        const key_compare comp = key_comp();
        for (const typename order::entry& e : order::sorted(first, last, comp)) {
            reference v = *order::position(e);  // moved from when ForwardIt is a move_iterator
            const key_type& k = params_type::key(v);
            if constexpr (is_multi) {
                // After every equivalent value, as insert(v): the hint serves only when it is
                // that place (the value before it, inserted last, is not greater than k).
                const bool hint_is_upper_bound = hint == tree_.end() || comp(k, params_type::key(*hint));
                hint = std::next(hint_is_upper_bound ? tree_.emplace_hint_multi_key(hint, k, std::forward<reference>(v))
                                                     : tree_.emplace_multi_key(k, std::forward<reference>(v)));
            } else {
                hint = std::next(tree_.emplace_hint_unique_key(hint, k, std::forward<reference>(v)).first);
            }
        }
    }

    // Inserts a value built from v; reads the key from v directly when v is a value_type.
    template <class V>
    void insert_with_hint(const_iterator hint, V&& v) {
        constexpr bool plain = std::is_same_v<std::decay_t<V>, value_type>;
        if constexpr (is_multi && plain) {
            tree_.emplace_hint_multi_key(hint, params_type::key(v), std::forward<V>(v));
        } else if constexpr (is_multi) {
            tree_.emplace_hint_multi(hint, std::forward<V>(v));
        } else if constexpr (plain) {
            tree_.emplace_hint_unique_key(hint, params_type::key(v), std::forward<V>(v));
        } else {
            tree_.emplace_hint_unique(hint, std::forward<V>(v));
        }
    }

    template <class K>
    size_type count_impl(const K& k) const {
        if constexpr (is_multi) {
            return tree_.rank_upper(k) - tree_.rank(k);
        } else {
            return tree_.find(k) != tree_.end() ? 1 : 0;
        }
    }

    template <class K>
    std::pair<iterator, iterator> equal_range_impl(const K& k) {
        if constexpr (is_multi) {
            return {tree_.lower_bound(k), tree_.upper_bound(k)};
        } else {
            iterator it = tree_.find(k);
            if (it == tree_.end()) {
                it = tree_.lower_bound(k);
                return {it, it};
            }
            return {it, std::next(it)};
        }
    }

    // The const lookups share the tree's mutable code and hand out const_iterators only.
    Tree& as_mutable_tree() const noexcept { return const_cast<Tree&>(tree_); }
    // A sink for the batched lookups: writes each result, as a Result, through out.
    template <class Result, class OutputIt>
    static auto write_to(OutputIt& out) {
        return [&out](Result r) { *out++ = r; };
    }

    Tree tree_;
};

template <class Tree>
class unique_container : public container_base<Tree> {
    using base = container_base<Tree>;
    using params_type = typename base::params_type;

public:
    using typename base::const_iterator;
    using typename base::iterator;
    using typename base::key_type;
    using typename base::node_type;
    using typename base::value_type;
    using insert_return_type = detail::insert_return_type<iterator, node_type>;

    using base::base;
    using base::insert;

    // Inserts v unless an equivalent key is present. O(log n); O(1) plus count updates when v
    // goes after the last value.
    std::pair<iterator, bool> insert(const value_type& v) { return finish(this->tree_.emplace_unique_key(params_type::key(v), v)); }
    std::pair<iterator, bool> insert(value_type&& v) {
        return finish(this->tree_.emplace_unique_key(params_type::key(v), std::move(v)));
    }
    iterator insert(const_iterator hint, const value_type& v) {
        return finish(this->tree_.emplace_hint_unique_key(hint, params_type::key(v), v)).first;
    }
    iterator insert(const_iterator hint, value_type&& v) {
        return finish(this->tree_.emplace_hint_unique_key(hint, params_type::key(v), std::move(v))).first;
    }

    // Maps: insert(P&&) for any P a value_type can be built from, as std::map has.
    template <class P, std::enable_if_t<params_type::is_map && std::is_constructible_v<value_type, P&&>, int> = 0>
    std::pair<iterator, bool> insert(P&& p) {
        return emplace(std::forward<P>(p));
    }
    template <class P, std::enable_if_t<params_type::is_map && std::is_constructible_v<value_type, P&&>, int> = 0>
    iterator insert(const_iterator hint, P&& p) {
        return emplace_hint(hint, std::forward<P>(p));
    }

    template <class... Args>
    std::pair<iterator, bool> emplace(Args&&... args) {
        return finish(emplace_impl(std::forward<Args>(args)...));
    }
    template <class... Args>
    iterator emplace_hint(const_iterator hint, Args&&... args) {
        return finish(this->tree_.emplace_hint_unique(hint, std::forward<Args>(args)...)).first;
    }

    insert_return_type insert(node_type&& nh) {
        if (nh.empty()) return {this->end(), false, node_type()};
        const value_type& v = node_handle_access::value(nh);
        auto r = this->tree_.emplace_unique_key(params_type::key(v), base::handle_source(nh));
        if (!r.second) return {r.first, false, std::move(nh)};
        base::handle_consumed(nh);
        this->after_mutation();
        return {r.first, true, node_type()};
    }
    iterator insert(const_iterator hint, node_type&& nh) {
        if (nh.empty()) return this->end();
        const value_type& v = node_handle_access::value(nh);
        auto r = this->tree_.emplace_hint_unique_key(hint, params_type::key(v), base::handle_source(nh));
        if (r.second) base::handle_consumed(nh);
        this->after_mutation();
        return r.first;
    }

    // Moves in every value of source whose key is absent here; the rest stay in source.
    // O(m log(n + m)). Requires: equal allocators.
    // Each value is inserted here from inside the source's erase, once nothing else can throw
    // there: a throw leaves both containers unchanged.
    template <class SourceTree>
    void merge(container_base<SourceTree>& source) {
        auto& src = source.tree_;
        for (auto it = src.begin(); it != src.end();) {
            if (this->tree_.find(params_type::key(*it)) != this->tree_.end()) {
                ++it;
                continue;
            }
            it = src.erase_taking(it, [&](auto& slot) {
                this->tree_.emplace_unique_key(params_type::key(base::object_of(slot)), base::take_source(slot));
                base::taken(slot);
            });
        }
        this->after_mutation();
        source.after_mutation();
    }
    template <class SourceTree>
    void merge(container_base<SourceTree>&& source) {
        merge(source);
    }

protected:
    std::pair<iterator, bool> finish(std::pair<iterator, bool> r) const {
        this->after_mutation();
        return r;
    }

private:
    // Finds the key in the arguments without building a value when they hold it plainly.
    template <class... Args>
    std::pair<iterator, bool> emplace_impl(Args&&... args) {
        if constexpr (sizeof...(Args) == 1 && !params_type::is_map) {
            if constexpr ((std::is_same_v<std::decay_t<Args>, key_type> && ...)) {
                return this->tree_.emplace_unique_key(args..., std::forward<Args>(args)...);
            } else {
                return this->tree_.emplace_unique(std::forward<Args>(args)...);
            }
        } else if constexpr (params_type::is_map && sizeof...(Args) == 2) {
            return emplace_pair(std::forward<Args>(args)...);
        } else {
            return this->tree_.emplace_unique(std::forward<Args>(args)...);
        }
    }
    template <class A, class B>
    std::pair<iterator, bool> emplace_pair(A&& a, B&& b) {
        if constexpr (std::is_same_v<std::decay_t<A>, key_type>) {
            return this->tree_.emplace_unique_key(a, std::forward<A>(a), std::forward<B>(b));
        } else {
            return this->tree_.emplace_unique(std::forward<A>(a), std::forward<B>(b));
        }
    }
};

template <class Tree>
class multi_container : public container_base<Tree> {
    using base = container_base<Tree>;
    using params_type = typename base::params_type;

public:
    using typename base::const_iterator;
    using typename base::iterator;
    using typename base::key_type;
    using typename base::node_type;
    using typename base::value_type;

    using base::base;
    using base::insert;

    // Sorted bulk load of a range that may hold equivalent keys. O(n).
    template <class InputIt>
    multi_container(sorted_equivalent_t, InputIt first, InputIt last,
                    const typename base::key_compare& comp = typename base::key_compare(),
                    const typename base::allocator_type& alloc = typename base::allocator_type())
        : base(comp, alloc) {
        this->tree_.append_sorted(first, last);
    }
    template <class InputIt>
    multi_container(sorted_equivalent_t tag, InputIt first, InputIt last,
                    const typename base::allocator_type& alloc)
        : multi_container(tag, first, last, typename base::key_compare(), alloc) {}
    multi_container(sorted_equivalent_t tag, std::initializer_list<value_type> il,
                    const typename base::key_compare& comp = typename base::key_compare(),
                    const typename base::allocator_type& alloc = typename base::allocator_type())
        : multi_container(tag, il.begin(), il.end(), comp, alloc) {}

    // Inserts v after the values with an equivalent key. O(log n).
    iterator insert(const value_type& v) { return finish(this->tree_.emplace_multi_key(params_type::key(v), v)); }
    iterator insert(value_type&& v) {
        return finish(this->tree_.emplace_multi_key(params_type::key(v), std::move(v)));
    }
    iterator insert(const_iterator hint, const value_type& v) {
        return finish(this->tree_.emplace_hint_multi_key(hint, params_type::key(v), v));
    }
    iterator insert(const_iterator hint, value_type&& v) {
        return finish(this->tree_.emplace_hint_multi_key(hint, params_type::key(v), std::move(v)));
    }

    template <class P, std::enable_if_t<params_type::is_map && std::is_constructible_v<value_type, P&&>, int> = 0>
    iterator insert(P&& p) {
        return emplace(std::forward<P>(p));
    }
    template <class P, std::enable_if_t<params_type::is_map && std::is_constructible_v<value_type, P&&>, int> = 0>
    iterator insert(const_iterator hint, P&& p) {
        return emplace_hint(hint, std::forward<P>(p));
    }

    template <class... Args>
    iterator emplace(Args&&... args) {
        return finish(this->tree_.emplace_multi(std::forward<Args>(args)...));
    }
    template <class... Args>
    iterator emplace_hint(const_iterator hint, Args&&... args) {
        return finish(this->tree_.emplace_hint_multi(hint, std::forward<Args>(args)...));
    }

    iterator insert(node_type&& nh) {
        if (nh.empty()) return this->end();
        const value_type& v = node_handle_access::value(nh);
        iterator it = this->tree_.emplace_multi_key(params_type::key(v), base::handle_source(nh));
        base::handle_consumed(nh);
        return finish(it);
    }
    iterator insert(const_iterator hint, node_type&& nh) {
        if (nh.empty()) return this->end();
        const value_type& v = node_handle_access::value(nh);
        iterator it = this->tree_.emplace_hint_multi_key(hint, params_type::key(v), base::handle_source(nh));
        base::handle_consumed(nh);
        return finish(it);
    }

    // Moves every value of source in. O(m log(n + m)). Requires: equal allocators.
    // As for unique containers, each value moves from inside the source's erase.
    template <class SourceTree>
    void merge(container_base<SourceTree>& source) {
        if (static_cast<void*>(&source) == static_cast<void*>(this)) return;
        auto& src = source.tree_;
        while (!src.empty()) {
            src.erase_taking(src.begin(), [&](auto& slot) {
                this->tree_.emplace_multi_key(params_type::key(base::object_of(slot)), base::take_source(slot));
                base::taken(slot);
            });
        }
        this->after_mutation();
        source.after_mutation();
    }
    template <class SourceTree>
    void merge(container_base<SourceTree>&& source) {
        merge(source);
    }

private:
    iterator finish(iterator it) const {
        this->after_mutation();
        return it;
    }
};

template <class Tree>
class map_container : public unique_container<Tree> {
    using base = unique_container<Tree>;

public:
    using typename base::const_iterator;
    using typename base::iterator;
    using typename base::key_type;
    using mapped_type = typename Tree::params_type::mapped_type;

    using base::base;

    // Reference to the value of key k, inserting a value-initialized one when absent.
    mapped_type& operator[](const key_type& k) { return try_emplace(k).first->second; }
    mapped_type& operator[](key_type&& k) { return try_emplace(std::move(k)).first->second; }

    // Throws std::out_of_range when k is absent.
    mapped_type& at(const key_type& k) { return checked(this->find(k)); }
    const mapped_type& at(const key_type& k) const { return const_cast<map_container*>(this)->at(k); }
    template <class K, class C = typename base::key_compare,
              typename base::template enable_if_transparent<C> = 0>
    mapped_type& at(const K& k) {
        return checked(this->find(k));
    }
    template <class K, class C = typename base::key_compare,
              typename base::template enable_if_transparent<C> = 0>
    const mapped_type& at(const K& k) const {
        return const_cast<map_container*>(this)->at(k);
    }

    // Builds the mapped value from args only when k is absent.
    template <class... Args>
    std::pair<iterator, bool> try_emplace(const key_type& k, Args&&... args) {
        return this->finish(this->tree_.emplace_unique_key(k, std::piecewise_construct, std::forward_as_tuple(k),
                                                            std::forward_as_tuple(std::forward<Args>(args)...)));
    }
    template <class... Args>
    std::pair<iterator, bool> try_emplace(key_type&& k, Args&&... args) {
        return this->finish(this->tree_.emplace_unique_key(k, std::piecewise_construct,
                                                            std::forward_as_tuple(std::move(k)),
                                                            std::forward_as_tuple(std::forward<Args>(args)...)));
    }
    template <class... Args>
    iterator try_emplace(const_iterator hint, const key_type& k, Args&&... args) {
        return this->finish(this->tree_.emplace_hint_unique_key(hint, k, std::piecewise_construct,
                                                                 std::forward_as_tuple(k),
                                                                 std::forward_as_tuple(std::forward<Args>(args)...)))
            .first;
    }
    template <class... Args>
    iterator try_emplace(const_iterator hint, key_type&& k, Args&&... args) {
        return this->finish(this->tree_.emplace_hint_unique_key(hint, k, std::piecewise_construct,
                                                                 std::forward_as_tuple(std::move(k)),
                                                                 std::forward_as_tuple(std::forward<Args>(args)...)))
            .first;
    }

    // Inserts (k, obj) or assigns obj to the existing value of k.
    template <class M>
    std::pair<iterator, bool> insert_or_assign(const key_type& k, M&& obj) {
        auto r = try_emplace(k, std::forward<M>(obj));
        if (!r.second) r.first->second = std::forward<M>(obj);
        return r;
    }
    template <class M>
    std::pair<iterator, bool> insert_or_assign(key_type&& k, M&& obj) {
        auto r = try_emplace(std::move(k), std::forward<M>(obj));
        if (!r.second) r.first->second = std::forward<M>(obj);
        return r;
    }
    template <class M>
    iterator insert_or_assign(const_iterator hint, const key_type& k, M&& obj) {
        auto r = this->tree_.emplace_hint_unique_key(hint, k, k, std::forward<M>(obj));
        if (!r.second) r.first->second = std::forward<M>(obj);
        return this->finish(r).first;
    }
    template <class M>
    iterator insert_or_assign(const_iterator hint, key_type&& k, M&& obj) {
        auto r = this->tree_.emplace_hint_unique_key(hint, k, std::move(k), std::forward<M>(obj));
        if (!r.second) r.first->second = std::forward<M>(obj);
        return this->finish(r).first;
    }

private:
    mapped_type& checked(iterator it) {
        if (it == this->end()) throw_out_of_range();
        return it->second;
    }
    [[noreturn]] BPTREE_NOINLINE static void throw_out_of_range() {
        throw std::out_of_range("bptree::map::at: key not found");
    }
};

// std::erase_if for the containers: erases the values for which pred holds, one run of
// consecutive matches at a time. O(n) predicate calls plus O(log n + k/B) per run.
template <class Container, class Pred>
typename Container::size_type erase_if_impl(Container& c, Pred& pred) {
    const typename Container::size_type old_size = c.size();
    auto it = c.begin();
    while (it != c.end()) {
        if (!pred(*it)) {
            ++it;
            continue;
        }
        auto run_end = std::next(it);
        while (run_end != c.end() && pred(*run_end)) ++run_end;
        const bool at_end = run_end == c.end();
        it = c.erase(it, run_end);
        if (!at_end) ++it;  // pred already rejected the value after the run
    }
    return old_size - c.size();
}

// Deduction-guide helpers, as the standard library defines them.
template <class T, class = void>
struct is_allocator : std::false_type {};
template <class T>
struct is_allocator<T, std::void_t<typename T::value_type, decltype(std::declval<T&>().allocate(std::size_t{}))>>
    : std::true_type {};
template <class T, class = void>
struct is_input_iterator : std::false_type {};
template <class T>
struct is_input_iterator<T, std::void_t<typename std::iterator_traits<T>::iterator_category>>
    : std::is_convertible<typename std::iterator_traits<T>::iterator_category, std::input_iterator_tag> {};

template <class It>
using iter_value_t = typename std::iterator_traits<It>::value_type;
template <class It>
using iter_key_t = std::remove_const_t<typename iter_value_t<It>::first_type>;
template <class It>
using iter_mapped_t = typename iter_value_t<It>::second_type;
template <class It>
using iter_to_alloc_t = std::pair<std::add_const_t<iter_key_t<It>>, iter_mapped_t<It>>;

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_CONTAINER_BASE_HPP
