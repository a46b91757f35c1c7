// A small program for the gdb printer test (scripts/test-lanes/gdb.sh): it builds one object of
// every printed type, then stops in stop_here() where gdb prints them.
#include <cstdint>
#include <string>

#include <bptree/map.hpp>
#include <bptree/set.hpp>
#include <bptree/sorted_set.hpp>
#include <bptree/stream.hpp>
#include <bptree/time_series.hpp>

// Keeps the objects alive and gives gdb a place to stop.
__attribute__((noinline)) void stop_here(const void*) { asm volatile("" ::: "memory"); }

struct tiny_nodes : bptree::default_traits {
    static constexpr std::size_t leaf_slots = 3;
    static constexpr std::size_t inner_slots = 4;
};
struct stable_nodes : bptree::default_traits {
    static constexpr bool stable_values = true;
};

int main() {
    bptree::set<int> set{3, 1, 2};
    bptree::set<int> empty_set;
    bptree::multiset<int> multiset{2, 1, 2};
    bptree::map<int, std::string> map{{2, "two"}, {1, "one"}};
    bptree::multimap<int, int> multimap{{1, 10}, {1, 11}, {0, 5}};
    bptree::set<int, std::less<int>, std::allocator<int>, tiny_nodes> deep;
    for (int i = 0; i < 40; ++i) deep.insert(i * 10);
    bptree::set<std::int64_t> big;
    for (std::int64_t i = 0; i < 1000; ++i) big.insert(i * 3);
    bptree::map<int, double, std::less<int>, std::allocator<std::pair<const int, double>>, stable_nodes> stable{
        {7, 0.5}, {8, 1.5}};
    auto it = set.find(2);
    auto end = set.end();
    // Values that do not start at their leaf's first slot: pop_front leaves free slots before them.
    bptree::set<int> popped{1, 2, 3, 4, 5, 6};
    popped.pop_front();
    popped.pop_front();
    auto popped_it = popped.find(5);

    bptree::sorted_set<> board;
    board.add("ann", 1800);
    board.add("bob", 1720);
    bptree::sorted_set<std::string, bptree::std_set_index> board_std;
    board_std.add("cy", 1.5);

    bptree::time_series_options plain;
    plain.encoding = bptree::ts_encoding::uncompressed;
    bptree::time_series<> plain_series(plain);
    bptree::time_series<bptree::bptree_map_index> packed_series;  // compressed (the default)
    for (std::int64_t t = 0; t < 6; ++t) {
        plain_series.add(1000 + t * 10, 0.5 * static_cast<double>(t));
        packed_series.add(1000 + t * 10 + (t == 4 ? 3 : 0), t == 3 ? -2.25 : 20.0 + static_cast<double>(t));
    }

    // The same samples in a plain and in a compressed series of small chunks: the gdb check compares
    // the Gorilla decoder of the printer with the plain samples (every timestamp and value code).
    bptree::time_series_options small;
    small.chunk_size_bytes = 128;
    bptree::time_series_options small_plain = small;
    small_plain.encoding = bptree::ts_encoding::uncompressed;
    bptree::time_series<> plain_big(small_plain);
    bptree::time_series<> packed_big(small);
    const std::int64_t steps[] = {1, 1, 2, 50, 300, 3000, 100000, 5000000000LL, 1, 7};
    const double values[] = {1.0, 1.0, -0.0, 1e300, 3.25, 3.5, -7e-300, 42.0, 42.0, 0.1};
    std::uint64_t lcg = 12345;
    std::int64_t t = 0;
    for (int i = 0; i < 1500; ++i) {
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        t += steps[(lcg >> 33) % 10];
        const double v = (lcg >> 20) % 7 == 0 ? static_cast<double>(lcg >> 11) : values[(lcg >> 40) % 10];
        plain_big.add(t, v);
        packed_big.add(t, v);
    }

    bptree::stream<> events;
    events.add(bptree::stream_id{5, 1}, {{"temp", "21.5"}, {"room", "kitchen"}});
    events.add(bptree::stream_id{5, 2}, {{"temp", "22"}, {"room", "hall"}});
    events.add(bptree::stream_id{7, 0}, {{"door", "open"}});
    events.create_group("g1", bptree::stream_id{5, 1});
    bptree::stream<bptree::stream_std_map> events_std;
    events_std.add(bptree::stream_id{1, 0}, {{"k", "v"}});

    const void* all[] = {&set,       &empty_set,  &multiset, &map,        &multimap,  &deep,         &big,
                         &stable,    &it,         &end,      &board,      &board_std, &plain_series, &packed_series,
                         &plain_big, &packed_big, &events,   &events_std, &popped,    &popped_it};
    stop_here(all);
    return 0;
}
