// Replays the transcripts recorded from a real redis-server 7.0 (tests/redis/transcripts/
// sorted_set/*.txt, written by tools/redis_conformance) through bptree::redis::execute and
// requires every reply to match under the mode the transcript gives.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "family.hpp"
#include "transcript.hpp"

namespace bptree_conformance {
std::unique_ptr<family> make_zset_family();
}

namespace {

std::vector<std::filesystem::path> transcripts() {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(BPTREE_ZSET_TRANSCRIPTS_DIR)) {
        if (entry.path().extension() == ".txt") out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("recorded Redis transcripts replay through execute()", "[redis][zset][transcript]") {
    const auto files = transcripts();
    REQUIRE(files.size() >= 3);
    std::size_t records = 0;
    for (const auto& path : files) {
        INFO(path.string());
        std::ifstream in(path);
        REQUIRE(in);
        const auto t = bptree_conformance::read_transcript(in);
        CHECK(t.header("family") == "zset");
        CHECK(t.header("server").rfind("redis 7.0", 0) == 0);
        REQUIRE(t.records.size() > 100);
        auto family = bptree_conformance::make_zset_family();
        const std::string failure = bptree_conformance::replay_transcript(*family, t);
        CHECK(failure == "");
        records += t.records.size();
    }
    CHECK(records > 1000);
}

TEST_CASE("transcript notation round-trips every reply kind", "[redis][transcript]") {
    using bptree::redis::reply;
    const reply r = reply::array({reply::nil(), reply::from_integer(-7), reply::bulk(std::string("a \"q\"\\\n\0\xff", 9)),
                                  reply::status("OK"), reply::error("ERR x y"), reply::array()});
    const std::string text = bptree_conformance::format_reply(r);
    CHECK(text == R"([nil :-7 "a \"q\"\\\n\x00\xff" +"OK" -"ERR x y" []])");
    std::istringstream in("> ZADD k 1 \"two words\" \"\"\n< " + text + "\n");
    const auto t = bptree_conformance::read_transcript(in);
    REQUIRE(t.records.size() == 1);
    CHECK(t.records[0].argv == std::vector<std::string>{"ZADD", "k", "1", "two words", ""});
    CHECK(t.records[0].expected == r);
}

TEST_CASE("loose match modes accept only what they promise", "[redis][transcript]") {
    using bptree::redis::reply;
    using bptree_conformance::match_mode;
    using bptree_conformance::matches;
    const auto arr = [](std::vector<std::string> xs) {
        std::vector<reply> es;
        for (auto& x : xs) es.push_back(reply::bulk(x));
        return reply::array(std::move(es));
    };
    CHECK(matches(arr({"a", "1", "b", "2"}), arr({"b", "2", "a", "1"}), match_mode::unordered_pairs));
    CHECK_FALSE(matches(arr({"a", "1", "b", "2"}), arr({"a", "2", "b", "1"}), match_mode::unordered_pairs));
    CHECK(matches(arr({"a", "b"}), arr({"b", "a"}), match_mode::unordered));
    CHECK_FALSE(matches(arr({"a", "b"}), arr({"b", "a"}), match_mode::exact));
    CHECK(matches(arr({"a", "b"}), arr({"c", "d"}), match_mode::same_shape));
    CHECK_FALSE(matches(arr({"a", "b"}), arr({"c"}), match_mode::same_shape));
    CHECK_FALSE(matches(reply::error("ERR a"), reply::error("ERR b"), match_mode::same_shape));
    const reply page = reply::array({reply::bulk("17"), arr({"a", "1"})});
    CHECK(matches(page, reply::array({reply::bulk("0"), arr({})}), match_mode::scan_page));
    CHECK_FALSE(matches(page, arr({"a"}), match_mode::scan_page));
}
