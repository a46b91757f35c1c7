// bptree::stream: the Redis stream (XADD, XRANGE, XTRIM, consumer groups with pending entries) as
// a C++ container adaptor. Nothing reads a clock: members that Redis runs at the current time take
// now_ms, the caller's clock.
#include <bptree/stream.hpp>

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "check.hpp"

int main() {
    bptree::stream<> events;  // entries in a bptree::map; bptree::stream<bptree::stream_std_map> uses std::map
    std::int64_t now_ms = 1700000000000;

    // XADD events * user u1 action click   (the ID comes from now_ms; a clash bumps the sequence)
    for (int i = 0; i < 5; ++i) {
        events.add(bptree::stream_add_id::automatic(now_ms), {{"user", "u1"}, {"action", i % 2 ? "view" : "click"}});
        now_ms += (i == 2) ? 0 : 5;
    }
    EXAMPLE_CHECK(events.size() == 5);
    std::printf("last id %llu-%llu\n", static_cast<unsigned long long>(events.last_id().ms),
                static_cast<unsigned long long>(events.last_id().seq));

    // XRANGE events - + COUNT 2, and iteration over the entries in place.
    for (const auto& e : events.range(bptree::stream_id::min(), bptree::stream_id::max(), 2)) {
        std::printf("%llu-%llu:", static_cast<unsigned long long>(e.id.ms), static_cast<unsigned long long>(e.id.seq));
        for (const auto& [field, value] : e.fields) std::printf(" %s=%s", field.c_str(), value.c_str());
        std::printf("\n");
    }
    std::size_t clicks = 0;
    for (const auto& [id, record] : events)
        for (auto [field, value] : record) clicks += field == "action" && value == "click";
    EXAMPLE_CHECK(clicks == 3);

    // A consumer group: XGROUP CREATE events workers 0, XREADGROUP ... COUNT 2 >, XACK.
    events.create_group("workers", bptree::stream_id{0, 0});
    const auto batch = events.read_group("workers", "alice", 2, /*noack*/ false, now_ms);
    EXAMPLE_CHECK(batch.size() == 2 && events.pending("workers").count == 2);
    events.ack("workers", {batch[0].id});
    EXAMPLE_CHECK(events.pending("workers").count == 1);

    // XTRIM events MAXLEN 3
    events.trim(bptree::stream_trim::max_length(3));
    EXAMPLE_CHECK(events.size() == 3);
    events.verify();

    // Errors are Redis's: an explicit ID must grow.
    try {
        events.add(bptree::stream_id{1, 0}, {{"late", "entry"}});
        EXAMPLE_CHECK(false);
    } catch (const bptree::error& e) {
        std::printf("error: %s\n", e.what());
    }
    std::printf("stream: ok\n");
    return 0;
}
