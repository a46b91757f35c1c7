// The TS.* command layer: RESP2 reply shapes, value formatting, RedisTimeSeries's exact error
// texts, the clock of '*' timestamps, and "a failed command changes nothing" (checked by comparing
// the key's full contents and TS.INFO before and after every failing command).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "bptree/redis.hpp"

using bptree::redis::execute;
using bptree::redis::reply;
using bptree::redis::to_resp;

namespace {

constexpr std::int64_t now = 1'700'000'000'123;

template <class Slot>
reply run(Slot& slot, std::vector<std::string> argv) {
    return execute(slot, argv, now);
}

reply sample(long long ts, const std::string& value) {
    return reply::array({reply::from_integer(ts), reply::status(value)});
}

// Everything observable about a key: its samples and its TS.INFO.
template <class Slot>
std::string snapshot(Slot& slot) {
    if (!slot) return "(no key)";
    return to_resp(run(slot, {"TS.RANGE", "k", "-", "+"})) + to_resp(run(slot, {"TS.INFO", "k"}));
}

template <class Slot>
void require_error_and_unchanged(Slot& slot, std::vector<std::string> argv, const std::string& text) {
    INFO(argv[0] << " ... -> " << text);
    const std::string before = snapshot(slot);
    const reply r = run(slot, argv);
    REQUIRE(r.kind == reply::type::error);
    REQUIRE(r.text == text);
    REQUIRE(snapshot(slot) == before);
}

}  // namespace

TEST_CASE("values are formatted as RedisTimeSeries's RESP2 replies write them", "[redis][time_series][format]") {
    using bptree::redis::detail::format_ts_value;
    REQUIRE(format_ts_value(30) == "30");
    REQUIRE(format_ts_value(156.5) == "156.5");
    REQUIRE(format_ts_value(-3.25) == "-3.25");
    REQUIRE(format_ts_value(100) == "100");
    REQUIRE(format_ts_value(0) == "0");
    REQUIRE(format_ts_value(-0.0) == "-0");
    REQUIRE(format_ts_value(0.5) == "5E-1");
    REQUIRE(format_ts_value(0.1) == "1E-1");
    REQUIRE(format_ts_value(-0.0015) == "-1.5E-3");
    REQUIRE(format_ts_value(1.1200000000000001) == "1.12");
    REQUIRE(format_ts_value(10.080000000000002) == "10.080000000000002");
    REQUIRE(format_ts_value(1e20) == "1E20");
    REQUIRE(format_ts_value(1.7976931348623157e308) == "1.7976931348623157E308");
    REQUIRE(format_ts_value(4503599627370497.0) == "4503599627370497");  // 2^52 + 1
    REQUIRE(format_ts_value(4503599627370500.0) == "4.5035996273705E15");  // shortest form ends in 0
    REQUIRE(format_ts_value(std::numeric_limits<double>::infinity()) == "Infinity");
    REQUIRE(format_ts_value(-std::numeric_limits<double>::infinity()) == "-Infinity");
    REQUIRE(format_ts_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEMPLATE_TEST_CASE("TS.CREATE, TS.ADD, TS.MADD, TS.GET and TS.RANGE replies", "[redis][time_series]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    std::optional<bptree::time_series<TestType>> k;
    REQUIRE(run(k, {"ts.create", "k", "LABELS", "type", "temp"}) == reply::ok());
    REQUIRE(run(k, {"TS.GET", "k"}) == reply::array());
    REQUIRE(run(k, {"TS.MADD", "k", "1000", "30", "k", "1010", "35", "k", "1020", "9999", "k", "1030", "40"}) ==
            reply::array({reply::from_integer(1000), reply::from_integer(1010), reply::from_integer(1020),
                          reply::from_integer(1030)}));
    // The documented FILTER_BY_VALUE examples of TS.RANGE.
    REQUIRE(run(k, {"TS.RANGE", "k", "-", "+", "FILTER_BY_VALUE", "-100", "100"}) ==
            reply::array({sample(1000, "30"), sample(1010, "35"), sample(1030, "40")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "-", "+", "FILTER_BY_VALUE", "-100", "100", "AGGREGATION", "avg", "1000"}) ==
            reply::array({sample(1000, "35")}));
    REQUIRE(to_resp(run(k, {"TS.GET", "k"})) == "*2\r\n:1030\r\n+40\r\n");
    REQUIRE(run(k, {"TS.REVRANGE", "k", "-", "+", "COUNT", "2"}) ==
            reply::array({sample(1030, "40"), sample(1020, "9999")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "1005", "1025", "FILTER_BY_TS", "1010", "1020", "1000"}) ==
            reply::array({sample(1010, "35"), sample(1020, "9999")}));
    REQUIRE(run(k, {"TS.ADD", "k", "*", "0.5"}) == reply::from_integer(now));
    REQUIRE(run(k, {"TS.GET", "k"}) == sample(now, "5E-1"));
    REQUIRE(run(k, {"TS.ADD", "k", "1010", "1", "ON_DUPLICATE", "sum"}) == reply::from_integer(1010));
    REQUIRE(run(k, {"TS.RANGE", "k", "1010", "1010"}) == reply::array({sample(1010, "36")}));

    // TS.ADD creates the key with its options; TS.INCRBY / TS.DECRBY too.
    std::optional<bptree::time_series<TestType>> fresh;
    REQUIRE(run(fresh, {"TS.ADD", "k", "5", "1.5", "RETENTION", "100", "ENCODING", "UNCOMPRESSED", "DUPLICATE_POLICY",
                        "MAX", "LABELS", "a", "b"}) == reply::from_integer(5));
    REQUIRE(fresh->options().retention_ms == 100);
    REQUIRE(fresh->options().encoding == bptree::ts_encoding::uncompressed);
    REQUIRE(fresh->options().policy == std::optional<bptree::duplicate_policy>(bptree::duplicate_policy::max));
    std::optional<bptree::time_series<TestType>> counter;
    REQUIRE(run(counter, {"TS.INCRBY", "k", "5"}) == reply::from_integer(now));
    REQUIRE(run(counter, {"TS.INCRBY", "k", "2.5", "TIMESTAMP", "*"}) == reply::from_integer(now));
    REQUIRE(run(counter, {"TS.DECRBY", "k", "10", "TIMESTAMP", std::to_string(now + 5)}) == reply::from_integer(now + 5));
    REQUIRE(run(counter, {"TS.RANGE", "k", "-", "+"}) == reply::array({sample(now, "7.5"), sample(now + 5, "-2.5")}));
    REQUIRE(run(counter, {"TS.DEL", "k", "-", "+"}) == reply::from_integer(2));
    REQUIRE(run(counter, {"TS.GET", "k"}) == reply::array());
}

TEST_CASE("TS.RANGE aggregation options: ALIGN, BUCKETTIMESTAMP, EMPTY, COUNT", "[redis][time_series]") {
    std::optional<bptree::time_series<>> k;
    run(k, {"TS.CREATE", "k"});
    run(k, {"TS.MADD", "k", "1000", "100", "k", "1010", "110", "k", "1020", "120", "k", "2000", "200", "k", "2010", "210",
            "k", "2020", "220", "k", "3000", "300", "k", "3010", "310", "k", "3020", "320"});
    // The documented alignment examples of TS.RANGE.
    REQUIRE(run(k, {"TS.RANGE", "k", "-", "+", "ALIGN", "10", "AGGREGATION", "min", "20"}) ==
            reply::array({sample(990, "100"), sample(1010, "110"), sample(1990, "200"), sample(2010, "210"),
                          sample(2990, "300"), sample(3010, "310")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "5", "+", "ALIGN", "-", "AGGREGATION", "min", "20"}) ==
            reply::array({sample(985, "100"), sample(1005, "110"), sample(1985, "200"), sample(2005, "210"),
                          sample(2985, "300"), sample(3005, "310")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "0", "2999", "AGGREGATION", "count", "1000", "BUCKETTIMESTAMP", "+"}) ==
            reply::array({sample(2000, "3"), sample(3000, "3")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "0", "2999", "AGGREGATION", "count", "1000", "BUCKETTIMESTAMP", "mid"}) ==
            reply::array({sample(1500, "3"), sample(2500, "3")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "1000", "2020", "AGGREGATION", "sum", "500", "EMPTY"}) ==
            reply::array({sample(1000, "330"), sample(1500, "0"), sample(2000, "630")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "1000", "2020", "AGGREGATION", "max", "500", "EMPTY"}) ==
            reply::array({sample(1000, "120"), sample(1500, "NaN"), sample(2000, "220")}));
    REQUIRE(run(k, {"TS.REVRANGE", "k", "-", "+", "AGGREGATION", "COUNT", "1000", "COUNT", "2"}) ==
            reply::array({sample(3000, "3"), sample(2000, "3")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "-", "+", "AGGREGATION", "std.p", "1000"}) ==
            reply::array({sample(1000, "8.16496580927726"), sample(2000, "8.16496580927726"),
                          sample(3000, "8.16496580927726")}));
    REQUIRE(run(k, {"TS.RANGE", "k", "-", "+", "AGGREGATION", "var.s", "1000"}) ==
            reply::array({sample(1000, "100"), sample(2000, "100"), sample(3000, "100")}));
}

TEST_CASE("TS.INFO reports one series", "[redis][time_series]") {
    std::optional<bptree::time_series<>> k;
    run(k, {"TS.CREATE", "k", "RETENTION", "60000", "CHUNK_SIZE", "128", "DUPLICATE_POLICY", "last", "LABELS", "a", "1"});
    run(k, {"TS.ADD", "k", "10", "1"});
    run(k, {"TS.ADD", "k", "20", "2"});
    const reply info = run(k, {"TS.INFO", "k"});
    REQUIRE(info.kind == reply::type::array);
    REQUIRE(info.elements.size() == 24);
    const auto field = [&](const std::string& name) {
        for (std::size_t i = 0; i + 1 < info.elements.size(); i += 2) {
            if (info.elements[i] == reply::status(name)) return info.elements[i + 1];
        }
        FAIL("no field " << name);
        return reply();
    };
    REQUIRE(field("totalSamples") == reply::from_integer(2));
    REQUIRE(field("firstTimestamp") == reply::from_integer(10));
    REQUIRE(field("lastTimestamp") == reply::from_integer(20));
    REQUIRE(field("retentionTime") == reply::from_integer(60000));
    REQUIRE(field("chunkCount") == reply::from_integer(1));
    REQUIRE(field("chunkSize") == reply::from_integer(128));
    REQUIRE(field("chunkType") == reply::status("compressed"));
    REQUIRE(field("duplicatePolicy") == reply::status("last"));
    REQUIRE(field("labels") == reply::array({reply::array({reply::bulk("a"), reply::bulk("1")})}));
    REQUIRE(field("sourceKey") == reply::nil());
    REQUIRE(field("rules") == reply::array());
    REQUIRE(field("memoryUsage").kind == reply::type::integer);
    const reply debug = run(k, {"TS.INFO", "k", "DEBUG"});
    REQUIRE(debug.elements.size() == 28);
    REQUIRE(debug.elements[25] == reply::bulk("k"));
}

TEMPLATE_TEST_CASE("errors carry RedisTimeSeries's texts and change nothing", "[redis][time_series][errors]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    std::optional<bptree::time_series<TestType>> k;
    require_error_and_unchanged(k, {"TS.GET", "k"}, "ERR TSDB: the key does not exist");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+"}, "ERR TSDB: the key does not exist");
    require_error_and_unchanged(k, {"TS.ALTER", "k", "RETENTION", "5"}, "ERR TSDB: the key does not exist");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "CHUNK_SIZE", "20"},
                                "ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "CHUNK_SIZE", "x"}, "ERR TSDB: Couldn't parse CHUNK_SIZE");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "RETENTION", "-5"}, "TSDB: Couldn't parse RETENTION");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "RETENTION"}, "ERR TSDB: Couldn't parse RETENTION");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "ENCODING", "zip"}, "ERR TSDB: unknown ENCODING parameter");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "ENCODING"}, "ERR wrong number of arguments for 'ts.create' command");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "DUPLICATE_POLICY", "newest"}, "ERR TSDB: Unknown DUPLICATE_POLICY");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "DUPLICATE_POLICY"}, "ERR TSDB: Couldn't parse DUPLICATE_POLICY");
    require_error_and_unchanged(k, {"TS.CREATE", "k", "LABELS", "a", "b,c"}, "ERR TSDB: Couldn't parse LABELS");
    require_error_and_unchanged(k, {"TS.ADD", "k", "1", "nan"}, "ERR TSDB: invalid value");
    require_error_and_unchanged(k, {"TS.ADD", "k", "1", "1e999"}, "ERR TSDB: invalid value");
    require_error_and_unchanged(k, {"TS.ADD", "k", "x", "1"}, "ERR TSDB: invalid timestamp");
    require_error_and_unchanged(k, {"TS.ADD", "k", "-1", "1"}, "ERR TSDB: invalid timestamp, must be a nonnegative integer");
    require_error_and_unchanged(k, {"TS.ADD", "k", "1", "1", "CHUNK_SIZE", "7"},
                                "ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]");
    require_error_and_unchanged(k, {"TS.ADD", "k", "1"}, "ERR wrong number of arguments for 'ts.add' command");
    require_error_and_unchanged(k, {"TS.FOO", "k"}, "ERR unknown command 'TS.FOO', with args beginning with: 'k' ");
    REQUIRE_FALSE(k.has_value());

    REQUIRE(run(k, {"TS.CREATE", "k", "RETENTION", "1000"}) == reply::ok());
    for (int t = 1000; t <= 3000; t += 100) run(k, {"TS.ADD", "k", std::to_string(t), std::to_string(t / 100)});
    require_error_and_unchanged(k, {"TS.CREATE", "k"}, "ERR TSDB: key already exists");
    require_error_and_unchanged(k, {"TS.ADD", "k", "3000", "5"},
                                "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode");
    require_error_and_unchanged(k, {"TS.ADD", "k", "1500", "5"}, "ERR TSDB: Timestamp is older than retention");
    require_error_and_unchanged(k, {"TS.ADD", "k", "2500", "5", "ON_DUPLICATE", "oldest"}, "ERR TSDB: Unknown DUPLICATE_POLICY");
    require_error_and_unchanged(k, {"TS.ADD", "k", "2500", "5", "ON_DUPLICATE"}, "ERR TSDB: Couldn't parse DUPLICATE_POLICY");
    require_error_and_unchanged(k, {"TS.INCRBY", "k", "1", "TIMESTAMP", "2999"},
                                "TSDB: timestamp must be equal to or higher than the maximum existing timestamp");
    require_error_and_unchanged(k, {"TS.INCRBY", "k", "x"}, "ERR TSDB: invalid increase/decrease value");
    require_error_and_unchanged(k, {"TS.INCRBY", "k", "1", "TIMESTAMP", "soon"}, "ERR TSDB: invalid timestamp");
    require_error_and_unchanged(k, {"TS.ALTER", "k", "RETENTION", "10", "CHUNK_SIZE", "1"},
                                "ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]");
    require_error_and_unchanged(k, {"TS.GET", "k", "NOW"}, "ERR TSDB: wrong 3rd argument");
    require_error_and_unchanged(k, {"TS.DEL", "k", "x", "+"}, "ERR TSDB: wrong fromTimestamp");
    require_error_and_unchanged(k, {"TS.DEL", "k", "-"}, "ERR wrong number of arguments for 'ts.del' command");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "y"}, "ERR TSDB: wrong toTimestamp");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "COUNT"}, "ERR TSDB: COUNT argument is missing");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "COUNT", "many"}, "ERR TSDB: Couldn't parse COUNT");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "AGGREGATION", "avg"}, "ERR TSDB: Couldn't parse AGGREGATION");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "AGGREGATION", "median", "10"}, "ERR TSDB: Unknown aggregation type");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "AGGREGATION", "avg", "0"},
                                "ERR TSDB: bucketDuration must be greater than zero");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "0", "10", "AGGREGATION", "avg", "5", "BUCKETTIMESTAMP", "high"},
                                "ERR TSDB: unknown BUCKETTIMESTAMP parameter");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "0", "10", "BUCKETTIMESTAMP", "+", "AGGREGATION", "avg", "5"},
                                "ERR TSDB: BUCKETTIMESTAMP flag should be the 3rd or 4th flag after AGGREGATION flag");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "0", "10", "EMPTY", "AGGREGATION", "avg", "5"},
                                "ERR TSDB: EMPTY flag should be the 3rd or 5th flag after AGGREGATION flag");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "0", "10", "ALIGN", "5"},
                                "ERR TSDB: ALIGN parameter can only be used with AGGREGATION");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "10", "ALIGN", "start", "AGGREGATION", "avg", "5"},
                                "ERR TSDB: start alignment can only be used with explicit start timestamp");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "0", "+", "ALIGN", "+", "AGGREGATION", "avg", "5"},
                                "ERR TSDB: end alignment can only be used with explicit end timestamp");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "0", "+", "ALIGN", "later", "AGGREGATION", "avg", "5"},
                                "ERR TSDB: unknown ALIGN parameter");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "FILTER_BY_VALUE", "1"},
                                "ERR TSDB: FILTER_BY_VALUE one or more arguments are missing");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "FILTER_BY_VALUE", "a", "2"}, "ERR TSDB: Couldn't parse MIN");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "FILTER_BY_VALUE", "1", "b"}, "ERR TSDB: Couldn't parse MAX");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "FILTER_BY_TS"},
                                "ERR TSDB: FILTER_BY_TS one or more arguments are missing");
    require_error_and_unchanged(k, {"TS.RANGE", "k", "-", "+", "FILTER_BY_TS", "x"},
                                "ERR TSDB: FILTER_BY_TS one or more arguments are missing");

    // TS.MADD answers per sample; the good ones land, the others are errors in place.
    const reply madd = run(k, {"TS.MADD", "k", "4000", "1", "k", "100", "2", "k", "4001", "x"});
    REQUIRE(madd == reply::array({reply::from_integer(4000), reply::error("ERR TSDB: Timestamp is older than retention"),
                                  reply::error("ERR TSDB: invalid value")}));
    std::optional<bptree::time_series<TestType>> none;
    REQUIRE(run(none, {"TS.MADD", "k", "1", "1"}) == reply::array({reply::error("ERR TSDB: the key is not a TSDB key")}));
    REQUIRE_FALSE(none.has_value());
}

TEST_CASE("TS.ALTER changes only the options it names", "[redis][time_series]") {
    std::optional<bptree::time_series<>> k;
    run(k, {"TS.CREATE", "k", "RETENTION", "100", "DUPLICATE_POLICY", "min", "LABELS", "a", "b"});
    REQUIRE(run(k, {"TS.ALTER", "k", "CHUNK_SIZE", "256"}) == reply::ok());
    REQUIRE(k->options().retention_ms == 100);
    REQUIRE(k->options().chunk_size_bytes == 256);
    REQUIRE(k->options().policy == std::optional<bptree::duplicate_policy>(bptree::duplicate_policy::min));
    REQUIRE(run(k, {"TS.ALTER", "k", "LABELS", "c", "d", "RETENTION", "0"}) == reply::ok());
    REQUIRE(k->options().labels == std::vector<std::pair<std::string, std::string>>{{"c", "d"}, {"RETENTION", "0"}});
    REQUIRE(k->options().retention_ms == 0);
}

TEST_CASE("the two-argument execute reads the system clock", "[redis][time_series]") {
    std::optional<bptree::time_series<>> k;
    const reply r = execute(k, {"TS.ADD", "k", "*", "1"});
    REQUIRE(r.kind == reply::type::integer);
    REQUIRE(r.integer > 1'600'000'000'000);  // after 2020
}
