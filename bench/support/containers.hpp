// Benchmark support: the containers under test and the few operations whose spelling differs
// between them, written once per implementation so every benchmark body is one template.
//
//   impl      set / map                                         rank, nth
//   bptree    bptree::set / bptree::map                         rank(k), nth(i): O(log n)
//   std       std::set / std::map                               std::distance / std::next: O(n)
//   absl      absl::btree_set / absl::btree_map (if found)      none
//   pbds      __gnu_pbds::tree, rb_tree_tag,                    order_of_key / find_by_order:
//             tree_order_statistics_node_update (if present)    O(log n)
//
// Every container uses counting_allocator, so bytes per entry are measured the same way.
// A container_spec<Impl, Kind, Key> names one benchmarked type (e.g. bptree, map, int64); its
// reference is the std container of the same kind and key, whose results every benchmark's
// checksum must match.
#ifndef BPTREE_BENCH_SUPPORT_CONTAINERS_HPP
#define BPTREE_BENCH_SUPPORT_CONTAINERS_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/counting_allocator.hpp"
#include "support/keys.hpp"

#if defined(BPTREE_BENCH_HAVE_ABSL)
#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#endif
#if defined(BPTREE_BENCH_HAVE_PBDS)
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#endif

namespace bptree_bench {

// How an implementation answers rank(key) and nth(i).
enum class order_stats { native, linear, none };

// The mapped value stored for a key in the map benchmarks.
template <class Key>
std::int64_t mapped_for(const Key& k) noexcept {
    return static_cast<std::int64_t>(mix64(key_traits<Key>::fingerprint(k)) >> 1);
}

// ------------------------------------------------------------------------------ implementations
// Defaults shared by the std-like containers (std, absl): begin()/prev(end()) for the ends,
// erase(begin()) to pop, the range constructor to bulk load, erase(first, last) for ranges.
struct std_like_ops {
    static constexpr bool batched_find = false;
    // Looks up every key of [first, last), writing one iterator each (end() when absent).
    template <class C, class It, class Out>
    static Out find_batch(const C& c, It first, It last, Out out) {
        for (; first != last; ++first) *out++ = c.find(*first);
        return out;
    }
    template <class C>
    static const auto& front(const C& c) {
        return *c.begin();
    }
    template <class C>
    static const auto& back(const C& c) {
        return *std::prev(c.end());
    }
    template <class C>
    static void pop_front(C& c) {
        c.erase(c.begin());
    }
    template <class C, class It>
    static std::unique_ptr<C> bulk_load(It first, It last) {
        return std::make_unique<C>(first, last);
    }
    // Erases the elements with from <= key < *to (to the end when to is null); returns the count.
    template <class C, class K, class KeyOf>
    static std::size_t range_erase(C& c, const K& from, const K* to, KeyOf) {
        const std::size_t before = c.size();
        c.erase(c.lower_bound(from), to ? c.lower_bound(*to) : c.end());
        return before - c.size();
    }
};

struct impl_bptree {
    static constexpr const char* name = "bptree";
    static constexpr order_stats rank_support = order_stats::native;
    template <class K>
    using set = bptree::set<K, std::less<K>, counting_allocator<K>>;
    template <class K, class V>
    using map = bptree::map<K, V, std::less<K>, counting_allocator<std::pair<const K, V>>>;

    template <class C, class K>
    static std::size_t rank(const C& c, const K& k) {
        return c.rank(k);
    }
    template <class C>
    static typename C::const_iterator nth(const C& c, std::size_t i) {
        return c.nth(i);
    }
    template <class C>
    static const auto& front(const C& c) {
        return c.front();
    }
    template <class C>
    static const auto& back(const C& c) {
        return c.back();
    }
    template <class C>
    static void pop_front(C& c) {
        c.pop_front();
    }
    static constexpr bool batched_find = true;
    template <class C, class It, class Out>
    static Out find_batch(const C& c, It first, It last, Out out) {
        return c.find_many(first, last, out);
    }
    template <class C, class It>
    static std::unique_ptr<C> bulk_load(It first, It last) {
        return std::make_unique<C>(bptree::sorted_unique, first, last);
    }
    // Erases the elements with from <= key < *to (to the end when to is null); returns the count.
    template <class C, class K, class KeyOf>
    static std::size_t range_erase(C& c, const K& from, const K* to, KeyOf) {
        const std::size_t before = c.size();
        c.erase(c.lower_bound(from), to ? c.lower_bound(*to) : c.end());
        return before - c.size();
    }
};

struct impl_std : std_like_ops {
    static constexpr const char* name = "std";
    static constexpr order_stats rank_support = order_stats::linear;
    template <class K>
    using set = std::set<K, std::less<K>, counting_allocator<K>>;
    template <class K, class V>
    using map = std::map<K, V, std::less<K>, counting_allocator<std::pair<const K, V>>>;

    // O(n): std::set has no order statistics. Only benchmarked at small sizes (see registration).
    template <class C, class K>
    static std::size_t rank(const C& c, const K& k) {
        return static_cast<std::size_t>(std::distance(c.begin(), c.lower_bound(k)));
    }
    template <class C>
    static typename C::const_iterator nth(const C& c, std::size_t i) {
        return std::next(c.begin(), static_cast<std::ptrdiff_t>(i));
    }
};

#if defined(BPTREE_BENCH_HAVE_ABSL)
struct impl_absl : std_like_ops {
    static constexpr const char* name = "absl";
    static constexpr order_stats rank_support = order_stats::none;
    template <class K>
    using set = absl::btree_set<K, std::less<K>, counting_allocator<K>>;
    template <class K, class V>
    using map = absl::btree_map<K, V, std::less<K>, counting_allocator<std::pair<const K, V>>>;

    template <class C, class K>
    static std::size_t rank(const C&, const K&) {
        return 0;  // never registered: absl has no order statistics
    }
    template <class C>
    static typename C::const_iterator nth(const C& c, std::size_t) {
        return c.end();  // never registered
    }
};
#endif

#if defined(BPTREE_BENCH_HAVE_PBDS)
struct impl_pbds : std_like_ops {
    static constexpr const char* name = "pbds";
    static constexpr order_stats rank_support = order_stats::native;
    template <class K>
    using set = __gnu_pbds::tree<K, __gnu_pbds::null_type, std::less<K>, __gnu_pbds::rb_tree_tag,
                                 __gnu_pbds::tree_order_statistics_node_update, counting_allocator<char>>;
    template <class K, class V>
    using map = __gnu_pbds::tree<K, V, std::less<K>, __gnu_pbds::rb_tree_tag,
                                 __gnu_pbds::tree_order_statistics_node_update, counting_allocator<char>>;

    template <class C, class K>
    static std::size_t rank(const C& c, const K& k) {
        return c.order_of_key(k);
    }
    template <class C>
    static typename C::const_iterator nth(const C& c, std::size_t i) {
        return c.find_by_order(i);
    }
    // pbds has no erase(first, last): erase one by one, each O(log n) amortized.
    template <class C, class K, class KeyOf>
    static std::size_t range_erase(C& c, const K& from, const K* to, KeyOf key_of) {
        std::size_t erased = 0;
        auto it = c.lower_bound(from);
        while (it != c.end() && (!to || key_of(*it) < *to)) {
            it = c.erase(it);
            ++erased;
        }
        return erased;
    }
};
#endif

// The shared fixture of a container spec: defined in containers/container_ops.hpp.
template <class Spec>
struct container_fixture;

// ------------------------------------------------------------------------------ kinds
struct set_kind {
    static constexpr const char* name = "set";
    static constexpr bool is_map = false;
    template <class Impl, class K>
    using container = typename Impl::template set<K>;
};
struct map_kind {
    static constexpr const char* name = "map";
    static constexpr bool is_map = true;
    template <class Impl, class K>
    using container = typename Impl::template map<K, std::int64_t>;
};

template <class Impl, class Kind, class Key>
struct container_spec {
    using impl = Impl;
    using kind = Kind;
    using key_type = Key;
    using container = typename Kind::template container<Impl, Key>;
    using value_type = typename container::value_type;
    using reference = container_spec<impl_std, Kind, Key>;
    using fixture = container_fixture<container_spec>;
    static constexpr bool is_map = Kind::is_map;
    static constexpr bool is_reference = std::is_same_v<Impl, impl_std>;

    static std::string family() { return std::string(Kind::name) + "." + key_traits<Key>::name; }
    static const char* impl_name() { return Impl::name; }

    static value_type make_value(const Key& k) {
        if constexpr (is_map) {
            return value_type(k, mapped_for(k));
        } else {
            return k;
        }
    }
    static const Key& key_of(const value_type& v) noexcept {
        if constexpr (is_map) {
            return v.first;
        } else {
            return v;
        }
    }
    // Fingerprint of an element: its key, and for maps its mapped value too.
    static std::uint64_t fingerprint(const value_type& v) noexcept {
        if constexpr (is_map) {
            return key_traits<Key>::fingerprint(v.first) * 31u + static_cast<std::uint64_t>(v.second);
        } else {
            return key_traits<Key>::fingerprint(v);
        }
    }
};

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_SUPPORT_CONTAINERS_HPP
