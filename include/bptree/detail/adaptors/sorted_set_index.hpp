// File: bptree/detail/adaptors/sorted_set_index.hpp
// Layer: adaptor internals. The ordered index of bptree::sorted_set: its entry type, the order by
// (score, member), the probe keys that position score and lex bounds without building an entry,
// and the order-statistics helpers that use rank()/nth()/index_of() when the backend has them and
// fall back to walking (std::distance / std::next) when it does not (std::set).
// Includes: standard headers only (the adaptor must also run over std::set).
#ifndef BPTREE_DETAIL_ADAPTORS_SORTED_SET_INDEX_HPP
#define BPTREE_DETAIL_ADAPTORS_SORTED_SET_INDEX_HPP

#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// One element of a sorted set: the member and its score. The index orders entries by score, then
// by member (for std::string: bytes compared as unsigned char, as memcmp and Redis do).
template <class Member>
struct sorted_set_entry {
    Member member;
    double score;

    friend bool operator==(const sorted_set_entry& a, const sorted_set_entry& b) {
        return a.score == b.score && a.member == b.member;
    }
    friend bool operator!=(const sorted_set_entry& a, const sorted_set_entry& b) { return !(a == b); }
};

namespace detail::zset {

// A position in score order: just before every entry whose score is `score` (after == false) or
// just after all of them (after == true). lower_bound(score_edge) therefore gives the first entry
// with score >= s (before) or > s (after), without naming a member.
struct score_edge {
    double score;
    bool after;
};

// A position in member order: before every entry (before_all, Redis's "-"), before or after
// the entries whose member equals *member ("[m" / "(m" as a minimum), or after every entry ("+").
// Lex ranges are only meaningful when the (score, member) order is also member order (Redis's
// precondition: all scores equal); otherwise the search is well defined but its result arbitrary.
template <class Member>
struct lex_edge {
    enum class side : unsigned char { before_all, before, after, after_all };
    side where;
    const Member* member;  // null for before_all / after_all
};

// An entry named by reference: finds (score, member) without copying the member.
template <class Member>
struct entry_ref {
    double score;
    const Member* member;
};

// The index order: (score, member), transparent over the probes above. Scores are never NaN, so
// `<` is a strict weak order on them (-0.0 and 0.0 are equivalent, as in Redis).
template <class Member, class MemberLess>
struct entry_order {
    using is_transparent = void;
    using entry = sorted_set_entry<Member>;

    MemberLess less{};

    bool operator()(const entry& a, const entry& b) const { return before(a.score, a.member, b.score, b.member); }
    bool operator()(const entry& a, const entry_ref<Member>& b) const {
        return before(a.score, a.member, b.score, *b.member);
    }
    bool operator()(const entry_ref<Member>& a, const entry& b) const {
        return before(a.score, *a.member, b.score, b.member);
    }
    bool operator()(const entry& a, const score_edge& e) const { return e.after ? a.score <= e.score : a.score < e.score; }
    bool operator()(const score_edge& e, const entry& a) const { return e.after ? e.score < a.score : e.score <= a.score; }
    bool operator()(const entry& a, const lex_edge<Member>& e) const {
        using side = typename lex_edge<Member>::side;
        switch (e.where) {
            case side::before_all: return false;
            case side::before: return less(a.member, *e.member);
            case side::after: return !less(*e.member, a.member);
            case side::after_all: break;
        }
        return true;
    }
    bool operator()(const lex_edge<Member>& e, const entry& a) const {
        using side = typename lex_edge<Member>::side;
        switch (e.where) {
            case side::before_all: return true;
            case side::before: return !less(a.member, *e.member);
            case side::after: return less(*e.member, a.member);
            case side::after_all: break;
        }
        return false;
    }

private:
    bool before(double sa, const Member& ma, double sb, const Member& mb) const {
        if (sa < sb) return true;
        if (sb < sa) return false;
        return less(ma, mb);
    }
};

// Does the index offer O(log n) order statistics (bptree::set: nth, index_of, rank)?
template <class Index, class = void>
struct has_order_statistics : std::false_type {};
template <class Index>
struct has_order_statistics<Index, std::void_t<decltype(std::declval<const Index&>().nth(std::size_t{})),
                                               decltype(std::declval<const Index&>().index_of(
                                                   std::declval<typename Index::const_iterator>()))>>
    : std::true_type {};

// Position <-> iterator conversions of an index: O(log n) with order statistics, O(distance)
// without (walking from the nearer end).
template <class Index>
struct positions {
    using iterator = typename Index::const_iterator;
    static constexpr bool is_logarithmic = has_order_statistics<Index>::value;

    static std::size_t index_of(const Index& index, iterator it) {
        if constexpr (is_logarithmic) {
            return index.index_of(it);
        } else {
            return static_cast<std::size_t>(std::distance(index.begin(), it));
        }
    }

    // The iterator at 0-based position i; end() when i >= size().
    static iterator at(const Index& index, std::size_t i) {
        if constexpr (is_logarithmic) {
            return index.nth(i);
        } else {
            const std::size_t n = index.size();
            if (i >= n) return index.end();
            if (i <= n / 2) return std::next(index.begin(), static_cast<std::ptrdiff_t>(i));
            return std::prev(index.end(), static_cast<std::ptrdiff_t>(n - i));
        }
    }

    // The number of entries in [first, last), never walking past end() (so a reversed pair, which
    // only a lex range over unsorted members can produce, counts as empty). Requires for the
    // logarithmic path nothing; for the walking path O(distance).
    static std::size_t distance(const Index& index, iterator first, iterator last) {
        if constexpr (is_logarithmic) {
            const std::size_t a = index.index_of(first);
            const std::size_t b = index.index_of(last);
            return b > a ? b - a : 0;
        } else {
            std::size_t n = 0;
            for (iterator it = first; it != last; ++it, ++n) {
                if (it == index.end()) return 0;
            }
            return n;
        }
    }
};

}  // namespace detail::zset
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_SORTED_SET_INDEX_HPP
