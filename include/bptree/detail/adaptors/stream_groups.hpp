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
//
// Exception safety: G1 holds after every exception. A change of the PELs first makes the one
// insertion that may allocate, then links with steps that do not throw (erasing one ID from a
// PEL), or undoes the insertion with such a step (stream_group::assign); stream_recipient makes
// each entry a read or claim gives out all or nothing.
#ifndef BPTREE_DETAIL_ADAPTORS_STREAM_GROUPS_HPP
#define BPTREE_DETAIL_ADAPTORS_STREAM_GROUPS_HPP

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "bptree/detail/adaptors/stream_id.hpp"
#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

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

    // The consumer `name`, created if missing; either way seen now (streamLookupConsumer /
    // streamCreateConsumer). second: whether it was created.
    std::pair<typename consumer_map::iterator, bool> touch_consumer(std::string_view name, std::int64_t now_ms) {
        auto it = consumers.find(name);
        const bool created = it == consumers.end();
        if (created) it = consumers.emplace(std::string(name), consumer{}).first;
        it->second.seen_time = now_ms;
        return {it, created};
    }

    // Gives the pending entry id to owner with the given delivery record (Redis's NACK transfer:
    // the entry leaves its previous owner's PEL). All or nothing: when it throws, both PELs are
    // as they were. It changes no group PEL node that exists already (iterators into it stay valid).
    void assign(const stream_id& id, consumer_entry& owner, const stream_delivery& delivery) {
        const auto it = pending.find(id);
        if (it == pending.end()) {
            add_pending(id, owner, delivery);
        } else if (it->second == &owner) {
            owner.second.pending.find(id)->second = delivery;
        } else {
            owner.second.pending.emplace(id, delivery);  // (G1: owner lacks id) may throw: nothing changed yet
            it->second->second.pending.erase(id);        // does not throw
            it->second = &owner;
        }
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

private:
    // Makes id (in no PEL yet) pending for owner: the consumer PEL first, then the group PEL,
    // whose failure takes the first insertion back.
    void add_pending(const stream_id& id, consumer_entry& owner, const stream_delivery& delivery) {
        const auto mine = owner.second.pending.emplace(id, delivery).first;  // may throw: nothing changed yet
        try {
            pending.emplace(id, &owner);
        } catch (...) {
            owner.second.pending.erase(mine);  // does not throw
            throw;
        }
    }
};

// The rollbacks above erase one ID from a PEL and rely on that not throwing: the backends' erase
// of one element throws only when copying a key throws (bptree::map copies a separator key).
static_assert(std::is_nothrow_copy_constructible_v<stream_id>, "erasing a PEL entry must not throw");

// The consumer that one read or claim gives entries to (XREADGROUP, XCLAIM, XAUTOCLAIM): looked
// up or created, and seen now, when it is first needed, as Redis does. give() is all or nothing
// per entry: when it throws, both PELs are as they were, and when no entry was given yet the
// consumer is also as it was (removed again if this recipient created it). So a call that fails
// part way keeps exactly the entries it completed.
template <class Backend>
class stream_recipient {
public:
    using group_type = stream_group<Backend>;
    using consumer_entry = typename group_type::consumer_entry;

    stream_recipient(group_type& g, std::string_view name, std::int64_t now_ms) noexcept
        : group_(g), name_(name), now_ms_(now_ms) {}

    // The consumer, looked up or created (and seen now) by the first call.
    consumer_entry& consumer() {
        if (!found_) {
            const auto it = group_.consumers.find(name_);
            if (it != group_.consumers.end()) previous_seen_ = it->second.seen_time;
            const auto touched = group_.touch_consumer(name_, now_ms_);
            it_ = touched.first;
            created_ = touched.second;
            found_ = true;
        }
        return *it_;
    }

    // Makes id pending for the consumer with the given delivery record (stream_group::assign).
    void give(const stream_id& id, const stream_delivery& delivery) {
        consumer_entry& owner = consumer();
        try {
            group_.assign(id, owner, delivery);
        } catch (...) {
            if (!gave_) undo_touch();
            throw;
        }
        gave_ = true;
    }

private:
    // Takes back consumer()'s effect: the creation, or the new seen time. Does not throw.
    void undo_touch() noexcept {
        if (created_) {
            group_.consumers.erase(it_);
        } else {
            it_->second.seen_time = previous_seen_;
        }
        found_ = false;
    }

    group_type& group_;
    std::string_view name_;
    std::int64_t now_ms_;
    typename group_type::consumer_map::iterator it_{};
    std::int64_t previous_seen_ = 0;  // the consumer's seen time before consumer() (when it existed)
    bool found_ = false;              // consumer() has run: it_ is the consumer
    bool created_ = false;            // consumer() created it
    bool gave_ = false;               // give() has completed once
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_STREAM_GROUPS_HPP
