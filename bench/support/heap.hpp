// Benchmark support: the heap bytes a piece of code leaves in use, from glibc's own accounting
// (mallinfo2: bytes in in-use chunks plus mmapped blocks, so malloc's per-block overhead is
// included). Used for the adaptors, which take no allocator, and as a second memory figure for
// the containers. Reads nothing in the timed code. Returns -1 where mallinfo2 is unavailable.
#ifndef BPTREE_BENCH_SUPPORT_HEAP_HPP
#define BPTREE_BENCH_SUPPORT_HEAP_HPP

#include <cstddef>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define BPTREE_BENCH_HAS_MALLINFO2 1
#endif

namespace bptree_bench {

inline double heap_in_use() noexcept {
#if defined(BPTREE_BENCH_HAS_MALLINFO2)
    const struct mallinfo2 m = mallinfo2();
    return static_cast<double>(m.uordblks) + static_cast<double>(m.hblkhd);
#else
    return -1;
#endif
}

class heap_probe {
public:
    heap_probe() noexcept : start_(heap_in_use()) {}
    // Bytes allocated since construction and still in use; -1 when unknown.
    double bytes() const noexcept { return start_ < 0 ? -1 : heap_in_use() - start_; }

private:
    double start_;
};

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_SUPPORT_HEAP_HPP
