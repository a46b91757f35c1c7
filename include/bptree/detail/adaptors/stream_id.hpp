// File: bptree/detail/adaptors/stream_id.hpp
// Layer: adaptor internals (stream). bptree::stream_id, the ID of a stream entry, with its order,
// its "ms-seq" text form and the successor/predecessor steps Redis uses to turn exclusive bounds
// into inclusive ones. Parsing text into IDs belongs to the command layer
// (detail/redis/stream_args.hpp), which applies Redis's exact rules.
// Includes: standard headers only.
#ifndef BPTREE_DETAIL_ADAPTORS_STREAM_ID_HPP
#define BPTREE_DETAIL_ADAPTORS_STREAM_ID_HPP

#include <cstdint>
#include <limits>
#include <string>

#if __cplusplus >= 202002L
#include <compare>

#include "bptree/detail/config.hpp"
#endif

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// The ID of a stream entry: milliseconds and a sequence number, ordered by (ms, seq) as Redis
// orders them (a 128-bit big-endian number). 0-0 is never the ID of an entry.
struct stream_id {
    std::uint64_t ms = 0;
    std::uint64_t seq = 0;

    static constexpr stream_id min() noexcept { return {0, 0}; }
    static constexpr stream_id max() noexcept {
        return {std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::uint64_t>::max()};
    }

    constexpr bool is_zero() const noexcept { return ms == 0 && seq == 0; }

    // "ms-seq", as Redis writes IDs in replies.
    std::string to_string() const { return std::to_string(ms) + '-' + std::to_string(seq); }

#if __cplusplus >= 202002L
    friend constexpr auto operator<=>(const stream_id&, const stream_id&) = default;
#else
    friend constexpr bool operator==(const stream_id& a, const stream_id& b) noexcept {
        return a.ms == b.ms && a.seq == b.seq;
    }
    friend constexpr bool operator!=(const stream_id& a, const stream_id& b) noexcept { return !(a == b); }
    friend constexpr bool operator<(const stream_id& a, const stream_id& b) noexcept {
        return a.ms < b.ms || (a.ms == b.ms && a.seq < b.seq);
    }
    friend constexpr bool operator>(const stream_id& a, const stream_id& b) noexcept { return b < a; }
    friend constexpr bool operator<=(const stream_id& a, const stream_id& b) noexcept { return !(b < a); }
    friend constexpr bool operator>=(const stream_id& a, const stream_id& b) noexcept { return !(a < b); }
#endif
};

namespace detail {

// Redis's streamIncrID: the next ID. Returns false (and leaves id unchanged) for max().
constexpr bool increment_stream_id(stream_id& id) noexcept {
    if (id.seq != std::numeric_limits<std::uint64_t>::max()) {
        ++id.seq;
    } else if (id.ms != std::numeric_limits<std::uint64_t>::max()) {
        ++id.ms;
        id.seq = 0;
    } else {
        return false;
    }
    return true;
}

// Redis's streamDecrID: the previous ID. Returns false (and leaves id unchanged) for min().
constexpr bool decrement_stream_id(stream_id& id) noexcept {
    if (id.seq != 0) {
        --id.seq;
    } else if (id.ms != 0) {
        --id.ms;
        id.seq = std::numeric_limits<std::uint64_t>::max();
    } else {
        return false;
    }
    return true;
}

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_STREAM_ID_HPP
