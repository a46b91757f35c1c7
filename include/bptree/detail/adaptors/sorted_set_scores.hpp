// File: bptree/detail/adaptors/sorted_set_scores.hpp
// Layer: adaptor internals. score_table: the member -> score dictionary of bptree::sorted_set,
// which stores no member. Each slot holds a member's hash and its score; the member itself lives
// once, in the ordered index, and a slot is confirmed by looking (score, member) up there.
// Includes: standard headers only.
//
// Why no member in the dictionary: the index of the default backend is a B+ tree whose inner
// nodes keep separator *copies* of entries, and a separator may outlive the entry it was copied
// from (erasing the first value of a leaf leaves the separator in place). An index entry that
// pointed at a member owned by the dictionary could then dereference a freed member during a
// search. So the index owns the members, the table holds 16 bytes per member, and a lookup costs
// one hash probe plus one index lookup, O(log n).
//
// Layout: open addressing with linear probing over an array of slots of any length,
//   struct slot { size_t hash; double score; }   hash == 0 marks an empty slot
// (hashes that are 0 are stored as 1). The home slot of a hash is its Fibonacci mix scaled to
// the capacity (multiply-high, no modulo), so identity hashes (std::hash of integers) spread too.
// Deletion shifts later slots of the probe run back (no tombstones). Maximum load 7/8, growth by
// 3/2: the load stays between 0.58 and 0.875, about 23 bytes per member on average (powers of two
// would swing between 0.44 and 0.875 and cost 34 bytes per member at 1M members).
//
// Invariants:
//   T1 every non-empty slot is reachable from its home slot without crossing an empty slot;
//   T2 size() equals the number of non-empty slots;
//   T3 (checked by sorted_set::verify) the multiset of (hash(member), score) over the index equals
//      the multiset of non-empty slots. Two members with equal hashes and equal scores give two
//      identical slots, which are interchangeable, so erase_one() may take either.
#ifndef BPTREE_DETAIL_ADAPTORS_SORTED_SET_SCORES_HPP
#define BPTREE_DETAIL_ADAPTORS_SORTED_SET_SCORES_HPP

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail::zset {

class score_table {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    // The stored form of a hash: never 0, which marks empty slots.
    static std::size_t stored_hash(std::size_t h) noexcept { return h == 0 ? 1 : h; }

    std::size_t size() const noexcept { return size_; }
    std::size_t capacity() const noexcept { return slots_.size(); }
    std::size_t bytes_allocated() const noexcept { return slots_.capacity() * sizeof(slot); }

    // Calls is_member(score) for each slot holding hash h, in probe order, until it returns true;
    // returns that slot's index, or npos. Expected O(1) probes plus the calls.
    template <class IsMember>
    std::size_t find(std::size_t h, IsMember&& is_member) const {
        if (slots_.empty()) return npos;
        h = stored_hash(h);
        for (std::size_t i = home(h);; i = next(i)) {
            const slot& s = slots_[i];
            if (s.hash == 0) return npos;
            if (s.hash == h && is_member(s.score)) return i;
        }
    }

    double score_at(std::size_t i) const noexcept { return slots_[i].score; }
    void set_score_at(std::size_t i, double score) noexcept { slots_[i].score = score; }

    // Makes room for n members in total, so that the inserts up to n cannot throw.
    // Throws std::bad_alloc with the table unchanged.
    void reserve(std::size_t n) {
        if (fits(n, slots_.size())) return;
        std::size_t capacity = slots_.empty() ? 8 : slots_.size();
        while (!fits(n, capacity)) capacity += capacity / 2;
        rehash(capacity);
    }

    // Requires: reserve(size() + 1) was called since the last insert (so this never throws).
    void insert(std::size_t h, double score) noexcept {
        assert(fits(size_ + 1, slots_.size()));
        place(stored_hash(h), score);
        ++size_;
    }

    void erase_at(std::size_t i) noexcept {
        assert(slots_[i].hash != 0);
        // Backward-shift deletion: move later members of the run into the hole when their home
        // slot does not lie cyclically in (hole, j], which keeps T1.
        std::size_t hole = i;
        for (std::size_t j = next(i);; j = next(j)) {
            const slot& s = slots_[j];
            if (s.hash == 0) break;
            const std::size_t h = home(s.hash);
            const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
            if (!stays) {
                slots_[hole] = s;
                hole = j;
            }
        }
        slots_[hole] = slot{};
        --size_;
    }

    // Erases one slot holding (h, score). Requires: such a slot exists.
    void erase_one(std::size_t h, double score) noexcept {
        const std::size_t i = find(h, [score](double s) { return s == score; });
        assert(i != npos);
        erase_at(i);
    }

    // Empties every slot, keeping the capacity (so refilling up to the old size cannot throw).
    void clear_keep_capacity() noexcept {
        for (slot& s : slots_) s = slot{};
        size_ = 0;
    }

    void clear() noexcept {
        slots_.clear();
        slots_.shrink_to_fit();
        size_ = 0;
    }

    // T1 and T2; throws nothing, returns false when broken.
    bool is_consistent() const noexcept {
        std::size_t used = 0;
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i].hash == 0) continue;
            ++used;
            for (std::size_t j = home(slots_[i].hash); j != i; j = next(j)) {
                if (slots_[j].hash == 0) return false;
            }
        }
        return used == size_;
    }

    // Visits every (hash, score) slot. For checks.
    template <class F>
    void for_each(F&& f) const {
        for (const slot& s : slots_) {
            if (s.hash != 0) f(s.hash, s.score);
        }
    }

private:
    struct slot {
        std::size_t hash = 0;
        double score = 0;
    };

    static bool fits(std::size_t n, std::size_t capacity) noexcept { return n * 8 <= capacity * 7; }

    std::size_t home(std::size_t stored) const noexcept {
        // Fibonacci mixing, then the high 64 bits of mixed * capacity: a position in [0, capacity).
        const std::uint64_t mixed = static_cast<std::uint64_t>(stored) * 0x9E3779B97F4A7C15ull;
        return static_cast<std::size_t>(mul_high(mixed, slots_.size()));
    }

    // The high 64 bits of the 128-bit product a * b.
    static std::uint64_t mul_high(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
        __extension__ typedef unsigned __int128 u128;
        return static_cast<std::uint64_t>((static_cast<u128>(a) * b) >> 64);
#else
        const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32, b_lo = b & 0xffffffffu, b_hi = b >> 32;
        const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi;
        const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
        return a_hi * b_hi + (hi_lo >> 32) + (cross >> 32);
#endif
    }
    std::size_t next(std::size_t i) const noexcept { return i + 1 == slots_.size() ? 0 : i + 1; }

    void place(std::size_t stored, double score) noexcept {
        std::size_t i = home(stored);
        while (slots_[i].hash != 0) i = next(i);
        slots_[i] = slot{stored, score};
    }

    void rehash(std::size_t capacity) {
        std::vector<slot> old(capacity);  // may throw: nothing changed yet
        old.swap(slots_);
        for (const slot& s : old) {
            if (s.hash != 0) place(s.hash, s.score);
        }
    }

    std::vector<slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace detail::zset
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_SORTED_SET_SCORES_HPP
