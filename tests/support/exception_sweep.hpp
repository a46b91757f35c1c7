// Test support: the exception-point sweep of Boost.Unordered's test/helpers/exception_test.hpp and
// unordered_dense's bombing allocator, for any object and any operation.
//
//   sweep(source, guarantee, make, op, snapshot, check)
//
// runs, for k = 1, 2, ...: obj = make() (faults disarmed); before = snapshot(obj); arm the k-th
// fault of `source`; op(obj); disarm. When op throws the injected fault: check(obj) must hold
// (the object's own invariants, e.g. verify()), and for guarantee::strong snapshot(obj) == before.
// When op completes, the sweep ends (done(obj) may check the result). Every iteration destroys the
// object and then requires the ledgers to balance: no live counted value and no double destroy
// (counted_value.hpp), no live block from the counting allocator's ledger or the heap when those
// are watched. An exception other than the injected one fails the test.
//
// A fault source says how to arm the k-th fault and which exception it throws:
//   value_faults{kinds}     the fault_injector of counted_value.hpp (copies, moves, comparisons...)
//   allocator_faults{&l}    counting_allocator's ledger l (tests/support/counting_allocator.hpp)
//   heap_faults_source{}    the global operator new of failing_new.cpp
//
// first_breaking_fault(source, make, op, is_broken) is the same sweep without assertions, for
// tests that require a known bug to still reproduce.
#ifndef BPTREE_TESTS_SUPPORT_EXCEPTION_SWEEP_HPP
#define BPTREE_TESTS_SUPPORT_EXCEPTION_SWEEP_HPP

#include <catch2/catch.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "support/counted_value.hpp"
#include "support/counting_allocator.hpp"
#include "support/failing_new.hpp"

namespace bptree_test {

enum class guarantee { strong, basic };

inline const char* to_string(guarantee g) { return g == guarantee::strong ? "strong" : "basic"; }

struct value_faults {
    unsigned kinds;
    const char* name = "value";
    void arm(long k) const noexcept { fault_injector::arm(kinds, k); }
    void disarm() const noexcept { fault_injector::disarm(); }
    static bool is_fault(const std::exception& e) noexcept {
        return dynamic_cast<const injected_fault*>(&e) != nullptr;
    }
};

struct allocator_faults {
    allocation_ledger* ledger;
    const char* name = "allocator";
    void arm(long k) const noexcept { ledger->fail_at = static_cast<std::size_t>(k); }
    void disarm() const noexcept { ledger->fail_at = 0; }
    static bool is_fault(const std::exception& e) noexcept {
        return dynamic_cast<const std::bad_alloc*>(&e) != nullptr;
    }
};

struct heap_faults_source {
    const char* name = "heap";
    void arm(long k) const noexcept { heap_faults::arm(k); }
    void disarm() const noexcept { heap_faults::disarm(); }
    static bool is_fault(const std::exception& e) noexcept {
        return dynamic_cast<const std::bad_alloc*>(&e) != nullptr;
    }
};

// What one sweep saw: the faults injected (k - 1 at completion) and the iterations run.
struct sweep_result {
    long faults = 0;
    bool completed = false;
};

// Ledgers watched across one iteration: read before make() and after the object is destroyed.
struct ledger_watch {
    allocation_ledger* allocator = nullptr;   // counting_allocator's ledger, when the object uses one
    bool heap = false;                        // the global heap (failing_new.cpp must be linked)
    allocation_ledger* allocator2 = nullptr;  // a second ledger (objects with unequal allocators)
};

namespace detail {
struct allocator_marks {
    std::size_t allocations, deallocations, live_bytes, constructions, destructions;
};
struct ledger_marks {
    long live_values;
    allocator_marks alloc[2];
    long heap_live;
};
inline allocator_marks mark(const allocation_ledger* l) {
    if (l == nullptr) return {};
    return {l->allocations, l->deallocations, l->live_bytes, l->constructions, l->destructions};
}
inline ledger_marks mark(const ledger_watch& w) {
    ledger_marks m{};
    m.live_values = instances().live();
    m.alloc[0] = mark(w.allocator);
    m.alloc[1] = mark(w.allocator2);
    m.heap_live = w.heap ? heap_faults::live() : 0;
    return m;
}
inline std::string imbalance(const allocator_marks& a, const allocator_marks& b, const char* which) {
    std::string out;
    if (b.allocations - a.allocations != b.deallocations - a.deallocations || a.live_bytes != b.live_bytes) {
        out += std::string(which) + ": " + std::to_string(b.allocations - a.allocations) + " allocations, " +
               std::to_string(b.deallocations - a.deallocations) + " deallocations; ";
    }
    if (b.constructions - a.constructions != b.destructions - a.destructions) {
        out += std::string(which) + ": " + std::to_string(b.constructions - a.constructions) + " constructs, " +
               std::to_string(b.destructions - a.destructions) + " destroys; ";
    }
    return out;
}
// Empty when the ledgers moved in balance between a and b; otherwise what went wrong.
inline std::string imbalance(const ledger_watch& w, const ledger_marks& a, const ledger_marks& b) {
    std::string out;
    if (!instances().clean()) out += "counted values: " + instances().describe() + "; ";
    if (a.live_values != b.live_values) {
        out += "counted values live before " + std::to_string(a.live_values) + ", after " +
               std::to_string(b.live_values) + "; ";
    }
    if (w.allocator != nullptr) out += imbalance(a.alloc[0], b.alloc[0], "allocator");
    if (w.allocator2 != nullptr) out += imbalance(a.alloc[1], b.alloc[1], "second allocator");
    if (w.heap && a.heap_live != b.heap_live) {
        out +=
            "heap blocks live before " + std::to_string(a.heap_live) + ", after " + std::to_string(b.heap_live) + "; ";
    }
    return out;
}
// describe_difference(a, b) when the snapshot type offers one (found by ADL), else nothing.
template <class S, class = void>
struct has_describe : std::false_type {};
template <class S>
struct has_describe<S, std::void_t<decltype(describe_difference(std::declval<const S&>(), std::declval<const S&>()))>>
    : std::true_type {};
template <class S>
std::string difference(const S& a, const S& b) {
    if constexpr (has_describe<S>::value) {
        return describe_difference(a, b);
    } else {
        (void)a, (void)b;
        return "(no description)";
    }
}
}  // namespace detail

// The sweep (see the file comment). make() -> T; op(T&); snapshot(const T&) -> comparable;
// check(const T&) throws (e.g. verify()) or fails a Catch assertion when T is broken;
// done(T&) runs after the completing iteration. max_k bounds the sweep (a sweep that reaches it
// fails: the operation never completed).
template <class Source, class Make, class Op, class Snapshot, class Check, class Done>
sweep_result sweep(const Source& source, guarantee g, const ledger_watch& watch, Make&& make, Op&& op,
                   Snapshot&& snapshot, Check&& check, Done&& done, long max_k = 200000) {
    sweep_result result;
    for (long k = 1; k <= max_k; ++k) {
        bool threw = false;
        bool unexpected = false;
        std::string unexpected_what;
        const detail::ledger_marks before_marks = detail::mark(watch);
        {
            auto obj = make();
            const auto before = snapshot(obj);
            try {
                source.arm(k);
                op(obj);
                source.disarm();
            } catch (const std::exception& e) {
                source.disarm();
                threw = true;
                if (!Source::is_fault(e)) {
                    unexpected = true;
                    unexpected_what = e.what();
                }
            } catch (...) {
                source.disarm();
                threw = true;
                unexpected = true;
                unexpected_what = "a non-std exception";
            }
            INFO("fault source " << source.name << ", k = " << k << ", guarantee " << to_string(g));
            if (unexpected) FAIL("unexpected exception: " << unexpected_what);
            check(obj);
            if (threw) {
                ++result.faults;
                if (g == guarantee::strong) {
                    const bool unchanged = snapshot(obj) == before;
                    if (!unchanged) {
                        FAIL("strong guarantee broken: the object changed although the operation threw: "
                             << detail::difference(before, snapshot(obj)));
                    }
                }
            } else {
                done(obj);
                result.completed = true;
            }
        }
        const detail::ledger_marks after_marks = detail::mark(watch);
        const std::string leak = detail::imbalance(watch, before_marks, after_marks);
        INFO("fault source " << source.name << ", k = " << k);
        if (!leak.empty()) FAIL("ledgers out of balance after the object's life: " << leak);
        if (result.completed) return result;
    }
    FAIL("the operation never completed within " << max_k << " faults");
    return result;
}

// For known bugs: sweeps k as sweep() does, without assertions, and returns the first k whose
// fault leaves the object broken (is_broken(obj) is true), or 0 when the operation completes
// first. An exception other than the injected one propagates.
template <class Source, class Make, class Op, class IsBroken>
long first_breaking_fault(const Source& source, Make&& make, Op&& op, IsBroken&& is_broken, long max_k = 200000) {
    for (long k = 1; k <= max_k; ++k) {
        auto obj = make();
        try {
            source.arm(k);
            op(obj);
            source.disarm();
            return 0;
        } catch (const std::exception& e) {
            source.disarm();
            if (!Source::is_fault(e)) throw;
        }
        if (is_broken(obj)) return k;
    }
    return 0;
}

}  // namespace bptree_test

#endif  // BPTREE_TESTS_SUPPORT_EXCEPTION_SWEEP_HPP
