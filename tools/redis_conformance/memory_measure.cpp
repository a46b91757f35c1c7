// File: tools/redis_conformance/memory_measure.cpp
// The counting global operator new/delete and the helpers of memory_measure.hpp.
#include "memory_measure.hpp"

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace {
bptree_conformance::heap_usage live;

void* counted_allocate(std::size_t n) {
    void* p = std::malloc(n == 0 ? 1 : n);
    if (p == nullptr) throw std::bad_alloc();
    live.bytes += malloc_usable_size(p);
    ++live.blocks;
    return p;
}
void counted_free(void* p) noexcept {
    if (p == nullptr) return;
    live.bytes -= malloc_usable_size(p);
    --live.blocks;
    std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return counted_allocate(n); }
void* operator new[](std::size_t n) { return counted_allocate(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace bptree_conformance {

heap_usage live_heap() noexcept { return live; }

long long redis_used_memory(resp_client& server) {
    const auto info = server.call({"INFO", "memory"});
    const auto at = info.text.find("used_memory:");
    return std::stoll(info.text.substr(at + 12));
}

void print_memory_table(const std::vector<memory_figure>& figures, const char* unit, const char* operation) {
    int width = 6;
    for (const memory_figure& f : figures) width = std::max(width, static_cast<int>(f.name.size()));
    const std::string per_unit = std::string("bytes/") + unit;
    const std::string per_op = std::string("ns/") + operation;
    std::printf("%-*s %10s %10s %10s\n", width, "layout", per_unit.c_str(), "+hdr", per_op.c_str());
    for (const memory_figure& f : figures) {
        std::printf("%-*s %10.1f %10.1f %10.0f\n", width, f.name.c_str(), f.usable_per_item, f.with_headers_per_item,
                    f.ns_per_item);
    }
}

}  // namespace bptree_conformance
