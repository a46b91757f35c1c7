// Test support: fault points and a counted value type, as Boost.Unordered's test/objects/exception.hpp
// and unordered_dense's test/app/counter.h provide them.
//
//   fault_injector   one process-wide countdown: every instrumented call (a constructor, a copy, a
//                    move, an assignment, a comparison, a hash) of an armed kind decrements it, and
//                    the call that brings it to zero throws injected_fault. One fault per arming.
//   counted<...>     an int key plus an int tag (not part of the order), which records every
//                    construction and destruction in a ledger, flags a destroyed object that is
//                    destroyed or read again (double destroy, use after destroy), marks moved-from
//                    objects, and hits the fault point in its constructors and assignments. Its
//                    move may throw (NothrowMove = false) to test the engine's policy on throwing
//                    moves.
//   faulty_less<T>   a comparator that hits the fault point on every call.
//   faulty_hash<T>   a hash that hits the fault point on every call.
//
// Single-threaded: the ledgers and the countdown are plain globals.
#ifndef BPTREE_TESTS_SUPPORT_COUNTED_VALUE_HPP
#define BPTREE_TESTS_SUPPORT_COUNTED_VALUE_HPP

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace bptree_test {

// The kinds of instrumented calls; a sweep arms a set of them.
enum fault_kind : unsigned {
    fault_construct = 1u << 0,    // a constructor from arguments (counted(int), counted())
    fault_copy = 1u << 1,         // copy constructor
    fault_move = 1u << 2,         // move constructor (only when it is not noexcept)
    fault_copy_assign = 1u << 3,  // copy assignment
    fault_move_assign = 1u << 4,  // move assignment (only when it is not noexcept)
    fault_compare = 1u << 5,      // a comparator call
    fault_hash = 1u << 6,         // a hash call
    // Every way to make a value except moving one: "a value type whose copy throws".
    fault_any_copy = fault_construct | fault_copy | fault_copy_assign,
    fault_any_move = fault_move | fault_move_assign,
};

struct injected_fault : std::runtime_error {
    explicit injected_fault(fault_kind k) : std::runtime_error("bptree_test: injected fault"), kind(k) {}
    fault_kind kind;
};

struct fault_injector {
    static inline unsigned armed = 0;  // kinds that count
    static inline long countdown = 0;  // 0: disarmed
    static inline long calls = 0;      // armed calls seen since arm()
    static inline bool fired = false;  // whether the armed fault was thrown

    static void arm(unsigned kinds, long k) noexcept {
        armed = kinds;
        countdown = k;
        calls = 0;
        fired = false;
    }
    static void disarm() noexcept {
        armed = 0;
        countdown = 0;
    }
    static void hit(fault_kind kind) {
        if ((armed & kind) == 0) return;
        ++calls;
        if (countdown > 0 && --countdown == 0) {
            fired = true;
            throw injected_fault(kind);
        }
    }
};

// Disarms the fault point on scope exit (a failed REQUIRE must not leave it armed).
struct fault_disarmer {
    fault_disarmer() = default;
    fault_disarmer(const fault_disarmer&) = delete;
    fault_disarmer& operator=(const fault_disarmer&) = delete;
    ~fault_disarmer() { fault_injector::disarm(); }
};

// Constructions and destructions of counted objects.
struct instance_ledger {
    long constructed = 0;
    long destroyed = 0;
    long double_destroys = 0;     // destructor ran on an already destroyed object
    long uses_after_destroy = 0;  // a destroyed object was read, copied or moved
    long copies = 0;
    long moves = 0;

    long live() const noexcept { return constructed - destroyed; }
    bool clean() const noexcept { return double_destroys == 0 && uses_after_destroy == 0; }
    bool balanced() const noexcept { return clean() && live() == 0; }
    std::string describe() const {
        return "constructed " + std::to_string(constructed) + ", destroyed " + std::to_string(destroyed) +
               ", double destroys " + std::to_string(double_destroys) + ", uses after destroy " +
               std::to_string(uses_after_destroy);
    }
};

inline instance_ledger& instances() noexcept {
    static instance_ledger ledger;
    return ledger;
}

// An int key with a tag. The order (operator<) reads the key only, so a multiset keeps equal keys
// apart by tag; equality (same()) reads both. NothrowMove = false gives a move constructor and a
// move assignment that may throw (and are not noexcept).
template <bool NothrowMove = true>
class counted {
public:
    static constexpr bool nothrow_move = NothrowMove;

    counted() : counted(0, 0) {}
    explicit counted(int key, int tag = 0) : key_(key), tag_(tag) {
        fault_injector::hit(fault_construct);
        born();
    }
    counted(const counted& o) : key_(o.checked().key_), tag_(o.tag_) {
        fault_injector::hit(fault_copy);
        ++instances().copies;
        born();
    }
    counted(counted&& o) noexcept(NothrowMove) : key_(o.checked().key_), tag_(o.tag_) {
        if constexpr (!NothrowMove) fault_injector::hit(fault_move);
        ++instances().moves;
        o.state_ = moved_from;
        born();
    }
    counted& operator=(const counted& o) {
        o.checked();
        checked();
        fault_injector::hit(fault_copy_assign);
        key_ = o.key_;
        tag_ = o.tag_;
        state_ = alive;
        return *this;
    }
    counted& operator=(counted&& o) noexcept(NothrowMove) {
        o.checked();
        checked();
        if constexpr (!NothrowMove) fault_injector::hit(fault_move_assign);
        key_ = o.key_;
        tag_ = o.tag_;
        state_ = alive;
        o.state_ = moved_from;
        return *this;
    }
    ~counted() {
        if (state_ == destroyed) {
            ++instances().double_destroys;
            return;
        }
        state_ = destroyed;
        ++instances().destroyed;
    }

    int key() const noexcept { return checked().key_; }
    int tag() const noexcept { return checked().tag_; }
    bool is_moved_from() const noexcept { return state_ == moved_from; }
    bool is_alive() const noexcept { return state_ == alive; }

    friend bool operator<(const counted& a, const counted& b) noexcept { return a.key() < b.key(); }
    friend bool operator==(const counted& a, const counted& b) noexcept { return a.key() == b.key(); }
    friend bool operator!=(const counted& a, const counted& b) noexcept { return !(a == b); }

private:
    // Distinct bit patterns, so reading a destroyed object's storage is likely to notice.
    enum state_type : unsigned { alive = 0x600dc0deu, moved_from = 0x0bad0a1eu, destroyed = 0xdeadbeefu };

    void born() noexcept {
        state_ = alive;
        ++instances().constructed;
    }
    const counted& checked() const noexcept {
        if (state_ == destroyed) ++instances().uses_after_destroy;
        return *this;
    }

    int key_;
    int tag_;
    state_type state_ = alive;
};

// A comparator whose every call is a fault point of kind fault_compare.
template <class T>
struct faulty_less {
    bool operator()(const T& a, const T& b) const {
        fault_injector::hit(fault_compare);
        return a < b;
    }
};

// A hash whose every call is a fault point of kind fault_hash.
template <class T>
struct faulty_hash {
    std::size_t operator()(const T& v) const {
        fault_injector::hit(fault_hash);
        return std::hash<T>()(v);
    }
};

}  // namespace bptree_test

#endif  // BPTREE_TESTS_SUPPORT_COUNTED_VALUE_HPP
