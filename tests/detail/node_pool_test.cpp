// The node pool: chunked allocation through the user's allocator, free-list reuse, release.
#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "bptree/detail/node_pool.hpp"
#include "support/counting_allocator.hpp"

namespace {
using bptree_test::allocation_ledger;
using bptree_test::counting_allocator;
using pool = bptree::detail::node_pool<counting_allocator<int>, 64, 8>;
}  // namespace

TEST_CASE("the pool grows in geometric chunks and counts its allocator calls", "[node_pool]") {
    allocation_ledger ledger;
    {
        pool p{counting_allocator<int>(&ledger)};
        std::vector<void*> blocks;
        for (int i = 0; i < 15; ++i) blocks.push_back(p.allocate());
        // 1 + 2 + 4 + 8 = 15 blocks in four chunks.
        CHECK(ledger.allocations == 4);
        CHECK(p.chunk_allocations() == 4);
        CHECK(p.live_blocks() == 15);
        CHECK(std::set<void*>(blocks.begin(), blocks.end()).size() == 15);
        for (void* b : blocks) CHECK(reinterpret_cast<std::uintptr_t>(b) % 8 == 0);
        CHECK(p.bytes_allocated() == ledger.live_bytes);
        for (void* b : blocks) p.deallocate(b);
        CHECK(p.live_blocks() == 0);
    }
    CHECK(ledger.allocations == ledger.deallocations);
    CHECK(ledger.live_bytes == 0);
}

TEST_CASE("freed blocks are reused before the pool asks for more memory", "[node_pool]") {
    allocation_ledger ledger;
    pool p{counting_allocator<int>(&ledger)};
    void* a = p.allocate();
    void* b = p.allocate();
    void* c = p.allocate();
    const std::size_t calls = ledger.allocations;
    p.deallocate(b);
    p.deallocate(a);
    CHECK(p.allocate() == a);  // LIFO free list
    CHECK(p.allocate() == b);
    CHECK(ledger.allocations == calls);
    p.deallocate(a);
    p.deallocate(b);
    p.deallocate(c);
    p.release_all();
    CHECK(ledger.live_bytes == 0);
    CHECK(p.bytes_allocated() == 0);
}

TEST_CASE("chunks stop growing at the maximum chunk size", "[node_pool]") {
    allocation_ledger ledger;
    pool p{counting_allocator<int>(&ledger)};
    const std::size_t max_blocks = pool::max_chunk_blocks;
    std::size_t blocks = 0;
    std::vector<void*> all;
    while (blocks < 8 * max_blocks) {
        all.push_back(p.allocate());
        ++blocks;
    }
    // Geometric growth to the cap, then one chunk per max_blocks blocks.
    std::size_t expected_chunks = 0, covered = 0, next = 1;
    while (covered < blocks) {
        covered += next;
        ++expected_chunks;
        next = std::min(next * 2, max_blocks);
    }
    CHECK(ledger.allocations == expected_chunks);
    for (void* b : all) p.deallocate(b);
}

TEST_CASE("a failing allocator leaves the pool unchanged", "[node_pool]") {
    allocation_ledger ledger;
    pool p{counting_allocator<int>(&ledger)};
    void* a = p.allocate();  // the first chunk holds exactly one block
    ledger.fail_at = 1;      // so the next allocation needs a chunk, and that call fails
    CHECK_THROWS_AS(p.allocate(), std::bad_alloc);
    CHECK(p.live_blocks() == 1);
    CHECK(p.chunk_allocations() == 1);
    void* b = p.allocate();
    CHECK(b != a);
    CHECK(p.live_blocks() == 2);
    p.deallocate(a);
    p.deallocate(b);
}
