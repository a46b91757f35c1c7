// File: bptree/detail/tree.hpp
// Layer: engine. tree<Params> is the one B+ tree behind set, multiset, map and multimap: lookup,
// rank/nth/index_of, insertion with splits, erasure with merges and borrows, range erase, bulk
// append, and the node bookkeeping (leaf chain, first/last leaf, subtree counts, node pool).
// Includes: config, params, node, search, slots, node_pool, iterator.
//
// Why a B+ tree: values live only in leaves, which are linked, so scans never climb the tree and
// begin()/rbegin()/front()/back() are O(1) through the cached first and last leaf. Inner nodes
// hold separator copies of keys plus, for each child, the number of values below it, which gives
// rank, nth and index_of in O(log n). Nodes are fixed-size blocks from a pooled allocator.
//
// Structural rules (the invariants I1..I9 are listed in node.hpp):
// - Insertion splits before it inserts: the nodes a split needs are allocated and the separator
//   key copied first, then values move (noexcept); so a throwing allocation, key copy or value
//   construction leaves the contents unchanged (strong guarantee).
// - Appending past the last value fills the last leaf and then starts a new one, leaving full
//   nodes behind (as absl does); the nodes on the rightmost path may therefore be short (I3).
//   Prepending before the first value mirrors it: the first leaf splits off one value and the
//   new leaf after it is full, so the first leaf may be short too.
//   Bulk loads and copies are appends, so they build dense nodes in O(n).
// - Erasure removes a run of values from one leaf, then repairs the leaf from a sibling: merge
//   when both fit in one node, else balance the two. The key copy a balance needs is made before
//   anything changes. Inner nodes are repaired the same way, moving separators through the parent.
//   The first and last leaves, which I3 lets be short, are repaired only when they empty, so
//   pop_front and pop_back cost a shift (or nothing) and one merge per leaf's worth of values.
// - Range erase frees the whole leaves strictly inside the range with the subtrees that hold only
//   them, repairs the two boundary paths, then trims the two boundary leaves: O(log n + k/B) node
//   work plus the destructors.
#ifndef BPTREE_DETAIL_TREE_HPP
#define BPTREE_DETAIL_TREE_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "bptree/detail/config.hpp"
#include "bptree/detail/iterator.hpp"
#include "bptree/detail/node.hpp"
#include "bptree/detail/node_pool.hpp"
#include "bptree/detail/params.hpp"
#include "bptree/detail/search.hpp"
#include "bptree/detail/slots.hpp"
#include "bptree/tree_stats.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

template <class Tree>
struct tree_verifier;
template <class Tree>
struct tree_test_access;

[[noreturn]] BPTREE_NOINLINE inline void throw_length_error(const char* what) {
    throw std::length_error(what);
}

// A comparator wrapper for debug builds: every comparison that answers true also checks the
// reverse comparison is false (asymmetry), which catches <= and other non-strict orders.
template <class Compare>
struct checked_compare {
    const Compare& comp;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
        const bool less = comp(a, b);
        BPTREE_ASSERT(!(less && comp(b, a)) &&
                      "bptree: the comparator is not a strict weak ordering (a < b and b < a)");
        return less;
    }
};

template <class Params>
class tree {
public:
    using key_type = typename Params::key_type;
    using value_type = typename Params::value_type;
    using key_compare = typename Params::key_compare;
    using allocator_type = typename Params::allocator_type;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using iterator = tree_iterator<Params, false>;
    using const_iterator = tree_iterator<Params, true>;
    using params_type = Params;

    using node_type = node_base<Params>;
    using leaf_type = leaf_node<Params>;
    using inner_type = inner_node<Params>;
    using capacity = node_capacity<Params>;
    static constexpr size_type leaf_slots = capacity::leaf_slots;
    static constexpr size_type inner_slots = capacity::inner_slots;
    static constexpr size_type min_leaf = capacity::min_leaf;
    static constexpr size_type min_inner = capacity::min_inner;
    static constexpr bool is_multi = Params::is_multi;

private:
    using alloc_traits = std::allocator_traits<allocator_type>;
    using value_ops = slot_ops<value_type, allocator_type, movable_value<Params>, Params::boxed_values,
                               Params::is_trivially_relocatable>;
    using key_ops = slot_ops<key_type, allocator_type, move_ref, Params::boxed_keys,
                             std::is_trivially_copyable_v<key_type>>;
    using value_slot = typename leaf_type::slot_type;
    using key_slot = typename inner_type::key_slot_type;
    using value_allocator = typename value_ops::allocator;
    using key_allocator = typename key_ops::allocator;
    using leaf_pool = node_pool<allocator_type, sizeof(leaf_type), alignof(leaf_type)>;
    using inner_pool = node_pool<allocator_type, sizeof(inner_type), alignof(inner_type)>;
    using search = node_search<Params>;

    // Enough for any tree: non-root nodes off the rightmost path hold >= 2 children.
    static constexpr int max_height = 128;

    struct position {
        leaf_type* leaf;
        size_type slot;
    };

public:
    // ---------------------------------------------------------------- construction
    tree(const key_compare& comp, const allocator_type& alloc)
        : comp_(comp), leaves_(alloc), inners_(alloc) {}

    tree(const tree& other)
        : tree(other, alloc_traits::select_on_container_copy_construction(other.get_allocator())) {}

    tree(const tree& other, const allocator_type& alloc) : tree(other.comp_.get(), alloc) {
        append_sorted_or_clear(other.begin(), other.end());
    }

    tree(tree&& other) noexcept
        : root_(std::exchange(other.root_, nullptr)),
          first_leaf_(std::exchange(other.first_leaf_, nullptr)),
          last_leaf_(std::exchange(other.last_leaf_, nullptr)),
          size_(std::exchange(other.size_, 0)),
          comp_(other.comp_.get()),
          leaves_(std::move(other.leaves_)),
          inners_(std::move(other.inners_)) {
        other.note_change();
    }

    tree(tree&& other, const allocator_type& alloc) : tree(other.comp_.get(), alloc) {
        if (alloc == other.get_allocator()) {
            steal(other);
        } else {
            append_sorted_or_clear(std::make_move_iterator(other.begin()),
                                   std::make_move_iterator(other.end()));
            other.clear();
        }
    }

    tree& operator=(const tree& other) {
        if (this == &other) return *this;
        clear();
        if constexpr (alloc_traits::propagate_on_container_copy_assignment::value) {
            set_allocator(other.get_allocator());
        }
        comp_.get() = other.comp_.get();
        append_sorted_or_clear(other.begin(), other.end());
        return *this;
    }

    tree& operator=(tree&& other) noexcept(alloc_traits::is_always_equal::value ||
                                           alloc_traits::propagate_on_container_move_assignment::value) {
        if (this == &other) return *this;
        clear();
        comp_.get() = other.comp_.get();
        if constexpr (alloc_traits::propagate_on_container_move_assignment::value) {
            set_allocator(other.get_allocator());
            steal(other);
        } else {
            if (get_allocator() == other.get_allocator()) {
                steal(other);
            } else {
                append_sorted_or_clear(std::make_move_iterator(other.begin()),
                                       std::make_move_iterator(other.end()));
                other.clear();
            }
        }
        return *this;
    }

    ~tree() { clear(); }

    void swap(tree& other) noexcept {
        constexpr bool propagate = alloc_traits::propagate_on_container_swap::value;
        BPTREE_ASSERT(propagate || get_allocator() == other.get_allocator());
        note_change();
        other.note_change();
        using std::swap;
        swap(root_, other.root_);
        swap(first_leaf_, other.first_leaf_);
        swap(last_leaf_, other.last_leaf_);
        swap(size_, other.size_);
        swap(comp_.get(), other.comp_.get());
        leaves_.template swap<propagate>(other.leaves_);
        inners_.template swap<propagate>(other.inners_);
    }

    allocator_type get_allocator() const { return leaves_.get_allocator(); }
    const key_compare& key_comp() const noexcept { return comp_.get(); }

    // ---------------------------------------------------------------- size and iteration
    size_type size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    size_type max_size() const noexcept {
        return std::numeric_limits<difference_type>::max() / sizeof(value_type);
    }

    iterator begin() noexcept { return at(first_leaf_, 0); }
    const_iterator begin() const noexcept { return at(first_leaf_, 0); }
    iterator end() noexcept { return at(last_leaf_, last_leaf_ ? last_leaf_->count : 0); }
    const_iterator end() const noexcept { return at(last_leaf_, last_leaf_ ? last_leaf_->count : 0); }

    // Requires: !empty(). O(1).
    value_type& front() noexcept {
        BPTREE_ASSERT(size_ != 0);
        return first_leaf_->value(0);
    }
    const value_type& front() const noexcept {
        BPTREE_ASSERT(size_ != 0);
        return first_leaf_->value(0);
    }
    value_type& back() noexcept {
        BPTREE_ASSERT(size_ != 0);
        return last_leaf_->value(last_leaf_->count - 1u);
    }
    const value_type& back() const noexcept {
        BPTREE_ASSERT(size_ != 0);
        return last_leaf_->value(last_leaf_->count - 1u);
    }

    static iterator make_mutable(const_iterator it) noexcept { return it.as_mutable(); }
    // The value at it, writable even in a set (for moving it out just before it is erased).
    static value_type& mutable_value(const_iterator it) noexcept { return it.leaf_->value(it.slot_); }

    // ---------------------------------------------------------------- lookup, O(log n)
    // First value not less than k.
    template <class K>
    iterator lower_bound(const K& k) {
        return normalized(descend<false, false>(k));
    }
    template <class K>
    const_iterator lower_bound(const K& k) const {
        return const_cast<tree*>(this)->lower_bound(k);
    }
    // First value greater than k.
    template <class K>
    iterator upper_bound(const K& k) {
        return normalized(descend<true, true>(k));
    }
    template <class K>
    const_iterator upper_bound(const K& k) const {
        return const_cast<tree*>(this)->upper_bound(k);
    }
    // A value equivalent to k (the first of them in a multi container), or end().
    template <class K>
    iterator find(const K& k) {
        return find_impl<false>(k);
    }
    template <class K>
    const_iterator find(const K& k) const {
        return const_cast<tree*>(this)->find(k);
    }
    // A value equivalent to k or end(), fetching the path's counts for an erase that follows.
    template <bool ForUpdate, class K>
    iterator find_impl(const K& k) {
        if (root_ == nullptr) return end();
        if constexpr (is_multi) {
            iterator it = lower_bound(k);
            return it != end() && !comp()(k, key_at(it)) ? it : end();
        } else {
            // In a unique tree a separator is greater than every key on its left, so the leaf that
            // the upper descent reaches holds k if the tree does.
            const position p = descend<true, false, ForUpdate>(k);
            return p.slot < p.leaf->count && !comp()(k, p.leaf->key(p.slot)) ? at(p.leaf, p.slot)
                                                                            : end();
        }
    }

    // Number of values less than k (the index of lower_bound(k)).
    template <class K>
    size_type rank(const K& k) const {
        return rank_impl<false>(k);
    }
    // Number of values not greater than k (the index of upper_bound(k)).
    template <class K>
    size_type rank_upper(const K& k) const {
        return rank_impl<true>(k);
    }

    // ---------------------------------------------------------------- batched lookups
    // find / lower_bound / rank of every key in [first, last), in order, each result handed to
    // emit (an iterator, or a size_type for rank): the same results as one call per key. The
    // descents of batch_width keys run interleaved, so a large tree's cache misses overlap.
    template <class ForwardIt, class Emit>
    void find_many(ForwardIt first, ForwardIt last, Emit&& emit) {
        for_each_batch(first, last, [&](const ForwardIt* probes, size_type m) {
            position found[batch_width];
            // Multi containers find the first equivalent value, where lower_bound lands.
            descend_batch<!is_multi, false, false>(probes, m, found, nullptr);
            for (size_type j = 0; j < m; ++j) {
                const iterator it = normalized(found[j]);
                emit(it != end() && !comp()(*probes[j], key_at(it)) ? it : end());
            }
        });
    }
    template <class ForwardIt, class Emit>
    void lower_bound_many(ForwardIt first, ForwardIt last, Emit&& emit) {
        for_each_batch(first, last, [&](const ForwardIt* probes, size_type m) {
            position found[batch_width];
            descend_batch<false, false, false>(probes, m, found, nullptr);
            for (size_type j = 0; j < m; ++j) emit(normalized(found[j]));
        });
    }
    template <class ForwardIt, class Emit>
    void rank_many(ForwardIt first, ForwardIt last, Emit&& emit) const {
        for_each_batch(first, last, [&](const ForwardIt* probes, size_type m) {
            position found[batch_width];
            size_type before[batch_width];
            descend_batch<false, false, true>(probes, m, found, before);
            for (size_type j = 0; j < m; ++j) emit(before[j] + found[j].slot);
        });
    }

    // Iterator to the value at 0-based index i; end() when i >= size().
    iterator nth(size_type i) noexcept {
        if (i >= size_) return end();
        if (i == size_ - 1u) return at(last_leaf_, last_leaf_->count - 1u);
        node_type* n = root_;
        size_type below = size_;  // values in n's subtree; i < below
        while (!n->is_leaf()) {
            inner_type* in = as_inner(n);
            const size_type c = child_holding(in, i, below);
            below = in->counts[c];
            n = in->child(c);
            if (in->level == 1) {
                prefetch_leaf_value(n, i, below);
            } else {
                prefetch_node<prefetch_kind::counts>(n, false);
            }
        }
        return at(as_leaf(n), i);
    }
    const_iterator nth(size_type i) const noexcept { return const_cast<tree*>(this)->nth(i); }

    // 0-based index of it; size() for end(). O(log n): climbs from the leaf summing the counts
    // of the siblings to the left.
    size_type index_of(const_iterator it) const noexcept {
        if (it.leaf_ == nullptr) return 0;
        size_type index = it.slot_;
        for (const node_type* n = it.leaf_; n->parent != nullptr; n = n->parent) {
            index += sum_counts(n->parent, n->position);
        }
        return index;
    }

    // ---------------------------------------------------------------- insertion
    // Unique insertion of a value with key k built from args (only built when k is absent).
    template <class K, class... Args>
    std::pair<iterator, bool> emplace_unique_key(const K& k, Args&&... args) {
        if (root_ == nullptr) return {insert_at({nullptr, 0}, std::forward<Args>(args)...), true};
        if (comp()(last_key(), k)) {
            return {insert_at({last_leaf_, last_leaf_->count}, std::forward<Args>(args)...), true};
        }
        if (comp()(k, first_key())) return {insert_at({first_leaf_, 0}, std::forward<Args>(args)...), true};
        const position p = descend<true, false, true>(k);
        if (p.slot < p.leaf->count && !comp()(k, p.leaf->key(p.slot))) {
            return {at(p.leaf, p.slot), false};
        }
        return {insert_at(p, std::forward<Args>(args)...), true};
    }

    // Unique insertion of a value built from args; the value is built first to learn its key.
    template <class... Args>
    std::pair<iterator, bool> emplace_unique(Args&&... args) {
        value_allocator va = value_alloc();
        temp_slot<value_ops> tmp(va, std::forward<Args>(args)...);
        return emplace_unique_key(Params::key(tmp.get()), relocated_from(tmp));
    }

    // Multi insertion after the values equivalent to k.
    template <class K, class... Args>
    iterator emplace_multi_key(const K& k, Args&&... args) {
        if (root_ == nullptr || !comp()(k, last_key())) {
            return insert_at({last_leaf_, last_leaf_ ? last_leaf_->count : 0u},
                             std::forward<Args>(args)...);
        }
        if (comp()(k, first_key())) return insert_at({first_leaf_, 0}, std::forward<Args>(args)...);
        return insert_at(descend<true, true, true>(k), std::forward<Args>(args)...);
    }

    template <class... Args>
    iterator emplace_multi(Args&&... args) {
        value_allocator va = value_alloc();
        temp_slot<value_ops> tmp(va, std::forward<Args>(args)...);
        return emplace_multi_key(Params::key(tmp.get()), relocated_from(tmp));
    }

    // Insertion as close as possible before hint: O(1) plus the count updates when the hint is
    // right, O(log n) otherwise.
    template <class K, class... Args>
    std::pair<iterator, bool> emplace_hint_unique_key(const_iterator hint, const K& k, Args&&... args) {
        const position p = hint_position(hint, k);
        if (p.leaf != nullptr) return {insert_at(p, std::forward<Args>(args)...), true};
        return emplace_unique_key(k, std::forward<Args>(args)...);
    }
    template <class... Args>
    std::pair<iterator, bool> emplace_hint_unique(const_iterator hint, Args&&... args) {
        value_allocator va = value_alloc();
        temp_slot<value_ops> tmp(va, std::forward<Args>(args)...);
        return emplace_hint_unique_key(hint, Params::key(tmp.get()), relocated_from(tmp));
    }
    template <class K, class... Args>
    iterator emplace_hint_multi_key(const_iterator hint, const K& k, Args&&... args) {
        const position p = hint_position(hint, k);
        if (p.leaf != nullptr) return insert_at(p, std::forward<Args>(args)...);
        // A wrong hint lies outside k's equal run. As std::multiset does, k goes to the end of
        // the run nearest the hint: its front when the hint precedes the run, its back otherwise.
        if (hint != end() && comp()(key_at(hint), k)) {
            return insert_at(descend<false, false, true>(k), std::forward<Args>(args)...);
        }
        return emplace_multi_key(k, std::forward<Args>(args)...);
    }
    template <class... Args>
    iterator emplace_hint_multi(const_iterator hint, Args&&... args) {
        value_allocator va = value_alloc();
        temp_slot<value_ops> tmp(va, std::forward<Args>(args)...);
        return emplace_hint_multi_key(hint, Params::key(tmp.get()), relocated_from(tmp));
    }

    // Replaces the value at pos with one built from args. When the new value still sorts between
    // pos's neighbours it takes pos's slot in place: O(1) plus at most two separator copies on the
    // path to the root, strong guarantee. Otherwise the new value is inserted and the old one
    // erased, O(log n), basic guarantee. In a unique tree a key that another value already has
    // changes nothing: the result is that value's position and false.
    template <class... Args>
    std::pair<iterator, bool> replace(const_iterator pos, Args&&... args) {
        BPTREE_ASSERT(pos != end());
        value_allocator va = value_alloc();
        temp_slot<value_ops> fresh(va, std::forward<Args>(args)...);
        const key_type& k = Params::key(fresh.get());
        if (fits_at(pos, k)) return {replace_in_place(pos, fresh), true};
        const size_type old_index = index_of(pos);
        std::pair<iterator, bool> inserted;
        if constexpr (is_multi) {
            inserted = {emplace_multi_key(k, relocated_from(fresh)), true};
        } else {
            inserted = emplace_unique_key(k, relocated_from(fresh));
            if (!inserted.second) return inserted;
        }
        const size_type new_index = index_of(inserted.first);
        const size_type old_now = new_index <= old_index ? old_index + 1u : old_index;
        erase(nth(old_now));
        return {nth(old_now < new_index ? new_index - 1u : new_index), true};
    }

    // Appends the values of [first, last) after the last value. Requires: the input is sorted
    // and, for a unique tree, strictly greater than back() and free of equivalent keys (checked
    // by assertions). O(n): values are built in place in the last leaf, which is left full when
    // the next one starts. On an exception the values appended so far stay.
    template <class It>
    void append_sorted(It first, It last) {
        note_change();
        while (first != last) {
            if (root_ == nullptr || last_leaf_->count == leaf_slots) {
                BPTREE_ASSERT(root_ == nullptr || sorted_after_back(Params::key(*first)));
                insert_at({last_leaf_, last_leaf_ ? last_leaf_->count : 0u}, *first);
                ++first;
                continue;
            }
            leaf_type* l = last_leaf_;
            place_values(l, 0);
            value_allocator va = value_alloc();
            const size_type before = l->count;
            try {
                for (; first != last && l->count < leaf_slots; ++first) {
                    BPTREE_ASSERT(sorted_after_back(Params::key(*first)));
                    value_ops::construct(va, l->slots() + l->count, *first);
                    ++l->count;
                }
            } catch (...) {
                note_appended(l, l->count - before);
                throw;
            }
            note_appended(l, l->count - before);
        }
    }

    // Appends the n values at src (sorted after back(), as for append_sorted) by relocation,
    // leaving their slots raw. On an exception (a node allocation or a separator copy) the
    // values not yet taken are still at src.
    void append_relocating(value_slot* src, size_type n) {
        note_change();
        value_allocator va = value_alloc();
        while (n != 0) {
            if (root_ == nullptr || last_leaf_->count == leaf_slots) {
                temp_slot<value_ops> tmp(va, relocate_from, src);
                try {
                    insert_at({last_leaf_, last_leaf_ ? last_leaf_->count : 0u}, relocated_from(tmp));
                } catch (...) {
                    tmp.relocate_to(src);
                    throw;
                }
                ++src, --n;
                continue;
            }
            leaf_type* l = last_leaf_;
            const size_type taken = std::min<size_type>(n, leaf_slots - l->count);
            place_values(l, 0);
            value_ops::relocate_n(va, l->slots() + l->count, src, taken);
            l->count = static_cast<std::uint16_t>(l->count + taken);
            note_appended(l, taken);
            src += taken, n -= taken;
        }
    }

    // Gives the values this tree took by append_relocating back to the raw slots of source they
    // came from, in order, and then empties this tree. noexcept.
    void return_relocated_values(tree& source) noexcept {
        value_allocator va = value_alloc();
        leaf_type* to = source.first_leaf_;
        size_type slot = 0;
        for (leaf_type* l = first_leaf_; l != nullptr; l = l->next) {
            for (size_type i = 0; i < l->count; ++i, ++slot) {
                if (slot == to->count) to = to->next, slot = 0;
                value_ops::relocate(va, to->slots() + slot, l->slots() + i);
            }
        }
        forget_relocated_values();
    }

    // Empties a tree whose value slots are all raw (relocated away): the separators are destroyed
    // and the nodes freed, no value is. noexcept.
    void forget_relocated_values() noexcept {
        for (leaf_type* l = first_leaf_; l != nullptr; l = l->next) l->count = 0;
        clear();
    }

    // ---------------------------------------------------------------- erasure
    // Erases the value at pos; returns the iterator that followed it.
    iterator erase(const_iterator pos) {
        BPTREE_ASSERT(pos != end());
        return normalized(erase_run(pos.leaf_, pos.slot_, pos.slot_ + 1u));
    }

    // Erases the value at pos after handing it to take(value&) (which may move it away); if take
    // throws, nothing has changed. Returns the iterator that followed it.
    template <class Take>
    iterator erase_taking(const_iterator pos, Take&& take) {
        BPTREE_ASSERT(pos != end());
        return normalized(erase_run(pos.leaf_, pos.slot_, pos.slot_ + 1u,
                                    [&](value_slot* v, size_type) { take(*v); }));
    }

    // Erases [first, last); returns last's position afterwards.
    iterator erase(const_iterator first, const_iterator last) {
        if (first == last) return make_mutable(last);
        if (first == begin() && last == end()) {
            clear();
            return end();
        }
        const size_type start = index_of(first);
        size_type remaining = index_of(last) - start;
        if constexpr (std::is_nothrow_move_constructible_v<key_type>) {
            if (first.leaf_ != last.leaf_ && first.leaf_->next != last.leaf_) {
                remaining -= drop_leaves_between(first.leaf_, last.leaf_ == last_leaf_ &&
                                                                      last.slot_ == last_leaf_->count
                                                                  ? nullptr
                                                                  : last.leaf_);
            }
        }
        while (remaining != 0) {
            const iterator at = nth(start);
            const size_type run = std::min<size_type>(remaining, at.leaf_->count - at.slot_);
            erase_run(at.leaf_, at.slot_, at.slot_ + run);
            remaining -= run;
        }
        return nth(start);
    }

    // Erases every value equivalent to k; returns how many.
    template <class K>
    size_type erase_key(const K& k) {
        if constexpr (is_multi) {
            const const_iterator first = lower_bound(k);
            const const_iterator last = upper_bound(k);
            const size_type n = first == last ? 0 : index_of(last) - index_of(first);
            erase(first, last);
            return n;
        } else {
            const iterator it = find_impl<true>(k);
            if (it == end()) return 0;
            erase(it);
            return 1;
        }
    }

    // Destroys every value and returns all node memory to the allocator. O(n) destructor calls,
    // O(number of pool chunks) when values and keys are trivially destructible.
    void clear() noexcept {
        note_change();
        if (root_ != nullptr) destroy_subtree<false>(root_);
        root_ = nullptr;
        first_leaf_ = last_leaf_ = nullptr;
        size_ = 0;
        release_memory();
    }

    // Rebuilds the tree densely in fresh memory; returns the pool chunks that were spare. The
    // values are relocated (noexcept), so only a node allocation or a separator copy can throw;
    // then the values go back to their slots: strong guarantee. O(n).
    void shrink_to_fit() {
        tree fresh(comp_.get(), get_allocator());
        try {
            for (leaf_type* l = first_leaf_; l != nullptr; l = l->next) fresh.append_relocating(l->slots(), l->count);
        } catch (...) {
            fresh.return_relocated_values(*this);
            throw;
        }
        forget_relocated_values();
        swap(fresh);
    }

    // ---------------------------------------------------------------- statistics
    tree_stats stats() const noexcept {
        tree_stats s;
        s.size = size_;
        s.height = root_ == nullptr ? 0 : root_->level + 1u;
        s.leaf_nodes = leaves_.live_blocks();
        s.inner_nodes = inners_.live_blocks();
        s.leaf_slots = leaf_slots;
        s.inner_slots = inner_slots;
        s.node_bytes_used = s.leaf_nodes * sizeof(leaf_type) + s.inner_nodes * sizeof(inner_type);
        s.bytes_allocated = leaves_.bytes_allocated() + inners_.bytes_allocated();
        if (s.leaf_nodes != 0) {
            s.leaf_fill = static_cast<double>(size_) / static_cast<double>(s.leaf_nodes * leaf_slots);
        }
        if (s.inner_nodes != 0) {
            // Every node but the root is the child of exactly one inner node.
            const double children = static_cast<double>(s.leaf_nodes + s.inner_nodes - 1u);
            s.inner_fill = children / static_cast<double>(s.inner_nodes * inner_slots);
        }
        return s;
    }
    // Allocator calls made by the node pools (benchmarks report them per million inserts).
    size_type allocator_calls() const noexcept {
        return leaves_.chunk_allocations() + inners_.chunk_allocations();
    }

    void verify() const;

private:
    template <class>
    friend struct tree_verifier;
    template <class>
    friend struct tree_test_access;

    // ---------------------------------------------------------------- small helpers
#if BPTREE_HAS_DEBUG_CHECKS()
    // Debug builds compare through a wrapper that asserts strict weak ordering.
    checked_compare<key_compare> comp() const noexcept { return checked_compare<key_compare>{comp_.get()}; }
    iterator at(const leaf_type* l, size_type slot) const noexcept { return iterator(l, slot, &generation_); }
    // Every change to the values invalidates the iterators made before it.
    void note_change() noexcept { ++generation_; }
#else
    const key_compare& comp() const noexcept { return comp_.get(); }
    iterator at(const leaf_type* l, size_type slot) const noexcept { return iterator(l, slot); }
    void note_change() noexcept {}
#endif
    value_allocator value_alloc() const { return value_allocator(get_allocator()); }
    key_allocator key_alloc() const { return key_allocator(get_allocator()); }
    const key_type& last_key() const noexcept { return last_leaf_->key(last_leaf_->count - 1u); }
    const key_type& first_key() const noexcept { return first_leaf_->key(0); }
    static const key_type& key_at(const_iterator it) noexcept { return it.leaf_->key(it.slot_); }

    template <class K>
    bool sorted_after_back(const K& k) const {
        if (root_ == nullptr) return true;
        return is_multi ? !comp()(k, last_key()) : comp()(last_key(), k);
    }

    // A marker argument: construct the slot by relocating this temporary into it.
    struct relocate_tag {
        temp_slot<value_ops>* from;
    };
    static relocate_tag relocated_from(temp_slot<value_ops>& t) noexcept { return {&t}; }

    template <class... Args>
    void construct_value(value_allocator& va, value_slot* p, Args&&... args) {
        value_ops::construct(va, p, std::forward<Args>(args)...);
    }
    void construct_value(value_allocator&, value_slot* p, relocate_tag t) noexcept { t.from->relocate_to(p); }
    void construct_value(value_allocator&, value_slot* p, boxed_object<value_type> box) noexcept {
        value_ops::adopt(p, box.object);
    }
    // Undoes construct_value(va, p, args...) when the insertion fails after it: a relocated
    // temporary takes its value back and an adopted box goes back to its owner (a node handle);
    // a value built from args is destroyed.
    template <class... Args>
    static void unconstruct_value(value_allocator& va, value_slot* p, const Args&...) noexcept {
        value_ops::destroy(va, p);
    }
    static void unconstruct_value(value_allocator&, value_slot* p, const relocate_tag& t) noexcept {
        t.from->take_back(p);
    }
    static void unconstruct_value(value_allocator&, value_slot* p, const boxed_object<value_type>&) noexcept {
        value_ops::release(*p);
    }

    // Values before k's position: descends summing the counts of the children passed over. Each
    // child is prefetched whole (keys and counts) as soon as it is chosen.
    template <bool Upper, class K>
    size_type rank_impl(const K& k) const {
        if (root_ == nullptr) return 0;
        size_type before = 0;
        size_type below = size_;  // values in n's subtree
        const node_type* n = root_;
        while (!n->is_leaf()) n = rank_step<Upper>(as_inner(n), k, before, below);
        return before + slot_in_leaf<Upper>(as_leaf(n), k);
    }

    // One level of a rank descent from `in` toward k: the child on k's path, prefetched whole;
    // the values of the children passed over are added to before, and below (the values under
    // `in`) becomes the child's.
    template <bool Upper, class K>
    const node_type* rank_step(const inner_type* in, const K& k, size_type& before, size_type& below) const {
        const size_type i = child_index<Upper>(in, k);
        const node_type* child = in->child(i);
        prefetch_node<prefetch_kind::search_and_counts>(child, in->level == 1);
        before += counts_before(in, i, below);
        below = in->counts[i];
        return child;
    }

    // The child of `in` on the path of k's upper bound (Upper: after the separators <= k) or
    // lower bound (after those < k).
    template <bool Upper, class K>
    size_type child_index(const inner_type* in, const K& k) const {
        const size_type keys = in->count - 1u;
        return Upper ? search::upper_in_keys(in->keys(), keys, k, comp())
                     : search::lower_in_keys(in->keys(), keys, k, comp());
    }
    // k's upper_bound (Upper) or lower_bound slot in leaf l; may equal l->count.
    template <bool Upper, class K>
    size_type slot_in_leaf(const leaf_type* l, const K& k) const {
        return Upper ? search::upper_in_values(l->slots(), l->count, k, comp())
                     : search::lower_in_values(l->slots(), l->count, k, comp());
    }

    // The values under the first n children of `in`, or under children [from, to); reads only
    // their counts.
    static size_type sum_counts(const inner_type* in, size_type n) noexcept { return sum_counts(in, 0, n); }
    static size_type sum_counts(const inner_type* in, size_type from, size_type to) noexcept {
        size_type total = 0;
        for (size_type i = from; i < to; ++i) total += in->counts[i];
        return total;
    }
    // The child of `in` that holds the subtree's i-th value (i < total, the subtree's size), and
    // i made relative to that child. Scans the counts from the nearer end.
    static size_type child_holding(const inner_type* in, size_type& i, size_type total) noexcept {
        size_type c = 0;
        if (2u * i < total) {
            while (i >= in->counts[c]) i -= in->counts[c++];
            return c;
        }
        size_type from_end = total - 1u - i;  // values after the i-th
        c = in->count - 1u;
        while (from_end >= in->counts[c]) from_end -= in->counts[c--];
        i = in->counts[c] - 1u - from_end;
        return c;
    }
    // Whether counts_before takes one masked pass over the whole counts array: with vectors of
    // four or more 64-bit lanes that pass is a few instructions per level, and no branch or trip
    // count depends on i (summing the shorter side of i mispredicts about once per level of a
    // random rank). SSE2 has two lanes and no 64-bit comparison, and there the shorter side
    // measured faster. Rank at 1M int64 keys, against the shorter side: -march=native 1.06x
    // faster (scripts/ab.sh), portable 0.74x.
#if defined(__AVX2__)
    static constexpr bool masked_counts_pass = true;
#else
    static constexpr bool masked_counts_pass = false;
#endif

    // The values in the children of `in` before child i, given the values under `in` (total).
    // The masked pass relies on new_inner: every count is initialized (those past count keep
    // stale values, masked out). The other path sums whichever side of i is shorter.
    static size_type counts_before(const inner_type* in, size_type i, size_type total) noexcept {
        if constexpr (masked_counts_pass) {
            size_type sum = 0;
            for (size_type c = 0; c < inner_slots; ++c) sum += c < i ? in->counts[c] : size_type{0};
            return sum;
        } else {
            if (2u * i <= in->count) return sum_counts(in, i);
            return total - sum_counts(in, i, in->count);
        }
    }

    // Descents interleaved by the batched lookups: enough to cover a memory latency with the
    // searches of the other keys, few enough that their prefetches fit the line-fill buffers.
    static constexpr size_type batch_width = 16;

    // Calls f(probes, m) for each run of up to batch_width keys of [first, last) (iterators to
    // them in probes[0..m)); an empty tree emits nothing but still gets every key (m > 0).
    template <class ForwardIt, class F>
    void for_each_batch(ForwardIt first, ForwardIt last, F&& f) const {
        ForwardIt probes[batch_width];
        while (first != last) {
            size_type m = 0;
            for (; m < batch_width && first != last; ++m, ++first) probes[m] = first;
            f(static_cast<const ForwardIt*>(probes), m);
        }
    }

    // descend() for the m <= batch_width keys *probes[j], level by level (every leaf is at the
    // same depth): while one key's child is being fetched the others are searched. An empty
    // tree gives null positions. WithRank also counts the values left of each path (as rank_impl).
    template <bool UpperDescent, bool UpperInLeaf, bool WithRank, class ForwardIt>
    void descend_batch(const ForwardIt* probes, size_type m, position* out, size_type* before) const {
        if (root_ == nullptr) {
            for (size_type j = 0; j < m; ++j) {
                out[j] = {nullptr, 0};
                if constexpr (WithRank) before[j] = 0;
            }
            return;
        }
        const node_type* at_level[batch_width];
        size_type below[batch_width];
        for (size_type j = 0; j < m; ++j) {
            at_level[j] = root_;
            if constexpr (WithRank) {
                before[j] = 0;
                below[j] = size_;
            }
        }
        for (auto level = root_->level; level > 0; --level) {
            for (size_type j = 0; j < m; ++j) {
                const inner_type* in = as_inner(at_level[j]);
                if constexpr (WithRank) {
                    at_level[j] = rank_step<UpperDescent>(in, *probes[j], before[j], below[j]);
                } else {
                    at_level[j] = in->child(child_index<UpperDescent>(in, *probes[j]));
                    prefetch_node(at_level[j], level == 1);
                }
            }
        }
        for (size_type j = 0; j < m; ++j) {
            leaf_type* l = const_cast<leaf_type*>(as_leaf(at_level[j]));
            out[j] = {l, slot_in_leaf<UpperInLeaf>(l, *probes[j])};
        }
    }

    // Moves a position that sits just past the end of a leaf to the start of the next leaf.
    iterator normalized(position p) noexcept {
        if (p.leaf != nullptr && p.slot == p.leaf->count && p.leaf->next != nullptr) {
            return at(p.leaf->next, 0);
        }
        return at(p.leaf, p.slot);
    }

    // Adds delta (which may be negative) to the count of every subtree holding n.
    static void adjust_counts_upward(node_type* n, difference_type delta) noexcept {
        for (; n->parent != nullptr; n = n->parent) {
            n->parent->counts[n->position] += static_cast<size_type>(delta);
        }
    }

    void note_appended(leaf_type* l, size_type added) noexcept {
        size_ += added;
        adjust_counts_upward(l, static_cast<difference_type>(added));
    }

    // Root-to-leaf descent. UpperDescent picks the child after the separators <= k (else after
    // those < k); UpperInLeaf returns the leaf's upper_bound slot (else its lower_bound). The slot
    // may equal the leaf's count. Requires: a non-empty tree.
    // ForUpdate: the caller will change the counts on the path (insert, erase), so their cache
    // lines are requested on the way down, in parallel with the descent.
    template <bool UpperDescent, bool UpperInLeaf, bool ForUpdate = false, class K>
    position descend(const K& k) const {
        if (root_ == nullptr) return {nullptr, 0};
        const node_type* n = root_;
        while (!n->is_leaf()) {
            const inner_type* in = as_inner(n);
            const size_type i = child_index<UpperDescent>(in, k);
            n = in->child(i);
            prefetch_node(n, in->level == 1);
            if constexpr (ForUpdate) BPTREE_PREFETCH(in->counts + i);
        }
        leaf_type* l = const_cast<leaf_type*>(as_leaf(n));
        return {l, slot_in_leaf<UpperInLeaf>(l, k)};
    }

    // Where k may be inserted right before hint without a descent, or a null leaf when the
    // hint is wrong. At the front of a leaf that has a predecessor, the separator between the two
    // leaves decides which of them takes k.
    template <class K>
    position hint_position(const_iterator hint, const K& k) const {
        const position wrong{nullptr, 0};
        if (root_ == nullptr) return wrong;
        const bool at_end = hint == end();
        const bool at_begin = hint == begin();
        if constexpr (is_multi) {
            if (!at_end && comp()(key_at(hint), k)) return wrong;
            if (!at_begin && comp()(k, key_at(std::prev(hint)))) return wrong;
        } else {
            if (!at_end && !comp()(k, key_at(hint))) return wrong;
            if (!at_begin && !comp()(key_at(std::prev(hint)), k)) return wrong;
        }
        if (at_end || at_begin || hint.slot_ != 0) return {hint.leaf_, hint.slot_};
        const key_type& separator = key_ops::object_of(*separator_before(hint.leaf_));
        const bool goes_left = is_multi ? !comp()(separator, k) : comp()(k, separator);
        if (goes_left) return {hint.leaf_->prev, hint.leaf_->prev->count};
        return {hint.leaf_, 0};
    }

    // The separator between leaf l and its predecessor: in the lowest ancestor where l's path
    // is not the first child. Requires: l is not the first leaf. O(height).
    static key_slot* separator_before(const leaf_type* l) noexcept {
        const node_type* n = l;
        while (n->position == 0) n = n->parent;
        return n->parent->keys() + (n->position - 1u);
    }
    // The separator between leaf l and its successor. Requires: l is not the last leaf.
    static key_slot* separator_after(const leaf_type* l) noexcept {
        const node_type* n = l;
        while (n->position + 1u == n->parent->count) n = n->parent;
        return n->parent->keys() + n->position;
    }

    // True when a value with key k may stand at pos: between pos's neighbours in the order.
    template <class K>
    bool fits_at(const_iterator pos, const K& k) const {
        if (pos != begin()) {
            const key_type& before = key_at(std::prev(pos));
            if (is_multi ? comp()(k, before) : !comp()(before, k)) return false;
        }
        const const_iterator after = std::next(pos);
        if (after != end()) {
            const key_type& next = key_at(after);
            if (is_multi ? comp()(next, k) : !comp()(k, next)) return false;
        }
        return true;
    }

    // Puts the value held by fresh into pos's slot, whose neighbours it fits between. The
    // separators on either side of pos's leaf are repaired when pos is the leaf's first or last
    // slot (copies made before anything changes). O(height).
    iterator replace_in_place(const_iterator pos, temp_slot<value_ops>& fresh) {
        note_change();
        leaf_type* l = pos.leaf_;
        const size_type slot = pos.slot_;
        const key_type& k = Params::key(fresh.get());
        key_allocator ka = key_alloc();
        // The separator before the leaf must not exceed its new first key; the one after it must
        // stay above (unique) or not below (multi) its new last key: it becomes the next leaf's
        // first key, which is above k.
        key_slot* before = slot == 0 && l != first_leaf_ ? separator_before(l) : nullptr;
        key_slot* after = slot + 1u == l->count && l != last_leaf_ ? separator_after(l) : nullptr;
        if (before != nullptr && !comp()(k, key_ops::object_of(*before))) before = nullptr;
        if (after != nullptr) {
            const key_type& a = key_ops::object_of(*after);
            if (is_multi ? !comp()(a, k) : comp()(k, a)) after = nullptr;
        }
        std::optional<temp_slot<key_ops>> new_before, new_after;
        if (before != nullptr) new_before.emplace(ka, k);
        if (after != nullptr) new_after.emplace(ka, l->next->key(0));
        value_allocator va = value_alloc();
        value_ops::destroy(va, l->slots() + slot);
        fresh.relocate_to(l->slots() + slot);
        if (before != nullptr) replace_key(before, *new_before);
        if (after != nullptr) replace_key(after, *new_after);
        return at(l, slot);
    }

    // ---------------------------------------------------------------- node allocation
    leaf_type* new_leaf() {
        auto* l = static_cast<leaf_type*>(leaves_.allocate());
        l->parent = nullptr;
        l->position = 0;
        l->count = 0;
        l->level = 0;
        l->first = 0;
        l->prev = l->next = nullptr;
        return l;
    }
    inner_type* new_inner(std::uint8_t level) {
        auto* in = static_cast<inner_type*>(inners_.allocate());
        in->parent = nullptr;
        in->position = 0;
        in->count = 0;
        in->level = level;
        in->first = 0;
        // For the masked pass of counts_before, every count is initialized once (those past
        // count keep stale values).
        if constexpr (masked_counts_pass) std::fill(std::begin(in->counts), std::end(in->counts), size_type{0});
        return in;
    }
    void free_leaf(leaf_type* l) noexcept { leaves_.deallocate(l); }
    void free_inner(inner_type* in) noexcept { inners_.deallocate(in); }

    // Nodes allocated before a split, so the split itself cannot fail; unused ones go back.
    class node_reservation {
    public:
        node_reservation(tree& t, int inner_nodes) : tree_(t) {
            leaf_ = t.new_leaf();
            try {
                for (; count_ < inner_nodes; ++count_) inner_[count_] = t.new_inner(0);
            } catch (...) {
                release();
                throw;
            }
        }
        node_reservation(const node_reservation&) = delete;
        node_reservation& operator=(const node_reservation&) = delete;
        ~node_reservation() { release(); }
        leaf_type* take_leaf() noexcept { return std::exchange(leaf_, nullptr); }
        inner_type* take_inner(std::uint8_t level) noexcept {
            BPTREE_ASSERT(count_ > 0);
            inner_type* in = inner_[--count_];
            in->level = level;
            return in;
        }

    private:
        void release() noexcept {
            if (leaf_ != nullptr) tree_.free_leaf(std::exchange(leaf_, nullptr));
            while (count_ > 0) tree_.free_inner(inner_[--count_]);
        }

        tree& tree_;
        leaf_type* leaf_ = nullptr;
        inner_type* inner_[max_height];
        int count_ = 0;
    };

    // Inner nodes a split of leaf l may need: one per full ancestor, plus a new root when every
    // ancestor is full.
    static int inner_nodes_for_split(const leaf_type* l) noexcept {
        int needed = 0;
        for (const inner_type* p = l->parent;; p = p->parent) {
            if (p == nullptr || p->count < inner_slots) return needed + (p == nullptr ? 1 : 0);
            ++needed;
        }
    }

    // ---------------------------------------------------------------- insertion internals
    // Builds a value from args at p (a slot of p.leaf, possibly its count; null leaf for an empty
    // tree) and returns its iterator. Splits first when the leaf is full.
    template <class... Args>
    iterator insert_at(position p, Args&&... args) {
        note_change();
        if (root_ == nullptr) return insert_into_empty(std::forward<Args>(args)...);
        if (p.leaf->count == leaf_slots) {
            if (p.leaf == last_leaf_ && p.slot == p.leaf->count) {
                return append_new_leaf(std::forward<Args>(args)...);
            }
            p = make_room_in_leaf(p);
        }
        leaf_type* l = p.leaf;
        value_allocator va = value_alloc();
        open_gap(l, p.slot, 1);
        try {
            construct_value(va, l->slots() + p.slot, std::forward<Args>(args)...);
        } catch (...) {
            close_gap(l, p.slot, 1);
            throw;
        }
        ++l->count;
        ++size_;
        adjust_counts_upward(l, 1);
        return at(l, p.slot);
    }

    template <class... Args>
    iterator insert_into_empty(Args&&... args) {
        leaf_type* l = new_leaf();
        value_allocator va = value_alloc();
        try {
            construct_value(va, l->slots(), std::forward<Args>(args)...);
        } catch (...) {
            free_leaf(l);
            throw;
        }
        l->count = 1;
        root_ = first_leaf_ = last_leaf_ = l;
        size_ = 1;
        return at(l, 0);
    }

    // The last leaf is full and the value goes after it: start a new last leaf holding only the
    // value, leaving the old one full (sequential inserts and bulk loads build dense nodes).
    template <class... Args>
    iterator append_new_leaf(Args&&... args) {
        leaf_type* old_last = last_leaf_;
        node_reservation reserved(*this, inner_nodes_for_split(old_last));
        leaf_type* l = reserved.take_leaf();
        value_allocator va = value_alloc();
        key_allocator ka = key_alloc();
        try {
            construct_value(va, l->slots(), std::forward<Args>(args)...);
        } catch (...) {
            free_leaf(l);
            throw;
        }
        l->count = 1;
        try {
            temp_slot<key_ops> separator(ka, l->key(0));
            l->prev = old_last;
            old_last->next = l;
            last_leaf_ = l;
            insert_child_after(old_last, l, separator, 0, reserved, true);
        } catch (...) {
            unconstruct_value(va, l->slots(), args...);
            free_leaf(l);
            throw;
        }
        ++size_;
        adjust_counts_upward(l, 1);
        return at(l, 0);
    }

    // Makes room in the full leaf p.leaf for an insertion at p.slot: moves values into a sibling
    // that has room (as absl's rebalance_or_split does: leaves end up fuller, so the tree is
    // smaller), else splits. Returns where the insertion now goes. The new separator is copied
    // before any value moves.
    position make_room_in_leaf(position p) {
        leaf_type* l = p.leaf;
        inner_type* parent = l->parent;
        if (parent == nullptr) return split_leaf_for_insert(p);
        key_allocator ka = key_alloc();
        if (l->position > 0) {
            leaf_type* left = as_leaf(parent->children[l->position - 1u]);
            // Values before the insertion point move left; at least one stays before it, so the
            // new value never becomes l's first (the separator would have to be its key).
            const size_type room = leaf_slots - left->count;
            const size_type n = std::min<size_type>((room + 1u) / 2u, p.slot > 0 ? p.slot - 1u : 0u);
            if (n > 0) {
                temp_slot<key_ops> separator(ka, l->key(n));
                move_leaf_head_left(left, l, n);
                replace_separator(parent, left->position, separator);
                return {l, p.slot - n};
            }
        }
        if (l->position + 1u < parent->count) {
            leaf_type* right = as_leaf(parent->children[l->position + 1u]);
            const size_type room = leaf_slots - right->count;
            const size_type n = std::min<size_type>((room + 1u) / 2u, l->count - p.slot);
            if (n > 0) {
                temp_slot<key_ops> separator(ka, l->key(l->count - n));
                move_leaf_tail_right(l, right, n);
                replace_separator(parent, l->position, separator);
                return p;
            }
        }
        return split_leaf_for_insert(p);
    }

    // Splits the full leaf p.leaf and returns where p's insertion now goes. In halves, except at
    // the front of the first leaf, where descending inserts (prepends) arrive: the new right leaf
    // takes all but one value and stays full, as appends leave full left leaves.
    position split_leaf_for_insert(position p) {
        leaf_type* left = p.leaf;
        node_reservation reserved(*this, inner_nodes_for_split(left));
        const bool prepending = left == first_leaf_ && p.slot == 0;
        const size_type split = prepending ? 1u : left->count / 2u;
        key_allocator ka = key_alloc();
        temp_slot<key_ops> separator(ka, left->key(split));
        leaf_type* right = reserved.take_leaf();
        value_allocator va = value_alloc();
        const size_type moved = left->count - split;
        // Centred; after a prepend's split the free slot is the first, so that the next full
        // first leaf hands its last value over without moving any other.
        right->first = static_cast<std::uint16_t>((leaf_slots - moved + 1u) / 2u);
        value_ops::relocate_n(va, right->slots(), left->slots() + split, moved);
        right->count = static_cast<std::uint16_t>(moved);
        left->count = static_cast<std::uint16_t>(split);
        right->prev = left;
        right->next = left->next;
        if (left->next != nullptr) left->next->prev = right;
        left->next = right;
        if (last_leaf_ == left) last_leaf_ = right;
        insert_child_after(left, right, separator, moved, reserved, false);
        if (p.slot <= split) return {left, p.slot};
        return {right, p.slot - split};
    }

    // Links `right` into the tree as the sibling after `left`, with `separator` between them;
    // `moved` values of left's subtree now belong to right. Splits full ancestors with the
    // reserved nodes. In appending mode a full ancestor keeps all its children and a new node to
    // its right starts with `right` alone. noexcept after the reservation.
    void insert_child_after(node_type* left, node_type* right, temp_slot<key_ops>& separator,
                            size_type moved, node_reservation& reserved, bool appending) noexcept {
        if (left->parent == nullptr) {
            inner_type* root = reserved.take_inner(static_cast<std::uint8_t>(left->level + 1));
            root->count = 1;
            root->children[0] = left;
            root->counts[0] = subtree_size(left) + moved;
            left->parent = root;
            left->position = 0;
            root_ = root;
        }
        inner_type* p = left->parent;
        if (p->count == inner_slots) {
            if (appending) {
                inner_type* fresh = reserved.take_inner(p->level);
                fresh->count = 1;
                fresh->children[0] = right;
                fresh->counts[0] = moved;
                right->parent = fresh;
                right->position = 0;
                p->counts[left->position] -= moved;
                insert_child_after(p, fresh, separator, moved, reserved, true);
                return;
            }
            split_inner(p, reserved);
            p = left->parent;
        }
        const size_type pos = left->position + 1u;
        key_allocator ka = key_alloc();
        key_ops::shift_right(ka, p->keys() + pos - 1, p->count - pos, 1);
        separator.relocate_to(p->keys() + pos - 1);
        shift_children_right(p, pos, 1);
        p->children[pos] = right;
        p->counts[pos] = moved;
        p->counts[pos - 1] -= moved;
        right->parent = p;
        right->position = static_cast<std::uint16_t>(pos);
        ++p->count;
    }

    // Splits the full inner node p in two halves; the middle separator moves up.
    void split_inner(inner_type* p, node_reservation& reserved) noexcept {
        inner_type* right = reserved.take_inner(p->level);
        const size_type n = p->count;
        const size_type keep = n / 2u;
        key_allocator ka = key_alloc();
        key_ops::relocate_n(ka, right->keys(), p->keys() + keep, n - keep - 1u);
        size_type moved = 0;
        for (size_type i = keep; i < n; ++i) {
            const size_type j = i - keep;
            right->children[j] = p->children[i];
            right->counts[j] = p->counts[i];
            right->children[j]->parent = right;
            right->children[j]->position = static_cast<std::uint16_t>(j);
            moved += p->counts[i];
        }
        right->count = static_cast<std::uint16_t>(n - keep);
        p->count = static_cast<std::uint16_t>(keep);
        // The separator between the halves (keys[keep - 1]) moves up.
        temp_slot<key_ops> separator(ka, relocate_from, p->keys() + keep - 1u);
        insert_child_after(p, right, separator, moved, reserved, false);
    }

    // Opens `by` child slots at pos in p (children and counts), renumbering the moved children.
    static void shift_children_right(inner_type* p, size_type pos, size_type by) noexcept {
        for (size_type i = p->count; i-- > pos;) {
            p->children[i + by] = p->children[i];
            p->counts[i + by] = p->counts[i];
            p->children[i + by]->position = static_cast<std::uint16_t>(i + by);
        }
    }
    // Closes `by` child slots before pos in p, renumbering the moved children.
    static void shift_children_left(inner_type* p, size_type pos, size_type by) noexcept {
        for (size_type i = pos; i < p->count; ++i) {
            p->children[i - by] = p->children[i];
            p->counts[i - by] = p->counts[i];
            p->children[i - by]->position = static_cast<std::uint16_t>(i - by);
        }
    }

    // ---------------------------------------------------------------- erasure internals
    struct no_take {
        void operator()(value_slot*, size_type) const noexcept {}
    };

    // Removes the values [from, to) of leaf l and repairs l; returns the position of the value
    // that followed the run (its slot may equal its leaf's count). take(values, n) sees the values
    // just before they are destroyed, after every step that may throw, so a throwing take (or
    // key copy) leaves the contents unchanged.
    template <class Take = no_take>
    position erase_run(leaf_type* l, size_type from, size_type to, Take&& take = Take{}) {
        note_change();
        BPTREE_ASSERT(from < to && to <= l->count);
        const size_type k = to - from;
        const size_type remaining = l->count - k;
        const auto remove = [&] {
            take(l->slots() + from, k);
            remove_values(l, from, to);
        };
        // The first and last leaves may be short (I3): pop_front / pop_back just shift until such
        // a leaf empties, and only then is it repaired (an empty one merges with its sibling).
        const bool may_stay_short = remaining > 0 && (l == first_leaf_ || l == last_leaf_);
        const bool needs_repair = l != root_ && remaining < min_leaf && !may_stay_short;
        if (needs_repair && l->parent->count == 1) {
            // A leaf without a sibling (an only child on the rightmost path): repair the parent
            // first so the leaf has a sibling to merge with or borrow from.
            rebalance_upward(l->parent);
        }
        if (!needs_repair) {
            remove();
            if (l->count == 0) {
                free_leaf(l);
                root_ = nullptr;
                first_leaf_ = last_leaf_ = nullptr;
                return {nullptr, 0};
            }
            return {l, from};
        }
        inner_type* p = l->parent;
        const bool use_left = l->position > 0;
        leaf_type* s = as_leaf(p->children[use_left ? l->position - 1u : l->position + 1u]);
        if (remaining + s->count <= leaf_slots) {
            remove();
            position result{l, from};
            if (use_left) {
                result = {s, s->count + from};
                merge_leaves(s, l);
            } else {
                merge_leaves(l, s);
            }
            rebalance_upward(p);
            return result;
        }
        // Balance: l ends with half of the two leaves' values. The new separator is copied before
        // anything changes, so a throwing key copy leaves the tree as it was.
        const size_type moved = (remaining + s->count) / 2u - remaining;
        key_allocator ka = key_alloc();
        temp_slot<key_ops> separator(ka, use_left ? s->key(s->count - moved) : s->key(moved));
        remove();
        if (use_left) {
            move_leaf_tail_right(s, l, moved);
            replace_separator(p, s->position, separator);
            return {l, from + moved};
        }
        move_leaf_head_left(l, s, moved);
        replace_separator(p, l->position, separator);
        return {l, from};
    }

    // Destroys values [from, to) of l, closes the gap and updates every count. No repair.
    void remove_values(leaf_type* l, size_type from, size_type to) noexcept {
        value_allocator va = value_alloc();
        value_ops::destroy_n(va, l->slots() + from, to - from);
        l->count = static_cast<std::uint16_t>(l->count - (to - from));
        close_gap(l, from, to - from);
        size_ -= to - from;
        adjust_counts_upward(l, -static_cast<difference_type>(to - from));
    }

    // ---------------------------------------------------------------- leaf gaps
    // Values sit in the middle of a leaf's storage (node.hpp): an insert or erase moves the values
    // on the side of its position that has fewer.

    // Opens raw slots [at, at + n) among the values of leaf l (count stays the caller's to raise):
    // the values before `at` move n slots to the front, or those from `at` on n slots to the back,
    // whichever are fewer (ties go to the back). When that side lacks the room, the values are
    // first placed so that it has n slots plus half of the spare ones, or all of them at either end
    // of the leaf, where runs of prepends or appends continue: one move of the whole leaf, after
    // which the next inserts on that side move few values again. So prepends, appends and queues
    // move O(1) values each, amortized. Requires: l->count + n <= leaf_slots.
    void open_gap(leaf_type* l, size_type at, size_type n) noexcept {
        BPTREE_ASSERT(at <= l->count && l->count + n <= leaf_slots);
        const bool front = at < l->count - at;
        if ((front ? l->front_room() : l->back_room()) < n) {
            const size_type spare = leaf_slots - l->count - n;
            const size_type room = n + (at == 0 || at == l->count ? spare : (spare + 1u) / 2u);
            place_values(l, front ? room : leaf_slots - l->count - room);
        }
        value_allocator va = value_alloc();
        if (front) {
            value_ops::shift_left(va, l->slots(), at, n);
            l->first = static_cast<std::uint16_t>(l->first - n);
        } else {
            value_ops::shift_right(va, l->slots() + at, l->count - at, n);
        }
    }

    // Closes raw slots [at, at + n) of leaf l, whose count no longer includes them: the fewer of
    // the values before and after them move across.
    void close_gap(leaf_type* l, size_type at, size_type n) noexcept {
        BPTREE_ASSERT(at <= l->count && l->first + l->count + n <= leaf_slots);
        value_allocator va = value_alloc();
        if (at < l->count - at) {
            value_ops::shift_right(va, l->slots(), at, n);
            l->first = static_cast<std::uint16_t>(l->first + n);
        } else {
            value_ops::shift_left(va, l->slots() + at + n, l->count - at, n);
        }
    }

    // Moves the values of leaf l so that value 0 is at storage index `first`.
    void place_values(leaf_type* l, size_type first) noexcept {
        BPTREE_ASSERT(first + l->count <= leaf_slots);
        value_allocator va = value_alloc();
        value_slot* to = l->storage_slots() + first;
        if (to < l->slots()) value_ops::shift_left(va, l->slots(), l->count, static_cast<size_type>(l->slots() - to));
        if (to > l->slots()) value_ops::shift_right(va, l->slots(), l->count, static_cast<size_type>(to - l->slots()));
        l->first = static_cast<std::uint16_t>(first);
    }

    void replace_separator(inner_type* p, size_type i, temp_slot<key_ops>& separator) noexcept {
        replace_key(p->keys() + i, separator);
    }
    void replace_key(key_slot* slot, temp_slot<key_ops>& key) noexcept {
        key_allocator ka = key_alloc();
        key_ops::destroy(ka, slot);
        key.relocate_to(slot);
    }

    // Moves the last n values of leaf `left` to the front of its right sibling.
    void move_leaf_tail_right(leaf_type* left, leaf_type* right, size_type n) noexcept {
        value_allocator va = value_alloc();
        open_gap(right, 0, n);
        value_ops::relocate_n(va, right->slots(), left->slots() + left->count - n, n);
        left->count = static_cast<std::uint16_t>(left->count - n);
        right->count = static_cast<std::uint16_t>(right->count + n);
        left->parent->counts[left->position] -= n;
        right->parent->counts[right->position] += n;
    }
    // Moves the first n values of leaf `right` to the end of its left sibling.
    void move_leaf_head_left(leaf_type* left, leaf_type* right, size_type n) noexcept {
        value_allocator va = value_alloc();
        open_gap(left, left->count, n);
        value_ops::relocate_n(va, left->slots() + left->count, right->slots(), n);
        left->count = static_cast<std::uint16_t>(left->count + n);
        right->count = static_cast<std::uint16_t>(right->count - n);
        close_gap(right, 0, n);
        left->parent->counts[left->position] += n;
        right->parent->counts[right->position] -= n;
    }

    // Moves every value of `right` into its left sibling and frees `right`.
    void merge_leaves(leaf_type* left, leaf_type* right) noexcept {
        BPTREE_ASSERT(left->count + right->count <= leaf_slots);
        value_allocator va = value_alloc();
        open_gap(left, left->count, right->count);
        value_ops::relocate_n(va, left->slots() + left->count, right->slots(), right->count);
        left->count = static_cast<std::uint16_t>(left->count + right->count);
        left->next = right->next;
        if (right->next != nullptr) right->next->prev = left;
        if (last_leaf_ == right) last_leaf_ = left;
        inner_type* p = left->parent;
        key_allocator ka = key_alloc();
        key_ops::destroy(ka, p->keys() + left->position);
        p->counts[left->position] += p->counts[right->position];
        remove_child(p, right->position);
        free_leaf(right);
    }

    // Removes child pos (>= 1) and separator pos - 1 (already destroyed or moved away) from p.
    void remove_child(inner_type* p, size_type pos) noexcept {
        BPTREE_ASSERT(pos >= 1 && pos < p->count);
        key_allocator ka = key_alloc();
        key_ops::shift_left(ka, p->keys() + pos, p->count - 1u - pos, 1);
        shift_children_left(p, pos + 1u, 1);
        --p->count;
    }

    struct repair_result {
        inner_type* survivor;  // the node now holding the repaired node's children
        bool merged;           // its parent lost a child
    };

    // Brings n up to its minimum and walks up while repairs make parents lose children.
    void rebalance_upward(inner_type* n) noexcept {
        while (n != nullptr) {
            if (n == root_) {
                collapse_root();
                return;
            }
            if (n->count >= min_inner) return;
            const repair_result r = repair_inner(n);
            n = r.merged ? r.survivor->parent : nullptr;
        }
    }

    // Repairs every node on the path from leaf l to the root (after range drops, several
    // nodes on one path may be short at once).
    void rebalance_path(leaf_type* l) noexcept {
        for (inner_type* n = l->parent; n != nullptr && n != root_; n = n->parent) {
            if (n->count < min_inner) n = repair_inner(n).survivor;
        }
        collapse_root();
    }

    // Repairs the short non-root inner node n from a sibling: merge when both fit, else balance.
    repair_result repair_inner(inner_type* n) noexcept {
        BPTREE_ASSERT(n != root_);
        // An only child has no sibling: repair its parent first, or, when the parent is a root
        // with this single child, make n the root.
        while (n->parent->count == 1) {
            inner_type* p = n->parent;
            if (p == root_) {
                promote_to_root(n);
                return {n, false};
            }
            rebalance_upward(p);
        }
        if (n->count >= min_inner) return {n, false};
        inner_type* p = n->parent;
        const bool use_left = n->position > 0;
        inner_type* s = as_inner(p->children[use_left ? n->position - 1u : n->position + 1u]);
        if (n->count + s->count <= inner_slots) {
            if (use_left) {
                merge_inners(s, n);
                return {s, true};
            }
            merge_inners(n, s);
            return {n, true};
        }
        const size_type moved = (n->count + s->count) / 2u - n->count;
        if (use_left) {
            rotate_children_right(s, n, moved);
        } else {
            rotate_children_left(n, s, moved);
        }
        return {n, false};
    }

    // n, the only child of the root, replaces it.
    void promote_to_root(node_type* n) noexcept {
        inner_type* old = n->parent;
        BPTREE_ASSERT(old == root_ && old->count == 1);
        root_ = n;
        n->parent = nullptr;
        n->position = 0;
        free_inner(old);
    }

    // Moves the separator between left and right down into left, then right's separators and
    // children after it; frees right.
    void merge_inners(inner_type* left, inner_type* right) noexcept {
        BPTREE_ASSERT(left->count + right->count <= inner_slots);
        inner_type* p = left->parent;
        key_allocator ka = key_alloc();
        const size_type base = left->count;
        key_ops::relocate(ka, left->keys() + base - 1u, p->keys() + left->position);
        key_ops::relocate_n(ka, left->keys() + base, right->keys(), right->count - 1u);
        adopt_children(left, base, right, 0, right->count);
        left->count = static_cast<std::uint16_t>(base + right->count);
        p->counts[left->position] += p->counts[right->position];
        remove_child(p, right->position);
        free_inner(right);
    }

    // Copies n children (and counts) of `from` starting at j into `to` starting at i, adopting them.
    static void adopt_children(inner_type* to, size_type i, inner_type* from, size_type j,
                               size_type n) noexcept {
        for (size_type c = 0; c < n; ++c) {
            to->children[i + c] = from->children[j + c];
            to->counts[i + c] = from->counts[j + c];
            to->children[i + c]->parent = to;
            to->children[i + c]->position = static_cast<std::uint16_t>(i + c);
        }
    }

    // Moves the first n children of `right` to the end of its left sibling `left`, rotating the
    // separators through the parent.
    void rotate_children_left(inner_type* left, inner_type* right, size_type n) noexcept {
        inner_type* p = left->parent;
        key_allocator ka = key_alloc();
        key_slot* parent_key = p->keys() + left->position;
        const size_type base = left->count;
        key_ops::relocate(ka, left->keys() + base - 1u, parent_key);
        key_ops::relocate_n(ka, left->keys() + base, right->keys(), n - 1u);
        key_ops::relocate(ka, parent_key, right->keys() + n - 1u);
        key_ops::shift_left(ka, right->keys() + n, right->count - 1u - n, n);
        const size_type moved = sum_counts(right, n);
        adopt_children(left, base, right, 0, n);
        left->count = static_cast<std::uint16_t>(base + n);
        shift_children_left(right, n, n);
        right->count = static_cast<std::uint16_t>(right->count - n);
        p->counts[left->position] += moved;
        p->counts[right->position] -= moved;
    }

    // Moves the last n children of `left` to the front of its right sibling `right`.
    void rotate_children_right(inner_type* left, inner_type* right, size_type n) noexcept {
        inner_type* p = left->parent;
        key_allocator ka = key_alloc();
        key_slot* parent_key = p->keys() + left->position;
        const size_type m = left->count;
        key_ops::shift_right(ka, right->keys(), right->count - 1u, n);
        key_ops::relocate(ka, right->keys() + n - 1u, parent_key);
        key_ops::relocate_n(ka, right->keys(), left->keys() + m - n, n - 1u);
        key_ops::relocate(ka, parent_key, left->keys() + m - n - 1u);
        size_type moved = 0;
        for (size_type c = m - n; c < m; ++c) moved += left->counts[c];
        shift_children_right(right, 0, n);
        adopt_children(right, 0, left, m - n, n);
        right->count = static_cast<std::uint16_t>(right->count + n);
        left->count = static_cast<std::uint16_t>(m - n);
        p->counts[left->position] -= moved;
        p->counts[right->position] += moved;
    }

    // An inner root with a single child hands the root role to that child, repeatedly.
    void collapse_root() noexcept {
        while (root_ != nullptr && !root_->is_leaf() && root_->count == 1) {
            promote_to_root(as_inner(root_)->children[0]);
        }
    }

    // Frees every leaf strictly between a and b (b null: every leaf after a) together with the
    // subtrees that hold only such leaves, then repairs both boundary paths. Returns the number
    // of values freed. O(k/B + B log n) for k freed values, plus their destructors.
    size_type drop_leaves_between(leaf_type* a, leaf_type* b) noexcept {
        note_change();
        size_type dropped = 0;
        node_type* x = a;
        node_type* y = b;
        while (x->parent != nullptr) {
            inner_type* px = x->parent;
            inner_type* py = y != nullptr ? y->parent : nullptr;
            if (px == py) {
                dropped += drop_children(px, x->position + 1u, y->position);
                break;
            }
            dropped += drop_children(px, x->position + 1u, px->count);
            if (y != nullptr) dropped += drop_children(py, 0, y->position);
            x = px;
            y = py;
        }
        a->next = b;
        if (b != nullptr) {
            b->prev = a;
        } else {
            last_leaf_ = a;
        }
        size_ -= dropped;
        recount_path(a);
        if (b != nullptr) recount_path(b);
        rebalance_path(a);
        if (b != nullptr) rebalance_path(b);
        return dropped;
    }

    // Frees children [from, to) of p with their subtrees and the separators that bounded them.
    size_type drop_children(inner_type* p, size_type from, size_type to) noexcept {
        if (from >= to) return 0;
        size_type dropped = 0;
        for (size_type i = from; i < to; ++i) {
            dropped += p->counts[i];
            destroy_subtree(p->children[i]);
        }
        // With children left after the dropped ones, separators [from, to) go; otherwise the
        // dropped children were the last and separators [from - 1, to - 1) go.
        const bool tail = to == p->count;
        const size_type key_from = tail ? from - 1u : from;
        const size_type key_to = tail ? to - 1u : to;
        key_allocator ka = key_alloc();
        key_ops::destroy_n(ka, p->keys() + key_from, key_to - key_from);
        key_ops::shift_left(ka, p->keys() + key_to, p->count - 1u - key_to, key_to - key_from);
        shift_children_left(p, to, to - from);
        p->count = static_cast<std::uint16_t>(p->count - (to - from));
        return dropped;
    }

    // Recomputes the counts that hold leaf l, bottom-up. O(B log n).
    static void recount_path(leaf_type* l) noexcept {
        for (node_type* n = l; n->parent != nullptr; n = n->parent) {
            n->parent->counts[n->position] = subtree_size(n);
        }
    }

    // Destroys the values and separators below n and, when FreeNodes, returns its nodes to the
    // pool (clear() skips that: it releases the pool's chunks wholesale afterwards).
    template <bool FreeNodes = true>
    void destroy_subtree(node_type* n) noexcept {
        // Boxed values and keys own their boxes, which must be freed whatever their type.
        constexpr bool trivial = std::is_trivially_destructible_v<value_type> &&
                                 std::is_trivially_destructible_v<key_type> && !Params::boxed_values &&
                                 !Params::boxed_keys;
        if constexpr (trivial && !FreeNodes) return;
        if (n->is_leaf()) {
            leaf_type* l = as_leaf(n);
            value_allocator va = value_alloc();
            value_ops::destroy_n(va, l->slots(), l->count);
            if constexpr (FreeNodes) free_leaf(l);
            return;
        }
        inner_type* in = as_inner(n);
        for (size_type i = 0; i < in->count; ++i) destroy_subtree<FreeNodes>(in->children[i]);
        key_allocator ka = key_alloc();
        key_ops::destroy_n(ka, in->keys(), in->count - 1u);
        if constexpr (FreeNodes) free_inner(in);
    }

    // ---------------------------------------------------------------- whole-tree moves
    template <class It>
    void append_sorted_or_clear(It first, It last) {
        try {
            append_sorted(first, last);
        } catch (...) {
            clear();
            throw;
        }
    }

    void steal(tree& other) noexcept {
        other.note_change();
        root_ = std::exchange(other.root_, nullptr);
        first_leaf_ = std::exchange(other.first_leaf_, nullptr);
        last_leaf_ = std::exchange(other.last_leaf_, nullptr);
        size_ = std::exchange(other.size_, 0);
        leaves_.template swap<false>(other.leaves_);
        inners_.template swap<false>(other.inners_);
    }

    // Returns every pool chunk to the allocator. Requires: the tree holds no node any more.
    void release_memory() noexcept {
        BPTREE_ASSERT(root_ == nullptr);
        leaves_.release_all();
        inners_.release_all();
    }

    void set_allocator(const allocator_type& a) {
        leaves_.set_allocator(a);
        inners_.set_allocator(a);
    }

    node_type* root_ = nullptr;
    leaf_type* first_leaf_ = nullptr;
    leaf_type* last_leaf_ = nullptr;
    size_type size_ = 0;
#if BPTREE_HAS_DEBUG_CHECKS()
    std::uint64_t generation_ = 0;
#endif
    ebo_holder<key_compare> comp_;
    leaf_pool leaves_;
    inner_pool inners_;
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_TREE_HPP
