// Test support: the replacement global operator new / delete behind failing_new.hpp. Link this
// file into exactly one executable target (never into a library shared by several). Every form of
// new and delete is replaced so that blocks are counted in pairs; the nothrow forms return null
// where the throwing ones throw. Under AddressSanitizer the replacement still allocates with
// malloc, which ASan intercepts, so leaks and overflows are still found.
#include "support/failing_new.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

// Atomics: Catch2 and the standard library may allocate from other threads (none do in our
// tests, but a data race in the counters would be a poor way to find out).
std::atomic<long> g_countdown{0};
std::atomic<long> g_calls{0};
std::atomic<long> g_live{0};

void* allocate(std::size_t size, std::size_t align, bool nothrow) {
    ++g_calls;
    long k = g_countdown.load(std::memory_order_relaxed);
    while (k > 0) {
        if (g_countdown.compare_exchange_weak(k, k - 1, std::memory_order_relaxed)) {
            if (k == 1) {
                if (nothrow) return nullptr;
                throw std::bad_alloc();
            }
            break;
        }
    }
    if (size == 0) size = 1;
    void* p = nullptr;
    if (align <= alignof(std::max_align_t)) {
        p = std::malloc(size);
    } else {
        const std::size_t rounded = (size + align - 1) / align * align;
        p = std::aligned_alloc(align, rounded);
    }
    if (p == nullptr) {
        if (nothrow) return nullptr;
        throw std::bad_alloc();
    }
    ++g_live;
    return p;
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    --g_live;
    std::free(p);
}

}  // namespace

namespace bptree_test {
void heap_faults::arm(long k) noexcept {
    g_calls = 0;
    g_countdown = k;
}
void heap_faults::disarm() noexcept { g_countdown = 0; }
long heap_faults::calls() noexcept { return g_calls; }
long heap_faults::live() noexcept { return g_live; }
bool heap_faults::installed() noexcept { return true; }
}  // namespace bptree_test

void* operator new(std::size_t n) { return allocate(n, 0, false); }
void* operator new[](std::size_t n) { return allocate(n, 0, false); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate(n, 0, true);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate(n, 0, true);
    } catch (...) {
        return nullptr;
    }
}
void* operator new(std::size_t n, std::align_val_t a) { return allocate(n, static_cast<std::size_t>(a), false); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate(n, static_cast<std::size_t>(a), false); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    try {
        return allocate(n, static_cast<std::size_t>(a), true);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    try {
        return allocate(n, static_cast<std::size_t>(a), true);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
