// File: bptree/detail/redis/zset_commands.hpp
// Layer: command layer. execute(slot, argv): the sorted-set commands of Redis 7.0 that name one
// key, parsed the way Redis parses them and answered with Redis's replies and error texts, over
// bptree::sorted_set's typed members. Included by bptree/redis.hpp.
// Includes: sorted_set.hpp, reply.hpp (shared parsing, formatting and error texts), zset_glob.hpp.
//
// Order of checks, as in Redis (a failed command changes nothing): arity, then the command's own
// argument parsing in Redis's order, then the key. Typed members throw bptree::error for the
// errors only they can see (NaN results); execute turns every bptree::error into an error reply.
// After each command an emptied set empties the slot (Redis deletes the key).
//
// Commands: ZADD ZINCRBY ZREM ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANK ZREVRANK ZRANGE
// ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE ZREMRANGEBYRANK
// ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZRANDMEMBER ZSCAN. Commands over several keys
// (ZUNION, ZINTER, ZDIFF, ZINTERCARD, the STORE forms, ZRANGESTORE) are the caller's (API.md):
// the typed free functions of sorted_set.hpp, or execute_multi_key() of zset_multikey.hpp, which
// this header includes at its end (it reuses the ZRANGE parser below).
#ifndef BPTREE_DETAIL_REDIS_ZSET_COMMANDS_HPP
#define BPTREE_DETAIL_REDIS_ZSET_COMMANDS_HPP

#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bptree/detail/config.hpp"
#include "bptree/detail/redis/reply.hpp"
#include "bptree/detail/redis/zset_glob.hpp"
#include "bptree/error.hpp"
#include "bptree/sorted_set.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis {

namespace detail::zset {

using bptree::redis::detail::iequals;

// Error texts of the sorted-set commands (the shared ones live in reply.hpp).
inline constexpr const char* incr_single_pair = "ERR INCR option supports a single increment-element pair";
inline constexpr const char* bad_lex_bound = "ERR min or max not valid string range item";
inline constexpr const char* limit_needs_by = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
inline constexpr const char* withscores_with_bylex = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
inline constexpr const char* not_positive = "ERR value is out of range, must be positive";
inline constexpr const char* out_of_range = "ERR value is out of range";
inline constexpr const char* invalid_cursor = "ERR invalid cursor";

// Redis keeps a sorted set of at most this many members, none longer than listpack_value bytes,
// in one compact listpack; ZSCAN then returns the whole set in one reply (zset-max-listpack-*).
inline constexpr std::size_t listpack_entries = 128;
inline constexpr std::size_t listpack_value = 64;

// ---------------------------------------------------------------- argument parsing (throws)

inline std::string lowercase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// getLongFromObjectOrReply: a 64-bit integer written as Redis's string2ll accepts it.
inline long long parse_integer(const std::string& s, const char* message = redis::detail::not_an_integer) {
    long long v = 0;
    if (!redis::detail::parse_long_long(s, v)) throw error(message);
    return v;
}

// getDoubleFromObjectOrReply: scores and increments (no NaN, no leading space, no overflow).
inline double parse_score(const std::string& s) {
    double v = 0;
    if (!redis::detail::parse_double(s, v)) throw error(redis::detail::not_a_float);
    return v;
}

// strtod over a C string, as Redis's range parsers call it: leading spaces, hex, "inf" and an
// empty string (0) are accepted, the text ends at the first NUL byte, and overflow is +-inf.
inline bool parse_c_double(const char* text, double& out) {
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (*end != '\0' || std::isnan(v)) return false;
    out = v;
    return true;
}

// zslParseRange: "(" makes a bound exclusive.
inline score_bound parse_score_bound(const std::string& s) {
    score_bound b{0.0, false};
    const char* text = s.c_str();
    if (text[0] == '(') {
        b.exclusive = true;
        ++text;
    }
    if (!parse_c_double(text, b.value)) throw error(bptree::zset_errors::bound_not_float);
    return b;
}
inline score_range parse_score_range(const std::string& min, const std::string& max) {
    return score_range{parse_score_bound(min), parse_score_bound(max)};
}

// zslParseLexRangeItem: "[m", "(m", "-", "+" ("-" and "+" are read as C strings: "+\0x" is "+").
inline lex_bound<std::string> parse_lex_bound(const std::string& s) {
    using bound = lex_bound<std::string>;
    const char* text = s.c_str();
    switch (text[0]) {
        case '+':
            if (text[1] != '\0') break;
            return bound::plus_infinity();
        case '-':
            if (text[1] != '\0') break;
            return bound::minus_infinity();
        case '(': return bound::exclusive(s.substr(1));
        case '[': return bound::inclusive(s.substr(1));
        default: break;
    }
    throw error(bad_lex_bound);
}
inline lex_range<std::string> parse_lex_range(const std::string& min, const std::string& max) {
    return lex_range<std::string>{parse_lex_bound(min), parse_lex_bound(max)};
}

// parseScanCursorOrReply: strtoul, so "+5", "-1" (wraps) and "" (0) are cursors, but a leading
// space, trailing bytes or overflow are not.
inline std::uint64_t parse_cursor(const std::string& s) {
    if (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) throw error(invalid_cursor);
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) throw error(invalid_cursor);
    return v;
}

// ---------------------------------------------------------------- replies

inline reply score_reply(double score) { return reply::bulk(redis::detail::format_double(score)); }

inline reply optional_score_reply(const std::optional<double>& score) {
    return score ? score_reply(*score) : reply::nil();
}

// Members of entries in the order given, each followed by its score when with_scores (RESP2's
// flat form of WITHSCORES, ZPOPMIN, ZRANDMEMBER ... WITHSCORES and ZSCAN).
template <class Entries>
reply entries_reply(const Entries& entries, bool with_scores) {
    std::vector<reply> out;
    for (const auto& e : entries) {
        out.push_back(reply::bulk(e.member));
        if (with_scores) out.push_back(score_reply(e.score));
    }
    return reply::array(std::move(out));
}

// ---------------------------------------------------------------- ZRANGE's arguments

enum class range_kind { unset, rank, score, lex };

// A parsed ZRANGE / ZRANGESTORE (and the older range commands): which range, read how.
struct zrange_request {
    range_kind kind = range_kind::rank;
    range_direction direction = range_direction::forward;
    bool with_scores = false;
    range_limit limit;
    long long start = 0;  // range_kind::rank
    long long stop = 0;
    score_range scores;             // range_kind::score
    lex_range<std::string> lexes;   // range_kind::lex
};

// Redis's zrangeGenericCommand parsing: argv[source] is the source key, then min, max and the
// options. `kind` and `direction` are fixed by the older commands (unset / nullopt for ZRANGE);
// `store` is ZRANGESTORE, which takes no WITHSCORES. Throws the Redis error.
inline zrange_request parse_zrange(const std::vector<std::string>& argv, std::size_t source, range_kind kind,
                                   std::optional<range_direction> direction, bool store) {
    zrange_request r;
    for (std::size_t j = source + 3; j < argv.size(); ++j) {
        const std::size_t left = argv.size() - j - 1;
        const std::string& opt = argv[j];
        if (!store && iequals(opt, "withscores")) {
            r.with_scores = true;
        } else if (iequals(opt, "limit") && left >= 2) {
            r.limit.offset = parse_integer(argv[j + 1]);
            r.limit.count = parse_integer(argv[j + 2]);
            j += 2;
        } else if (!direction && iequals(opt, "rev")) {
            direction = range_direction::reverse;
        } else if (kind == range_kind::unset && iequals(opt, "bylex")) {
            kind = range_kind::lex;
        } else if (kind == range_kind::unset && iequals(opt, "byscore")) {
            kind = range_kind::score;
        } else {
            throw error(redis::detail::syntax_error);
        }
    }
    r.direction = direction.value_or(range_direction::forward);
    r.kind = kind == range_kind::unset ? range_kind::rank : kind;
    // Redis tells "no LIMIT" by a count of -1, so "LIMIT 5 -1" passes here.
    if (r.limit.count != -1 && r.kind == range_kind::rank) throw error(limit_needs_by);
    if (r.with_scores && r.kind == range_kind::lex) throw error(withscores_with_bylex);
    // BYSCORE and BYLEX with REV take the range as max, min.
    const bool swapped = r.direction == range_direction::reverse && r.kind != range_kind::rank;
    const std::string& min = swapped ? argv[source + 2] : argv[source + 1];
    const std::string& max = swapped ? argv[source + 1] : argv[source + 2];
    switch (r.kind) {
        case range_kind::score: r.scores = parse_score_range(min, max); break;
        case range_kind::lex: r.lexes = parse_lex_range(min, max); break;
        default:
            r.start = parse_integer(min);
            r.stop = parse_integer(max);
            break;
    }
    return r;
}

template <class SortedSet>
typename SortedSet::range_type select_range(const SortedSet& s, const zrange_request& r) {
    switch (r.kind) {
        case range_kind::score: return s.range_by_score(r.scores, r.direction, r.limit);
        case range_kind::lex: return s.range_by_lex(r.lexes, r.direction, r.limit);
        default: return s.range_by_rank(r.start, r.stop, r.direction);
    }
}

// ---------------------------------------------------------------- the commands

template <class SortedSet, class Urbg>
struct commands {
    using slot_type = std::optional<SortedSet>;
    using args = std::vector<std::string>;

    // ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]; ZINCRBY key increment
    // member runs the same parser with INCR set, so "ZINCRBY k nx m" is a syntax error in both.
    static reply zadd_generic(slot_type& slot, const args& argv, bool incr) {
        zadd_options options;
        std::size_t i = 2;
        for (; i < argv.size(); ++i) {
            const std::string& opt = argv[i];
            if (iequals(opt, "nx")) {
                options.nx = true;
            } else if (iequals(opt, "xx")) {
                options.xx = true;
            } else if (iequals(opt, "ch")) {
                options.ch = true;
            } else if (iequals(opt, "incr")) {
                incr = true;
            } else if (iequals(opt, "gt")) {
                options.gt = true;
            } else if (iequals(opt, "lt")) {
                options.lt = true;
            } else {
                break;
            }
        }
        const std::size_t rest = argv.size() - i;
        if (rest == 0 || rest % 2 != 0) throw error(redis::detail::syntax_error);
        check_zadd_options(options);
        if (incr && rest > 2) throw error(incr_single_pair);
        std::vector<std::pair<double, std::string>> pairs;
        for (std::size_t j = i; j < argv.size(); j += 2) pairs.emplace_back(parse_score(argv[j]), argv[j + 1]);

        if (!slot) {
            if (options.xx) return incr ? reply::nil() : reply::from_integer(0);
            slot.emplace();
        }
        if (incr) return optional_score_reply(slot->add_incr(pairs[0].second, pairs[0].first, options));
        return reply::from_integer(static_cast<long long>(slot->add(pairs, options)));
    }
    static reply zadd(slot_type& slot, const args& argv, Urbg&) { return zadd_generic(slot, argv, false); }
    static reply zincrby(slot_type& slot, const args& argv, Urbg&) { return zadd_generic(slot, argv, true); }

    static reply zrem(slot_type& slot, const args& argv, Urbg&) {
        if (!slot) return reply::from_integer(0);
        long long removed = 0;
        for (std::size_t i = 2; i < argv.size(); ++i) removed += slot->remove(argv[i]);
        return reply::from_integer(removed);
    }

    static reply zscore(slot_type& slot, const args& argv, Urbg&) {
        return slot ? optional_score_reply(slot->score(argv[2])) : reply::nil();
    }

    static reply zmscore(slot_type& slot, const args& argv, Urbg&) {
        std::vector<reply> out;
        for (std::size_t i = 2; i < argv.size(); ++i) {
            out.push_back(slot ? optional_score_reply(slot->score(argv[i])) : reply::nil());
        }
        return reply::array(std::move(out));
    }

    static reply zcard(slot_type& slot, const args&, Urbg&) {
        return reply::from_integer(slot ? static_cast<long long>(slot->size()) : 0);
    }

    static reply zcount(slot_type& slot, const args& argv, Urbg&) {
        const score_range range = parse_score_range(argv[2], argv[3]);
        return reply::from_integer(slot ? static_cast<long long>(slot->count(range)) : 0);
    }

    static reply zlexcount(slot_type& slot, const args& argv, Urbg&) {
        const lex_range<std::string> range = parse_lex_range(argv[2], argv[3]);
        return reply::from_integer(slot ? static_cast<long long>(slot->count(range)) : 0);
    }

    static reply zrank_generic(slot_type& slot, const args& argv, bool reverse) {
        if (!slot) return reply::nil();
        const auto r = reverse ? slot->rev_rank(argv[2]) : slot->rank(argv[2]);
        return r ? reply::from_integer(static_cast<long long>(*r)) : reply::nil();
    }
    static reply zrank(slot_type& slot, const args& argv, Urbg&) { return zrank_generic(slot, argv, false); }
    static reply zrevrank(slot_type& slot, const args& argv, Urbg&) { return zrank_generic(slot, argv, true); }

    // ZRANGE and the five older forms, which fix the range kind and / or the direction (so they
    // reject BYSCORE / BYLEX / REV).
    static reply zrange_generic(slot_type& slot, const args& argv, range_kind kind,
                                std::optional<range_direction> direction) {
        const zrange_request request = parse_zrange(argv, 1, kind, direction, false);
        if (!slot) return reply::array();
        return entries_reply(select_range(*slot, request), request.with_scores);
    }
    static reply zrange(slot_type& s, const args& a, Urbg&) { return zrange_generic(s, a, range_kind::unset, {}); }
    static reply zrangebyscore(slot_type& s, const args& a, Urbg&) {
        return zrange_generic(s, a, range_kind::score, range_direction::forward);
    }
    static reply zrevrangebyscore(slot_type& s, const args& a, Urbg&) {
        return zrange_generic(s, a, range_kind::score, range_direction::reverse);
    }
    static reply zrangebylex(slot_type& s, const args& a, Urbg&) {
        return zrange_generic(s, a, range_kind::lex, range_direction::forward);
    }
    static reply zrevrangebylex(slot_type& s, const args& a, Urbg&) {
        return zrange_generic(s, a, range_kind::lex, range_direction::reverse);
    }
    static reply zrevrange(slot_type& s, const args& a, Urbg&) {
        return zrange_generic(s, a, range_kind::rank, range_direction::reverse);
    }

    static reply zremrangebyrank(slot_type& slot, const args& argv, Urbg&) {
        const long long start = parse_integer(argv[2]);
        const long long stop = parse_integer(argv[3]);
        if (!slot) return reply::from_integer(0);
        return reply::from_integer(static_cast<long long>(slot->remove_range_by_rank(start, stop)));
    }
    static reply zremrangebyscore(slot_type& slot, const args& argv, Urbg&) {
        const score_range range = parse_score_range(argv[2], argv[3]);
        if (!slot) return reply::from_integer(0);
        return reply::from_integer(static_cast<long long>(slot->remove_range_by_score(range)));
    }
    static reply zremrangebylex(slot_type& slot, const args& argv, Urbg&) {
        const lex_range<std::string> range = parse_lex_range(argv[2], argv[3]);
        if (!slot) return reply::from_integer(0);
        return reply::from_integer(static_cast<long long>(slot->remove_range_by_lex(range)));
    }

    // ZPOPMIN / ZPOPMAX key [count]: a flat array of member, score pairs.
    static reply zpop_generic(slot_type& slot, const args& argv, bool highest) {
        if (argv.size() > 3) throw error(redis::detail::syntax_error);
        long long count = 1;
        if (argv.size() == 3) {
            count = parse_integer(argv[2], not_positive);
            if (count < 0) throw error(not_positive);
        }
        if (!slot || count == 0) return reply::array();
        const auto n = static_cast<std::size_t>(count);
        return entries_reply(highest ? slot->pop_max(n) : slot->pop_min(n), true);
    }
    static reply zpopmin(slot_type& s, const args& a, Urbg&) { return zpop_generic(s, a, false); }
    static reply zpopmax(slot_type& s, const args& a, Urbg&) { return zpop_generic(s, a, true); }

    // ZRANDMEMBER key [count [WITHSCORES]].
    static reply zrandmember(slot_type& slot, const args& argv, Urbg& rng) {
        if (argv.size() == 2) {
            if (!slot) return reply::nil();
            return reply::bulk(slot->random_member(rng)->member);
        }
        const long long count = parse_integer(argv[2]);
        // Redis reads the count as a long in [-LONG_MAX, LONG_MAX] before anything else.
        if (count == std::numeric_limits<long long>::min()) {
            throw error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        if (argv.size() > 4 || (argv.size() == 4 && !iequals(argv[3], "withscores"))) {
            throw error(redis::detail::syntax_error);
        }
        const bool with_scores = argv.size() == 4;
        // Redis doubles the reply length WITHSCORES, so it bounds the count first.
        constexpr long long bound = std::numeric_limits<long long>::max() / 2;
        if (with_scores && (count < -bound || count > bound)) throw error(out_of_range);
        if (!slot) return reply::array();
        return entries_reply(slot->random_members(count, rng), with_scores);
    }

    // ZSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is parsed before the key is looked
    // up and the options after (so a missing key hides bad options, as in Redis). A set that
    // Redis would keep as a listpack comes back whole; larger sets page by rank.
    static reply zscan(slot_type& slot, const args& argv, Urbg&) {
        const std::uint64_t cursor = parse_cursor(argv[2]);
        if (!slot) return reply::array({reply::bulk("0"), reply::array()});
        long long count = 10;
        std::optional<std::string> pattern;
        for (std::size_t i = 3; i < argv.size(); i += 2) {
            const bool has_value = argv.size() - i >= 2;
            if (has_value && iequals(argv[i], "count")) {
                count = parse_integer(argv[i + 1]);
                if (count < 1) throw error(redis::detail::syntax_error);
            } else if (has_value && iequals(argv[i], "match")) {
                pattern = argv[i + 1];
                if (*pattern == "*") pattern.reset();  // matches everything
            } else {
                throw error(redis::detail::syntax_error);
            }
        }
        scan_page<std::string> page = is_listpack_sized(*slot)
                                          ? slot->scan(0, slot->size())
                                          : slot->scan(cursor, static_cast<std::size_t>(count));
        std::vector<reply> out;
        for (const auto& e : page.entries) {
            if (pattern && !redis::detail::glob_match(*pattern, e.member)) continue;
            out.push_back(reply::bulk(e.member));
            out.push_back(score_reply(e.score));
        }
        return reply::array({reply::bulk(std::to_string(page.cursor)), reply::array(std::move(out))});
    }

    static bool is_listpack_sized(const SortedSet& s) {
        if (s.size() > listpack_entries) return false;
        for (const auto& e : s) {
            if (e.member.size() > listpack_value) return false;
        }
        return true;
    }

    using handler = reply (*)(slot_type&, const args&, Urbg&);
    struct command {
        const char* name;
        int arity;  // Redis's: n exactly n arguments (with the name), -n at least n
        handler run;
    };

    static const command* find(std::string_view name) {
        static const command table[] = {
            {"zadd", -4, &zadd},
            {"zincrby", 4, &zincrby},
            {"zrem", -3, &zrem},
            {"zscore", 3, &zscore},
            {"zmscore", -3, &zmscore},
            {"zcard", 2, &zcard},
            {"zcount", 4, &zcount},
            {"zlexcount", 4, &zlexcount},
            {"zrank", 3, &zrank},
            {"zrevrank", 3, &zrevrank},
            {"zrange", -4, &zrange},
            {"zrangebyscore", -4, &zrangebyscore},
            {"zrevrangebyscore", -4, &zrevrangebyscore},
            {"zrangebylex", -4, &zrangebylex},
            {"zrevrangebylex", -4, &zrevrangebylex},
            {"zrevrange", -4, &zrevrange},
            {"zremrangebyrank", 4, &zremrangebyrank},
            {"zremrangebyscore", 4, &zremrangebyscore},
            {"zremrangebylex", 4, &zremrangebylex},
            {"zpopmin", -2, &zpopmin},
            {"zpopmax", -2, &zpopmax},
            {"zrandmember", -2, &zrandmember},
            {"zscan", -3, &zscan},
        };
        for (const command& c : table) {
            if (iequals(name, c.name)) return &c;
        }
        return nullptr;
    }

    static bool arity_ok(const command& c, std::size_t argc) {
        const auto n = static_cast<std::size_t>(c.arity < 0 ? -c.arity : c.arity);
        return c.arity < 0 ? argc >= n : argc == n;
    }
};

// The engine ZRANDMEMBER draws from when the caller gives none: one per thread, seeded with a
// fixed constant, so replies are reproducible run to run.
inline std::mt19937_64& default_random_engine() {
    thread_local std::mt19937_64 engine(0x5eed'2a7d'0000'0007ull);
    return engine;
}

}  // namespace detail::zset

// Runs one sorted-set command on a key's slot (empty: the key does not exist) and returns Redis
// 7.0's reply. ZRANDMEMBER draws from `rng`. The slot is created where Redis creates the key and
// emptied where Redis deletes it; a command that replies an error leaves it unchanged.
template <class Index, class Hash, class MemberLess, class Urbg>
reply execute(std::optional<sorted_set<std::string, Index, Hash, MemberLess>>& key,
              const std::vector<std::string>& argv, Urbg& rng) {
    using commands = detail::zset::commands<sorted_set<std::string, Index, Hash, MemberLess>, Urbg>;
    const std::string name = argv.empty() ? std::string() : argv[0];
    const auto* command = commands::find(name);
    if (command == nullptr) return reply::error(detail::unknown_command(name, argv));
    if (!commands::arity_ok(*command, argv.size())) return reply::error(detail::wrong_arity(name));
    try {
        reply r = command->run(key, argv, rng);
        if (key && key->empty()) key.reset();
        return r;
    } catch (const bptree::error& e) {
        if (key && key->empty()) key.reset();  // never created by a failed command, but keep the rule
        return reply::error(e.what());
    }
}

template <class Index, class Hash, class MemberLess>
reply execute(std::optional<sorted_set<std::string, Index, Hash, MemberLess>>& key,
              const std::vector<std::string>& argv) {
    return execute(key, argv, detail::zset::default_random_engine());
}

}  // namespace redis
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#include "bptree/detail/redis/zset_multikey.hpp"

#endif  // BPTREE_DETAIL_REDIS_ZSET_COMMANDS_HPP
