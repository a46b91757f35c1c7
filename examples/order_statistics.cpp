// Order statistics in O(log n): rank(key), nth(i) and index_of(it) make positions cheap, which
// std::set can only answer with std::distance (O(n)). A leaderboard, percentiles and pagination.
#include <bptree/map.hpp>
#include <bptree/set.hpp>

#include <cstdio>
#include <functional>
#include <string>
#include <utility>

#include "check.hpp"

int main() {
    // Scores in descending order; ties broken by name.
    using entry = std::pair<int, std::string>;
    bptree::set<entry, std::greater<entry>> board;
    const char* names[] = {"ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jo"};
    for (int i = 0; i < 10; ++i) board.insert({1000 + 37 * ((i * 7) % 10), names[i]});

    // Position of a player (0-based rank) and the player at a position.
    const auto eve = board.find({1000 + 37 * ((4 * 7) % 10), "eve"});
    const std::size_t place = board.index_of(eve);
    std::printf("eve is #%zu with %d points\n", place + 1, eve->first);
    EXAMPLE_CHECK(board.nth(place) == eve);

    // How many players score more than 1200? rank(k) counts the values ordered before k.
    const std::size_t above = board.rank({1200, ""});
    std::printf("%zu players above 1200 points\n", above);
    EXAMPLE_CHECK(above == 4);  // 1333, 1296, 1259, 1222

    // Page 2 of the leaderboard, 3 per page: one O(log n) jump, then iteration.
    std::printf("page 2:");
    auto it = board.nth(3);
    for (int i = 0; i < 3 && it != board.end(); ++i, ++it) std::printf(" %s(%d)", it->second.c_str(), it->first);
    std::printf("\n");

    // Percentiles of a large sample, each in O(log n).
    bptree::multiset<long> latencies;
    for (long i = 0; i < 100000; ++i) latencies.insert((i * 7919) % 5000);
    const auto percentile = [&](double p) {
        return *latencies.nth(static_cast<std::size_t>(p * static_cast<double>(latencies.size() - 1)));
    };
    std::printf("p50=%ld p99=%ld p99.9=%ld\n", percentile(0.5), percentile(0.99), percentile(0.999));
    EXAMPLE_CHECK(percentile(0.5) == 2499 && percentile(0.99) == 4949);

    // A map works the same way: the index of a key among all keys.
    bptree::map<std::string, int> ages{{"zed", 40}, {"amy", 31}, {"max", 25}};
    EXAMPLE_CHECK(ages.rank("max") == 1 && ages.nth(2)->first == "zed");
    std::printf("order_statistics: ok\n");
    return 0;
}
