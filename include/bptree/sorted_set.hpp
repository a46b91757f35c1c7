// File: bptree/sorted_set.hpp
// Layer: public adaptor. bptree::sorted_set: the Redis sorted set (ZSET) as a C++ container
// adaptor, with one typed member per Redis 7.0 sorted-set command on one key and free functions
// for the commands over several sets (ZUNION, ZINTER, ZDIFF, ZINTERCARD, their STORE forms and
// ZRANGESTORE). The Redis command layer over it is bptree/redis.hpp.
// Includes: public headers only (set.hpp, error.hpp, fwd.hpp) and the adaptor internals, so the
// adaptor runs over std::set as well as over bptree::set.
//
// Data model (docs/sorted_set.md has the picture and the measurements):
//   index_  an ordered set of entries {member, score} by (score, member): a bptree::set (the
//           default backend, bptree_index) or a std::set (std_set_index). It owns the members.
//   table_  member -> score without the member: open addressing over (hash(member), score)
//           slots; a slot is confirmed by finding (score, member) in the index (see
//           detail/adaptors/sorted_set_scores.hpp for why the dictionary holds no member).
// Every member is stored once. Invariant Z1: the index holds no NaN or -0 score and no two entries
// with equal members; Z2: the table holds exactly one slot (hash(member), score) per index entry.
//
// Complexity on the bptree backend (n members, k results): score lookup, add, remove, rank,
// count by score or lex, the start of every range O(log n); a range read O(log n + k); a range
// removal O(log n + k) (the tree's range erase plus k table updates); pop of k O(log n + k).
// On std_set_index the positional operations (rank, ranges by index, counts, offsets) walk, as
// std::distance does: O(n) or O(offset + k).
//
// Errors and exception safety: a call that would make Redis reply an error throws bptree::error
// whose what() is Redis's exact text, before anything changes, so the set is unchanged. Other
// exceptions (std::bad_alloc, or a throwing Member copy) leave the set valid (the basic guarantee):
// single-member adds and removes and copy assignment are then strong too, and a score update may
// lose the member it was moving. Requires: Hash and MemberLess do not throw.
//
// Signed zeros: a score of -0 is stored as 0, as Redis's compact (listpack) encoding does for the
// small sets most commands see (its skiplist encoding keeps the sign); replies that report a
// computed score (ZINCRBY, ZADD INCR) show the value before storage, "-0" included, as Redis does.
//
// Iterators (begin()/end() and the views of the range_* members) walk the index in (score,
// member) order; like the index's own iterators they are invalidated by every change.
#ifndef BPTREE_SORTED_SET_HPP
#define BPTREE_SORTED_SET_HPP

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bptree/detail/adaptors/sorted_set_index.hpp"
#include "bptree/detail/adaptors/sorted_set_scores.hpp"
#include "bptree/detail/config.hpp"
#include "bptree/error.hpp"
#include "bptree/fwd.hpp"
#include "bptree/set.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// ---------------------------------------------------------------------------- index backends

// Node sizes of the default index. Entries are {std::string, double} (40 bytes), so the
// containers' 256-byte default leaf would hold only 5; these sizes were chosen by the
// bytes-per-member and speed measurements in docs/sorted_set.md.
struct sorted_set_index_traits : default_traits {
    static constexpr std::size_t leaf_node_bytes = 1024;
    static constexpr std::size_t inner_node_bytes = 1024;
};

// The index backend: a bptree::set with O(log n) rank/nth/index_of (the default).
template <class Traits = sorted_set_index_traits>
struct bptree_index {
    template <class Entry, class Compare>
    using container = bptree::set<Entry, Compare, std::allocator<Entry>, Traits>;
    // The tree's inner nodes hold separator copies of entries, so an entry cannot be rewritten in
    // place without the engine repairing them (docs/sorted_set.md, "In-place score updates").
    static constexpr bool can_update_in_place = false;
};

// The index backend: std::set, for comparisons. Ranks walk (std::distance).
struct std_set_index {
    template <class Entry, class Compare>
    using container = std::set<Entry, Compare>;
    // A red-black tree keeps no copies of keys: an entry whose order is unchanged can be
    // rewritten in its node.
    static constexpr bool can_update_in_place = true;
};

// ---------------------------------------------------------------------------- argument types

// ZADD's options. nx: only add new members; xx: only update existing ones; gt / lt: update only
// when the new score is greater / less (new members are still added); ch: add() of several pairs
// counts changed members too. NX with XX, and NX, GT, LT together, are errors (as in Redis).
struct zadd_options {
    bool nx = false;
    bool xx = false;
    bool gt = false;
    bool lt = false;
    bool ch = false;
};

// What one ZADD pair did: added, updated (score changed), unchanged (member present with that
// score), or skipped by NX / XX / GT / LT (Redis's "no operation").
enum class zadd_outcome { added, updated, unchanged, skipped };

struct zadd_result {
    zadd_outcome outcome;
    // The member's new score as computed (Redis's reply to INCR), or its unchanged score when
    // skipped. A computed -0 is stored as 0 (see sorted_set: "Signed zeros").
    double score;
};

// A score bound: value and whether it is exclusive ("(1.5"). -inf / +inf are ordinary values; a
// NaN value is refused (the members taking a score_range throw Redis's "min or max is not a float").
struct score_bound {
    double value;
    bool exclusive = false;
};

// The scores min..max. Empty when min > max, or when they are equal and either is exclusive.
struct score_range {
    score_bound min{-std::numeric_limits<double>::infinity()};
    score_bound max{std::numeric_limits<double>::infinity()};
};

// A lex bound: "[m" (inclusive), "(m" (exclusive), "-" (below every member), "+" (above every).
template <class Member = std::string>
struct lex_bound {
    enum class kind : unsigned char { inclusive, exclusive, minus_infinity, plus_infinity };
    kind type = kind::minus_infinity;
    Member value{};

    static lex_bound inclusive(Member m) { return {kind::inclusive, std::move(m)}; }
    static lex_bound exclusive(Member m) { return {kind::exclusive, std::move(m)}; }
    static lex_bound minus_infinity() { return {kind::minus_infinity, Member{}}; }
    static lex_bound plus_infinity() { return {kind::plus_infinity, Member{}}; }
};

// The members min..max in byte order. Lex ranges assume that every member has the same score
// (Redis's rule); with mixed scores they select an unspecified run of the (score, member) order.
template <class Member = std::string>
struct lex_range {
    lex_bound<Member> min = lex_bound<Member>::minus_infinity();
    lex_bound<Member> max = lex_bound<Member>::plus_infinity();
};

// LIMIT offset count of the score and lex ranges: skip `offset` matches, then return at most
// `count`. As in Redis, a negative offset gives nothing and a negative count means no limit.
struct range_limit {
    long long offset = 0;
    long long count = -1;
};

// The order a range is read in: ascending (score, member) order, or descending (REV).
enum class range_direction { forward, reverse };

// ZUNION / ZINTER's AGGREGATE.
enum class score_aggregate { sum, min, max };

// Redis's error texts for the mistakes the typed API can see.
namespace zset_errors {
inline constexpr const char* nan_score = "ERR resulting score is not a number (NaN)";
inline constexpr const char* nx_and_xx = "ERR XX and NX options at the same time are not compatible";
inline constexpr const char* gt_lt_nx = "ERR GT, LT, and/or NX options at the same time are not compatible";
inline constexpr const char* weight_not_float = "ERR weight value is not a float";
inline constexpr const char* bound_not_float = "ERR min or max is not a float";
}  // namespace zset_errors

// Throws the Redis error for incompatible ZADD options.
inline void check_zadd_options(const zadd_options& o) {
    if (o.nx && o.xx) throw error(zset_errors::nx_and_xx);
    if ((o.gt && o.nx) || (o.lt && o.nx) || (o.gt && o.lt)) throw error(zset_errors::gt_lt_nx);
}

// ---------------------------------------------------------------------------- range view

// A run of consecutive index entries, read forward or backward: what the range_* members return.
// O(1) to make and to copy; iteration is O(1) per step. Invalidated by any change to the set.
template <class Index>
class sorted_set_range {
    using base_iterator = typename Index::const_iterator;

public:
    using value_type = typename Index::value_type;
    using size_type = std::size_t;

    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = typename Index::value_type;
        using difference_type = std::ptrdiff_t;
        using pointer = const value_type*;
        using reference = const value_type&;

        iterator() = default;
        reference operator*() const { return *it_; }
        pointer operator->() const { return &*it_; }
        iterator& operator++() {
            // The last step does not move: a reverse run may start at begin().
            if (--remaining_ != 0) {
                if (reverse_) {
                    --it_;
                } else {
                    ++it_;
                }
            }
            return *this;
        }
        iterator operator++(int) {
            iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const iterator& a, const iterator& b) { return a.remaining_ == b.remaining_; }
        friend bool operator!=(const iterator& a, const iterator& b) { return !(a == b); }

    private:
        friend class sorted_set_range;
        iterator(base_iterator it, size_type remaining, bool reverse)
            : it_(it), remaining_(remaining), reverse_(reverse) {}

        base_iterator it_{};
        size_type remaining_ = 0;
        bool reverse_ = false;
    };

    sorted_set_range() = default;
    // Requires: count entries are reachable from first in the given direction.
    sorted_set_range(base_iterator first, size_type count, range_direction direction)
        : first_(first), count_(count), reverse_(direction == range_direction::reverse) {}

    iterator begin() const { return iterator(first_, count_, reverse_); }
    iterator end() const { return iterator(first_, 0, reverse_); }
    size_type size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }
    range_direction direction() const noexcept {
        return reverse_ ? range_direction::reverse : range_direction::forward;
    }

private:
    base_iterator first_{};
    size_type count_ = 0;
    bool reverse_ = false;
};

// One ZSCAN step: the next cursor (0 when the scan is complete) and copies of the entries.
template <class Member>
struct scan_page {
    std::uint64_t cursor = 0;
    std::vector<sorted_set_entry<Member>> entries;
};

// ---------------------------------------------------------------------------- sorted_set

template <class Member = std::string, class Index = bptree_index<>, class Hash = std::hash<Member>,
          class MemberLess = std::less<Member>>
class sorted_set {
    using order_type = detail::zset::entry_order<Member, MemberLess>;

public:
    using member_type = Member;
    using hasher = Hash;
    using value_type = sorted_set_entry<Member>;
    using size_type = std::size_t;
    using index_backend = Index;
    using index_type = typename Index::template container<value_type, order_type>;
    using const_iterator = typename index_type::const_iterator;
    using iterator = const_iterator;
    using range_type = sorted_set_range<index_type>;

private:
    using positions = detail::zset::positions<index_type>;
    using score_edge = detail::zset::score_edge;
    using lex_edge = detail::zset::lex_edge<Member>;
    using entry_ref = detail::zset::entry_ref<Member>;
    using table_type = detail::zset::score_table;

public:
    // ------------------------------------------------------------------ construction
    sorted_set() = default;
    sorted_set(const sorted_set&) = default;
    sorted_set(sorted_set&&) = default;
    // Copy and swap: the index and the table are copied aside, so a throwing copy leaves *this
    // unchanged (strong guarantee); member-wise assignment could leave a new index beside the old
    // table (Z2).
    sorted_set& operator=(const sorted_set& other) {
        if (this != &other) {
            sorted_set copy(other);
            swap(copy);
        }
        return *this;
    }
    sorted_set& operator=(sorted_set&&) = default;
    ~sorted_set() = default;

    void swap(sorted_set& other) noexcept {
        using std::swap;
        swap(index_, other.index_);
        swap(table_, other.table_);
        swap(hash_, other.hash_);
    }
    friend void swap(sorted_set& a, sorted_set& b) noexcept { a.swap(b); }

    // Bulk load from entries sorted by (score, member) with distinct members and no NaN score,
    // in O(n) appends. Requires: that order (checked by assertions).
    template <class InputIt>
    sorted_set(sorted_unique_t, InputIt first, InputIt last) {
        for (; first != last; ++first) append_greatest(*first);
    }

    // ------------------------------------------------------------------ size and iteration
    // ZCARD.
    size_type size() const noexcept { return index_.size(); }
    [[nodiscard]] bool empty() const noexcept { return index_.empty(); }
    // Entries in (score, member) order.
    const_iterator begin() const noexcept { return index_.begin(); }
    const_iterator end() const noexcept { return index_.end(); }
    void clear() noexcept {
        index_.clear();
        table_.clear();
    }
    // The ordered index, read-only (bptree_index: index().stats() gives its shape and bytes).
    const index_type& index() const noexcept { return index_; }

    friend bool operator==(const sorted_set& a, const sorted_set& b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
    }
    friend bool operator!=(const sorted_set& a, const sorted_set& b) { return !(a == b); }

    // ------------------------------------------------------------------ ZADD, ZINCRBY
    // ZADD [NX|XX] [GT|LT] score member: one pair. Throws the option errors, or the NaN error for
    // a NaN score. O(log n).
    zadd_result add(const Member& member, double score, const zadd_options& options = {}) {
        check_zadd_options(options);
        return apply_add(member, score, options, false);
    }

    // ZADD [NX|XX] [GT|LT] [CH] score member [score member ...]: the pairs (score, member) in
    // order; returns Redis's reply: the members added, plus those updated when options.ch.
    // Every check runs before the first change. O(m log n).
    template <class Pairs>
    size_type add(const Pairs& pairs, const zadd_options& options = {}) {
        check_zadd_options(options);
        for (const auto& pair : pairs) require_not_nan(std::get<0>(pair));
        size_type added = 0;
        size_type updated = 0;
        for (const auto& pair : pairs) {
            const zadd_outcome outcome = apply_add(std::get<1>(pair), std::get<0>(pair), options, false).outcome;
            added += outcome == zadd_outcome::added;
            updated += outcome == zadd_outcome::updated;
        }
        return options.ch ? added + updated : added;
    }
    size_type add(std::initializer_list<std::pair<double, Member>> pairs, const zadd_options& options = {}) {
        return add<std::initializer_list<std::pair<double, Member>>>(pairs, options);
    }

    // ZADD ... INCR increment member: the new score, or nullopt when NX / XX / GT / LT skipped
    // the member. Throws the NaN error when the sum is NaN (inf + -inf). O(log n).
    std::optional<double> add_incr(const Member& member, double increment, const zadd_options& options = {}) {
        check_zadd_options(options);
        const zadd_result r = apply_add(member, increment, options, true);
        if (r.outcome == zadd_outcome::skipped) return std::nullopt;
        return r.score;
    }

    // ZINCRBY increment member: the new score. O(log n).
    double incr_by(const Member& member, double increment) {
        return apply_add(member, increment, zadd_options{}, true).score;
    }

    // ------------------------------------------------------------------ ZREM
    // ZREM member: whether it was present. O(log n).
    bool remove(const Member& member) {
        const location loc = locate(member);
        if (!loc.found()) return false;
        index_.erase(loc.it);  // strong guarantee in both backends; the table is untouched until it succeeds
        table_.erase_at(loc.slot);
        return true;
    }
    // ZREM member [member ...]: how many were present. O(m log n).
    template <class Members, std::enable_if_t<!std::is_convertible_v<const Members&, const Member&>, int> = 0>
    size_type remove(const Members& members) {
        size_type removed = 0;
        for (const auto& m : members) removed += remove(m);
        return removed;
    }
    size_type remove(std::initializer_list<Member> members) {
        return remove<std::initializer_list<Member>>(members);
    }

    // ------------------------------------------------------------------ ZSCORE, ZMSCORE
    // O(log n): one hash probe, confirmed in the index.
    std::optional<double> score(const Member& member) const {
        const location loc = locate(member);
        if (!loc.found()) return std::nullopt;
        return loc.it->score;
    }
    template <class Members, std::enable_if_t<!std::is_convertible_v<const Members&, const Member&>, int> = 0>
    std::vector<std::optional<double>> scores(const Members& members) const {
        std::vector<std::optional<double>> out;
        for (const auto& m : members) out.push_back(score(m));
        return out;
    }
    bool contains(const Member& member) const { return locate(member).found(); }

    // ------------------------------------------------------------------ ZRANK, ZREVRANK
    // 0-based position in ascending / descending order. O(log n) (std::set: O(n)).
    std::optional<size_type> rank(const Member& member) const {
        const location loc = locate(member);
        if (!loc.found()) return std::nullopt;
        return positions::index_of(index_, loc.it);
    }
    std::optional<size_type> rev_rank(const Member& member) const {
        const std::optional<size_type> r = rank(member);
        if (!r) return std::nullopt;
        return size() - 1 - *r;
    }

    // ------------------------------------------------------------------ ZCOUNT, ZLEXCOUNT
    // Members whose score is in the range. Throws the bound error for a NaN bound. O(log n)
    // (std::set: O(log n + k)).
    size_type count(const score_range& range) const {
        require_float_bounds(range);
        if (is_empty_range(range)) return 0;
        return count_between(lower_edge(range.min), upper_edge(range.max));
    }
    // Members in the lex range. O(log n) (std::set: O(log n + k)).
    size_type count(const lex_range<Member>& range) const {
        if (is_empty_range(range)) return 0;
        return count_between(lower_edge(range.min), upper_edge(range.max));
    }

    // ------------------------------------------------------------------ ZRANGE and friends
    // ZRANGE start stop [REV] (ZREVRANGE): positions as Redis reads them (negative counts from
    // the end; out-of-range ends clamped). With reverse, start and stop count from the highest
    // score. O(log n) to start (std::set: O(n)), O(1) per entry read.
    range_type range_by_rank(long long start, long long stop,
                             range_direction direction = range_direction::forward) const {
        const std::optional<rank_span> span = normalize_rank_span(start, stop, size());
        if (!span) return {};
        const size_type count = span->last - span->first + 1;
        const size_type first = direction == range_direction::forward ? span->first : size() - 1 - span->first;
        return range_type(positions::at(index_, first), count, direction);
    }

    // ZRANGE min max BYSCORE [REV] [LIMIT offset count] (ZRANGEBYSCORE, ZREVRANGEBYSCORE). The
    // range is always {min, max}; reverse reads it from max down. Throws the bound error for a NaN
    // bound. O(log n) to start (std::set: O(log n + offset)).
    range_type range_by_score(const score_range& range, range_direction direction = range_direction::forward,
                              const range_limit& limit = {}) const {
        require_float_bounds(range);
        if (is_empty_range(range)) return {};
        return select(lower_edge(range.min), upper_edge(range.max), direction, limit);
    }

    // ZRANGE min max BYLEX [REV] [LIMIT offset count] (ZRANGEBYLEX, ZREVRANGEBYLEX).
    range_type range_by_lex(const lex_range<Member>& range, range_direction direction = range_direction::forward,
                            const range_limit& limit = {}) const {
        if (is_empty_range(range)) return {};
        return select(lower_edge(range.min), upper_edge(range.max), direction, limit);
    }

    // ------------------------------------------------------------------ ZREMRANGEBY*
    // Each returns how many members were removed (a NaN score bound throws the bound error and
    // removes nothing). O(log n + k) (the index's range erase plus k table updates).
    size_type remove_range_by_rank(long long start, long long stop) {
        const std::optional<rank_span> span = normalize_rank_span(start, stop, size());
        if (!span) return 0;
        return erase_span(positions::at(index_, span->first), positions::at(index_, span->last + 1));
    }
    size_type remove_range_by_score(const score_range& range) {
        require_float_bounds(range);
        if (is_empty_range(range)) return 0;
        return erase_between(lower_edge(range.min), upper_edge(range.max));
    }
    size_type remove_range_by_lex(const lex_range<Member>& range) {
        if (is_empty_range(range)) return 0;
        return erase_between(lower_edge(range.min), upper_edge(range.max));
    }

    // ------------------------------------------------------------------ ZPOPMIN, ZPOPMAX
    // Removes and returns the `count` lowest (highest) entries, lowest (highest) first.
    // O(log n + count).
    std::vector<value_type> pop_min(size_type count = 1) { return pop(count, false); }
    std::vector<value_type> pop_max(size_type count = 1) { return pop(count, true); }

    // ------------------------------------------------------------------ ZRANDMEMBER
    // One uniformly chosen entry, or nullopt when empty. O(log n) (std::set: O(n)).
    template <class Urbg>
    std::optional<value_type> random_member(Urbg& rng) const {
        if (empty()) return std::nullopt;
        return *positions::at(index_, uniform_position(rng, size()));
    }

    // ZRANDMEMBER count: count > 0 gives min(count, size()) distinct entries (the whole set, in
    // order, when count >= size()); count < 0 gives -count entries drawn with replacement.
    // O(k log n) (std::set: O(n + k log k)).
    template <class Urbg>
    std::vector<value_type> random_members(long long count, Urbg& rng) const {
        if (count == 0 || empty()) return {};
        const size_type n = size();
        if (count < 0) {
            const unsigned long long draws = 0ull - static_cast<unsigned long long>(count);
            std::vector<size_type> picks(static_cast<size_type>(draws));
            for (size_type& p : picks) p = uniform_position(rng, n);
            return entries_at(picks);
        }
        if (static_cast<unsigned long long>(count) >= n) return std::vector<value_type>(begin(), end());
        return entries_at(distinct_positions(static_cast<size_type>(count), n, rng));
    }

    // ------------------------------------------------------------------ ZSCAN
    // The entries at positions [cursor, cursor + count) and the cursor of the next page (0 at
    // the end). A full scan returns every entry present throughout it at least once as long as
    // no entry ranked before the cursor is removed between steps (insertions before the cursor
    // can repeat entries). O(log n + count). Requires: count > 0 (0 is read as 1).
    scan_page<Member> scan(std::uint64_t cursor, size_type count = 10) const {
        scan_page<Member> page;
        const size_type n = size();
        if (cursor >= n) return page;
        const size_type first = static_cast<size_type>(cursor);
        const size_type last = n - first <= count ? n : first + std::max<size_type>(count, 1);
        for (auto it = positions::at(index_, first); page.entries.size() < last - first; ++it) {
            page.entries.push_back(*it);
        }
        page.cursor = last == n ? 0 : last;
        return page;
    }

    // ------------------------------------------------------------------ checks
    // Checks Z1, Z2 and the table's invariants; throws std::logic_error naming the broken one.
    // O(n log n).
    void verify() const {
        if constexpr (has_verify<index_type>::value) index_.verify();
        const value_type* previous = nullptr;
        for (const value_type& e : index_) {
            if (std::isnan(e.score)) fail("Z1 a NaN score is stored");
            if (e.score == 0 && std::signbit(e.score)) fail("Z1 a -0 score is stored");
            if (previous != nullptr && !index_.key_comp()(*previous, e)) fail("Z1 entries are not strictly ordered");
            previous = &e;
        }
        if (!table_.is_consistent()) fail("T1/T2 the score table's probe runs or size are broken");
        if (table_.size() != index_.size()) fail("Z2 the table and the index differ in size");
        std::vector<std::pair<std::size_t, double>> from_index;
        std::vector<std::pair<std::size_t, double>> from_table;
        for (const value_type& e : index_) from_index.emplace_back(table_type::stored_hash(hash_(e.member)), e.score);
        table_.for_each([&](std::size_t h, double s) { from_table.emplace_back(h, s); });
        std::sort(from_index.begin(), from_index.end());
        std::sort(from_table.begin(), from_table.end());
        if (from_index != from_table) fail("Z2 the table's (hash, score) slots differ from the index");
        for (const value_type& e : index_) {
            const location loc = locate(e.member);
            if (!loc.found() || &*loc.it != &e) fail("Z2 a member is not found through the table");
        }
    }

    // Bytes the score table holds (the index's own figures come from index().stats() on bptree).
    size_type table_bytes() const noexcept { return table_.bytes_allocated(); }

private:
    // Where a member lives: its table slot and its index entry (slot == npos when absent).
    struct location {
        std::size_t slot = table_type::npos;
        const_iterator it;
        bool found() const noexcept { return slot != table_type::npos; }
    };

    struct rank_span {
        size_type first;
        size_type last;  // inclusive
    };

    template <class T, class = void>
    struct has_verify : std::false_type {};
    template <class T>
    struct has_verify<T, std::void_t<decltype(std::declval<const T&>().verify())>> : std::true_type {};

    [[noreturn]] static void fail(const char* what) { throw std::logic_error(std::string("bptree::sorted_set::verify: ") + what); }

    static void require_not_nan(double score) {
        if (std::isnan(score)) throw error(zset_errors::nan_score);
    }

    location locate(const Member& member) const { return locate(member, hash_(member)); }
    location locate(const Member& member, std::size_t hash) const {
        location loc{table_type::npos, index_.end()};
        loc.slot = table_.find(hash, [&](double score) {
            loc.it = index_.find(entry_ref{score, &member});
            return loc.it != index_.end();
        });
        return loc;
    }

    // ZADD's per-pair logic (Redis's zsetAdd): value is the score, or the increment when
    // `increment`. Throws before any change.
    zadd_result apply_add(const Member& member, double value, const zadd_options& o, bool increment) {
        require_not_nan(value);
        const std::size_t hash = hash_(member);
        const location loc = locate(member, hash);
        if (!loc.found()) {
            if (o.xx) return {zadd_outcome::skipped, value};
            insert_new(member, value, hash);
            return {zadd_outcome::added, value};
        }
        const double current = loc.it->score;
        if (o.nx) return {zadd_outcome::skipped, current};
        const double target = increment ? current + value : value;
        require_not_nan(target);
        if ((o.lt && target >= current) || (o.gt && target <= current)) return {zadd_outcome::skipped, current};
        // -0.0 == 0.0: the stored score keeps its sign, as in Redis.
        if (target == current) return {zadd_outcome::unchanged, target};
        move_to_score(loc, target);
        return {zadd_outcome::updated, target};
    }

    // The score as stored: -0 becomes 0.
    static double stored_form(double score) { return score == 0 ? 0.0 : score; }

    void insert_new(const Member& member, double score, std::size_t hash) {
        score = stored_form(score);
        table_.reserve(index_.size() + 1);  // the table insert below can no longer throw
        index_.insert(value_type{member, score});
        table_.insert(hash, score);
    }

    // Appends an entry greater than every entry present (bulk loads).
    void append_greatest(const value_type& e) {
        assert(!std::isnan(e.score));
        assert(index_.empty() || index_.key_comp()(*std::prev(index_.end()), e));
        const double score = stored_form(e.score);
        table_.reserve(index_.size() + 1);
        index_.insert(index_.end(), value_type{e.member, score});
        table_.insert(hash_(e.member), score);
    }

    // Gives the member at loc a new score. The one place a score changes. An entry whose order is
    // kept is rewritten where it stands: in its red-black node on std::set, and through the tree's
    // replace() on bptree::set, which also repairs the separator copies of the entry (no node is
    // split or merged); otherwise the entry moves, O(log n).
    void move_to_score(const location& loc, double score) {
        score = stored_form(score);
        if constexpr (Index::can_update_in_place) {
            if (keeps_position(loc.it, score)) {
                // The entry is not const in the node; the index order around it is unchanged.
                const_cast<value_type&>(*loc.it).score = score;
            } else {
                auto handle = index_.extract(loc.it);
                handle.value().score = score;
                insert_or_resync(std::move(handle));
            }
        } else {
            try {
                index_.replace(loc.it, value_type{loc.it->member, score});  // strong when in place
            } catch (...) {
                resync_table();
                throw;
            }
        }
        table_.set_score_at(loc.slot, score);
    }

    bool keeps_position(const_iterator it, double score) const {
        const entry_ref moved{score, &it->member};
        const order_type less = index_.key_comp();
        if (it != index_.begin() && !less(*std::prev(it), moved)) return false;
        const auto next = std::next(it);
        return next == index_.end() || less(moved, *next);
    }

    template <class X>
    void insert_or_resync(X&& x) {
        try {
            index_.insert(std::forward<X>(x));
        } catch (...) {
            resync_table();
            throw;
        }
    }

    // Rebuilds the table from the index after an index operation failed half way, restoring Z2.
    // Never throws: the table's capacity already fits every entry the index can hold.
    void resync_table() noexcept {
        table_.clear_keep_capacity();
        for (const value_type& e : index_) table_.insert(hash_(e.member), e.score);
    }

    // Erases the entries [first, last) from the table, then from the index (the index's range
    // erase: O(log n + k) on bptree). Returns how many.
    size_type erase_span(const_iterator first, const_iterator last) {
        size_type removed = 0;
        for (auto it = first; it != last; ++it, ++removed) table_.erase_one(hash_(it->member), it->score);
        if (removed == 0) return 0;
        try {
            index_.erase(first, last);
        } catch (...) {
            resync_table();
            throw;
        }
        return removed;
    }

    template <class Lo, class Hi>
    size_type erase_between(const Lo& lo, const Hi& hi) {
        const const_iterator first = index_.lower_bound(lo);
        const const_iterator last = index_.lower_bound(hi);
        if (positions::distance(index_, first, last) == 0) return 0;
        return erase_span(first, last);
    }

    std::vector<value_type> pop(size_type count, bool highest) {
        const size_type k = std::min(count, size());
        if (k == 0) return {};
        const const_iterator first = highest ? positions::at(index_, size() - k) : index_.begin();
        const const_iterator last = highest ? index_.end() : positions::at(index_, k);
        std::vector<value_type> out(first, last);  // copies first: a throw changes nothing
        if (highest) std::reverse(out.begin(), out.end());
        erase_span(first, last);
        return out;
    }

    // ---- ranges
    static std::optional<rank_span> normalize_rank_span(long long start, long long stop, size_type n) {
        // Redis's rule (ZRANGE, ZREMRANGEBYRANK): negative positions count from the end, start
        // is clamped at 0, stop at n - 1, and start > stop or start >= n is empty.
        const long long length = static_cast<long long>(n);
        if (start < 0) start += length;
        if (stop < 0) stop += length;
        if (start < 0) start = 0;
        if (start > stop || start >= length) return std::nullopt;
        if (stop >= length) stop = length - 1;
        return rank_span{static_cast<size_type>(start), static_cast<size_type>(stop)};
    }

    // A NaN bound would order like -inf in the index; Redis's zslParseRange refuses it.
    static void require_float_bounds(const score_range& r) {
        if (std::isnan(r.min.value) || std::isnan(r.max.value)) throw error(zset_errors::bound_not_float);
    }
    static bool is_empty_range(const score_range& r) {
        return r.min.value > r.max.value || (r.min.value == r.max.value && (r.min.exclusive || r.max.exclusive));
    }
    // Redis's zslParseLexRange emptiness: min above max, or equal with an exclusive end.
    bool is_empty_range(const lex_range<Member>& r) const {
        const int c = compare_bounds(r.min, r.max);
        using kind = typename lex_bound<Member>::kind;
        return c > 0 || (c == 0 && (r.min.type != kind::inclusive || r.max.type != kind::inclusive));
    }
    int compare_bounds(const lex_bound<Member>& a, const lex_bound<Member>& b) const {
        using kind = typename lex_bound<Member>::kind;
        const auto weight = [](kind k) { return k == kind::minus_infinity ? 0 : k == kind::plus_infinity ? 2 : 1; };
        if (weight(a.type) != weight(b.type)) return weight(a.type) < weight(b.type) ? -1 : 1;
        if (weight(a.type) != 1) return 0;
        const MemberLess less = index_.key_comp().less;
        return less(a.value, b.value) ? -1 : less(b.value, a.value) ? 1 : 0;
    }

    // Where a bound cuts the index: lower_bound(edge) is the first entry past the cut. The entries
    // equal to a bound's value lie before the cut when the bound is an exclusive minimum or an
    // inclusive maximum.
    static score_edge lower_edge(const score_bound& min) { return {min.value, min.exclusive}; }
    static score_edge upper_edge(const score_bound& max) { return {max.value, !max.exclusive}; }
    static lex_edge lower_edge(const lex_bound<Member>& min) {
        return lex_cut(min, min.type == lex_bound<Member>::kind::exclusive);
    }
    static lex_edge upper_edge(const lex_bound<Member>& max) {
        return lex_cut(max, max.type == lex_bound<Member>::kind::inclusive);
    }
    static lex_edge lex_cut(const lex_bound<Member>& b, bool equal_before_cut) {
        using kind = typename lex_bound<Member>::kind;
        using side = typename lex_edge::side;
        if (b.type == kind::minus_infinity) return {side::before_all, nullptr};
        if (b.type == kind::plus_infinity) return {side::after_all, nullptr};
        return {equal_before_cut ? side::after : side::before, &b.value};
    }

    template <class Lo, class Hi>
    size_type count_between(const Lo& lo, const Hi& hi) const {
        if constexpr (positions::is_logarithmic) {
            const size_type a = index_.rank(lo);
            const size_type b = index_.rank(hi);
            return b > a ? b - a : 0;
        } else {
            return positions::distance(index_, index_.lower_bound(lo), index_.lower_bound(hi));
        }
    }

    // The view of the matches [lower_bound(lo), lower_bound(hi)) after LIMIT, read in `direction`.
    template <class Lo, class Hi>
    range_type select(const Lo& lo, const Hi& hi, range_direction direction, const range_limit& limit) const {
        if (limit.offset < 0 || limit.count == 0) return {};
        const auto offset = static_cast<unsigned long long>(limit.offset);
        const unsigned long long wanted =
            limit.count < 0 ? std::numeric_limits<unsigned long long>::max() : static_cast<unsigned long long>(limit.count);
        const bool reverse = direction == range_direction::reverse;
        if constexpr (positions::is_logarithmic) {
            const size_type a = index_.rank(lo);
            const size_type b = index_.rank(hi);
            const size_type total = b > a ? b - a : 0;
            if (offset >= total) return {};
            const size_type count = static_cast<size_type>(std::min<unsigned long long>(wanted, total - offset));
            const size_type first = reverse ? b - 1 - static_cast<size_type>(offset) : a + static_cast<size_type>(offset);
            return range_type(index_.nth(first), count, direction);
        } else {
            const const_iterator lo_it = index_.lower_bound(lo);
            const const_iterator hi_it = index_.lower_bound(hi);
            const const_iterator stop = reverse ? lo_it : hi_it;
            const const_iterator wall = reverse ? index_.begin() : index_.end();
            // Walk to the first match to read (reverse: the offset-th before hi), never past the
            // far end of the matches or the container.
            const_iterator it = reverse ? hi_it : lo_it;
            if (reverse) {
                for (unsigned long long k = 0; k <= offset; ++k) {
                    if (it == stop || it == wall) return {};
                    --it;
                }
            } else {
                for (unsigned long long k = 0; k < offset; ++k) {
                    if (it == stop || it == wall) return {};
                    ++it;
                }
                if (it == stop || it == wall) return {};
            }
            size_type count = 1;
            for (const_iterator j = it; count < wanted; ++count) {
                if (reverse) {
                    if (j == stop || j == wall) break;
                    --j;
                } else {
                    ++j;
                    if (j == stop || j == wall) break;
                }
            }
            return range_type(it, count, direction);
        }
    }

    // ---- random sampling
    template <class Urbg>
    static size_type uniform_position(Urbg& rng, size_type n) {
        return std::uniform_int_distribution<size_type>(0, n - 1)(rng);
    }

    // k distinct positions of [0, n), by Floyd's algorithm: O(k) expected.
    template <class Urbg>
    static std::vector<size_type> distinct_positions(size_type k, size_type n, Urbg& rng) {
        std::vector<size_type> picks;
        std::unordered_set<size_type> taken;
        picks.reserve(k);
        for (size_type j = n - k; j < n; ++j) {
            const size_type t = uniform_position(rng, j + 1);
            const size_type pick = taken.count(t) != 0 ? j : t;
            taken.insert(pick);
            picks.push_back(pick);
        }
        return picks;
    }

    // Copies of the entries at the given positions, in the given order.
    std::vector<value_type> entries_at(const std::vector<size_type>& picks) const {
        std::vector<value_type> out;
        out.reserve(picks.size());
        if constexpr (positions::is_logarithmic) {
            for (size_type p : picks) out.push_back(*index_.nth(p));
        } else {
            // One walk in position order, then the copies in the requested order.
            std::vector<size_type> order(picks.size());
            for (size_type i = 0; i < order.size(); ++i) order[i] = i;
            std::sort(order.begin(), order.end(), [&](size_type a, size_type b) { return picks[a] < picks[b]; });
            std::vector<const value_type*> found(picks.size());
            const_iterator it = index_.begin();
            size_type at = 0;
            for (size_type i : order) {
                it = std::next(it, static_cast<std::ptrdiff_t>(picks[i] - at));
                at = picks[i];
                found[i] = &*it;
            }
            for (const value_type* e : found) out.push_back(*e);
        }
        return out;
    }

    index_type index_;
    table_type table_;
    Hash hash_{};
};

// ---------------------------------------------------------------------------- several sets

// One input of zunion / zinter: a set (nullptr: a missing key, which reads as an empty set) and
// its WEIGHTS factor.
template <class SortedSet>
struct weighted_set {
    const SortedSet* set = nullptr;
    double weight = 1.0;
};

namespace detail::zset {

// Redis's zunionInterAggregate: a SUM of inf and -inf is 0; MIN and MAX keep the target on ties
// and when the value is NaN.
inline void aggregate_into(double& target, double value, score_aggregate aggregate) {
    switch (aggregate) {
        case score_aggregate::sum:
            target += value;
            if (std::isnan(target)) target = 0.0;
            break;
        case score_aggregate::min: target = value < target ? value : target; break;
        case score_aggregate::max: target = value > target ? value : target; break;
    }
}

// A score times its weight, where inf * 0 reads as 0 (Redis).
inline double weighted(double score, double weight) {
    const double v = weight * score;
    return std::isnan(v) ? 0.0 : v;
}

template <class SortedSet>
std::size_t cardinality(const SortedSet* s) {
    return s == nullptr ? 0 : s->size();
}

// Redis visits the inputs from the smallest to the largest (a stable order), which fixes the order
// of the SUM additions and so the last bits of the result.
template <class SortedSet>
std::vector<weighted_set<SortedSet>> by_cardinality(std::vector<weighted_set<SortedSet>> inputs) {
    for (const auto& in : inputs) {
        if (std::isnan(in.weight)) throw error(zset_errors::weight_not_float);
    }
    std::stable_sort(inputs.begin(), inputs.end(), [](const auto& a, const auto& b) {
        return cardinality(a.set) < cardinality(b.set);
    });
    return inputs;
}

// Entries with distinct members sorted into the index order, in O(m log m).
template <class SortedSet>
std::vector<typename SortedSet::value_type> sorted_entries(std::vector<typename SortedSet::value_type> entries) {
    std::sort(entries.begin(), entries.end(), typename SortedSet::index_type::key_compare());
    return entries;
}

// The union as sorted entries, with the scores as computed (a -0 stays -0 here: ZUNION's reply
// shows it, a stored set stores 0). O(N log N) for N input entries.
template <class SortedSet>
std::vector<typename SortedSet::value_type> union_entries(std::vector<weighted_set<SortedSet>> inputs,
                                                          score_aggregate aggregate) {
    using member = typename SortedSet::member_type;
    std::unordered_map<member, double, typename SortedSet::hasher> scores;
    for (const auto& in : by_cardinality(std::move(inputs))) {
        if (in.set == nullptr) continue;
        for (const auto& e : *in.set) {
            const double value = weighted(e.score, in.weight);
            const auto [it, added] = scores.emplace(e.member, value);
            if (!added) aggregate_into(it->second, value, aggregate);
        }
    }
    std::vector<typename SortedSet::value_type> out;
    out.reserve(scores.size());
    for (const auto& [m, score] : scores) out.push_back({m, score});
    return sorted_entries<SortedSet>(std::move(out));
}

// The intersection as sorted entries, scores as computed. O(m k log n) for m entries in the
// smallest of k inputs.
template <class SortedSet>
std::vector<typename SortedSet::value_type> intersection_entries(std::vector<weighted_set<SortedSet>> inputs,
                                                                 score_aggregate aggregate) {
    const auto sources = by_cardinality(std::move(inputs));
    std::vector<typename SortedSet::value_type> out;
    if (sources.empty() || cardinality(sources.front().set) == 0) return out;
    for (const auto& e : *sources.front().set) {
        double score = weighted(e.score, sources.front().weight);
        bool in_all = true;
        for (std::size_t j = 1; j < sources.size() && in_all; ++j) {
            const std::optional<double> other = sources[j].set->score(e.member);
            in_all = other.has_value();
            // No NaN fix here: SUM turns NaN into 0, MIN / MAX ignore it (Redis).
            if (in_all) aggregate_into(score, *other * sources[j].weight, aggregate);
        }
        if (in_all) out.push_back({e.member, score});
    }
    return sorted_entries<SortedSet>(std::move(out));
}

// The members of the first input in none of the others, in the first input's order.
template <class SortedSet>
std::vector<typename SortedSet::value_type> difference_entries(const std::vector<const SortedSet*>& inputs) {
    std::vector<typename SortedSet::value_type> kept;
    if (inputs.empty() || inputs.front() == nullptr) return kept;
    for (const auto& e : *inputs.front()) {
        const bool elsewhere = std::any_of(inputs.begin() + 1, inputs.end(), [&](const SortedSet* s) {
            return s != nullptr && s->contains(e.member);
        });
        if (!elsewhere) kept.push_back(e);
    }
    return kept;
}

template <class SortedSet>
SortedSet from_sorted(const std::vector<typename SortedSet::value_type>& entries) {
    return SortedSet(sorted_unique, entries.begin(), entries.end());
}

template <class SortedSet>
std::size_t store(std::optional<SortedSet>& destination, SortedSet&& result) {
    const std::size_t n = result.size();
    if (n == 0) {
        destination.reset();
    } else {
        destination = std::move(result);
    }
    return n;
}

}  // namespace detail::zset

// ZUNION numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]. O(N log N) for N input entries.
// Throws the WEIGHTS error for a NaN weight.
template <class SortedSet>
SortedSet zunion(std::vector<weighted_set<SortedSet>> inputs, score_aggregate aggregate = score_aggregate::sum) {
    return detail::zset::from_sorted<SortedSet>(detail::zset::union_entries(std::move(inputs), aggregate));
}

// ZINTER numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]: the members of every input.
// O(m k log n) for m entries in the smallest of k inputs.
template <class SortedSet>
SortedSet zinter(std::vector<weighted_set<SortedSet>> inputs, score_aggregate aggregate = score_aggregate::sum) {
    return detail::zset::from_sorted<SortedSet>(detail::zset::intersection_entries(std::move(inputs), aggregate));
}

// ZDIFF numkeys key...: the members of the first input in none of the others, with their scores.
template <class SortedSet>
SortedSet zdiff(const std::vector<const SortedSet*>& inputs) {
    return detail::zset::from_sorted<SortedSet>(detail::zset::difference_entries(inputs));
}

// ZINTERCARD numkeys key... [LIMIT limit]: the size of the intersection, counting stops at
// `limit` when it is not 0.
template <class SortedSet>
std::size_t zintercard(const std::vector<const SortedSet*>& inputs, std::size_t limit = 0) {
    if (inputs.empty()) return 0;
    const auto smallest = std::min_element(inputs.begin(), inputs.end(), [](const SortedSet* a, const SortedSet* b) {
        return detail::zset::cardinality(a) < detail::zset::cardinality(b);
    });
    if (detail::zset::cardinality(*smallest) == 0) return 0;
    std::size_t n = 0;
    for (const auto& e : **smallest) {
        const bool in_all = std::all_of(inputs.begin(), inputs.end(), [&](const SortedSet* s) {
            return s == *smallest || s->contains(e.member);
        });
        if (in_all && ++n == limit) break;
    }
    return n;
}

// The STORE forms write the result into a key's slot (emptied when the result is empty, as Redis
// deletes the key) and return its size. The destination may be one of the inputs.
template <class SortedSet>
std::size_t zunionstore(std::optional<SortedSet>& destination, std::vector<weighted_set<SortedSet>> inputs,
                        score_aggregate aggregate = score_aggregate::sum) {
    return detail::zset::store(destination, zunion(std::move(inputs), aggregate));
}
template <class SortedSet>
std::size_t zinterstore(std::optional<SortedSet>& destination, std::vector<weighted_set<SortedSet>> inputs,
                        score_aggregate aggregate = score_aggregate::sum) {
    return detail::zset::store(destination, zinter(std::move(inputs), aggregate));
}
template <class SortedSet>
std::size_t zdiffstore(std::optional<SortedSet>& destination, const std::vector<const SortedSet*>& inputs) {
    return detail::zset::store(destination, zdiff(inputs));
}

// ZRANGESTORE dst src ...: stores the entries of a range of src (from any range_* member; src may
// be the destination) and returns how many.
template <class SortedSet>
std::size_t zrangestore(std::optional<SortedSet>& destination, const typename SortedSet::range_type& range) {
    std::vector<typename SortedSet::value_type> entries(range.begin(), range.end());
    if (range.direction() == range_direction::reverse) std::reverse(entries.begin(), entries.end());
    return detail::zset::store(destination, SortedSet(sorted_unique, entries.begin(), entries.end()));
}

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_SORTED_SET_HPP
