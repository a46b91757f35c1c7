// The sorted-set command layer: bptree::redis::execute on a key's slot. Replies are written in
// the transcript notation (nil, :n, "bulk", -"error", [...]) so each expectation reads like
// redis-cli output; all of them agree with redis-server 7.0.15 (the conformance tool checks the
// same behaviours against a live server).
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bptree/redis.hpp"
#include "bptree/sorted_set.hpp"
#include "transcript.hpp"

namespace {

using bptree::redis::reply;

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// One key's slot and the commands run on it.
template <class ZSet = bptree::sorted_set<std::string>>
struct session {
    std::optional<ZSet> key;

    std::string run(const std::vector<std::string>& argv) {
        return bptree_conformance::format_reply(bptree::redis::execute(key, argv));
    }
    std::string operator()(const std::string& line) { return run(split(line)); }
};

}  // namespace

TEST_CASE("ZADD replies and options", "[redis][zset][zadd]") {
    session<> s;
    CHECK(s("ZADD k 1 a 2 b") == ":2");
    CHECK(s("zadd k 3 a 4 c") == ":1");
    CHECK(s("ZADD k CH 3 a 5 b 6 d") == ":2");
    CHECK(s("ZADD k NX 100 a 7 e") == ":1");
    CHECK(s("ZADD k XX 100 zz") == ":0");
    CHECK(s("ZADD k XX CH 8 a") == ":1");
    CHECK(s("ZADD k GT CH 1 a 9 b") == ":1");
    CHECK(s("ZADD k LT CH 1 a 90 b") == ":1");
    CHECK(s("ZADD k INCR 2 a") == "\"3\"");
    CHECK(s("ZADD k NX INCR 2 a") == "nil");
    CHECK(s("ZADD k XX INCR 2 nobody") == "nil");
    CHECK(s("ZADD k GT INCR -1 a") == "nil");
    CHECK(s("ZADD k 0.1 f") == ":1");
    CHECK(s("ZSCORE k f") == "\"0.10000000000000001\"");
    CHECK(s("ZRANGE k 0 -1 WITHSCORES") ==
          R"(["f" "0.10000000000000001" "a" "3" "c" "4" "d" "6" "e" "7" "b" "9"])");
}

TEST_CASE("ZADD's errors, in Redis's order", "[redis][zset][zadd][errors]") {
    session<> s;
    s("ZADD k 1 a");
    CHECK(s("ZADD k") == R"(-"ERR wrong number of arguments for 'zadd' command")");
    CHECK(s("ZADD k NX") == R"(-"ERR wrong number of arguments for 'zadd' command")");
    CHECK(s("ZADD k NX 1") == R"(-"ERR syntax error")");
    CHECK(s("ZADD k 1 a 2") == R"(-"ERR syntax error")");
    CHECK(s("ZADD k NX XX 1 a") == R"(-"ERR XX and NX options at the same time are not compatible")");
    CHECK(s("ZADD k NX GT 1 a") == R"(-"ERR GT, LT, and/or NX options at the same time are not compatible")");
    CHECK(s("ZADD k GT LT 1 a") == R"(-"ERR GT, LT, and/or NX options at the same time are not compatible")");
    CHECK(s("ZADD k INCR 1 a 2 b") == R"(-"ERR INCR option supports a single increment-element pair")");
    CHECK(s("ZADD k 1 b x c") == R"(-"ERR value is not a valid float")");
    CHECK(s("ZADD k nan a") == R"(-"ERR value is not a valid float")");
    CHECK(s("ZADD k 1e400 a") == R"(-"ERR value is not a valid float")");
    CHECK(s("ZADD k inf i") == ":1");
    CHECK(s("ZADD k INCR -inf i") == R"~(-"ERR resulting score is not a number (NaN)")~");
    CHECK(s("ZRANGE k 0 -1 WITHSCORES") == R"(["a" "1" "i" "inf"])");
}

TEST_CASE("ZINCRBY shares ZADD's parser", "[redis][zset][zincrby]") {
    session<> s;
    CHECK(s("ZINCRBY k 2.5 a") == "\"2.5\"");
    CHECK(s("ZINCRBY k -1 a") == "\"1.5\"");
    CHECK(s("ZINCRBY k nx a") == R"(-"ERR syntax error")");
    CHECK(s("ZINCRBY k x a") == R"(-"ERR value is not a valid float")");
    CHECK(s("ZINCRBY k 1") == R"(-"ERR wrong number of arguments for 'zincrby' command")");
    CHECK(s("ZINCRBY k -0 z") == "\"-0\"");  // the computed value; stored as 0
    CHECK(s("ZSCORE k z") == "\"0\"");
}

TEST_CASE("lookups: ZSCORE ZMSCORE ZCARD ZRANK ZREVRANK, on present and missing keys", "[redis][zset][lookup]") {
    session<> s;
    CHECK(s("ZSCORE k a") == "nil");
    CHECK(s("ZMSCORE k a b") == "[nil nil]");
    CHECK(s("ZCARD k") == ":0");
    CHECK(s("ZRANK k a") == "nil");
    s("ZADD k 1 a 2 b 3 c");
    CHECK(s("ZSCORE k b") == "\"2\"");
    CHECK(s("ZMSCORE k c nobody a") == R"(["3" nil "1"])");
    CHECK(s("ZCARD k") == ":3");
    CHECK(s("ZRANK k a") == ":0");
    CHECK(s("ZREVRANK k a") == ":2");
    CHECK(s("ZRANK k nobody") == "nil");
    CHECK(s("ZRANK k a WITHSCORE") == R"(-"ERR wrong number of arguments for 'zrank' command")");
    CHECK(s("ZCARD k x") == R"(-"ERR wrong number of arguments for 'zcard' command")");
}

TEST_CASE("ZCOUNT and ZLEXCOUNT parse their bounds before reading the key", "[redis][zset][count]") {
    session<> s;
    CHECK(s("ZCOUNT k x 1") == R"(-"ERR min or max is not a float")");
    CHECK(s("ZCOUNT k 1 2") == ":0");
    CHECK(s("ZLEXCOUNT k a b") == R"(-"ERR min or max not valid string range item")");
    s("ZADD k 1 a 2 b 3 c 4 d");
    CHECK(s("ZCOUNT k -inf +inf") == ":4");
    CHECK(s("ZCOUNT k (1 3") == ":2");
    CHECK(s("ZCOUNT k (1 (3") == ":1");
    CHECK(s("ZCOUNT k 3 1") == ":0");
    CHECK(s("ZCOUNT k (nan 1") == R"(-"ERR min or max is not a float")");
    CHECK(s("ZCOUNT k 0x1 2") == ":2");  // strtod reads hex
    CHECK(s.run({"ZCOUNT", "k", "", "1"}) == ":1");  // an empty bound reads as 0
    CHECK(s.run({"ZCOUNT", "k", " 2", "1e400"}) == ":3");  // leading space and overflow to inf
    session<> lex;
    lex("ZADD l 0 a 0 b 0 c 0 d");
    CHECK(lex("ZLEXCOUNT l - +") == ":4");
    CHECK(lex("ZLEXCOUNT l [b (d") == ":2");
    CHECK(lex("ZLEXCOUNT l + -") == ":0");
    CHECK(lex("ZLEXCOUNT l -a +") == R"(-"ERR min or max not valid string range item")");
    CHECK(lex.run({"ZLEXCOUNT", "l", "", "+"}) == R"(-"ERR min or max not valid string range item")");
}

TEST_CASE("ZRANGE by index, BYSCORE and BYLEX, with REV, LIMIT and WITHSCORES", "[redis][zset][zrange]") {
    session<> s;
    s("ZADD k 1 a 2 b 3 c 4 d 5 e");
    CHECK(s("ZRANGE k 0 1") == R"(["a" "b"])");
    CHECK(s("ZRANGE k -2 -1 WITHSCORES") == R"(["d" "4" "e" "5"])");
    CHECK(s("ZRANGE k 0 1 REV") == R"(["e" "d"])");
    CHECK(s("ZRANGE k (1 4 BYSCORE") == R"(["b" "c" "d"])");
    CHECK(s("ZRANGE k 4 (1 BYSCORE REV LIMIT 1 2") == R"(["c" "b"])");
    CHECK(s("ZRANGE k -inf +inf byscore limit 3 -1 withscores") == R"(["d" "4" "e" "5"])");
    CHECK(s("ZRANGE k -inf +inf BYSCORE LIMIT -1 2") == "[]");
    CHECK(s("ZRANGE k 0 -1 LIMIT 0 1") ==
          R"(-"ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")");
    CHECK(s("ZRANGE k 0 -1 LIMIT 5 -1") == R"(["a" "b" "c" "d" "e"])");  // Redis reads count -1 as "no LIMIT"
    CHECK(s("ZRANGE k - + BYLEX WITHSCORES") ==
          R"(-"ERR syntax error, WITHSCORES not supported in combination with BYLEX")");
    CHECK(s("ZRANGE k 0 -1 REV REV") == R"(-"ERR syntax error")");
    CHECK(s("ZRANGE k 0 -1 BYSCORE BYLEX") == R"(-"ERR syntax error")");
    CHECK(s("ZRANGE k 0 -1 LIMIT 1") == R"(-"ERR syntax error")");
    CHECK(s("ZRANGE k 0 -1 BYSCORE LIMIT x 1") == R"(-"ERR value is not an integer or out of range")");
    CHECK(s("ZRANGE k a 1") == R"(-"ERR value is not an integer or out of range")");
    CHECK(s("ZRANGE k [a 1 BYSCORE") == R"(-"ERR min or max is not a float")");
    CHECK(s("ZRANGE k 0") == R"(-"ERR wrong number of arguments for 'zrange' command")");
    session<> missing;
    CHECK(missing("ZRANGE nokey 0 -1") == "[]");
}

TEST_CASE("the older range commands fix their kind and direction", "[redis][zset][zrange]") {
    session<> s;
    s("ZADD k 1 a 2 b 3 c");
    CHECK(s("ZRANGEBYSCORE k 2 +inf WITHSCORES") == R"(["b" "2" "c" "3"])");
    CHECK(s("ZREVRANGEBYSCORE k +inf 2") == R"(["c" "b"])");
    CHECK(s("ZREVRANGEBYSCORE k 2 +inf") == "[]");
    CHECK(s("ZRANGEBYSCORE k 0 10 LIMIT 1 1") == R"(["b"])");
    CHECK(s("ZRANGEBYSCORE k 0 10 REV") == R"(-"ERR syntax error")");
    CHECK(s("ZRANGEBYSCORE k 0 10 BYSCORE") == R"(-"ERR syntax error")");
    CHECK(s("ZREVRANGE k 0 0 WITHSCORES") == R"(["c" "3"])");
    CHECK(s("ZREVRANGE k 0 -1 LIMIT 0 1") ==
          R"(-"ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")");
    session<> l;
    l("ZADD l 0 a 0 b 0 c 0 d");
    CHECK(l("ZRANGEBYLEX l [b +") == R"(["b" "c" "d"])");
    CHECK(l("ZREVRANGEBYLEX l + [b LIMIT 0 2") == R"(["d" "c"])");
    CHECK(l("ZRANGEBYLEX l - + WITHSCORES") ==
          R"(-"ERR syntax error, WITHSCORES not supported in combination with BYLEX")");
    CHECK(l("ZRANGEBYLEX l b +") == R"(-"ERR min or max not valid string range item")");
}

TEST_CASE("ZREMRANGEBY* remove, and an emptied set empties the slot", "[redis][zset][remove]") {
    session<> s;
    s("ZADD k 1 a 2 b 3 c 4 d 5 e");
    CHECK(s("ZREMRANGEBYRANK k 0 1") == ":2");
    CHECK(s("ZREMRANGEBYSCORE k (3 4") == ":1");
    CHECK(s("ZREMRANGEBYRANK k x 1") == R"(-"ERR value is not an integer or out of range")");
    CHECK(s("ZREMRANGEBYSCORE k a 1") == R"(-"ERR min or max is not a float")");
    CHECK(s("ZRANGE k 0 -1") == R"(["c" "e"])");
    CHECK(s("ZREMRANGEBYSCORE k -inf +inf") == ":2");
    CHECK_FALSE(s.key.has_value());
    CHECK(s("ZREMRANGEBYRANK k 0 -1") == ":0");
    CHECK(s("ZREMRANGEBYLEX k - +") == ":0");
    CHECK(s("ZREMRANGEBYLEX k a +") == R"(-"ERR min or max not valid string range item")");
    s("ZADD k 0 a 0 b");
    CHECK(s("ZREMRANGEBYLEX k - [a") == ":1");
    CHECK(s("ZREM k b x") == ":1");
    CHECK_FALSE(s.key.has_value());
    CHECK(s("ZREM k b") == ":0");
}

TEST_CASE("ZPOPMIN and ZPOPMAX", "[redis][zset][pop]") {
    session<> s;
    CHECK(s("ZPOPMIN k") == "[]");
    CHECK(s("ZPOPMIN k -1") == R"(-"ERR value is out of range, must be positive")");
    s("ZADD k 1 a 2 b 3 c");
    CHECK(s("ZPOPMIN k") == R"(["a" "1"])");
    CHECK(s("ZPOPMAX k 5") == R"(["c" "3" "b" "2"])");
    CHECK_FALSE(s.key.has_value());
    s("ZADD k 1 a");
    CHECK(s("ZPOPMIN k 0") == "[]");
    CHECK(s("ZPOPMIN k x") == R"(-"ERR value is out of range, must be positive")");
    CHECK(s("ZPOPMIN k 1 2") == R"(-"ERR syntax error")");
    CHECK(s("ZCARD k") == ":1");
}

TEST_CASE("ZRANDMEMBER", "[redis][zset][random]") {
    session<> s;
    CHECK(s("ZRANDMEMBER k") == "nil");
    CHECK(s("ZRANDMEMBER k 3") == "[]");
    CHECK(s("ZRANDMEMBER k x") == R"(-"ERR value is not an integer or out of range")");
    s("ZADD k 1 a 2 b 3 c");
    const std::string one = s("ZRANDMEMBER k");
    CHECK((one == "\"a\"" || one == "\"b\"" || one == "\"c\""));
    CHECK(s("ZRANDMEMBER k 5 WITHSCORES") == R"(["a" "1" "b" "2" "c" "3"])");
    CHECK(s("ZRANDMEMBER k 0") == "[]");
    const reply drawn = bptree::redis::execute(s.key, {"ZRANDMEMBER", "k", "-7", "withscores"});
    CHECK(drawn.elements.size() == 14);
    CHECK(s("ZRANDMEMBER k 1 SCORES") == R"(-"ERR syntax error")");
    CHECK(s("ZRANDMEMBER k 1 WITHSCORES x") == R"(-"ERR syntax error")");
    CHECK(s("ZRANDMEMBER k -4611686018427387904 WITHSCORES") == R"(-"ERR value is out of range")");
}

TEST_CASE("ZSCAN: whole small sets, pages of large ones, MATCH and COUNT", "[redis][zset][scan]") {
    session<> s;
    CHECK(s("ZSCAN k 0 COUNT 0") == R"(["0" []])");  // a missing key hides bad options, as in Redis
    CHECK(s("ZSCAN k x") == R"(-"ERR invalid cursor")");
    s("ZADD k 1 a 2 b 3 ab");
    CHECK(s("ZSCAN k 0") == R"(["0" ["a" "1" "b" "2" "ab" "3"]])");
    CHECK(s("ZSCAN k 7 MATCH a* COUNT 1") == R"(["0" ["a" "1" "ab" "3"]])");  // a listpack-sized set: all at once
    CHECK(s("ZSCAN k -1") == R"(["0" ["a" "1" "b" "2" "ab" "3"]])");
    CHECK(s("ZSCAN k 0 COUNT 0") == R"(-"ERR syntax error")");
    CHECK(s("ZSCAN k 0 MATCH") == R"(-"ERR syntax error")");
    CHECK(s("ZSCAN k 0 COUNT x") == R"(-"ERR value is not an integer or out of range")");
    CHECK(s.run({"ZSCAN", "k", " 1"}) == R"(-"ERR invalid cursor")");
    CHECK(s("ZSCAN k 18446744073709551616") == R"(-"ERR invalid cursor")");
    // Beyond 128 members Redis pages; bptree pages by rank.
    for (int i = 0; i < 200; ++i) bptree::redis::execute(s.key, {"ZADD", "k", std::to_string(i), "m" + std::to_string(i)});
    const reply page = bptree::redis::execute(s.key, {"ZSCAN", "k", "0", "COUNT", "50"});
    REQUIRE(page.elements.size() == 2);
    CHECK(page.elements[0].text == "50");
    CHECK(page.elements[1].elements.size() == 100);
}

TEST_CASE("unknown commands and wrong arity", "[redis][zset][errors]") {
    session<> s;
    CHECK(s("ZFOO k a") == R"(-"ERR unknown command 'ZFOO', with args beginning with: 'k' 'a' ")");
    CHECK(s("ZSCORE") == R"(-"ERR wrong number of arguments for 'zscore' command")");
    CHECK(s("zMsCoRe k") == R"(-"ERR wrong number of arguments for 'zmscore' command")");
    CHECK(s.run({}) == R"(-"ERR unknown command '', with args beginning with: ")");
}

TEST_CASE("a failed command changes nothing", "[redis][zset][errors]") {
    session<> s;
    s("ZADD k 1 a 2 b 3 c inf i");
    const auto before = *s.key;
    const char* failing[] = {
        "ZADD k 1 a 2",       "ZADD k NX XX 5 a",     "ZADD k GT LT 5 a",          "ZADD k 5 a x b",
        "ZADD k INCR 1 a 1 b", "ZINCRBY k -inf i",    "ZADD k INCR -inf i",        "ZINCRBY k x a",
        "ZREM k",             "ZRANGE k 0 -1 FOO",    "ZREMRANGEBYRANK k 0 x",     "ZREMRANGEBYSCORE k x 1",
        "ZREMRANGEBYLEX k x +", "ZPOPMIN k -1",       "ZPOPMAX k 1 2",             "ZRANDMEMBER k 1 X",
        "ZSCAN k 0 COUNT 0",  "ZNOPE k",              "ZADD k nan a",              "ZREMRANGEBYRANK k 0",
    };
    for (const char* line : failing) {
        INFO(line);
        CHECK(s(line).rfind("-\"ERR", 0) == 0);
        REQUIRE(s.key.has_value());
        CHECK(*s.key == before);
        s.key->verify();
    }
    std::optional<bptree::sorted_set<std::string>> missing;
    for (const char* line : {"ZADD k NX XX 1 a", "ZADD k 1 a x", "ZINCRBY k x a", "ZADD k INCR 1 a 2 b"}) {
        CHECK(bptree::redis::execute(missing, split(line)).is_error());
        CHECK_FALSE(missing.has_value());
    }
}

TEST_CASE("commands on a missing key create it only where Redis does", "[redis][zset]") {
    session<> s;
    CHECK(s("ZADD k XX 1 a") == ":0");
    CHECK_FALSE(s.key.has_value());
    CHECK(s("ZADD k XX INCR 1 a") == "nil");
    CHECK_FALSE(s.key.has_value());
    for (const char* read : {"ZRANGE k 0 -1", "ZCOUNT k 0 1", "ZPOPMAX k 3", "ZREM k a", "ZSCAN k 0"}) {
        s(read);
        CHECK_FALSE(s.key.has_value());
    }
    CHECK(s("ZINCRBY k 1 a") == "\"1\"");
    CHECK(s.key.has_value());
}

TEST_CASE("execute runs on the std::set backend with the same replies", "[redis][zset]") {
    session<bptree::sorted_set<std::string, bptree::std_set_index>> a;
    session<> b;
    const char* script[] = {"ZADD k 1 a 2 b 3 c 4 d", "ZINCRBY k 10 a", "ZRANGE k 0 -1 WITHSCORES",
                            "ZRANGE k 1 +inf BYSCORE LIMIT 1 2", "ZREVRANK k b", "ZCOUNT k (2 +inf",
                            "ZREMRANGEBYRANK k 0 0", "ZPOPMAX k 2", "ZRANGE k 0 -1"};
    for (const char* line : script) CHECK(a(line) == b(line));
}

TEST_CASE("to_resp encodes sorted-set replies as RESP2", "[redis][zset]") {
    std::optional<bptree::sorted_set<std::string>> key;
    CHECK(bptree::redis::to_resp(bptree::redis::execute(key, {"ZADD", "k", "1.5", "a"})) == ":1\r\n");
    CHECK(bptree::redis::to_resp(bptree::redis::execute(key, {"ZRANGE", "k", "0", "-1", "WITHSCORES"})) ==
          "*2\r\n$1\r\na\r\n$3\r\n1.5\r\n");
    CHECK(bptree::redis::to_resp(bptree::redis::execute(key, {"ZSCORE", "k", "x"})) == "$-1\r\n");
}

TEST_CASE("multi-key commands through execute_multi_key", "[redis][zset][multikey]") {
    using zset = bptree::sorted_set<std::string>;
    std::map<std::string, std::optional<zset>> keys;
    const auto run = [&](const std::string& line) {
        return bptree_conformance::format_reply(bptree::redis::execute_multi_key<zset>(
            [&](const std::string& k) -> std::optional<zset>& { return keys[k]; }, split(line)));
    };
    bptree::redis::execute(keys["a"], split("ZADD a 1 x 2 y inf i"));
    bptree::redis::execute(keys["b"], split("ZADD b 10 y 20 z -inf i"));
    CHECK(run("ZUNION 2 a b WITHSCORES") == R"(["i" "0" "x" "1" "y" "12" "z" "20"])");
    CHECK(run("ZUNION 2 a b WEIGHTS 2 0 AGGREGATE MAX WITHSCORES") == R"(["z" "0" "x" "2" "y" "4" "i" "inf"])");
    CHECK(run("ZUNION 1 a WEIGHTS -1 WITHSCORES") == R"(["i" "-inf" "y" "-2" "x" "-1"])");
    CHECK(run("ZINTER 2 a b AGGREGATE min WITHSCORES") == R"(["i" "-inf" "y" "2"])");
    CHECK(run("ZDIFF 2 a b WITHSCORES") == R"(["x" "1"])");
    CHECK(run("ZINTERCARD 2 a b LIMIT 1") == ":1");
    CHECK(run("ZINTERCARD 2 a nokey") == ":0");
    CHECK(run("ZUNIONSTORE d 2 a b") == ":4");
    CHECK(bptree_conformance::format_reply(bptree::redis::execute(keys["d"], split("ZRANGE d 0 -1"))) ==
          R"(["i" "x" "y" "z"])");
    CHECK(run("ZINTERSTORE d 2 a nokey") == ":0");
    CHECK_FALSE(keys["d"].has_value());
    CHECK(run("ZRANGESTORE d b (10 +inf BYSCORE") == ":1");
    CHECK(run("ZRANGESTORE d nokey 0 -1") == ":0");
    CHECK_FALSE(keys["d"].has_value());
    // Errors, in Redis's order and words.
    CHECK(run("ZUNION 0 a") == R"(-"ERR at least 1 input key is needed for 'zunion' command")");
    CHECK(run("ZUNIONSTORE d 0 a") == R"(-"ERR at least 1 input key is needed for 'zunionstore' command")");
    CHECK(run("ZUNION 3 a b") == R"(-"ERR syntax error")");
    CHECK(run("ZUNION x a") == R"(-"ERR value is not an integer or out of range")");
    CHECK(run("ZUNION 2 a b WEIGHTS 1") == R"(-"ERR syntax error")");
    CHECK(run("ZUNION 2 a b WEIGHTS 1 nan") == R"(-"ERR weight value is not a float")");
    CHECK(run("ZUNION 2 a b AGGREGATE avg") == R"(-"ERR syntax error")");
    CHECK(run("ZDIFF 2 a b WEIGHTS 1 1") == R"(-"ERR syntax error")");
    CHECK(run("ZUNIONSTORE d 2 a b WITHSCORES") == R"(-"ERR syntax error")");
    CHECK(run("ZINTERCARD 1 a LIMIT -1") == R"(-"ERR LIMIT can't be negative")");
    CHECK(run("ZINTERCARD 1 a LIMIT x") == R"(-"ERR LIMIT can't be negative")");
    CHECK(run("ZRANGESTORE d a 0 -1 WITHSCORES") == R"(-"ERR syntax error")");
    CHECK(run("ZUNIONSTORE d 1") == R"(-"ERR wrong number of arguments for 'zunionstore' command")");
    CHECK_FALSE(keys["d"].has_value());
}
