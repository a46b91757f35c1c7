// File: bptree/detail/redis/ts_commands.hpp
// Layer: command layer (time series). execute(slot, argv[, now_ms]) runs one single-key
// RedisTimeSeries command on a bptree::time_series slot and returns the RESP2 reply
// RedisTimeSeries 1.10/1.12 gives: TS.CREATE, TS.ALTER, TS.ADD, TS.MADD (one key), TS.INCRBY,
// TS.DECRBY, TS.DEL, TS.GET, TS.INFO, TS.RANGE, TS.REVRANGE. Commands naming several keys
// (TS.CREATERULE, TS.DELETERULE, TS.MGET, TS.MRANGE, TS.QUERYINDEX) are the caller's, through the
// typed API; here they are unknown commands.
// Includes: time_series.hpp, reply.hpp, ts_format.hpp.
//
// Clock: a '*' timestamp (TS.ADD, TS.MADD, TS.INCRBY without TIMESTAMP) is now_ms. The two-argument
// execute() of API.md reads the system clock (milliseconds since the Unix epoch); servers and tests
// pass their own clock value to the three-argument overload.
//
// Parsing follows RedisTimeSeries: options are found by a case-insensitive search of the arguments
// after the key (RMUtil_ArgIndex), each parsed from the words behind it; words that are no option
// are ignored, as the module ignores them. Errors are the module's texts, in its order of checks.
// A command that fails changes nothing (TS.MADD reports each sample on its own, as the module does).
#ifndef BPTREE_DETAIL_REDIS_TS_COMMANDS_HPP
#define BPTREE_DETAIL_REDIS_TS_COMMANDS_HPP

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bptree/detail/config.hpp"
#include "bptree/detail/redis/reply.hpp"
#include "bptree/detail/redis/ts_format.hpp"
#include "bptree/error.hpp"
#include "bptree/time_series.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis {

namespace detail::ts_cmd {

namespace msg = bptree::detail::ts::message;
using args = std::vector<std::string>;

[[noreturn]] inline void fail(const std::string& text) { throw bptree::error(text); }

// Index of the first argument at or after `from` equal to name (ASCII case-insensitive), or -1.
inline long find_arg(const args& argv, std::string_view name, std::size_t from = 2) {
    for (std::size_t i = from; i < argv.size(); ++i) {
        if (detail::iequals(argv[i], name)) return static_cast<long>(i);
    }
    return -1;
}
inline bool has_word(const args& argv, long pos) { return pos >= 0 && static_cast<std::size_t>(pos) < argv.size(); }

inline std::optional<std::int64_t> parse_integer(const std::string& s) {
    long long v;
    if (!detail::parse_long_long(s, v)) return std::nullopt;
    return static_cast<std::int64_t>(v);
}

// TS.ADD / TS.MADD values: RedisTimeSeries parses them as RFC 7159 (JSON) numbers, refusing
// NaN, infinities, a leading '+' or '.', leading zeros and values beyond binary64. (The module's
// parser also stops at the first character that is not part of the number; this one requires the
// whole argument to be the number.)
inline std::optional<double> parse_sample_value(const std::string& s) {
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        return i > start;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i >= s.size()) return std::nullopt;
    if (s[i] == '0') {
        ++i;
    } else if (!digits()) {
        return std::nullopt;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return std::nullopt;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    const double v = std::strtod(s.c_str(), nullptr);
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

inline std::optional<duplicate_policy> parse_policy(const std::string& s) {
    static const std::pair<const char*, duplicate_policy> names[] = {
        {"block", duplicate_policy::block}, {"first", duplicate_policy::first}, {"last", duplicate_policy::last},
        {"min", duplicate_policy::min},     {"max", duplicate_policy::max},     {"sum", duplicate_policy::sum}};
    for (const auto& [name, policy] : names) {
        if (detail::iequals(s, name)) return policy;
    }
    return std::nullopt;
}
inline const char* policy_name(duplicate_policy p) {
    switch (p) {
        case duplicate_policy::block: return "block";
        case duplicate_policy::first: return "first";
        case duplicate_policy::last: return "last";
        case duplicate_policy::min: return "min";
        case duplicate_policy::max: return "max";
        case duplicate_policy::sum: return "sum";
    }
    return "block";
}

inline constexpr std::pair<const char*, aggregator> aggregator_names[] = {
    {"avg", aggregator::avg},     {"sum", aggregator::sum},     {"min", aggregator::min},
    {"max", aggregator::max},     {"range", aggregator::range}, {"count", aggregator::count},
    {"first", aggregator::first}, {"last", aggregator::last},   {"std.p", aggregator::std_p},
    {"std.s", aggregator::std_s}, {"var.p", aggregator::var_p}, {"var.s", aggregator::var_s},
    {"twa", aggregator::twa}};
inline std::optional<aggregator> parse_aggregator(const std::string& s) {
    for (const auto& [name, type] : aggregator_names) {
        if (detail::iequals(s, name)) return type;
    }
    return std::nullopt;
}
// TS.INFO writes rule aggregators in upper case (AggTypeEnumToString).
inline std::string aggregator_upper_name(aggregator a) {
    for (const auto& [name, type] : aggregator_names) {
        if (type == a) {
            std::string upper(name);
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return upper;
        }
    }
    return "AVG";
}

// The value after option `name` at pos, or the error `missing` when the command ends there.
inline const std::string& word_after(const args& argv, long pos, const char* missing) {
    if (!has_word(argv, pos + 1)) fail(missing);
    return argv[static_cast<std::size_t>(pos + 1)];
}

// Which TS.CREATE options an argument list names (TS.ALTER changes only those).
struct create_args {
    time_series_options options;
    bool has_retention = false, has_chunk_size = false, has_policy = false, has_labels = false;
};

// RedisTimeSeries's parseCreateArgs: LABELS, RETENTION, CHUNK_SIZE, ENCODING, DUPLICATE_POLICY.
inline create_args parse_create_args(const args& argv, std::size_t from) {
    create_args out;
    if (const long pos = find_arg(argv, "LABELS", from); pos >= 0) {
        out.has_labels = true;
        const std::size_t first = static_cast<std::size_t>(pos) + 1;
        const std::size_t pairs = (argv.size() - first) / 2;
        for (std::size_t i = 0; i < pairs; ++i) out.options.labels.emplace_back(argv[first + 2 * i], argv[first + 2 * i + 1]);
        bptree::detail::ts::validate_labels(out.options.labels);
    }
    if (const long pos = find_arg(argv, "RETENTION", from); pos >= 0) {
        out.has_retention = true;
        const auto v = parse_integer(word_after(argv, pos, msg::bad_retention));
        if (!v) fail(msg::bad_retention);
        bptree::detail::ts::validate_retention(*v);
        out.options.retention_ms = *v;
    }
    if (const long pos = find_arg(argv, "CHUNK_SIZE", from); pos >= 0) {
        out.has_chunk_size = true;
        const auto v = parse_integer(word_after(argv, pos, msg::bad_chunk_size));
        if (!v) fail(msg::bad_chunk_size);
        if (*v < 0) fail(msg::chunk_size_range);
        bptree::detail::ts::validate_chunk_size(static_cast<std::size_t>(*v));
        out.options.chunk_size_bytes = static_cast<std::size_t>(*v);
    }
    if (const long pos = find_arg(argv, "ENCODING", from); pos >= 0) {
        const std::string& value = word_after(argv, pos, detail::wrong_arity(argv[0]).c_str());
        if (detail::iequals(value, "UNCOMPRESSED")) {
            out.options.encoding = ts_encoding::uncompressed;
        } else if (detail::iequals(value, "COMPRESSED")) {
            out.options.encoding = ts_encoding::compressed;
        } else {
            fail(msg::unknown_encoding);
        }
    } else {
        // The module still takes the bare words of its first versions.
        if (find_arg(argv, "UNCOMPRESSED", from) >= 0) out.options.encoding = ts_encoding::uncompressed;
        if (find_arg(argv, "COMPRESSED", from) >= 0) out.options.encoding = ts_encoding::compressed;
    }
    if (const long pos = find_arg(argv, "DUPLICATE_POLICY", from); pos >= 0) {
        out.has_policy = true;
        const auto policy = parse_policy(word_after(argv, pos, msg::bad_policy));
        if (!policy) fail(msg::unknown_policy);
        out.options.policy = policy;
    }
    return out;
}

// A sample timestamp argument: an integer >= 0 or '*' (now_ms).
inline std::int64_t parse_sample_timestamp(const std::string& s, std::int64_t now_ms) {
    if (s == "*") return now_ms;
    const auto v = parse_integer(s);
    if (!v) fail(msg::invalid_timestamp);
    if (*v < 0) fail(msg::negative_timestamp);
    return *v;
}

// fromTimestamp / toTimestamp of TS.RANGE, TS.REVRANGE and TS.DEL.
inline std::int64_t parse_range_bound(const std::string& s, const char* error, std::int64_t open_value,
                                      const char* open_word, bool& open) {
    if (s == open_word) {
        open = true;
        return open_value;
    }
    const auto v = parse_integer(s);
    if (!v || *v < 0) fail(error);
    return *v;
}

struct range_request {
    std::int64_t from = 0, to = 0;
    ts_range_options options;
};

// RedisTimeSeries's parseRangeArguments, in its order: bounds, LATEST (ignored: this layer has no
// key to read a compaction's source from), COUNT, AGGREGATION [BUCKETTIMESTAMP] [EMPTY], ALIGN,
// FILTER_BY_VALUE, FILTER_BY_TS.
template <class Series>
range_request parse_range(const args& argv, const Series& series) {
    range_request out;
    bool from_open = false, to_open = false;
    out.from = parse_range_bound(argv[2], "ERR TSDB: wrong fromTimestamp", 0, "-", from_open);
    out.to = parse_range_bound(argv[3], "ERR TSDB: wrong toTimestamp", series.last_timestamp(), "+", to_open);

    const long agg = find_arg(argv, "AGGREGATION");
    if (long pos = find_arg(argv, "COUNT"); pos >= 0) {
        bool counted = true;
        if (agg >= 0 && pos == agg + 1) {  // "AGGREGATION count ...": look for a later COUNT
            pos = find_arg(argv, "COUNT", static_cast<std::size_t>(agg + 2));
            counted = pos >= 0;
        }
        if (counted) {
            if (!has_word(argv, pos + 1)) fail("ERR TSDB: COUNT argument is missing");
            const auto v = parse_integer(argv[static_cast<std::size_t>(pos + 1)]);
            if (!v) fail("ERR TSDB: Couldn't parse COUNT");
            out.options.count = static_cast<std::size_t>(std::max<std::int64_t>(*v, 0));
        }
    }

    if (agg >= 0) {
        ts_aggregation a;
        const auto type_word = has_word(argv, agg + 1) ? std::optional<std::string>(argv[agg + 1]) : std::nullopt;
        const auto bucket = has_word(argv, agg + 2) ? parse_integer(argv[agg + 2]) : std::nullopt;
        if (!type_word || !bucket) fail("ERR TSDB: Couldn't parse AGGREGATION");
        const auto type = parse_aggregator(*type_word);
        if (!type) fail("ERR TSDB: Unknown aggregation type");
        if (*bucket <= 0) fail(msg::bucket_not_positive);
        a.type = *type;
        a.bucket_duration = *bucket;
        if (const long pos = find_arg(argv, "EMPTY"); pos >= 0) {
            if (pos != agg + 3 && pos != agg + 5) fail("ERR TSDB: EMPTY flag should be the 3rd or 5th flag after AGGREGATION flag");
            a.empty = true;
        }
        if (const long pos = find_arg(argv, "BUCKETTIMESTAMP"); pos >= 0) {
            if (pos != agg + 3 && pos != agg + 4) {
                fail("ERR TSDB: BUCKETTIMESTAMP flag should be the 3rd or 4th flag after AGGREGATION flag");
            }
            const std::string& bt = word_after(argv, pos, detail::wrong_arity(argv[0]).c_str());
            if (bt == "-" || detail::iequals(bt, "start")) {
                a.reported = bucket_timestamp::start;
            } else if (bt == "+" || detail::iequals(bt, "end")) {
                a.reported = bucket_timestamp::end;
            } else if (bt == "~" || detail::iequals(bt, "mid")) {
                a.reported = bucket_timestamp::mid;
            } else {
                fail("ERR TSDB: unknown BUCKETTIMESTAMP parameter");
            }
        }
        out.options.aggregation = a;
    }

    if (const long pos = find_arg(argv, "ALIGN"); pos >= 0) {
        const std::string& align = word_after(argv, pos, detail::wrong_arity(argv[0]).c_str());
        std::int64_t value = 0;
        bool at_start = false, at_end = false;
        if (align == "-" || detail::iequals(align, "start")) {
            at_start = true;
            value = out.from;
        } else if (align == "+" || detail::iequals(align, "end")) {
            at_end = true;
            value = out.to;
        } else if (const auto v = parse_integer(align); v && *v >= 0) {
            value = *v;
        } else {
            fail("ERR TSDB: unknown ALIGN parameter");
        }
        if (!out.options.aggregation) fail("ERR TSDB: ALIGN parameter can only be used with AGGREGATION");
        if (at_start && from_open) fail("ERR TSDB: start alignment can only be used with explicit start timestamp");
        if (at_end && to_open) fail("ERR TSDB: end alignment can only be used with explicit end timestamp");
        out.options.aggregation->align = value;
    }

    if (const long pos = find_arg(argv, "FILTER_BY_VALUE"); pos >= 0) {
        if (!has_word(argv, pos + 2)) fail("ERR TSDB: FILTER_BY_VALUE one or more arguments are missing");
        double lo = 0, hi = 0;
        if (!detail::parse_double(argv[pos + 1], lo)) fail("ERR TSDB: Couldn't parse MIN");
        if (!detail::parse_double(argv[pos + 2], hi)) fail("ERR TSDB: Couldn't parse MAX");
        out.options.filter_by_value = std::make_pair(lo, hi);
    }

    if (const long pos = find_arg(argv, "FILTER_BY_TS"); pos >= 0) {
        constexpr std::size_t max_filter_values = 128;  // MAX_TS_VALUES_FILTER; later words are ignored
        std::vector<std::int64_t> values;
        for (std::size_t i = static_cast<std::size_t>(pos) + 1; i < argv.size() && values.size() < max_filter_values; ++i) {
            const auto v = parse_integer(argv[i]);
            if (!v || *v < 0) break;
            values.push_back(*v);
        }
        if (values.empty()) fail("ERR TSDB: FILTER_BY_TS one or more arguments are missing");
        out.options.filter_by_ts = std::move(values);
    }
    return out;
}

inline reply sample_reply(const ts_sample& s) {
    return reply::array({reply::from_integer(s.ts), reply::status(detail::format_ts_value(s.value))});
}

template <class Series>
reply info_reply(const Series& series, const args& argv) {
    const time_series_info i = series.info();
    std::vector<reply> out;
    const auto field = [&](const char* name, reply value) {
        out.push_back(reply::status(name));
        out.push_back(std::move(value));
    };
    const auto count = [](auto v) { return reply::from_integer(static_cast<long long>(v)); };
    field("totalSamples", count(i.total_samples));
    field("memoryUsage", count(i.memory_bytes));
    field("firstTimestamp", count(i.first_ts));
    field("lastTimestamp", count(i.last_ts));
    field("retentionTime", count(i.retention_ms));
    field("chunkCount", count(i.chunk_count));
    field("chunkSize", count(i.chunk_size_bytes));
    field("chunkType", reply::status(i.encoding == ts_encoding::compressed ? "compressed" : "uncompressed"));
    field("duplicatePolicy", i.policy ? reply::status(policy_name(*i.policy)) : reply::nil());
    std::vector<reply> labels;
    for (const auto& [name, value] : i.labels) labels.push_back(reply::array({reply::bulk(name), reply::bulk(value)}));
    field("labels", reply::array(std::move(labels)));
    field("sourceKey", i.source_name ? reply::bulk(*i.source_name) : reply::nil());
    std::vector<reply> rules;
    for (const ts_rule_info& r : i.rules) {
        rules.push_back(reply::array({reply::bulk(r.dest_name), count(r.bucket_duration),
                                      reply::status(aggregator_upper_name(r.type)), count(r.align)}));
    }
    field("rules", reply::array(std::move(rules)));
    if (argv.size() == 3 && detail::iequals(argv[2], "DEBUG")) {
        field("keySelfName", reply::bulk(argv[1]));
        std::vector<reply> chunks;
        for (const ts_chunk_info& c : i.chunks) {
            // bytesPerSample goes through RedisModule_ReplyWithDouble: a "%.17g" bulk string of a float.
            const double per_sample = static_cast<float>(static_cast<float>(c.data_bytes) / static_cast<float>(c.samples));
            chunks.push_back(reply::array({reply::status("startTimestamp"), count(c.first_ts),
                                           reply::status("endTimestamp"), count(c.last_ts),
                                           reply::status("samples"), count(c.samples), reply::status("size"),
                                           count(c.data_bytes), reply::status("bytesPerSample"),
                                           reply::bulk(detail::format_double(per_sample))}));
        }
        field("Chunks", reply::array(std::move(chunks)));
    }
    return reply::array(std::move(out));
}

template <class Series>
Series& existing(std::optional<Series>& slot) {
    if (!slot) fail(msg::key_missing);
    return *slot;
}

template <class Series>
reply run(std::optional<Series>& slot, const args& argv, std::int64_t now_ms) {
    const std::string& name = argv[0];
    const std::size_t argc = argv.size();
    const auto arity = [&] { return reply::error(detail::wrong_arity(name)); };

    if (detail::iequals(name, "TS.CREATE")) {
        if (argc < 2) return arity();
        create_args parsed = parse_create_args(argv, 2);
        if (slot) fail(msg::key_exists);
        slot.emplace(std::move(parsed.options));
        return reply::ok();
    }
    if (detail::iequals(name, "TS.ALTER")) {
        if (argc < 2) return arity();
        create_args parsed = parse_create_args(argv, 2);
        Series& series = existing(slot);
        if (parsed.has_retention) series.set_retention(parsed.options.retention_ms);
        if (parsed.has_chunk_size) series.set_chunk_size(parsed.options.chunk_size_bytes);
        if (parsed.has_policy) series.set_duplicate_policy(parsed.options.policy);
        if (parsed.has_labels) series.set_labels(std::move(parsed.options.labels));
        return reply::ok();
    }
    if (detail::iequals(name, "TS.ADD")) {
        if (argc < 4) return arity();
        const auto value = parse_sample_value(argv[3]);
        if (!value) fail(msg::invalid_value);
        const std::int64_t ts = parse_sample_timestamp(argv[2], now_ms);
        if (!slot) {
            Series fresh(parse_create_args(argv, 4).options);
            fresh.add(ts, *value);
            slot.emplace(std::move(fresh));
            return reply::from_integer(ts);
        }
        std::optional<duplicate_policy> on_duplicate;
        if (const long pos = find_arg(argv, "ON_DUPLICATE", 4); pos >= 0) {
            on_duplicate = parse_policy(word_after(argv, pos, msg::bad_policy));
            if (!on_duplicate) fail(msg::unknown_policy);
        }
        return reply::from_integer(slot->add(ts, *value, on_duplicate));
    }
    if (detail::iequals(name, "TS.MADD")) {
        if (argc < 4 || (argc - 1) % 3 != 0) return arity();
        for (std::size_t i = 1; i < argc; i += 3) {
            if (argv[i] != argv[1]) return reply::error("ERR TS.MADD over several keys is the caller's: execute() runs one key");
        }
        std::vector<reply> results;
        for (std::size_t i = 1; i < argc; i += 3) {
            try {
                const auto value = parse_sample_value(argv[i + 2]);
                if (!value) fail(msg::invalid_value);
                const std::int64_t ts = parse_sample_timestamp(argv[i + 1], now_ms);
                if (!slot) fail("ERR TSDB: the key is not a TSDB key");
                results.push_back(reply::from_integer(slot->add(ts, *value)));
            } catch (const bptree::error& e) {
                results.push_back(reply::error(e.what()));
            }
        }
        return reply::array(std::move(results));
    }
    if (detail::iequals(name, "TS.INCRBY") || detail::iequals(name, "TS.DECRBY")) {
        if (argc < 3) return arity();
        double delta = 0;
        if (!detail::parse_double(argv[2], delta)) fail(msg::invalid_increment);
        std::int64_t ts = now_ms;
        if (const long pos = find_arg(argv, "TIMESTAMP", 3); pos >= 0) {
            ts = parse_sample_timestamp(word_after(argv, pos, msg::invalid_timestamp), now_ms);
        }
        const bool increment = detail::iequals(name, "TS.INCRBY");
        if (!slot) {
            Series fresh(parse_create_args(argv, 3).options);
            increment ? fresh.incrby(ts, delta) : fresh.decrby(ts, delta);
            slot.emplace(std::move(fresh));
            return reply::from_integer(ts);
        }
        return reply::from_integer(increment ? slot->incrby(ts, delta) : slot->decrby(ts, delta));
    }
    if (detail::iequals(name, "TS.GET")) {
        if (argc < 2 || argc > 3) return arity();
        const Series& series = existing(slot);
        if (argc == 3 && !detail::iequals(argv[2], "LATEST")) fail("ERR TSDB: wrong 3rd argument");
        const std::optional<ts_sample> last = series.get();
        return last ? sample_reply(*last) : reply::array();
    }
    if (detail::iequals(name, "TS.INFO")) {
        if (argc < 2 || argc > 3) return arity();
        return info_reply(existing(slot), argv);
    }
    if (detail::iequals(name, "TS.DEL")) {
        if (argc != 4) return arity();
        bool open = false;
        const std::int64_t from = parse_range_bound(argv[2], "ERR TSDB: wrong fromTimestamp", 0, "-", open);
        const std::int64_t to = parse_range_bound(argv[3], "ERR TSDB: wrong toTimestamp",
                                                  bptree::detail::ts::max_timestamp, "+", open);
        return reply::from_integer(static_cast<long long>(existing(slot).del(from, to)));
    }
    const bool reverse = detail::iequals(name, "TS.REVRANGE");
    if (reverse || detail::iequals(name, "TS.RANGE")) {
        if (argc < 4) return arity();
        const Series& series = existing(slot);
        const range_request request = parse_range(argv, series);
        const std::vector<ts_sample> samples = reverse ? series.revrange(request.from, request.to, request.options)
                                                       : series.range(request.from, request.to, request.options);
        std::vector<reply> out;
        out.reserve(samples.size());
        for (const ts_sample& s : samples) out.push_back(sample_reply(s));
        return reply::array(std::move(out));
    }
    return reply::error(detail::unknown_command(name, argv));
}

inline std::int64_t system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace detail::ts_cmd

// Runs one time-series command on `key` with `now_ms` as the clock of '*' timestamps.
template <class Index>
reply execute(std::optional<bptree::time_series<Index>>& key, const std::vector<std::string>& argv,
              std::int64_t now_ms) {
    if (argv.empty()) return reply::error("ERR wrong number of arguments");
    try {
        return detail::ts_cmd::run(key, argv, now_ms);
    } catch (const bptree::error& e) {
        return reply::error(e.what());
    }
}

// API.md's form: '*' timestamps read the system clock.
template <class Index>
reply execute(std::optional<bptree::time_series<Index>>& key, const std::vector<std::string>& argv) {
    return execute(key, argv, detail::ts_cmd::system_now_ms());
}

}  // namespace redis
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_REDIS_TS_COMMANDS_HPP
