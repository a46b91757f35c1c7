// File: tools/redis_conformance/zset_memory.cpp
// Bytes per member of a sorted set of N members of 16 bytes (default 1,000,000), inserted in a
// seeded random order with random scores, for:
//   bptree::sorted_set on its bptree index (default node sizes, and the other sizes tried),
//   bptree::sorted_set on std::set,
//   std::set<pair<double, string>> + std::unordered_map<string, double> holding copies,
//   and, with --port, a real redis-server (INFO memory used_memory before and after a pipelined
//   ZADD of the same members; run through scripts/redis-conformance.sh, which starts it).
// Accounting: memory_measure.hpp (malloc_usable_size() of live blocks, the bytes the allocator set
// aside, which is also what Redis's used_memory sums through jemalloc; "+hdr" adds glibc's 8-byte
// chunk header per live block).

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bptree/sorted_set.hpp"
#include "memory_measure.hpp"

namespace {

using bptree_conformance::measure_heap;
using bptree_conformance::memory_figure;

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

memory_figure measure_redis(const input& in, int port) {
    return bptree_conformance::measure_redis_server(
        "redis-server 7.0 (used_memory, jemalloc)", port, in.members.size(),
        [&](bptree_conformance::resp_client& server) {
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
            if (static_cast<std::size_t>(server.call({"ZCARD", "zset"}).integer) != in.members.size()) {
                throw std::runtime_error("redis lost members");
            }
        });
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
    std::vector<memory_figure> figures;
    figures.push_back(measure_heap("bptree::sorted_set, bptree index (default: 1024/1024-byte nodes)", n,
                              [&] { return build_sorted_set<bptree::sorted_set<std::string>>(in); }));
    figures.push_back(measure_heap("bptree::sorted_set, bptree index, 256/512-byte nodes", n, [&] {
        return build_sorted_set<bptree::sorted_set<std::string, bptree::bptree_index<node_bytes<256, 512>>>>(in);
    }));
    figures.push_back(measure_heap("bptree::sorted_set, bptree index, 512/512-byte nodes", n, [&] {
        return build_sorted_set<bptree::sorted_set<std::string, bptree::bptree_index<node_bytes<512, 512>>>>(in);
    }));
    figures.push_back(measure_heap("bptree::sorted_set, bptree index, 2048/2048-byte nodes", n, [&] {
        return build_sorted_set<bptree::sorted_set<std::string, bptree::bptree_index<node_bytes<2048, 2048>>>>(in);
    }));
    figures.push_back(measure_heap("bptree::sorted_set, std::set index", n,
                              [&] { return build_sorted_set<bptree::sorted_set<std::string, bptree::std_set_index>>(in); }));
    figures.push_back(measure_heap("std::set<pair<double,string>> + unordered_map<string,double> (copies)", n,
                              [&] { return build_naive(in); }));
    if (port != 0) figures.push_back(measure_redis(in, port));

    std::printf("%zu members of 16 bytes, random order and scores (seed 42)\n", n);
    bptree_conformance::print_memory_table(figures, "mem", "insert");
    return 0;
}
