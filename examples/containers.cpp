// bptree::set, multiset, map and multimap used as std::set / std::map, plus what a B+ tree adds:
// O(1) ends, bulk load from sorted input, range erase, verify() and stats().
#include <bptree/map.hpp>
#include <bptree/set.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"

int main() {
    // A map is a drop-in std::map: *it is a real std::pair<const Key, T>&.
    bptree::map<std::string, int> stock{{"apple", 3}, {"pear", 0}, {"fig", 12}};
    stock["kiwi"] = 7;
    stock.try_emplace("apple", 100);    // no effect: "apple" is present
    stock.insert_or_assign("pear", 5);  // assigns
    for (auto& [fruit, count] : stock) count += 1;
    for (const auto& [fruit, count] : stock) std::printf("%s=%d ", fruit.c_str(), count);
    std::printf("\n");
    EXAMPLE_CHECK(stock.at("apple") == 4 && stock.at("pear") == 6 && stock.size() == 4);

    // Heterogeneous lookup with a transparent comparator: no std::string is built to search.
    bptree::set<std::string, std::less<>> words{"delta", "alpha", "charlie", "bravo"};
    constexpr std::string_view probe = "charlie";
    EXAMPLE_CHECK(words.contains(probe) && words.find(probe) != words.end());

    // Node handles move values between containers; erase_if is found by ADL.
    bptree::set<std::string, std::less<>> archive;
    archive.insert(words.extract("alpha"));
    EXAMPLE_CHECK(archive.size() == 1 && !words.contains("alpha"));
    const auto removed = erase_if(words, [](const std::string& w) { return w.size() == 5; });
    EXAMPLE_CHECK(removed == 2 && words.size() == 1);  // "delta", "bravo" had 5 letters

    // Multi containers keep equivalent keys in insertion order, like std::multimap.
    bptree::multimap<int, std::string> by_priority{{2, "write docs"}, {1, "fix bug"}, {2, "review"}};
    auto [first, last] = by_priority.equal_range(2);
    EXAMPLE_CHECK(first->second == "write docs" && std::next(first)->second == "review" && std::next(first, 2) == last);
    bptree::multiset<int> rolls{6, 1, 6, 3, 6};
    EXAMPLE_CHECK(rolls.count(6) == 3);

    // O(1) ends and pops: the first and last leaves are cached.
    bptree::set<int> queue{5, 1, 9, 3};
    EXAMPLE_CHECK(queue.front() == 1 && queue.back() == 9);
    queue.pop_front();
    queue.pop_back();
    EXAMPLE_CHECK(queue.front() == 3 && queue.back() == 5);

    // Bulk load from sorted input: O(n), nodes filled densely. Range erase drops whole leaves.
    std::vector<long> sorted;
    for (long i = 0; i < 100000; ++i) sorted.push_back(i * 2);
    bptree::set<long> evens(bptree::sorted_unique, sorted.begin(), sorted.end());
    evens.erase(evens.lower_bound(1000), evens.lower_bound(199000));
    EXAMPLE_CHECK(evens.size() == 500 + 500 && *evens.nth(500) == 199000);

    // Invariants and shape: verify() throws std::logic_error naming a broken invariant. The pool
    // keeps freed nodes for reuse; shrink_to_fit() rebuilds densely and returns the spare memory.
    evens.verify();
    evens.shrink_to_fit();
    const bptree::tree_stats st = evens.stats();
    std::printf("evens: %zu values, height %zu, %zu leaves, %.0f%% leaf fill, %zu bytes allocated\n", st.size,
                st.height, st.leaf_nodes, st.leaf_fill * 100, st.bytes_allocated);
    EXAMPLE_CHECK(st.size == evens.size());

    // Inserting or erasing invalidates every iterator: use the iterator the member returns.
    for (auto it = evens.begin(); it != evens.end();) it = (*it % 4 == 0) ? evens.erase(it) : std::next(it);
    EXAMPLE_CHECK(evens.size() == 500 && *evens.begin() == 2);
    std::printf("containers: ok\n");
    return 0;
}
