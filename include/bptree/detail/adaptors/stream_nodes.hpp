// File: bptree/detail/adaptors/stream_nodes.hpp
// Layer: adaptor internals (stream). The logical nodes of a stream: the groups of consecutive
// entries that Redis 7.0 stores in one listpack under one radix-tree key.
// Includes: standard headers and stream_entry.hpp / stream_id.hpp.
//
// Why: Redis's approximate trimming ("MAXLEN ~", "MINID ~") removes whole listpacks only, XINFO
// STREAM reports how many there are (radix-tree-keys, radix-tree-nodes), and the master entry of
// each listpack decides which entries share their field names. The stream keeps, next to its
// entries, one small record per logical node that follows exactly the rules Redis applies to its
// listpacks, so '~' trims the same entries as Redis on both backends (std::map or bptree::map),
// whatever the backend's own node size.
//
// The rules (t_stream.c, streamAppendItem / streamTrim / streamIteratorRemoveEntry):
//  - An entry is appended to the newest node unless that node's listpack would reach
//    node_max_bytes (bytes + the entry's raw field and value lengths >= the limit; 0 means 1 GiB)
//    or already holds node_max_entries entries, live or deleted (0 means no limit). Otherwise a
//    new node starts, keyed by the entry's ID, whose master entry holds the entry's field names.
//  - Deleting an entry marks it deleted in its node; the node disappears when its last live
//    entry is deleted by XDEL, or when trimming removes it whole. Trimming that ends inside a
//    node marks entries deleted there (the node may then have no live entry left).
//  - bytes follows lpBytes() of the listpack exactly, using listpack's encoding sizes, so the
//    byte limit splits nodes where Redis splits them.
//  - One deliberate difference: XSETID may set the last ID below the newest entry of the newest
//    node (that entry and everything above the new last ID must be deleted ones). Redis then
//    keeps appending to that listpack out of ID order, and its later trimming of the node
//    depends on that disorder. Here the stream closes the node instead (the next entry starts a
//    new node) and drops the nodes left without live entries, so that every node stays one
//    sorted run. Entries, counters and replies other than XINFO's radix-tree figures and later
//    '~' trims are unaffected (docs/stream.md, "Logical nodes").
//
// Invariants (checked by stream::verify()):
//  N1 nodes are keyed by their first entry's ID and key <= last; the node of an entry is the one
//     with the greatest key <= the entry's ID (so a node's live entries are below the next key).
//  N2 entries are appended only to the last node in key order, unless it is closed.
//  N3 live equals the number of entries whose node it is; live + deleted >= 1.
#ifndef BPTREE_DETAIL_ADAPTORS_STREAM_NODES_HPP
#define BPTREE_DETAIL_ADAPTORS_STREAM_NODES_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "bptree/detail/adaptors/stream_entry.hpp"
#include "bptree/detail/adaptors/stream_id.hpp"
#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

// ------------------------------------------------------------------------ listpack sizes
// Encoded sizes from Redis 7.0's listpack.c. An element is its encoding (type and data) followed
// by a back-length of 1..5 bytes.
inline constexpr std::size_t listpack_header_bytes = 6;  // total bytes (4) + element count (2)
inline constexpr std::size_t listpack_end_bytes = 1;     // the 0xFF terminator
inline constexpr std::size_t listpack_max_bytes = std::size_t{1} << 30;  // STREAM_LISTPACK_MAX_SIZE

// lpEncodeBacklen: bytes needed to store the length of an element's encoding.
constexpr std::size_t listpack_backlen_bytes(std::size_t encoded) noexcept {
    if (encoded <= 127) return 1;
    if (encoded < 16383) return 2;
    if (encoded < 2097151) return 3;
    if (encoded < 268435455) return 4;
    return 5;
}

// An integer element: 7-bit, 13-bit, 16-bit, 24-bit, 32-bit or 64-bit encoding.
constexpr std::size_t listpack_integer_bytes(long long v) noexcept {
    std::size_t enc = 9;
    if (v >= 0 && v <= 127) {
        enc = 1;
    } else if (v >= -4096 && v <= 4095) {
        enc = 2;
    } else if (v >= -32768 && v <= 32767) {
        enc = 3;
    } else if (v >= -8388608 && v <= 8388607) {
        enc = 4;
    } else if (v >= -2147483648LL && v <= 2147483647LL) {
        enc = 5;
    }
    return enc + listpack_backlen_bytes(enc);
}

// listpack's lpStringToInt64 (the same grammar as Redis's string2ll): an optional '-', then "0"
// alone or a digit 1-9 followed by digits, within long long and at most 20 characters.
inline bool listpack_string_to_integer(std::string_view s, long long& out) noexcept {
    if (s.empty() || s.size() > 20) return false;
    if (s == "0") {
        out = 0;
        return true;
    }
    std::size_t i = 0;
    const bool negative = s[0] == '-';
    if (negative && ++i == s.size()) return false;
    if (s[i] < '1' || s[i] > '9') return false;
    unsigned long long v = 0;
    constexpr unsigned long long limit = static_cast<unsigned long long>(std::numeric_limits<long long>::max());
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        const unsigned long long d = static_cast<unsigned long long>(s[i] - '0');
        if (v > (limit + 1 - d) / 10) return false;  // v * 10 + d would exceed 2^63
        v = v * 10 + d;
    }
    if (negative) {
        out = v == limit + 1 ? std::numeric_limits<long long>::min() : -static_cast<long long>(v);
        return true;
    }
    if (v > limit) return false;
    out = static_cast<long long>(v);
    return true;
}

// A string element: integer-encoded when it reads as one, else 6-bit, 12-bit or 32-bit length.
inline std::size_t listpack_string_bytes(std::string_view s) noexcept {
    long long v = 0;
    if (listpack_string_to_integer(s, v)) return listpack_integer_bytes(v);
    const std::size_t enc = s.size() < 64 ? 1 + s.size() : s.size() < 4096 ? 2 + s.size() : 5 + s.size();
    return enc + listpack_backlen_bytes(enc);
}

// ------------------------------------------------------------------------ one logical node

// Redis's entry flags: the entry repeats the master entry's field names.
inline constexpr long long stream_flag_samefields = 2;

struct stream_node {
    std::uint64_t live = 0;     // the master entry's "count": entries not deleted
    std::uint64_t deleted = 0;  // the master entry's "deleted": entries marked deleted
    stream_id last{};           // the newest entry appended to the node (live or deleted)
    std::size_t bytes = 0;      // lpBytes() of the node's listpack
    field_names_ref master;     // the master entry's field names

    friend bool operator==(const stream_node& a, const stream_node& b) {
        if (a.live != b.live || a.deleted != b.deleted || a.last != b.last || a.bytes != b.bytes) return false;
        if (a.master->size() != b.master->size()) return false;
        for (std::size_t i = 0; i < a.master->size(); ++i) {
            if ((*a.master)[i] != (*b.master)[i]) return false;
        }
        return true;
    }
    friend bool operator!=(const stream_node& a, const stream_node& b) { return !(a == b); }
};

// The limits a stream splits its nodes by (Redis's stream-node-max-bytes/-entries).
struct stream_node_limits {
    std::size_t max_bytes = 4096;
    std::size_t max_entries = 100;
};

// Sum of the raw field and value lengths (Redis's totelelen).
template <class Fields>
std::size_t stream_fields_length(const Fields& fields) noexcept {
    std::size_t total = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) total += fields.name(i).size() + fields.value(i).size();
    return total;
}

// True when an entry of raw length `length` must start a new node after `tail`.
inline bool stream_node_is_full(const stream_node& tail, std::size_t length, const stream_node_limits& limits) noexcept {
    const std::size_t max_bytes =
        limits.max_bytes == 0 || limits.max_bytes > listpack_max_bytes ? listpack_max_bytes : limits.max_bytes;
    if (tail.bytes + length >= max_bytes) return true;
    return limits.max_entries != 0 && tail.live + tail.deleted >= limits.max_entries;
}

// A node whose master entry holds fields' names, before its first entry is appended.
template <class Fields>
stream_node make_stream_node(const Fields& fields, const stream_id& first) {
    stream_node node;
    node.last = first;
    node.master = field_names_ref::make(fields);
    node.bytes = listpack_header_bytes + listpack_end_bytes + listpack_integer_bytes(0)  // count
                 + listpack_integer_bytes(0)                                            // deleted
                 + listpack_integer_bytes(static_cast<long long>(fields.size()))        // num-fields
                 + listpack_integer_bytes(0);                                           // terminator
    for (std::size_t i = 0; i < fields.size(); ++i) node.bytes += listpack_string_bytes(fields.name(i));
    return node;
}

// Replaces an integer element: the listpack grows or shrinks by the difference of the encodings.
inline void replace_listpack_integer(std::size_t& bytes, std::uint64_t old_value, std::uint64_t new_value) noexcept {
    bytes = bytes - listpack_integer_bytes(static_cast<long long>(old_value)) +
            listpack_integer_bytes(static_cast<long long>(new_value));
}

// Accounts for appending the entry `id` with `fields` to node (keyed by master_id).
template <class Fields>
void stream_node_append(stream_node& node, const stream_id& master_id, const stream_id& id, const Fields& fields,
                        bool same_fields) noexcept {
    replace_listpack_integer(node.bytes, node.live, node.live + 1);
    ++node.live;
    node.last = id;
    const std::size_t pairs = fields.size();
    // flags, ms-diff and seq-diff (differences from the master ID, as int64 like Redis).
    node.bytes += listpack_integer_bytes(same_fields ? stream_flag_samefields : 0) +
                  listpack_integer_bytes(static_cast<long long>(id.ms - master_id.ms)) +
                  listpack_integer_bytes(static_cast<long long>(id.seq - master_id.seq));
    if (!same_fields) node.bytes += listpack_integer_bytes(static_cast<long long>(pairs));
    for (std::size_t i = 0; i < pairs; ++i) {
        if (!same_fields) node.bytes += listpack_string_bytes(fields.name(i));
        node.bytes += listpack_string_bytes(fields.value(i));
    }
    // lp-count: the number of elements of the entry before it.
    const std::size_t lp_count = same_fields ? pairs + 3 : 2 * pairs + 4;
    node.bytes += listpack_integer_bytes(static_cast<long long>(lp_count));
}

// Accounts for marking n live entries of node deleted (their flags keep their one-byte size).
inline void stream_node_mark_deleted(stream_node& node, std::uint64_t n) noexcept {
    replace_listpack_integer(node.bytes, node.live, node.live - n);
    replace_listpack_integer(node.bytes, node.deleted, node.deleted + n);
    node.live -= n;
    node.deleted += n;
}

// ------------------------------------------------------------------------ radix-tree-nodes

// The number of nodes of the radix tree (rax) that holds the given node keys, as XINFO STREAM's
// radix-tree-nodes reports it. Keys are 16-byte big-endian IDs; rax keeps a canonical compressed
// trie: a chain without branches is one node, a branch is one node, each key ends in a leaf node,
// and an empty tree has its root only. keys must be sorted. O(k * 16).
class radix_node_counter {
public:
    using key = std::array<unsigned char, 16>;

    static key encode(const stream_id& id) noexcept {
        key k{};
        for (int i = 0; i < 8; ++i) {
            k[static_cast<std::size_t>(i)] = static_cast<unsigned char>(id.ms >> (56 - 8 * i));
            k[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(id.seq >> (56 - 8 * i));
        }
        return k;
    }

    static std::size_t count(const std::vector<key>& sorted_keys) {
        if (sorted_keys.empty()) return 1;
        return subtree(sorted_keys, 0, sorted_keys.size(), 0);
    }

private:
    // Nodes of the subtree whose keys are [first, last) of keys, all equal before depth.
    static std::size_t subtree(const std::vector<key>& keys, std::size_t first, std::size_t last, std::size_t depth) {
        if (last - first == 1) return depth == 16 ? 1 : 2;  // compressed tail + leaf, or leaf
        std::size_t common = depth;
        while (keys[first][common] == keys[last - 1][common]) ++common;  // sorted: first/last bound the range
        return (common > depth ? 1 : 0) + branch(keys, first, last, common);
    }

    // A branching node at depth plus its children.
    static std::size_t branch(const std::vector<key>& keys, std::size_t first, std::size_t last, std::size_t depth) {
        std::size_t nodes = 1;
        while (first < last) {
            std::size_t group_end = first + 1;
            while (group_end < last && keys[group_end][depth] == keys[first][depth]) ++group_end;
            nodes += subtree(keys, first, group_end, depth + 1);
            first = group_end;
        }
        return nodes;
    }
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_STREAM_NODES_HPP
