// File: bptree/detail/adaptors/stream_groups.hpp
// Layer: adaptor internals (stream). Consumer groups, consumers and pending-entry lists (PELs).
// Includes: standard headers and stream_id.hpp.
//
// Layout (Redis keeps one NACK shared by the group PEL and the consumer PEL; here the two maps
// split it, so nothing is stored twice):
//
//   stream_group    { last_delivered, entries_read,
//                     pending:   OrderedMap<stream_id, consumer_entry*>   the group PEL: owner
//                     consumers: std::map<name, stream_consumer> }        by name, byte order
//   stream_consumer { seen_time,
//                     pending:   OrderedMap<stream_id, stream_delivery> } the consumer PEL
//   stream_delivery { time, count }                                       last delivery, deliveries
//
// Consumers live in a std::map because the group PEL points at them (node-based: stable
// addresses); both PELs use the stream's backend map. Copying a group re-points its PEL at the
// copied consumers.
//
// Invariants (checked by stream::verify()):
//  G1 an ID is in the group PEL with owner c exactly when it is in c's PEL.
//  G2 entries_read is -1 (unknown) or >= 0.
#ifndef BPTREE_DETAIL_ADAPTORS_STREAM_GROUPS_HPP
#define BPTREE_DETAIL_ADAPTORS_STREAM_GROUPS_HPP

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "bptree/detail/adaptors/stream_id.hpp"

namespace bptree::detail {

// The last delivery of a pending entry (Redis's streamNACK without its consumer).
struct stream_delivery {
    std::int64_t time = 0;    // ms timestamp of the last delivery
    std::uint64_t count = 0;  // number of deliveries

    friend bool operator==(const stream_delivery& a, const stream_delivery& b) noexcept {
        return a.time == b.time && a.count == b.count;
    }
    friend bool operator!=(const stream_delivery& a, const stream_delivery& b) noexcept { return !(a == b); }
};

// Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown.
inline constexpr long long unknown_entries_read = -1;

template <class Backend>
struct stream_consumer {
    using pel_type = typename Backend::template map_type<stream_id, stream_delivery>;

    std::int64_t seen_time = 0;  // last time the consumer read or claimed (ms)
    pel_type pending;

    friend bool operator==(const stream_consumer& a, const stream_consumer& b) {
        return a.seen_time == b.seen_time && a.pending == b.pending;
    }
    friend bool operator!=(const stream_consumer& a, const stream_consumer& b) { return !(a == b); }
};

template <class Backend>
class stream_group {
public:
    using consumer = stream_consumer<Backend>;
    using consumer_map = std::map<std::string, consumer, std::less<>>;
    using consumer_entry = typename consumer_map::value_type;  // {name, consumer}
    using pel_type = typename Backend::template map_type<stream_id, consumer_entry*>;

    stream_id last_delivered{};
    long long entries_read = unknown_entries_read;
    pel_type pending;
    consumer_map consumers;

    stream_group(const stream_id& last, long long read) : last_delivered(last), entries_read(read) {}
    stream_group(const stream_group& o)
        : last_delivered(o.last_delivered), entries_read(o.entries_read), consumers(o.consumers) {
        for (consumer_entry& c : consumers) {
            for (const auto& p : c.second.pending) pending.emplace(p.first, &c);
        }
    }
    stream_group(stream_group&&) = default;
    stream_group& operator=(const stream_group& o) {
        if (this != &o) *this = stream_group(o);
        return *this;
    }
    stream_group& operator=(stream_group&&) = default;
    ~stream_group() = default;

    // The delivery record of a pending entry (Requires: pel_it is in pending).
    static stream_delivery& delivery_of(const typename pel_type::const_iterator& pel_it) {
        return pel_it->second->second.pending.find(pel_it->first)->second;
    }

    // Gives the pending entry id to owner with the given delivery record (Redis's NACK transfer:
    // the entry leaves its previous owner's PEL).
    void assign(const stream_id& id, consumer_entry& owner, const stream_delivery& delivery) {
        auto it = pending.find(id);
        if (it == pending.end()) {
            it = pending.emplace(id, &owner).first;
        } else if (it->second != &owner) {
            it->second->second.pending.erase(id);
            it->second = &owner;
        }
        owner.second.pending[id] = delivery;
    }

    // Removes a pending entry from both PELs; returns the group PEL iterator after it.
    typename pel_type::iterator remove_pending(typename pel_type::iterator it) {
        it->second->second.pending.erase(it->first);
        return pending.erase(it);
    }

    friend bool operator==(const stream_group& a, const stream_group& b) {
        if (a.last_delivered != b.last_delivered || a.entries_read != b.entries_read ||
            a.consumers != b.consumers || a.pending.size() != b.pending.size()) {
            return false;
        }
        auto ib = b.pending.begin();
        for (const auto& p : a.pending) {
            if (p.first != ib->first || p.second->first != ib->second->first) return false;
            ++ib;
        }
        return true;
    }
    friend bool operator!=(const stream_group& a, const stream_group& b) { return !(a == b); }
};

}  // namespace bptree::detail

#endif  // BPTREE_DETAIL_ADAPTORS_STREAM_GROUPS_HPP
