// File: tools/redis_conformance/zset_memory.cpp
// Bytes per member of a sorted set of N members of 16 bytes (default 1,000,000), inserted in a
// seeded random order with random scores, for:
//   bptree::sorted_set on its bptree index (default node sizes, and the other sizes tried),
//   bptree::sorted_set on std::set,
//   std::set<pair<double, string>> + std::unordered_map<string, double> holding copies,
//   and, with --port, a real redis-server (INFO memory used_memory before and after a pipelined
//   ZADD of the same members; run through scripts/redis-conformance.sh, which starts it).
// Accounting: global operator new/delete are replaced to sum malloc_usable_size() of live blocks
// (the bytes the allocator set aside, which is also what Redis's used_memory sums through
// jemalloc); "+hdr" adds glibc's 8-byte chunk header per live block.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bptree/sorted_set.hpp"
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

struct input {
    std::vector<std::string> members;  // 16 bytes each
    std::vector<double> scores;
};

input make_input(std::size_t n, std::uint64_t seed) {
    input in;
    in.members.reserve(n);
    in.scores.reserve(n);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> score(0, 1e9);
    for (std::size_t i = 0; i < n; ++i) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "m%015zu", i);
        in.members.emplace_back(buf, 16);
        in.scores.push_back(score(rng));
    }
    std::shuffle(in.members.begin(), in.members.end(), rng);
    return in;
}

struct figure {
    std::string name;
    double usable_per_member;
    double with_headers_per_member;
    double ns_per_insert;  // indicative only: one run on a shared machine
};

template <class Build>
figure measure(const std::string& name, std::size_t n, Build&& build) {
    const std::size_t bytes_before = live_bytes;
    const std::size_t blocks_before = live_blocks;
    const auto start = std::chrono::steady_clock::now();
    auto container = build();
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    const double usable = static_cast<double>(live_bytes - bytes_before) / static_cast<double>(n);
    const double headers = static_cast<double>(live_blocks - blocks_before) * 8.0 / static_cast<double>(n);
    return {name, usable, usable + headers, took.count() / static_cast<double>(n)};
}

template <class ZSet>
ZSet build_sorted_set(const input& in) {
    ZSet s;
    for (std::size_t i = 0; i < in.members.size(); ++i) s.add(in.members[i], in.scores[i]);
    return s;
}

struct naive_zset {
    std::set<std::pair<double, std::string>> index;
    std::unordered_map<std::string, double> scores;
};

naive_zset build_naive(const input& in) {
    naive_zset z;
    for (std::size_t i = 0; i < in.members.size(); ++i) {
        z.index.emplace(in.scores[i], in.members[i]);
        z.scores.emplace(in.members[i], in.scores[i]);
    }
    return z;
}

template <std::size_t Leaf, std::size_t Inner>
struct node_bytes : bptree::default_traits {
    static constexpr std::size_t leaf_node_bytes = Leaf;
    static constexpr std::size_t inner_node_bytes = Inner;
};

long long used_memory(bptree_conformance::resp_client& server) {
    const auto info = server.call({"INFO", "memory"});
    const auto at = info.text.find("used_memory:");
    return std::stoll(info.text.substr(at + 12));
}

figure measure_redis(const input& in, int port) {
    bptree_conformance::resp_client server("127.0.0.1", port);
    server.call({"FLUSHALL"});
    const long long before = used_memory(server);
    const std::size_t batch = 1000;
    std::size_t pending = 0;
    for (std::size_t i = 0; i < in.members.size(); i += batch) {
        std::vector<std::string> argv{"ZADD", "zset"};
        for (std::size_t j = i; j < std::min(i + batch, in.members.size()); ++j) {
            char score[32];
            std::snprintf(score, sizeof score, "%.17g", in.scores[j]);
            argv.emplace_back(score);
            argv.push_back(in.members[j]);
        }
        server.send(argv);
        if (++pending == 64) {  // keep the pipeline bounded
            for (; pending > 0; --pending) server.read_reply();
        }
    }
    for (; pending > 0; --pending) server.read_reply();
    const long long card = server.call({"ZCARD", "zset"}).integer;
    const long long after = used_memory(server);
    server.call({"FLUSHALL"});
    if (static_cast<std::size_t>(card) != in.members.size()) throw std::runtime_error("redis lost members");
    const double per = static_cast<double>(after - before) / static_cast<double>(in.members.size());
    return {"redis-server 7.0 (used_memory, jemalloc)", per, per, 0};
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 1000000;
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--members") n = std::stoul(argv[i + 1]);
        else if (arg == "--port") port = std::stoi(argv[i + 1]);
    }
    const input in = make_input(n, 42);
    std::vector<figure> figures;
    figures.push_back(measure("bptree::sorted_set, bptree index (default: 1024/1024-byte nodes)", n,
                              [&] { return build_sorted_set<bptree::sorted_set<std::string>>(in); }));
    figures.push_back(measure("bptree::sorted_set, bptree index, 256/512-byte nodes", n, [&] {
        return build_sorted_set<bptree::sorted_set<std::string, bptree::bptree_index<node_bytes<256, 512>>>>(in);
    }));
    figures.push_back(measure("bptree::sorted_set, bptree index, 512/512-byte nodes", n, [&] {
        return build_sorted_set<bptree::sorted_set<std::string, bptree::bptree_index<node_bytes<512, 512>>>>(in);
    }));
    figures.push_back(measure("bptree::sorted_set, bptree index, 2048/2048-byte nodes", n, [&] {
        return build_sorted_set<bptree::sorted_set<std::string, bptree::bptree_index<node_bytes<2048, 2048>>>>(in);
    }));
    figures.push_back(measure("bptree::sorted_set, std::set index", n,
                              [&] { return build_sorted_set<bptree::sorted_set<std::string, bptree::std_set_index>>(in); }));
    figures.push_back(measure("std::set<pair<double,string>> + unordered_map<string,double> (copies)", n,
                              [&] { return build_naive(in); }));
    if (port != 0) figures.push_back(measure_redis(in, port));

    std::printf("%zu members of 16 bytes, random order and scores (seed 42)\n", n);
    std::printf("%-72s %10s %10s %10s\n", "layout", "bytes/mem", "+hdr", "ns/insert");
    for (const figure& f : figures) {
        std::printf("%-72s %10.1f %10.1f %10.0f\n", f.name.c_str(), f.usable_per_member, f.with_headers_per_member,
                    f.ns_per_insert);
    }
    return 0;
}
