// Test support: a replacement of the global operator new / delete that counts live blocks and can
// be told to fail the k-th allocation, for objects that allocate through std::allocator inside
// (the adaptors' strings, vectors, tables and std::map / bptree::map nodes). The replacement lives
// in failing_new.cpp, which an executable links once; this header is the control panel.
//
// Usage: heap_faults::arm(k); run; heap_faults::disarm(). heap_faults::live() is the number of
// blocks allocated and not yet freed, process-wide (compare it before and after an object's life,
// with no test-framework call in between).
#ifndef BPTREE_TESTS_SUPPORT_FAILING_NEW_HPP
#define BPTREE_TESTS_SUPPORT_FAILING_NEW_HPP

namespace bptree_test {

struct heap_faults {
    // The k-th allocation from now throws std::bad_alloc (k >= 1); 0 disarms.
    static void arm(long k) noexcept;
    static void disarm() noexcept;
    // Allocations seen since the last arm() (counted whether or not armed).
    static long calls() noexcept;
    // Blocks allocated by operator new and not yet freed.
    static long live() noexcept;
    // Whether this executable linked the replacement (failing_new.cpp).
    static bool installed() noexcept;
};

}  // namespace bptree_test

#endif  // BPTREE_TESTS_SUPPORT_FAILING_NEW_HPP
