// Replays the transcripts recorded from redis-server 7.0.15 by the conformance tool's stream
// family (tests/redis/transcripts/stream/*.txt) through the command layer, on the family's own
// local side: every reply must match the recorded one (times compared by shape, as recorded).
// Re-record with: scripts/redis-conformance.sh build/tools/redis_conformance --family stream
//                 --seed N --commands 1000 --record tests/redis/transcripts/stream/seed-N.txt
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "family.hpp"
#include "transcript.hpp"

namespace bptree_conformance {
std::unique_ptr<family> make_stream_family();
}

TEST_CASE("the recorded stream transcripts replay without a divergence", "[redis][stream][replay]") {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(BPTREE_STREAM_TRANSCRIPTS)) {
        if (f.path().extension() == ".txt") files.push_back(f.path());
    }
    REQUIRE(files.size() >= 3);
    for (const fs::path& path : files) {
        INFO(path.filename().string());
        std::ifstream in(path);
        const bptree_conformance::transcript t = bptree_conformance::read_transcript(in);
        CHECK(t.header("family") == "stream");
        CHECK(t.records.size() >= 1000);
        auto family = bptree_conformance::make_stream_family();
        CHECK(bptree_conformance::replay_transcript(*family, t) == "");
    }
}

TEST_CASE("a changed reply in a transcript is reported", "[redis][stream][replay]") {
    std::ifstream in(std::string(BPTREE_STREAM_TRANSCRIPTS) + "/seed-1.txt");
    bptree_conformance::transcript t = bptree_conformance::read_transcript(in);
    for (auto& r : t.records) {
        if (r.expected.kind == bptree::redis::reply::type::bulk) {  // the first XADD's ID
            r.expected.text += "0";
            break;
        }
    }
    auto family = bptree_conformance::make_stream_family();
    CHECK_THAT(bptree_conformance::replay_transcript(*family, t), Catch::Contains("expected:"));
}
