// bptree::pmr containers: nodes come from a std::pmr::memory_resource, and pmr strings inside the
// values receive the same resource (values are built with the allocator's construct).
#include <bptree/map.hpp>
#include <bptree/set.hpp>

#include <cstddef>
#include <cstdio>
#include <memory_resource>
#include <string>

#include "check.hpp"

// A resource that counts what the containers take from it.
class counting_resource : public std::pmr::memory_resource {
public:
    std::size_t bytes = 0;
    std::size_t calls = 0;

private:
    void* do_allocate(std::size_t n, std::size_t align) override {
        bytes += n;
        ++calls;
        return std::pmr::new_delete_resource()->allocate(n, align);
    }
    void do_deallocate(void* p, std::size_t n, std::size_t align) override {
        bytes -= n;
        std::pmr::new_delete_resource()->deallocate(p, n, align);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

int main() {
    counting_resource counter;
    {
        // A monotonic buffer on the stack in front of the counting resource: small maps never
        // touch the heap, and freeing is a no-op until the buffer goes away.
        std::byte buffer[16384];
        std::pmr::monotonic_buffer_resource arena(buffer, sizeof buffer, &counter);
        bptree::pmr::map<int, std::pmr::string> names(&arena);
        for (int i = 0; i < 50; ++i) names.try_emplace(i, "a name long enough to leave the SSO buffer");
        EXAMPLE_CHECK(names.at(7).get_allocator().resource() == &arena);  // the string uses the arena too
        std::printf("50 entries in the stack buffer: %zu bytes from the heap\n", counter.bytes);
    }
    EXAMPLE_CHECK(counter.bytes == 0);

    // Straight on the counting resource: nodes are pooled, so calls grow with the node count.
    {
        bptree::pmr::set<long> big(&counter);
        for (long i = 0; i < 100000; ++i) big.insert(i);
        std::printf("100000 longs: %zu bytes in %zu allocator calls (%zu nodes)\n", counter.bytes, counter.calls,
                    big.stats().leaf_nodes + big.stats().inner_nodes);
        EXAMPLE_CHECK(counter.bytes == big.stats().bytes_allocated);
        big.clear();
        EXAMPLE_CHECK(counter.bytes == 0);  // clear() returns every node to the resource
    }
    std::printf("pmr: ok\n");
    return 0;
}
