// File: bptree/stream.hpp
// Layer: public adaptor. bptree::stream: the Redis 7.0 stream as a C++ container adaptor, with
// consumer groups and pending-entry lists, and one typed member per stream command on one key.
// The Redis command layer over it is bptree/redis.hpp; the manual is docs/stream.md.
// Includes: public headers only (map.hpp, error.hpp) and the adaptor internals, so the adaptor
// runs over std::map as well as over bptree::map.
//
// Data model (docs/stream.md has the picture and the measurements):
//   entries_  ordered map stream_id -> stream_record (the entry's field/value pairs in one block)
//   nodes_    ordered map of logical nodes, keyed by first ID: Redis's listpack boundaries, kept
//             so that '~' trimming, XINFO's radix-tree figures and the sharing of field names
//             (the master entry) follow Redis exactly (detail/adaptors/stream_nodes.hpp)
//   groups_   std::map group name -> consumer group (detail/adaptors/stream_groups.hpp)
//   counters  last_id_, first_id_ (recorded-first-entry-id), max_deleted_ (max-deleted-entry-id),
//             entries_added_, maintained exactly as Redis 7.0 maintains them.
// The backend (bptree::map by default, or std::map) holds entries_, nodes_ and the PELs.
//
// Invariants, checked by verify():
//  S1 size() equals the sum of the nodes' live counts (N3) and entries_added_ >= size().
//  S2 first_id_ is the smallest entry ID, or 0-0 when the stream is empty.
//  S3 last_id_ >= every entry ID.
//  plus N1-N3 (stream_nodes.hpp), G1-G2 (stream_groups.hpp) and E1 (stream_entry.hpp).
//
// Time: nothing reads a clock. Members that Redis runs with the current time (XADD with "*",
// XREADGROUP, XCLAIM, XAUTOCLAIM, XPENDING's idle times, XINFO CONSUMERS, XGROUP CREATECONSUMER)
// take now_ms, the caller's clock reading in ms since the Unix epoch.
//
// Complexity (n entries, k results, P pending entries of the group, log terms from the backend):
// add O(log n); range/read O(log n + k); erase of one ID O(log n); trim O(log n + k) on bptree::map
// (one range erase; the cut is found with nth/rank), O(k + log n) on std::map; group reads
// O(log n + k log P); ack, claim O(log P) per ID.
//
// Errors and exception safety: a call that Redis would answer with an error throws bptree::error
// whose what() is Redis's exact text (see "NOGROUP" below), before anything changes, so the
// stream is unchanged. std::bad_alloc leaves the stream valid (basic guarantee); a group read or
// claim that fails part way keeps exactly the entries it completed (each is given all or nothing).
// NOGROUP: Redis's NOGROUP texts name the key, which a stream does not know; typed members throw
// "NOGROUP No such consumer group '<group>'" and the command layer replies Redis's exact variants.
//
// Iterators (begin()/end()/find()/lower_bound()) walk entries in ID order; *it is
// std::pair<const stream_id, stream_record>, whose fields iterate as {name, value} string_views.
// They are invalidated by every change to the stream's entries.
#ifndef BPTREE_STREAM_HPP
#define BPTREE_STREAM_HPP

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "bptree/detail/adaptors/stream_entry.hpp"
#include "bptree/detail/adaptors/stream_groups.hpp"
#include "bptree/detail/adaptors/stream_id.hpp"
#include "bptree/detail/adaptors/stream_nodes.hpp"
#include "bptree/detail/adaptors/stream_types.hpp"
#include "bptree/detail/config.hpp"
#include "bptree/error.hpp"
#include "bptree/map.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

namespace detail {

// Redis 7.0's error texts for the stream commands (t_stream.c), shared with the command layer.
struct stream_errors {
    static constexpr const char* id_too_small =
        "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    static constexpr const char* id_zero = "ERR The ID specified in XADD must be greater than 0-0";
    static constexpr const char* exhausted =
        "ERR The stream has exhausted the last possible ID, unable to add more items";
    static constexpr const char* too_large = "ERR Elements are too large to be stored";
    static constexpr const char* invalid_id = "ERR Invalid stream ID specified as stream command argument";
    static constexpr const char* invalid_start = "ERR invalid start ID for the interval";
    static constexpr const char* invalid_end = "ERR invalid end ID for the interval";
    static constexpr const char* limit_without_tilde =
        "ERR syntax error, LIMIT cannot be used without the special ~ option";
    static constexpr const char* busygroup = "BUSYGROUP Consumer Group name already exists";
    static constexpr const char* entries_read_range = "ERR value for ENTRIESREAD must be positive or -1";
    static constexpr const char* setid_below_max_deleted =
        "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
    static constexpr const char* setid_below_top =
        "ERR The ID specified in XSETID is smaller than the target stream top item";
    static constexpr const char* setid_entries_added =
        "ERR The entries_added specified in XSETID is smaller than the target stream length";
    static constexpr const char* autoclaim_count = "ERR COUNT must be > 0";
    static constexpr const char* no_fields = "ERR wrong number of arguments for 'xadd' command";

    static std::string nogroup(std::string_view group) {
        return "NOGROUP No such consumer group '" + std::string(group) + "'";
    }
};

// XRANGE's bounds: the first ID an exclusive start admits ("invalid start ID" past max()).
inline stream_id inclusive_start(const stream_bound& b) {
    stream_id id = b.id;
    if (b.exclusive && !increment_stream_id(id)) throw error(stream_errors::invalid_start);
    return id;
}
// The last ID an exclusive end admits ("invalid end ID" below min()).
inline stream_id inclusive_end(const stream_bound& b) {
    stream_id id = b.id;
    if (b.exclusive && !decrement_stream_id(id)) throw error(stream_errors::invalid_end);
    return id;
}

// XSETID's parse-time rule, checked where Redis checks it (when MAXDELETEDID is read).
inline void check_setid_max_deleted(const stream_id& id, const stream_id& max_deleted) {
    if (id < max_deleted) throw error(stream_errors::setid_below_max_deleted);
}

// ENTRIESREAD accepts -1 (unknown) or a non-negative count.
inline void check_entries_read(long long entries_read) {
    if (entries_read < 0 && entries_read != unknown_entries_read) throw error(stream_errors::entries_read_range);
}

// XAUTOCLAIM's COUNT range: 1 .. LONG_MAX / max(sizeof(streamID), attempts factor 10).
inline constexpr std::uint64_t autoclaim_max_count = static_cast<std::uint64_t>(LONG_MAX) / 16;
inline constexpr std::uint64_t autoclaim_attempts_factor = 10;

// Positional helpers: O(log n) on maps with nth/rank (bptree::map), walks otherwise.
template <class Map, class = void>
struct has_order_statistics : std::false_type {};
template <class Map>
struct has_order_statistics<Map, std::void_t<decltype(std::declval<const Map&>().nth(std::size_t{})),
                                             decltype(std::declval<const Map&>().rank(
                                                 std::declval<const typename Map::key_type&>()))>>
    : std::true_type {};

// The iterator to the element at position i (i <= size()).
template <class Map>
typename Map::iterator iterator_at(Map& m, std::size_t i) {
    if constexpr (has_order_statistics<Map>::value) {
        return m.nth(i);
    } else {
        return std::next(m.begin(), static_cast<typename Map::difference_type>(i));
    }
}

// The number of keys below `bound` among the elements from `first` (at position first_index) on.
// Walks only those elements on a map without rank.
template <class Map>
std::size_t count_below_from(const Map& m, typename Map::const_iterator first, std::size_t first_index,
                             const typename Map::key_type& bound) {
    if constexpr (has_order_statistics<Map>::value) {
        return m.rank(bound) - first_index;
    } else {
        std::size_t n = 0;
        for (; first != m.end() && first->first < bound; ++first) ++n;
        return n;
    }
}

}  // namespace detail

template <class Backend = stream_bptree_map<>>
class stream {
public:
    using backend_type = Backend;
    using record_type = detail::stream_record;
    using entry_map = typename Backend::template map_type<stream_id, record_type>;
    using const_iterator = typename entry_map::const_iterator;
    using size_type = std::size_t;

    stream() = default;
    explicit stream(const stream_config& config) : config_(config) {}

    const stream_config& config() const noexcept { return config_; }

    // ------------------------------------------------------------------ XADD
    // Appends an entry with the given field/value pairs and returns its ID; then trims when asked.
    // pairs: a random-access range of pair-like {name, value} (at least one pair). Throws (nothing
    // changed) when the ID is 0-0, not above last_id(), or cannot be chosen (last_id() is max()).
    // O(log n) plus the trim.
    template <class PairRange>
    stream_id add(const stream_add_id& id, const PairRange& pairs, const std::optional<stream_trim>& trim = std::nullopt) {
        return add_fields(id, detail::pair_fields<decltype(std::begin(pairs))>(std::begin(pairs), std::size(pairs)), trim);
    }
    stream_id add(const stream_add_id& id, std::initializer_list<std::pair<std::string_view, std::string_view>> pairs,
                  const std::optional<stream_trim>& trim = std::nullopt) {
        return add_fields(id, detail::pair_fields<decltype(pairs.begin())>(pairs.begin(), pairs.size()), trim);
    }
    // The same from strings alternating field, value (a command's arguments): [first, last) has an
    // even, non-zero length.
    template <class RandomIt>
    stream_id add_flat(const stream_add_id& id, RandomIt first, RandomIt last,
                       const std::optional<stream_trim>& trim = std::nullopt) {
        const auto n = static_cast<size_type>(std::distance(first, last));
        if (trim) validate_trim(*trim);
        if (n % 2 != 0) throw error(detail::stream_errors::no_fields);
        return add_fields(id, detail::flat_fields<RandomIt>(first, n / 2), trim);
    }

    // ------------------------------------------------------------------ XLEN and the counters
    size_type size() const noexcept { return entries_.size(); }
    bool empty() const noexcept { return entries_.empty(); }
    // last-generated-id: the greatest ID ever added (or set by XSETID).
    stream_id last_id() const noexcept { return last_id_; }
    // recorded-first-entry-id: the smallest entry ID, 0-0 when empty.
    stream_id first_id() const noexcept { return first_id_; }
    // max-deleted-entry-id: the greatest ID removed by XDEL (trimming does not change it).
    stream_id max_deleted_id() const noexcept { return max_deleted_; }
    // entries-added: every entry ever added, including deleted ones.
    std::uint64_t entries_added() const noexcept { return entries_added_; }

    // ------------------------------------------------------------------ iteration
    const_iterator begin() const noexcept { return entries_.begin(); }
    const_iterator end() const noexcept { return entries_.end(); }
    const_iterator find(const stream_id& id) const { return entries_.find(id); }
    const_iterator lower_bound(const stream_id& id) const { return entries_.lower_bound(id); }
    const_iterator upper_bound(const stream_id& id) const { return entries_.upper_bound(id); }
    bool contains(const stream_id& id) const { return entries_.find(id) != entries_.end(); }

    // ------------------------------------------------------------------ XRANGE / XREVRANGE
    // Calls f(const std::pair<const stream_id, stream_record>&) for the entries with IDs between
    // start and end (each inclusive or exclusive), oldest first or, with reverse, newest first;
    // at most count entries (0: no limit). Returns how many. Throws for an exclusive start at
    // max() or end at min(). O(log n + k).
    template <class F>
    size_type visit_range(const stream_bound& start, const stream_bound& end, size_type count, bool reverse, F&& f) const {
        const stream_id lo = detail::inclusive_start(start);
        const stream_id hi = detail::inclusive_end(end);
        size_type n = 0;
        if (hi < lo) return n;
        if (!reverse) {
            for (auto it = entries_.lower_bound(lo); it != entries_.end() && it->first <= hi; ++it) {
                f(*it);
                if (++n == count) break;
            }
        } else {
            for (auto it = entries_.upper_bound(hi); it != entries_.begin();) {
                --it;
                if (it->first < lo) break;
                f(*it);
                if (++n == count) break;
            }
        }
        return n;
    }
    // XRANGE: the entries between start and end, oldest first, at most count (0: no limit).
    std::vector<stream_entry> range(const stream_bound& start = stream_id::min(),
                                    const stream_bound& end = stream_id::max(), size_type count = 0) const {
        return collect(start, end, count, false);
    }
    // XREVRANGE: the same entries, newest first (start is still the lower bound).
    std::vector<stream_entry> reverse_range(const stream_bound& start = stream_id::min(),
                                            const stream_bound& end = stream_id::max(), size_type count = 0) const {
        return collect(start, end, count, true);
    }
    // XREAD on this stream: the entries after `after`, oldest first, at most count (0: no limit).
    std::vector<stream_entry> read_after(const stream_id& after, size_type count = 0) const {
        if (after == stream_id::max()) return {};  // nothing can follow it
        return collect(stream_bound::exclusive_of(after), stream_id::max(), count, false);
    }

    // ------------------------------------------------------------------ XDEL
    // Removes the entries with these IDs; returns how many existed. Updates max_deleted_id() and
    // first_id() as Redis does. O(log n) per ID.
    template <class IdRange>
    size_type erase(const IdRange& ids) {
        size_type deleted = 0;
        bool first_deleted = false;
        for (const stream_id& id : ids) {
            if (!erase_entry(id)) continue;
            ++deleted;
            if (id == first_id_) first_deleted = true;
            if (id > max_deleted_) max_deleted_ = id;
        }
        if (deleted != 0) {
            if (entries_.empty()) {
                first_id_ = stream_id{};
            } else if (first_deleted) {
                first_id_ = entries_.begin()->first;
            }
        }
        return deleted;
    }
    size_type erase(std::initializer_list<stream_id> ids) { return erase<std::initializer_list<stream_id>>(ids); }
    bool erase(const stream_id& id) { return erase(std::initializer_list<stream_id>{id}) == 1; }

    // ------------------------------------------------------------------ XTRIM
    // Trims as XTRIM does and returns the number of entries removed. '=' removes exactly down to
    // the threshold; '~' removes whole logical nodes only, stops at the first node it cannot remove
    // whole and never removes more than the limit (docs/stream.md, "Approximate trimming").
    // Trimming never changes max_deleted_id(). Throws for a limit without approximate.
    size_type trim(const stream_trim& t) {
        validate_trim(t);
        return trim_entries(t);
    }

    // ------------------------------------------------------------------ XSETID
    // Sets last_id() (and entries_added() / max_deleted_id() when given). Throws, in Redis's order,
    // when id < max_deleted, when the stream is not empty and id is below its last entry, or
    // entries_added is below size(). A zero max_deleted leaves max_deleted_id() unchanged.
    void set_last_id(const stream_id& id, std::optional<std::uint64_t> entries_added = std::nullopt,
                     std::optional<stream_id> max_deleted = std::nullopt) {
        if (max_deleted) detail::check_setid_max_deleted(id, *max_deleted);
        if (!entries_.empty()) {
            if (id < entries_.rbegin()->first) throw error(detail::stream_errors::setid_below_top);
            if (entries_added && size() > *entries_added) throw error(detail::stream_errors::setid_entries_added);
        }
        if (!nodes_.empty() && id < nodes_.rbegin()->second.last) close_tail_node();
        last_id_ = id;
        if (entries_added) entries_added_ = *entries_added;
        if (max_deleted && !max_deleted->is_zero()) max_deleted_ = *max_deleted;
    }

    // ------------------------------------------------------------------ XINFO STREAM
    stream_info info() const {
        stream_info r;
        fill_header(r);
        r.groups = groups_.size();
        if (!entries_.empty()) {
            r.first_entry = make_entry(*entries_.begin());
            r.last_entry = make_entry(*entries_.rbegin());
        }
        return r;
    }
    // XINFO STREAM FULL: entries, each group's PEL and each consumer's PEL limited to count
    // (0: no limit; Redis's default is 10).
    stream_full_info full_info(size_type count = 10) const {
        stream_full_info r;
        fill_header(r);
        for (auto it = entries_.begin(); it != entries_.end() && (count == 0 || r.entries.size() < count); ++it) {
            r.entries.push_back(make_entry(*it));
        }
        for (const auto& [name, g] : groups_) r.groups.push_back(full_group_info(name, g, count));
        return r;
    }

    // ------------------------------------------------------------------ XGROUP
    // XGROUP CREATE: a group whose last delivered ID is last_delivered. entries_read: -1 (unknown)
    // or the number of entries read so far. Throws BUSYGROUP when the name exists.
    void create_group(std::string_view name, const stream_id& last_delivered, long long entries_read = -1) {
        detail::check_entries_read(entries_read);
        if (groups_.find(name) != groups_.end()) throw error(detail::stream_errors::busygroup);
        groups_.emplace(std::string(name), group_type(last_delivered, entries_read));
    }
    // XGROUP SETID.
    void set_group_id(std::string_view name, const stream_id& last_delivered, long long entries_read = -1) {
        group_type& g = require_group(name);
        detail::check_entries_read(entries_read);
        g.last_delivered = last_delivered;
        g.entries_read = entries_read;
    }
    // XGROUP DESTROY: true when the group existed.
    bool destroy_group(std::string_view name) {
        const auto it = groups_.find(name);
        if (it == groups_.end()) return false;
        groups_.erase(it);
        return true;
    }
    // XGROUP CREATECONSUMER: true when the consumer was created (seen now).
    bool create_consumer(std::string_view group, std::string_view consumer, std::int64_t now_ms) {
        group_type& g = require_group(group);
        if (g.consumers.find(consumer) != g.consumers.end()) return false;
        g.consumers.emplace(std::string(consumer), consumer_type{}).first->second.seen_time = now_ms;
        return true;
    }
    // XGROUP DELCONSUMER: removes the consumer and its pending entries; returns how many it had.
    size_type delete_consumer(std::string_view group, std::string_view consumer) {
        group_type& g = require_group(group);
        const auto it = g.consumers.find(consumer);
        if (it == g.consumers.end()) return 0;
        const size_type pending = it->second.pending.size();
        for (const auto& p : it->second.pending) g.pending.erase(p.first);
        g.consumers.erase(it);
        return pending;
    }
    bool has_group(std::string_view name) const { return groups_.find(name) != groups_.end(); }
    size_type group_count() const noexcept { return groups_.size(); }

    // ------------------------------------------------------------------ XREADGROUP
    // XREADGROUP with ">": delivers the entries after the group's last delivered ID to consumer
    // (created if needed, seen now), at most count (0: no limit); each becomes pending for the
    // consumer unless noack. Advances the group's last delivered ID and read counter as Redis does.
    // With no new entry nothing changes (Redis does not even create the consumer).
    // When an allocation fails, the entries delivered before it stay delivered (and pending).
    std::vector<stream_entry> read_group(std::string_view group, std::string_view consumer, size_type count, bool noack,
                                         std::int64_t now_ms) {
        group_type& g = require_group(group);
        std::vector<stream_entry> out;
        if (entries_.empty() || entries_.rbegin()->first <= g.last_delivered) return out;  // nothing new
        recipient to(g, consumer, now_ms);
        for (auto it = entries_.upper_bound(g.last_delivered); it != entries_.end(); ++it) {
            out.push_back(make_entry(*it));
            if (noack) {
                to.consumer();  // Redis creates the consumer even when nothing becomes pending
            } else {
                to.give(it->first, detail::stream_delivery{now_ms, 1});
            }
            advance_read_counter(g, it->first);  // does not throw: the entry is complete
            if (out.size() == count) break;
        }
        return out;
    }
    // XREADGROUP with an ID: the consumer's own pending entries after `after`, at most count (0: no
    // limit); each one still in the stream counts as delivered again now. Entries deleted from the
    // stream come back with empty fields (and are not counted as delivered).
    std::vector<stream_entry> read_group_history(std::string_view group, std::string_view consumer,
                                                 const stream_id& after, size_type count, std::int64_t now_ms) {
        group_type& g = require_group(group);
        consumer_entry& c = *g.touch_consumer(consumer, now_ms).first;
        std::vector<stream_entry> out;
        stream_id start = after;
        if (!detail::increment_stream_id(start)) return out;
        for (auto pit = c.second.pending.lower_bound(start); pit != c.second.pending.end(); ++pit) {
            const auto it = entries_.find(pit->first);
            if (it == entries_.end()) {
                out.push_back(stream_entry{pit->first, {}});
            } else {
                out.push_back(make_entry(*it));
                pit->second.time = now_ms;
                ++pit->second.count;
            }
            if (out.size() == count) break;
        }
        return out;
    }

    // ------------------------------------------------------------------ XACK
    // Removes the IDs from the group's PEL; returns how many were pending. 0 without the group.
    template <class IdRange>
    size_type ack(std::string_view group, const IdRange& ids) {
        const auto git = groups_.find(group);
        if (git == groups_.end()) return 0;
        group_type& g = git->second;
        size_type acked = 0;
        for (const stream_id& id : ids) {
            const auto it = g.pending.find(id);
            if (it == g.pending.end()) continue;
            g.remove_pending(it);
            ++acked;
        }
        return acked;
    }
    size_type ack(std::string_view group, std::initializer_list<stream_id> ids) {
        return ack<std::initializer_list<stream_id>>(group, ids);
    }

    // ------------------------------------------------------------------ XPENDING
    // The summary form: count, smallest and largest pending ID, pending count per consumer.
    stream_pending_summary pending(std::string_view group) const {
        const group_type& g = require_group(group);
        stream_pending_summary s;
        s.count = g.pending.size();
        if (!g.pending.empty()) {
            s.first = g.pending.begin()->first;
            s.last = g.pending.rbegin()->first;
        }
        for (const auto& [name, c] : g.consumers) {
            if (!c.pending.empty()) s.consumers.emplace_back(name, c.pending.size());
        }
        return s;
    }
    // The extended form: pending entries between start and end (of consumer only, when given),
    // idle for at least min_idle_ms (0: any), at most count (0 gives none, as Redis's COUNT 0).
    std::vector<stream_pending_entry> pending(std::string_view group, const stream_bound& start,
                                              const stream_bound& end, size_type count, std::int64_t now_ms,
                                              std::int64_t min_idle_ms = 0,
                                              std::optional<std::string_view> consumer = std::nullopt) const {
        const stream_id lo = detail::inclusive_start(start);
        const stream_id hi = detail::inclusive_end(end);
        const group_type& g = require_group(group);
        std::vector<stream_pending_entry> out;
        auto emit = [&](const stream_id& id, const std::string& owner, const detail::stream_delivery& d) {
            if (min_idle_ms != 0 && now_ms - d.time < min_idle_ms) return;
            out.push_back(stream_pending_entry{id, owner, std::max<std::int64_t>(now_ms - d.time, 0), d.count});
        };
        if (consumer) {
            const auto cit = g.consumers.find(*consumer);
            if (cit == g.consumers.end()) return out;
            for (auto it = cit->second.pending.lower_bound(lo);
                 it != cit->second.pending.end() && it->first <= hi && out.size() < count; ++it) {
                emit(it->first, cit->first, it->second);
            }
        } else {
            for (auto it = g.pending.lower_bound(lo); it != g.pending.end() && it->first <= hi && out.size() < count;
                 ++it) {
                emit(it->first, it->second->first, group_type::delivery_of(it));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ XCLAIM
    // Gives the pending IDs that have been idle for at least min_idle_ms to consumer (created if
    // needed) and returns the claimed entries. IDs that are pending but no longer in the stream
    // are dropped from the PEL; with force, existing IDs that are not pending are claimed too.
    template <class IdRange>
    std::vector<stream_entry> claim(std::string_view group, std::string_view consumer, std::int64_t min_idle_ms,
                                    const IdRange& ids, const stream_claim_options& options, std::int64_t now_ms) {
        std::vector<stream_entry> out;
        for (const stream_id& id : claim_pending(group, consumer, min_idle_ms, ids, options, now_ms, false)) {
            out.push_back(make_entry(*entries_.find(id)));
        }
        return out;
    }
    // XCLAIM ... JUSTID: the same, returning IDs; delivery counts are not incremented.
    template <class IdRange>
    std::vector<stream_id> claim_ids(std::string_view group, std::string_view consumer, std::int64_t min_idle_ms,
                                     const IdRange& ids, const stream_claim_options& options, std::int64_t now_ms) {
        return claim_pending(group, consumer, min_idle_ms, ids, options, now_ms, true);
    }

    // ------------------------------------------------------------------ XAUTOCLAIM
    // Scans the group's PEL from start and claims up to count entries idle for at least
    // min_idle_ms (examining at most 10 * count); deleted entries found on the way leave the PEL and
    // count towards count. count: 1 .. LONG_MAX / 16 ("ERR COUNT must be > 0" otherwise).
    stream_autoclaim_result<stream_entry> autoclaim(std::string_view group, std::string_view consumer,
                                                    std::int64_t min_idle_ms, const stream_bound& start,
                                                    size_type count, std::int64_t now_ms) {
        auto ids = autoclaim_pending(group, consumer, min_idle_ms, start, count, now_ms, false);
        stream_autoclaim_result<stream_entry> r;
        r.next = ids.next;
        r.deleted = std::move(ids.deleted);
        for (const stream_id& id : ids.claimed) r.claimed.push_back(make_entry(*entries_.find(id)));
        return r;
    }
    // XAUTOCLAIM ... JUSTID: the same, returning IDs; delivery counts are not incremented.
    stream_autoclaim_result<stream_id> autoclaim_ids(std::string_view group, std::string_view consumer,
                                                     std::int64_t min_idle_ms, const stream_bound& start,
                                                     size_type count, std::int64_t now_ms) {
        return autoclaim_pending(group, consumer, min_idle_ms, start, count, now_ms, true);
    }

    // ------------------------------------------------------------------ XINFO GROUPS / CONSUMERS
    std::vector<stream_group_info> groups_info() const {
        std::vector<stream_group_info> out;
        for (const auto& [name, g] : groups_) {
            out.push_back(stream_group_info{name, g.consumers.size(), g.pending.size(), g.last_delivered,
                                            known_entries_read(g), lag(g)});
        }
        return out;
    }
    std::vector<stream_consumer_info> consumers_info(std::string_view group, std::int64_t now_ms) const {
        const group_type& g = require_group(group);
        std::vector<stream_consumer_info> out;
        for (const auto& [name, c] : g.consumers) {
            out.push_back(stream_consumer_info{name, c.pending.size(), std::max<std::int64_t>(now_ms - c.seen_time, 0)});
        }
        return out;
    }

    // ------------------------------------------------------------------ checks
    // Checks S1-S3, N1-N3, E1 and G1-G2; throws std::logic_error naming the broken invariant. O(n).
    void verify() const;

    // Equal entries, counters, logical nodes and groups (consumers, PELs, times).
    friend bool operator==(const stream& a, const stream& b) {
        return a.last_id_ == b.last_id_ && a.first_id_ == b.first_id_ && a.max_deleted_ == b.max_deleted_ &&
               a.entries_added_ == b.entries_added_ && a.tail_closed_ == b.tail_closed_ && a.entries_ == b.entries_ &&
               a.nodes_ == b.nodes_ && a.groups_ == b.groups_;
    }
    friend bool operator!=(const stream& a, const stream& b) { return !(a == b); }

private:
    using node_map = typename Backend::template map_type<stream_id, detail::stream_node>;
    using group_type = detail::stream_group<Backend>;
    using consumer_type = typename group_type::consumer;
    using consumer_entry = typename group_type::consumer_entry;
    using group_map = std::map<std::string, group_type, std::less<>>;
    using recipient = detail::stream_recipient<Backend>;

    // ---------------------------------------------------------------- adding
    template <class Fields>
    stream_id add_fields(const stream_add_id& spec, const Fields& fields, const std::optional<stream_trim>& trim) {
        if (trim) validate_trim(*trim);
        if (fields.size() == 0) throw error(detail::stream_errors::no_fields);
        if (spec.form == stream_add_id::kind::explicit_id && spec.id.is_zero()) throw error(detail::stream_errors::id_zero);
        if (last_id_ == stream_id::max()) throw error(detail::stream_errors::exhausted);
        const stream_id id = next_id(spec);
        if (detail::stream_fields_length(fields) > detail::listpack_max_bytes) throw error(detail::stream_errors::too_large);
        append(id, fields);
        if (trim) trim_entries(*trim);
        return id;
    }

    // The ID an add uses (streamAppendItem / streamNextID); throws when it is not above last_id_.
    stream_id next_id(const stream_add_id& spec) const {
        stream_id id = spec.id;
        switch (spec.form) {
            case stream_add_id::kind::explicit_id: break;
            case stream_add_id::kind::auto_sequence:
                // "ms-*": the next sequence of last_id_ when the time parts match, else ms-0.
                if (last_id_.ms == spec.id.ms) {
                    if (last_id_.seq == stream_id::max().seq) throw error(detail::stream_errors::id_too_small);
                    id.seq = last_id_.seq + 1;
                }
                break;
            case stream_add_id::kind::automatic: {
                const auto now = static_cast<std::uint64_t>(spec.now_ms);
                if (now > last_id_.ms) {
                    id = stream_id{now, 0};
                } else {
                    id = last_id_;
                    detail::increment_stream_id(id);  // cannot fail: last_id_ != max() was checked
                }
                break;
            }
        }
        if (id <= last_id_) throw error(detail::stream_errors::id_too_small);
        return id;
    }

    // Stores the entry in the newest logical node, or in a new one (stream_nodes.hpp's rules).
    template <class Fields>
    void append(const stream_id& id, const Fields& fields) {
        const bool fresh = nodes_.empty() || tail_closed_ ||
                           detail::stream_node_is_full(nodes_.rbegin()->second, detail::stream_fields_length(fields),
                                                       node_limits());
        std::optional<detail::stream_node> new_node;
        if (fresh) new_node.emplace(detail::make_stream_node(fields, id));
        const detail::stream_node& tail = fresh ? *new_node : nodes_.rbegin()->second;
        const bool same_fields = fresh || tail.master->same_as(fields);
        detail::stream_record record(fields, config_.share_field_names && same_fields ? tail.master : detail::field_names_ref{});

        const auto entry = entries_.emplace_hint(entries_.end(), id, std::move(record));
        if (fresh) {
            try {
                nodes_.emplace_hint(nodes_.end(), id, std::move(*new_node));
            } catch (...) {
                entries_.erase(entry);
                throw;
            }
        }
        const auto node = std::prev(nodes_.end());
        detail::stream_node_append(node->second, node->first, id, fields, same_fields);
        tail_closed_ = false;
        last_id_ = id;
        ++entries_added_;
        if (entries_.size() == 1) first_id_ = id;
    }

    // XSETID below the newest ID of the newest node (stream_nodes.hpp, "One deliberate
    // difference"): entries above the new last ID are all deleted, so the nodes without live
    // entries go, and the newest remaining node takes no more entries.
    void close_tail_node() {
        for (auto it = nodes_.begin(); it != nodes_.end();) {
            it = it->second.live == 0 ? nodes_.erase(it) : std::next(it);
        }
        tail_closed_ = !nodes_.empty();
    }

    detail::stream_node_limits node_limits() const noexcept {
        return detail::stream_node_limits{config_.node_max_bytes, config_.node_max_entries};
    }

    // ---------------------------------------------------------------- removing
    // Removes one entry (XDEL's streamDeleteItem): its node loses a live entry, or disappears with
    // its last one.
    bool erase_entry(const stream_id& id) {
        const auto it = entries_.find(id);
        if (it == entries_.end()) return false;
        entries_.erase(it);
        const auto node = std::prev(nodes_.upper_bound(id));
        if (node->second.live == 1) {
            nodes_.erase(node);
        } else {
            detail::stream_node_mark_deleted(node->second, 1);
        }
        return true;
    }

    static void validate_trim(const stream_trim& t) {
        if (t.limit && !t.approximate) throw error(detail::stream_errors::limit_without_tilde);
    }

    // Redis's streamTrim. The removed entries always form a prefix of the stream: whole nodes from
    // the front, then (exact trimming only) the first entries of the next node, which stays with
    // them marked deleted. Both prefixes are erased with one range erase each.
    size_type trim_entries(const stream_trim& t) {
        const bool by_length = t.by == stream_trim::strategy::maxlen;
        std::uint64_t limit = 0;
        if (t.approximate) {
            limit = t.limit ? *t.limit : config_.node_max_entries != 0 ? 100 * config_.node_max_entries : 10000;
        }
        std::uint64_t length = entries_.size();
        std::uint64_t removed = 0;  // entries of the whole nodes before `node`
        std::uint64_t partial = 0;  // entries removed from `node` itself
        auto node = nodes_.begin();
        for (; node != nodes_.end(); ++node) {
            if (by_length && length <= t.maxlen) break;
            const std::uint64_t live = node->second.live;
            if (limit != 0 && removed + live > limit) break;
            const bool whole = by_length ? length - live >= t.maxlen : node->second.last < t.minid;
            if (whole) {
                removed += live;
                length -= live;
                continue;
            }
            if (!t.approximate) {
                partial = by_length ? length - t.maxlen
                                    : detail::count_below_from(entries_, detail::iterator_at(entries_, removed),
                                                               removed, t.minid);
            }
            break;
        }
        if (partial != 0) detail::stream_node_mark_deleted(node->second, partial);
        nodes_.erase(nodes_.begin(), node);
        const std::uint64_t total = removed + partial;
        if (total == 0) return 0;
        entries_.erase(entries_.begin(), detail::iterator_at(entries_, total));
        first_id_ = entries_.empty() ? stream_id{} : entries_.begin()->first;
        return total;
    }

    // ---------------------------------------------------------------- groups
    group_type& require_group(std::string_view name) {
        const auto it = groups_.find(name);
        if (it == groups_.end()) throw error(detail::stream_errors::nogroup(name));
        return it->second;
    }
    const group_type& require_group(std::string_view name) const {
        const auto it = groups_.find(name);
        if (it == groups_.end()) throw error(detail::stream_errors::nogroup(name));
        return it->second;
    }

    // streamRangeHasTombstones: whether an XDEL'd ID may lie in [start, end].
    bool range_has_tombstones(const stream_id& start, const stream_id& end = stream_id::max()) const {
        if (entries_.empty() || max_deleted_.is_zero()) return false;
        if (first_id_ > max_deleted_) return false;
        return start <= max_deleted_ && max_deleted_ <= end;
    }

    // streamEstimateDistanceFromFirstEverEntry: the read counter of id, or -1 when unknown.
    long long estimate_distance(const stream_id& id) const {
        const auto added = static_cast<long long>(entries_added_);
        const auto length = static_cast<long long>(entries_.size());
        if (entries_added_ == 0) return 0;
        if (entries_.empty() && id <= last_id_) return added;
        if (id == last_id_) return added;
        if (id > last_id_) return detail::unknown_entries_read;
        if (max_deleted_.is_zero() || max_deleted_ < first_id_) {
            if (id < first_id_) return added - length;
            if (id == first_id_) return added - length + 1;
        }
        return detail::unknown_entries_read;
    }

    // streamReplyWithRange's group update for a delivered (new) entry id.
    void advance_read_counter(group_type& g, const stream_id& id) const {
        if (g.entries_read != detail::unknown_entries_read && !range_has_tombstones(id)) {
            ++g.entries_read;
        } else if (entries_added_ != 0) {
            g.entries_read = estimate_distance(id);
        }
        g.last_delivered = id;
    }

    // streamCGLag: entries added after the group's last delivered entry, when known.
    std::optional<long long> lag(const group_type& g) const {
        if (entries_added_ == 0) return 0;
        const auto added = static_cast<long long>(entries_added_);
        if (g.entries_read != detail::unknown_entries_read && !range_has_tombstones(g.last_delivered)) {
            return added - g.entries_read;
        }
        const long long read = estimate_distance(g.last_delivered);
        if (read == detail::unknown_entries_read) return std::nullopt;
        return added - read;
    }

    static std::optional<long long> known_entries_read(const group_type& g) {
        if (g.entries_read == detail::unknown_entries_read) return std::nullopt;
        return g.entries_read;
    }

    template <class IdRange>
    std::vector<stream_id> claim_pending(std::string_view group, std::string_view consumer, std::int64_t min_idle_ms,
                                         const IdRange& ids, const stream_claim_options& options, std::int64_t now_ms,
                                         bool justid) {
        group_type& g = require_group(group);
        if (options.last_id && *options.last_id > g.last_delivered) g.last_delivered = *options.last_id;
        std::int64_t delivery_time = now_ms;
        if (options.delivery_time && *options.delivery_time >= 0 && *options.delivery_time <= now_ms) {
            delivery_time = *options.delivery_time;
        }
        recipient to(g, consumer, now_ms);  // created at the first claim, as Redis does
        std::vector<stream_id> claimed;
        for (const stream_id& id : ids) {
            const auto pit = g.pending.find(id);
            if (entries_.find(id) == entries_.end()) {  // gone from the stream: drop it from the PEL
                if (pit != g.pending.end()) g.remove_pending(pit);
                continue;
            }
            detail::stream_delivery delivery{now_ms, 1};  // what FORCE creates: never idle-checked
            if (pit != g.pending.end()) {
                delivery = group_type::delivery_of(pit);
                if (min_idle_ms > 0 && now_ms - delivery.time < min_idle_ms) continue;
            } else if (!options.force) {
                continue;
            }
            delivery.time = delivery_time;
            if (options.retry_count) {
                delivery.count = *options.retry_count;
            } else if (!justid) {
                ++delivery.count;
            }
            claimed.push_back(id);
            to.give(id, delivery);
        }
        return claimed;
    }

    stream_autoclaim_result<stream_id> autoclaim_pending(std::string_view group, std::string_view consumer,
                                                         std::int64_t min_idle_ms, const stream_bound& start,
                                                         size_type count, std::int64_t now_ms, bool justid) {
        const stream_id from = detail::inclusive_start(start);
        if (count == 0 || count > detail::autoclaim_max_count) throw error(detail::stream_errors::autoclaim_count);
        group_type& g = require_group(group);
        stream_autoclaim_result<stream_id> r;
        recipient to(g, consumer, now_ms);  // created at the first claim, as Redis does
        std::uint64_t attempts = count * detail::autoclaim_attempts_factor;
        auto pit = g.pending.lower_bound(from);
        while (attempts > 0 && count > 0 && pit != g.pending.end()) {
            --attempts;
            const stream_id id = pit->first;
            if (entries_.find(id) == entries_.end()) {
                r.deleted.push_back(id);
                pit = g.remove_pending(pit);
                --count;
                continue;
            }
            detail::stream_delivery delivery = group_type::delivery_of(pit);
            if (min_idle_ms > 0 && now_ms - delivery.time < min_idle_ms) {
                ++pit;
                continue;
            }
            delivery.time = now_ms;
            if (!justid) ++delivery.count;
            r.claimed.push_back(id);
            to.give(id, delivery);  // id is pending already: pit stays valid
            --count;
            ++pit;
        }
        r.next = pit == g.pending.end() ? stream_id{} : pit->first;
        return r;
    }

    // ---------------------------------------------------------------- reading out
    static stream_entry make_entry(const typename entry_map::value_type& e) {
        stream_entry out{e.first, {}};
        out.fields.reserve(e.second.size());
        for (const auto& [name, value] : e.second) out.fields.emplace_back(std::string(name), std::string(value));
        return out;
    }

    std::vector<stream_entry> collect(const stream_bound& start, const stream_bound& end, size_type count, bool reverse) const {
        std::vector<stream_entry> out;
        visit_range(start, end, count, reverse, [&](const typename entry_map::value_type& e) { out.push_back(make_entry(e)); });
        return out;
    }

    template <class Info>
    void fill_header(Info& r) const {
        r.length = entries_.size();
        r.radix_tree_keys = nodes_.size();
        r.radix_tree_nodes = radix_tree_nodes();
        r.last_generated_id = last_id_;
        r.max_deleted_entry_id = max_deleted_;
        r.entries_added = entries_added_;
        r.recorded_first_entry_id = first_id_;
    }

    size_type radix_tree_nodes() const {
        std::vector<detail::radix_node_counter::key> keys;
        keys.reserve(nodes_.size());
        for (const auto& n : nodes_) keys.push_back(detail::radix_node_counter::encode(n.first));
        return detail::radix_node_counter::count(keys);
    }

    stream_full_info::group full_group_info(const std::string& name, const group_type& g, size_type count) const {
        stream_full_info::group r;
        r.name = name;
        r.last_delivered_id = g.last_delivered;
        r.entries_read = known_entries_read(g);
        r.lag = lag(g);
        r.pel_count = g.pending.size();
        for (auto it = g.pending.begin(); it != g.pending.end() && (count == 0 || r.pending.size() < count); ++it) {
            const detail::stream_delivery& d = group_type::delivery_of(it);
            r.pending.push_back(stream_full_info::group_pending{it->first, it->second->first, d.time, d.count});
        }
        for (const auto& [cname, c] : g.consumers) {
            stream_full_info::consumer fc{cname, c.seen_time, c.pending.size(), {}};
            for (auto it = c.pending.begin(); it != c.pending.end() && (count == 0 || fc.pending.size() < count); ++it) {
                fc.pending.push_back(stream_full_info::consumer_pending{it->first, it->second.time, it->second.count});
            }
            r.consumers.push_back(std::move(fc));
        }
        return r;
    }

    stream_config config_{};
    entry_map entries_;
    node_map nodes_;
    group_map groups_;
    stream_id last_id_{};
    stream_id first_id_{};
    stream_id max_deleted_{};
    std::uint64_t entries_added_ = 0;
    bool tail_closed_ = false;  // the last node takes no more entries (close_tail_node)
};

template <class Backend>
void stream<Backend>::verify() const {
    auto fail = [](const std::string& what) { throw std::logic_error("bptree::stream::verify: " + what); };
    // N1-N3: walk the nodes and the entries together; a node owns the entries below the next key.
    auto entry = entries_.begin();
    std::uint64_t live_total = 0;
    for (auto node = nodes_.begin(); node != nodes_.end(); ++node) {
        const auto next = std::next(node);
        if (node->second.last < node->first) fail("N1 node order");
        if (node->second.live + node->second.deleted == 0) fail("N3 empty node");
        if (!node->second.master) fail("N1 node without master entry");
        if (entry != entries_.end() && entry->first < node->first) fail("N1 entry below its node");
        std::uint64_t live = 0;
        for (; entry != entries_.end() && (next == nodes_.end() || entry->first < next->first); ++entry) {
            if (node->second.last < entry->first) fail("N1 entry above its node");
            if (entry->second.shares_names() && entry->second.size() != node->second.master->size()) {
                fail("E1 shared names");
            }
            ++live;
        }
        if (live != node->second.live) fail("N3 live count");
        live_total += live;
    }
    if (entry != entries_.end()) fail("N1 entry after the last node");
    if (tail_closed_ && nodes_.empty()) fail("N2 closed tail without nodes");
    if (live_total != entries_.size() || entries_added_ < entries_.size()) fail("S1 length");
    if (first_id_ != (entries_.empty() ? stream_id{} : entries_.begin()->first)) fail("S2 first id");
    if (!entries_.empty() && last_id_ < entries_.rbegin()->first) fail("S3 last id");
    for (const auto& [name, g] : groups_) {
        if (g.entries_read < detail::unknown_entries_read) fail("G2 entries_read of " + name);
        std::size_t consumer_pending = 0;
        for (const auto& c : g.consumers) {
            consumer_pending += c.second.pending.size();
            for (const auto& p : c.second.pending) {
                const auto it = g.pending.find(p.first);
                if (it == g.pending.end() || it->second != &c) fail("G1 PELs of group " + name);
            }
        }
        if (consumer_pending != g.pending.size()) fail("G1 PEL sizes of group " + name);
    }
}

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_STREAM_HPP
