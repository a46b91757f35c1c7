// Fuzz target "ts_commands": TS.* commands decoded from the input (one per line, arguments
// separated by spaces; see byte_reader.hpp) run through bptree::redis::execute on a series over a
// std::map chunk index and on one over a bptree::map chunk index, with the checks of
// command_fuzz.hpp. The clock of '*' timestamps advances 7 ms per command from a fixed start.
// TS.INFO replies are compared only by kind (its memory figure depends on the backend).
//
// Harness limit: a range query with EMPTY whose buckets between the series' first and last
// samples exceed 100000 is skipped (RedisTimeSeries would send them all).
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "command_fuzz.hpp"

namespace {

using std_series = bptree::time_series<bptree::std_map_index>;
using bptree_series = bptree::time_series<bptree::bptree_map_index>;

void add_bits(std::string& out, double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    out += std::to_string(bits) + ' ';
}

template <class T>
std::string dump(const std::optional<T>& slot) {
    if (!slot) return "(nil)";
    const bptree::time_series_info i = slot->info();
    std::string out = "samples " + std::to_string(i.total_samples) + " memory " + std::to_string(i.memory_bytes) +
                      " first " + std::to_string(i.first_ts) + " last " + std::to_string(i.last_ts) + " retention " +
                      std::to_string(i.retention_ms) + " chunks " + std::to_string(i.chunk_count) + " chunk_size " +
                      std::to_string(i.chunk_size_bytes) + " encoding " + std::to_string(static_cast<int>(i.encoding)) +
                      " policy " + (i.policy ? std::to_string(static_cast<int>(*i.policy)) : "none") + "\n";
    for (const auto& [k, v] : i.labels) out += "label " + k + "=" + v + "\n";
    for (const auto& c : i.chunks) {
        out += "chunk " + std::to_string(c.first_ts) + " " + std::to_string(c.last_ts) + " " +
               std::to_string(c.samples) + " " + std::to_string(c.data_bytes) + "\n";
    }
    for (const auto& s : slot->range(0, INT64_MAX)) {
        out += std::to_string(s.ts) + ":";
        add_bits(out, s.value);
    }
    return out;
}

long find_word(const bptree_fuzz::argv_type& argv, const char* word) {
    for (std::size_t i = 2; i < argv.size(); ++i) {
        if (bptree_fuzz::iequal(argv[i], word)) return static_cast<long>(i);
    }
    return -1;
}

template <class T>
bool skipped(const bptree_fuzz::argv_type& argv, const std::optional<T>& slot) {
    if (argv.empty() || !slot || find_word(argv, "empty") < 0) return false;
    if (!bptree_fuzz::iequal(argv[0], "ts.range") && !bptree_fuzz::iequal(argv[0], "ts.revrange")) return false;
    const long agg = find_word(argv, "aggregation");
    long long bucket = 0;
    if (agg < 0 || static_cast<std::size_t>(agg) + 2 >= argv.size() ||
        !bptree::redis::detail::parse_long_long(argv[static_cast<std::size_t>(agg) + 2], bucket) || bucket <= 0) {
        return false;  // an error reply
    }
    const auto span = static_cast<unsigned long long>(slot->last_timestamp()) -
                      static_cast<unsigned long long>(slot->first_timestamp());
    return span / static_cast<unsigned long long>(bucket) > 100000;
}

}  // namespace

BPTREE_FUZZ_TARGET(ts_commands) {
    std::optional<std_series> a;
    std::optional<bptree_series> b;
    std::int64_t now = 1700000000000;
    for (const auto& argv : bptree_fuzz::split_commands(data, size, 64, 48)) {
        now += 7;
        if (skipped(argv, a) || skipped(argv, b)) continue;
        const auto ra = bptree_fuzz::checked_execute(
            a, argv, [&](auto& slot, const auto& args) { return bptree::redis::execute(slot, args, now); },
            [](const auto& slot) { return dump(slot); }, "std::map index");
        const auto rb = bptree_fuzz::checked_execute(
            b, argv, [&](auto& slot, const auto& args) { return bptree::redis::execute(slot, args, now); },
            [](const auto& slot) { return dump(slot); }, "bptree::map index");
        if (!argv.empty() && bptree_fuzz::iequal(argv[0], "ts.info")) {
            BPTREE_FUZZ_CHECK(ra.kind == rb.kind, "TS.INFO reply kinds differ");
        } else {
            BPTREE_FUZZ_CHECK(bptree::redis::to_resp(ra) == bptree::redis::to_resp(rb),
                              "the backends replied differently to " + bptree_fuzz::printable(argv) + ": " +
                                  bptree::redis::to_resp(ra) + " vs " + bptree::redis::to_resp(rb));
        }
        BPTREE_FUZZ_CHECK(a.has_value() == b.has_value(),
                          "one backend's slot is empty after " + bptree_fuzz::printable(argv));
        if (a) {
            BPTREE_FUZZ_CHECK(a->range(0, INT64_MAX).size() == b->range(0, INT64_MAX).size(),
                              "the backends hold different samples after " + bptree_fuzz::printable(argv));
        }
    }
}
