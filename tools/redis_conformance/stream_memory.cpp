// File: tools/redis_conformance/stream_memory.cpp
// Bytes per entry of a stream of N entries (default 1,000,000) of 3 short fields
//   {"user": "u<6 digits>", "action": "click"|"view"|"buy"|"share", "page": "/p<3 digits>"}
// with explicit IDs (50 entries per millisecond), for:
//   bptree::stream on std::map and on bptree::map, each with and without the sharing of field
//   names with the node's master entry (stream_config::share_field_names),
//   and, with --port, a real redis-server (INFO memory used_memory before and after pipelined
//   XADDs of the same entries; run it through scripts/redis-conformance.sh, which starts it).
// Accounting (as zset_memory.cpp): global operator new/delete are replaced to sum
// malloc_usable_size() of live blocks (what Redis's used_memory sums through jemalloc); "+hdr"
// adds glibc's 8-byte chunk header per live block.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bptree/stream.hpp"
#include "resp_client.hpp"

namespace {
std::size_t live_bytes = 0;
std::size_t live_blocks = 0;

void* counted_allocate(std::size_t n) {
    void* p = std::malloc(n == 0 ? 1 : n);
    if (p == nullptr) throw std::bad_alloc();
    live_bytes += malloc_usable_size(p);
    ++live_blocks;
    return p;
}
void counted_free(void* p) noexcept {
    if (p == nullptr) return;
    live_bytes -= malloc_usable_size(p);
    --live_blocks;
    std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return counted_allocate(n); }
void* operator new[](std::size_t n) { return counted_allocate(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace {

struct input_entry {
    bptree::stream_id id;
    std::vector<std::string> flat;  // field, value, field, value, field, value
};

std::vector<input_entry> make_input(std::size_t n, std::uint64_t seed) {
    static const char* const actions[] = {"click", "view", "buy", "share"};
    std::mt19937_64 rng(seed);
    std::vector<input_entry> in;
    in.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        char user[16];
        char page[16];
        std::snprintf(user, sizeof user, "u%06u", static_cast<unsigned>(rng() % 1000000));
        std::snprintf(page, sizeof page, "/p%03u", static_cast<unsigned>(rng() % 1000));
        in.push_back({bptree::stream_id{1700000000000ULL + i / 50, i % 50},
                      {"user", user, "action", actions[rng() % 4], "page", page}});
    }
    return in;
}

struct figure {
    std::string name;
    double usable_per_entry;
    double with_headers_per_entry;
    double ns_per_add;  // indicative only: one run on a shared machine
};

template <class Backend>
figure measure(const std::string& name, const std::vector<input_entry>& in, bool share) {
    const std::size_t bytes_before = live_bytes;
    const std::size_t blocks_before = live_blocks;
    const auto start = std::chrono::steady_clock::now();
    bptree::stream<Backend> s(bptree::stream_config{4096, 100, share});
    for (const input_entry& e : in) s.add_flat(e.id, e.flat.begin(), e.flat.end());
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    const auto n = static_cast<double>(in.size());
    const double usable = static_cast<double>(live_bytes - bytes_before) / n;
    const double headers = static_cast<double>(live_blocks - blocks_before) * 8.0 / n;
    if (s.size() != in.size()) throw std::runtime_error("the stream lost entries");
    return {name, usable, usable + headers, took.count() / n};
}

long long used_memory(bptree_conformance::resp_client& server) {
    const auto info = server.call({"INFO", "memory"});
    const auto at = info.text.find("used_memory:");
    return std::stoll(info.text.substr(at + 12));
}

figure measure_redis(const std::vector<input_entry>& in, int port) {
    bptree_conformance::resp_client server("127.0.0.1", port);
    server.call({"FLUSHALL"});
    const long long before = used_memory(server);
    std::size_t pending = 0;
    for (const input_entry& e : in) {
        std::vector<std::string> argv{"XADD", "stream", e.id.to_string()};
        argv.insert(argv.end(), e.flat.begin(), e.flat.end());
        server.send(argv);
        if (++pending == 1000) {  // keep the pipeline bounded
            for (; pending > 0; --pending) server.read_reply();
        }
    }
    for (; pending > 0; --pending) server.read_reply();
    const long long length = server.call({"XLEN", "stream"}).integer;
    const long long after = used_memory(server);
    server.call({"FLUSHALL"});
    if (static_cast<std::size_t>(length) != in.size()) throw std::runtime_error("redis lost entries");
    const double per = static_cast<double>(after - before) / static_cast<double>(in.size());
    return {"redis-server 7.0 (used_memory, jemalloc; listpacks of 4096 bytes / 100 entries)", per, per, 0};
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 1000000;
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--entries") n = std::stoul(argv[i + 1]);
        else if (arg == "--port") port = std::stoi(argv[i + 1]);
    }
    const std::vector<input_entry> in = make_input(n, 42);
    std::vector<figure> figures;
    figures.push_back(measure<bptree::stream_std_map>("bptree::stream on std::map, shared field names", in, true));
    figures.push_back(measure<bptree::stream_std_map>("bptree::stream on std::map, names in every entry", in, false));
    figures.push_back(measure<bptree::stream_bptree_map<>>("bptree::stream on bptree::map, shared field names", in, true));
    figures.push_back(measure<bptree::stream_bptree_map<>>("bptree::stream on bptree::map, names in every entry", in, false));
    if (port != 0) figures.push_back(measure_redis(in, port));

    std::printf("%zu entries of 3 short fields (user, action, page), 50 per millisecond (seed 42)\n", n);
    std::printf("%-84s %10s %10s %10s\n", "layout", "bytes/ent", "+hdr", "ns/add");
    for (const figure& f : figures) {
        std::printf("%-84s %10.1f %10.1f %10.0f\n", f.name.c_str(), f.usable_per_entry, f.with_headers_per_entry,
                    f.ns_per_add);
    }
    return 0;
}
