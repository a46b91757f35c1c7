// File: tools/redis_conformance/memory_measure.hpp
// Bytes per item for the memory tools (zset_memory, stream_memory): memory_measure.cpp replaces
// the global operator new/delete to sum malloc_usable_size() of the live blocks (the bytes the
// allocator set aside, which is also what Redis's used_memory sums through jemalloc), and reads
// a redis-server's used_memory for the comparison. Link memory_measure.cpp into the tool.
#ifndef BPTREE_TOOLS_MEMORY_MEASURE_HPP
#define BPTREE_TOOLS_MEMORY_MEASURE_HPP

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "resp_client.hpp"

namespace bptree_conformance {

struct heap_usage {
    std::size_t bytes = 0;   // malloc_usable_size() of every live block
    std::size_t blocks = 0;  // live blocks
};
heap_usage live_heap() noexcept;

// One row of a memory table: bytes per item, the same plus glibc's 8-byte chunk header per
// block, and the build time per item (indicative only: one run on a shared machine).
struct memory_figure {
    std::string name;
    double usable_per_item;
    double with_headers_per_item;
    double ns_per_item;
};

// Measures what build() allocates for `items` items; the structure it returns is kept alive
// until the heap has been read.
template <class Build>
memory_figure measure_heap(std::string name, std::size_t items, Build&& build) {
    const heap_usage before = live_heap();
    const auto start = std::chrono::steady_clock::now();
    const auto built = build();
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    const heap_usage after = live_heap();
    const auto n = static_cast<double>(items);
    const double usable = static_cast<double>(after.bytes - before.bytes) / n;
    const double headers = static_cast<double>(after.blocks - before.blocks) * 8.0 / n;
    return {std::move(name), usable, usable + headers, took.count() / n};
}

// INFO memory's used_memory of the server.
long long redis_used_memory(resp_client& server);

// A redis-server row: used_memory after fill(server) minus before, per item (FLUSHALL around it).
template <class Fill>
memory_figure measure_redis_server(std::string name, int port, std::size_t items, Fill&& fill) {
    resp_client server("127.0.0.1", port);
    server.call({"FLUSHALL"});
    const long long before = redis_used_memory(server);
    fill(server);
    const long long after = redis_used_memory(server);
    server.call({"FLUSHALL"});
    const double per = static_cast<double>(after - before) / static_cast<double>(items);
    return {std::move(name), per, per, 0};
}

// Prints the table: layout | bytes per <unit> | +hdr | ns per <operation>.
void print_memory_table(const std::vector<memory_figure>& figures, const char* unit, const char* operation);

}  // namespace bptree_conformance

#endif  // BPTREE_TOOLS_MEMORY_MEASURE_HPP
