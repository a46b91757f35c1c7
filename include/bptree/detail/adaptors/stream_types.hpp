// File: bptree/detail/adaptors/stream_types.hpp
// Layer: adaptor internals (stream). The public argument and result types of bptree::stream:
// backends, configuration, the XADD ID forms, trimming, range bounds, claim options, entries and
// the XINFO / XPENDING / XAUTOCLAIM results. Declared in namespace bptree; include
// <bptree/stream.hpp> to use them.
// Includes: public headers (map.hpp) and stream_id.hpp.
#ifndef BPTREE_DETAIL_ADAPTORS_STREAM_TYPES_HPP
#define BPTREE_DETAIL_ADAPTORS_STREAM_TYPES_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bptree/detail/adaptors/stream_id.hpp"
#include "bptree/detail/config.hpp"
#include "bptree/map.hpp"
#include "bptree/traits.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// ---------------------------------------------------------------------------- backends
// The ordered map a stream keeps its entries, its node index and its pending-entry lists in.
// A backend is any type with a member alias template map_type<Key, T> naming a std::map-like map.

// std::map (red-black tree): the design's original default, kept as the benchmarks' peer.
struct stream_std_map {
    template <class Key, class T>
    using map_type = std::map<Key, T>;
};

// bptree::map (B+ tree), the default: O(log n) rank and nth make trimming and positional cuts
// cheaper, and the benchmarks measure it faster on every stream operation (docs/stream.md).
template <class Traits = default_traits>
struct stream_bptree_map {
    template <class Key, class T>
    using map_type = bptree::map<Key, T, std::less<Key>, std::allocator<std::pair<const Key, T>>, Traits>;
};

// ---------------------------------------------------------------------------- configuration

// Per-stream settings, mirroring Redis's stream-node-max-bytes and stream-node-max-entries (the
// size of the logical nodes that '~' trimming removes whole; see docs/stream.md) and whether
// entries share the field names of their node's first entry (Redis's master entry).
struct stream_config {
    std::size_t node_max_bytes = 4096;   // 0: no byte limit (1 GiB, as Redis)
    std::size_t node_max_entries = 100;  // 0: no entry limit
    bool share_field_names = true;
};

// ---------------------------------------------------------------------------- XADD's ID

// The ID argument of XADD: an explicit "ms-seq", "ms-*" (the sequence is chosen), or "*" (both
// are chosen from the caller's clock reading now_ms, milliseconds since the Unix epoch).
struct stream_add_id {
    enum class kind { explicit_id, auto_sequence, automatic };

    kind form = kind::explicit_id;
    stream_id id{};         // explicit_id: the ID; auto_sequence: id.ms is the time part
    std::int64_t now_ms = 0;  // automatic: the clock reading

    stream_add_id() = default;
    stream_add_id(const stream_id& explicit_id) : id(explicit_id) {}  // NOLINT: implicit on purpose
    static stream_add_id auto_sequence(std::uint64_t ms) {
        stream_add_id a;
        a.form = kind::auto_sequence;
        a.id = {ms, 0};
        return a;
    }
    static stream_add_id automatic(std::int64_t now_ms) {
        stream_add_id a;
        a.form = kind::automatic;
        a.now_ms = now_ms;
        return a;
    }
};

// ---------------------------------------------------------------------------- trimming

// XTRIM / XADD's trimming: MAXLEN (keep at most maxlen entries) or MINID (drop entries below
// minid), exact ('=') or approximate ('~': whole logical nodes only, at most `limit` entries).
// limit is only allowed with approximate; 0 means no limit; without it '~' uses Redis's default,
// 100 * node_max_entries (10000 when node_max_entries is 0).
struct stream_trim {
    enum class strategy { maxlen, minid };

    strategy by = strategy::maxlen;
    bool approximate = false;
    std::uint64_t maxlen = 0;
    stream_id minid{};
    std::optional<std::uint64_t> limit;

    static stream_trim max_length(std::uint64_t n, bool approximate = false,
                                  std::optional<std::uint64_t> limit = std::nullopt) {
        stream_trim t = by_strategy(strategy::maxlen, approximate, limit);
        t.maxlen = n;
        return t;
    }
    static stream_trim min_id(const stream_id& id, bool approximate = false,
                              std::optional<std::uint64_t> limit = std::nullopt) {
        stream_trim t = by_strategy(strategy::minid, approximate, limit);
        t.minid = id;
        return t;
    }

private:
    static stream_trim by_strategy(strategy by, bool approximate, std::optional<std::uint64_t> limit) {
        stream_trim t;
        t.by = by;
        t.approximate = approximate;
        t.limit = limit;
        return t;
    }
};

// ---------------------------------------------------------------------------- range bounds

// One end of an ID interval: inclusive (XRANGE's "5-1") or exclusive ("(5-1"). A stream_id
// converts to an inclusive bound.
struct stream_bound {
    stream_id id{};
    bool exclusive = false;

    stream_bound() = default;
    stream_bound(const stream_id& i) : id(i) {}  // NOLINT: implicit on purpose
    stream_bound(const stream_id& i, bool excl) : id(i), exclusive(excl) {}
    static stream_bound inclusive(const stream_id& i) { return {i, false}; }
    static stream_bound exclusive_of(const stream_id& i) { return {i, true}; }
};

// ---------------------------------------------------------------------------- entries

// An entry copied out of the stream. fields is empty for an entry that a consumer's history
// still lists but that was deleted from the stream (Redis replies nil for its fields).
struct stream_entry {
    stream_id id{};
    std::vector<std::pair<std::string, std::string>> fields;

    friend bool operator==(const stream_entry& a, const stream_entry& b) { return a.id == b.id && a.fields == b.fields; }
    friend bool operator!=(const stream_entry& a, const stream_entry& b) { return !(a == b); }
};

// ---------------------------------------------------------------------------- consumer groups

// XCLAIM's options. delivery_time: the new last-delivery time (TIME, or now - IDLE); a negative
// or future value means now, as in Redis. retry_count: the new delivery count (RETRYCOUNT);
// without it the count is incremented (unless JUSTID). force: claim IDs that are not pending but
// exist in the stream. last_id: raise the group's last-delivered ID to at least this (LASTID).
struct stream_claim_options {
    std::optional<std::int64_t> delivery_time;
    std::optional<std::uint64_t> retry_count;
    bool force = false;
    std::optional<stream_id> last_id;
};

// XAUTOCLAIM's result: the cursor for the next call (0-0 when the scan reached the end), the
// claimed entries (Claimed = stream_entry) or IDs (Claimed = stream_id, JUSTID), and the IDs that
// were pending but no longer exist in the stream (removed from the PEL).
template <class Claimed>
struct stream_autoclaim_result {
    stream_id next{};
    std::vector<Claimed> claimed;
    std::vector<stream_id> deleted;
};

// XPENDING's summary form.
struct stream_pending_summary {
    std::size_t count = 0;
    std::optional<stream_id> first;  // smallest pending ID
    std::optional<stream_id> last;   // largest pending ID
    std::vector<std::pair<std::string, std::size_t>> consumers;  // consumers with pending entries, by name
};

// One line of XPENDING's extended form.
struct stream_pending_entry {
    stream_id id{};
    std::string consumer;
    std::int64_t idle = 0;  // ms since the last delivery (never negative)
    std::uint64_t delivery_count = 0;
};

// One group of XINFO GROUPS. entries_read / lag are absent where Redis replies nil.
struct stream_group_info {
    std::string name;
    std::size_t consumers = 0;
    std::size_t pending = 0;
    stream_id last_delivered_id{};
    std::optional<long long> entries_read;
    std::optional<long long> lag;
};

// One consumer of XINFO CONSUMERS.
struct stream_consumer_info {
    std::string name;
    std::size_t pending = 0;
    std::int64_t idle = 0;  // ms since the consumer was last seen (never negative)
};

// XINFO STREAM. radix_tree_keys / radix_tree_nodes describe the logical nodes as Redis's radix
// tree of listpacks would hold them.
struct stream_info {
    std::uint64_t length = 0;
    std::size_t radix_tree_keys = 0;
    std::size_t radix_tree_nodes = 0;
    stream_id last_generated_id{};
    stream_id max_deleted_entry_id{};
    std::uint64_t entries_added = 0;
    stream_id recorded_first_entry_id{};
    std::size_t groups = 0;
    std::optional<stream_entry> first_entry;
    std::optional<stream_entry> last_entry;
};

// XINFO STREAM FULL.
struct stream_full_info {
    struct group_pending {
        stream_id id{};
        std::string consumer;
        std::int64_t delivery_time = 0;
        std::uint64_t delivery_count = 0;
    };
    struct consumer_pending {
        stream_id id{};
        std::int64_t delivery_time = 0;
        std::uint64_t delivery_count = 0;
    };
    struct consumer {
        std::string name;
        std::int64_t seen_time = 0;
        std::size_t pel_count = 0;
        std::vector<consumer_pending> pending;  // at most COUNT
    };
    struct group {
        std::string name;
        stream_id last_delivered_id{};
        std::optional<long long> entries_read;
        std::optional<long long> lag;
        std::size_t pel_count = 0;
        std::vector<group_pending> pending;  // at most COUNT
        std::vector<consumer> consumers;
    };

    std::uint64_t length = 0;
    std::size_t radix_tree_keys = 0;
    std::size_t radix_tree_nodes = 0;
    stream_id last_generated_id{};
    stream_id max_deleted_entry_id{};
    std::uint64_t entries_added = 0;
    stream_id recorded_first_entry_id{};
    std::vector<stream_entry> entries;  // at most COUNT
    std::vector<group> groups;
};

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_STREAM_TYPES_HPP
