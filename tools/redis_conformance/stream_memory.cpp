// File: tools/redis_conformance/stream_memory.cpp
// Bytes per entry of a stream of N entries (default 1,000,000) of 3 short fields
//   {"user": "u<6 digits>", "action": "click"|"view"|"buy"|"share", "page": "/p<3 digits>"}
// with explicit IDs (50 entries per millisecond), for:
//   bptree::stream on std::map and on bptree::map, each with and without the sharing of field
//   names with the node's master entry (stream_config::share_field_names),
//   and, with --port, a real redis-server (INFO memory used_memory before and after pipelined
//   XADDs of the same entries; run it through scripts/redis-conformance.sh, which starts it).
// Accounting: memory_measure.hpp (malloc_usable_size() of live blocks, what Redis's used_memory
// sums through jemalloc; "+hdr" adds glibc's 8-byte chunk header per live block).
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bptree/stream.hpp"
#include "memory_measure.hpp"

namespace {

using bptree_conformance::memory_figure;

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

template <class Backend>
memory_figure measure(const std::string& name, const std::vector<input_entry>& in, bool share) {
    return bptree_conformance::measure_heap(name, in.size(), [&] {
        bptree::stream<Backend> s(bptree::stream_config{4096, 100, share});
        for (const input_entry& e : in) s.add_flat(e.id, e.flat.begin(), e.flat.end());
        if (s.size() != in.size()) throw std::runtime_error("the stream lost entries");
        return s;
    });
}

memory_figure measure_redis(const std::vector<input_entry>& in, int port) {
    return bptree_conformance::measure_redis_server(
        "redis-server 7.0 (used_memory, jemalloc; listpacks of 4096 bytes / 100 entries)", port, in.size(),
        [&](bptree_conformance::resp_client& server) {
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
            if (static_cast<std::size_t>(server.call({"XLEN", "stream"}).integer) != in.size()) {
                throw std::runtime_error("redis lost entries");
            }
        });
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
    std::vector<memory_figure> figures;
    figures.push_back(measure<bptree::stream_std_map>("bptree::stream on std::map, shared field names", in, true));
    figures.push_back(measure<bptree::stream_std_map>("bptree::stream on std::map, names in every entry", in, false));
    figures.push_back(measure<bptree::stream_bptree_map<>>("bptree::stream on bptree::map, shared field names", in, true));
    figures.push_back(measure<bptree::stream_bptree_map<>>("bptree::stream on bptree::map, names in every entry", in, false));
    if (port != 0) figures.push_back(measure_redis(in, port));

    std::printf("%zu entries of 3 short fields (user, action, page), 50 per millisecond (seed 42)\n", n);
    bptree_conformance::print_memory_table(figures, "ent", "add");
    return 0;
}
