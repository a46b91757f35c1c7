// bptree::sorted_set: the Redis sorted set (ZSET) as a C++ container, and the command layer that
// answers Redis commands over it (bptree::redis::execute).
#include <bptree/redis.hpp>
#include <bptree/sorted_set.hpp>

#include <cstdio>
#include <optional>
#include <string>

#include "check.hpp"

int main() {
    bptree::sorted_set<> board;  // members are std::string, the index a bptree::set
    board.add({{1500, "ann"}, {1720, "bob"}, {1610, "cy"}, {990, "dee"}});
    board.incr_by("ann", 300);  // ZINCRBY board 300 ann -> 1800
    EXAMPLE_CHECK(board.score("ann") == 1800.0);
    EXAMPLE_CHECK(board.rank("cy") == 1u && board.rev_rank("ann") == 0u);  // ZRANK, ZREVRANK

    // ZADD with options: GT only raises scores, NX only adds.
    bptree::zadd_options gt;
    gt.gt = true;
    board.add("bob", 1000, gt);  // lower: ignored
    EXAMPLE_CHECK(board.score("bob") == 1720.0);

    // ZREVRANGE board 0 2 WITHSCORES
    std::printf("top 3:");
    for (const auto& e : board.range_by_rank(0, 2, bptree::range_direction::reverse))
        std::printf(" %s(%g)", e.member.c_str(), e.score);
    std::printf("\n");

    // ZCOUNT board 1000 (1800   and   ZRANGEBYSCORE board 1000 +inf LIMIT 0 1
    bptree::score_range r;
    r.min = {1000};
    r.max = {1800, /*exclusive*/ true};
    EXAMPLE_CHECK(board.count(r) == 2);  // cy 1610, bob 1720
    bptree::range_limit first_only;
    first_only.count = 1;
    const auto lowest = board.range_by_score({{1000}, {1e9}}, bptree::range_direction::forward, first_only);
    EXAMPLE_CHECK(lowest.size() == 1 && lowest.begin()->member == "cy");

    // ZPOPMIN board
    const auto popped = board.pop_min();
    EXAMPLE_CHECK(popped.size() == 1 && popped[0].member == "dee" && board.size() == 3);

    // Errors are Redis's: NX with XX throws bptree::error with Redis's text; nothing changes.
    try {
        board.add("eve", 1, bptree::zadd_options{true, true, false, false, false});  // NX and XX
        EXAMPLE_CHECK(false);
    } catch (const bptree::error& e) {
        std::printf("error: %s\n", e.what());
    }

    // The command layer: argv in, the reply Redis 7.0 would send out. The optional is the key's
    // slot in a server's keyspace (empty: the key does not exist).
    std::optional<bptree::sorted_set<>> key;
    bptree::redis::execute(key, {"ZADD", "lb", "10", "x", "20", "y"});
    const bptree::redis::reply reply = bptree::redis::execute(key, {"ZRANGE", "lb", "0", "-1", "WITHSCORES"});
    EXAMPLE_CHECK(reply.kind == bptree::redis::reply::type::array && reply.elements.size() == 4);
    std::printf("ZRANGE lb 0 -1 WITHSCORES:");
    for (const auto& element : reply.elements) std::printf(" %s", element.text.c_str());
    std::printf("\n");
    // to_resp() gives the bytes to send to the client (RESP2).
    EXAMPLE_CHECK(bptree::redis::to_resp(reply) == "*4\r\n$1\r\nx\r\n$2\r\n10\r\n$1\r\ny\r\n$2\r\n20\r\n");
    std::printf("sorted_set: ok\n");
    return 0;
}
