// Benchmark support: the allocator every benchmarked container uses, so that bytes per entry are
// measured the same way for bptree, std, absl and pbds.
//
// All instances share one process-wide ledger (benchmarks are single-threaded). A fixture reads
// the ledger before and after it builds a container; the difference is the container's memory.
// What is counted: bytes *requested* from the allocator (n * sizeof(T)) and the number of live
// allocations. malloc's own per-block overhead (8-16 bytes per block with glibc) is not included;
// it hurts node-per-element containers (std::set, pbds) more than B-trees, which is why the
// allocations-per-entry figure is reported beside bytes per entry. Heap memory owned by the
// elements themselves (std::string beyond its small buffer) goes through std::allocator and is
// not counted for any container; the keys used here fit the small-string buffer anyway.
#ifndef BPTREE_BENCH_SUPPORT_COUNTING_ALLOCATOR_HPP
#define BPTREE_BENCH_SUPPORT_COUNTING_ALLOCATOR_HPP

#include <cstddef>
#include <memory>
#include <type_traits>

namespace bptree_bench {

struct allocation_ledger {
    std::size_t live_bytes = 0;
    std::size_t live_blocks = 0;
};

inline allocation_ledger& ledger() noexcept {
    static allocation_ledger instance;
    return instance;
}

// Stateless, always-equal allocator over std::allocator that records into ledger().
template <class T>
class counting_allocator {
public:
    using value_type = T;
    using is_always_equal = std::true_type;
    // __gnu_pbds containers predate allocator_traits and read the C++03 member types and rebind.
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using const_pointer = const T*;
    using reference = std::add_lvalue_reference_t<T>;
    using const_reference = std::add_lvalue_reference_t<const T>;
    template <class U>
    struct rebind {
        using other = counting_allocator<U>;
    };

    counting_allocator() noexcept = default;
    template <class U>
    counting_allocator(const counting_allocator<U>&) noexcept {}  // NOLINT: implicit by design

    T* allocate(std::size_t n) {
        T* p = std::allocator<T>().allocate(n);
        allocation_ledger& l = ledger();
        l.live_bytes += n * sizeof(T);
        ++l.live_blocks;
        return p;
    }
    void deallocate(T* p, std::size_t n) noexcept {
        allocation_ledger& l = ledger();
        l.live_bytes -= n * sizeof(T);
        --l.live_blocks;
        std::allocator<T>().deallocate(p, n);
    }

    template <class U>
    friend bool operator==(const counting_allocator&, const counting_allocator<U>&) noexcept {
        return true;
    }
    template <class U>
    friend bool operator!=(const counting_allocator&, const counting_allocator<U>&) noexcept {
        return false;
    }
};

// The memory a piece of code leaves allocated: construct one, run the code, read the deltas.
class allocation_probe {
public:
    allocation_probe() noexcept : bytes_(ledger().live_bytes), blocks_(ledger().live_blocks) {}
    double bytes() const noexcept { return static_cast<double>(ledger().live_bytes) - static_cast<double>(bytes_); }
    double blocks() const noexcept { return static_cast<double>(ledger().live_blocks) - static_cast<double>(blocks_); }

private:
    std::size_t bytes_;
    std::size_t blocks_;
};

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_SUPPORT_COUNTING_ALLOCATOR_HPP
