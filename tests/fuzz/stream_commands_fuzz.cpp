// Fuzz target "stream_commands": stream commands decoded from the input (one per line, arguments
// separated by spaces; see byte_reader.hpp) run through bptree::redis::execute on a stream over
// std::map and on one over a tiny self-verifying bptree::map, with the checks of command_fuzz.hpp.
// The dump compared around an error reply is XINFO STREAM FULL (every entry, group, consumer and
// pending entry with its times and counts) plus the stream's own equality with a copy. The clock
// advances 7 ms per command from a fixed start.
#include <cstdint>
#include <optional>
#include <string>

#include "command_fuzz.hpp"

namespace {

using std_stream = bptree::stream<bptree::stream_std_map>;
using tiny_stream = bptree::stream<bptree::stream_bptree_map<bptree::slot_traits<3, 4, true>>>;

template <class S>
std::string dump(const std::optional<S>& slot, std::int64_t now) {
    if (!slot) return "(nil)";
    std::optional<S> copy = slot;
    const auto full = bptree::redis::execute(copy, {"XINFO", "STREAM", "k", "FULL", "COUNT", "0"}, now);
    const auto groups = bptree::redis::execute(copy, {"XINFO", "GROUPS", "k"}, now);
    BPTREE_FUZZ_CHECK(copy.has_value() && *copy == *slot, "XINFO changed the stream");
    return bptree::redis::to_resp(full) + bptree::redis::to_resp(groups);
}

}  // namespace

BPTREE_FUZZ_TARGET(stream_commands) {
    std::optional<std_stream> a;
    std::optional<tiny_stream> b;
    std::int64_t now = 1700000000000;
    for (const auto& argv : bptree_fuzz::split_commands(data, size, 64, 48)) {
        now += 7;
        std::optional<std_stream> a_before = a;
        const auto ra = bptree_fuzz::checked_execute(
            a, argv, [&](auto& slot, const auto& args) { return bptree::redis::execute(slot, args, now); },
            [&](const auto& slot) { return dump(slot, now); }, "std::map backend");
        const auto rb = bptree_fuzz::checked_execute(
            b, argv, [&](auto& slot, const auto& args) { return bptree::redis::execute(slot, args, now); },
            [&](const auto& slot) { return dump(slot, now); }, "bptree::map backend");
        if (ra.kind == bptree::redis::reply::type::error) {
            BPTREE_FUZZ_CHECK(a.has_value() == a_before.has_value() && (!a || *a == *a_before),
                              "an error reply changed the stream (operator==) after " + bptree_fuzz::printable(argv));
        }
        BPTREE_FUZZ_CHECK(bptree::redis::to_resp(ra) == bptree::redis::to_resp(rb),
                          "the backends replied differently to " + bptree_fuzz::printable(argv) + ": " +
                              bptree::redis::to_resp(ra) + " vs " + bptree::redis::to_resp(rb));
        BPTREE_FUZZ_CHECK(dump(a, now) == dump(b, now),
                          "the backends hold different streams after " + bptree_fuzz::printable(argv));
    }
}
