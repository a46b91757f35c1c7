// Traits of the std containers the tests pair with bptree (set/multiset/map/multimap), and the
// std model of the engine's replace(): shared by the exception sweeps, the fuzz target and the soak.
#ifndef BPTREE_TESTS_SUPPORT_CONTAINER_TRAITS_HPP
#define BPTREE_TESTS_SUPPORT_CONTAINER_TRAITS_HPP

#include <iterator>
#include <type_traits>
#include <utility>

namespace bptree_test {

template <class C>
constexpr bool is_map_v = !std::is_same_v<typename C::key_type, typename C::value_type>;

// Multi containers' insert(value) returns an iterator; unique ones a pair.
template <class C>
constexpr bool is_multi_v =
    !std::is_same_v<decltype(std::declval<C&>().insert(std::declval<const typename C::value_type&>())),
                    std::pair<typename C::iterator, bool>>;

template <class C>
const typename C::key_type& key_of(const typename C::value_type& v) {
    if constexpr (is_map_v<C>) {
        return v.first;
    } else {
        return v;
    }
}

// replace(pos, v) as the engine defines it, applied to the std container m: in place when v
// still sorts between pos's neighbours (an insert just before pos's successor), else erase +
// insert; in a unique container a key another value holds changes nothing. Returns where v's
// key now is and whether anything changed.
template <class M>
std::pair<typename M::iterator, bool> model_replace(M& m, typename M::const_iterator pos,
                                                    const typename M::value_type& v) {
    const auto& k = key_of<M>(v);
    bool fits = true;
    if (pos != m.begin()) {
        const auto& before = key_of<M>(*std::prev(pos));
        fits = is_multi_v<M> ? !(k < before) : before < k;
    }
    const auto after = std::next(pos);
    if (fits && after != m.end()) {
        const auto& next = key_of<M>(*after);
        fits = is_multi_v<M> ? !(next < k) : k < next;
    }
    if (fits) return {m.insert(m.erase(pos), v), true};
    if constexpr (!is_multi_v<M>) {
        const auto existing = m.find(k);
        if (existing != m.end()) return {existing, false};
    }
    m.erase(pos);
    if constexpr (is_multi_v<M>) {
        return {m.insert(v), true};
    } else {
        return {m.insert(v).first, true};
    }
}

}  // namespace bptree_test

#endif  // BPTREE_TESTS_SUPPORT_CONTAINER_TRAITS_HPP
