// File: bptree/detail/redis/zset_multikey.hpp
// Layer: command layer. execute_multi_key(slot_of, argv): the sorted-set commands that name
// several keys (ZUNION, ZINTER, ZDIFF, ZINTERCARD, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE,
// ZRANGESTORE), parsed as Redis 7.0 parses them and run through the typed free functions of
// sorted_set.hpp against the caller's keyspace. API.md leaves these commands to the caller; this
// is the caller's side written once, for servers that keep sorted sets in a keyspace of slots.
// Includes: zset_commands.hpp (shared parsing), reply.hpp.
#ifndef BPTREE_DETAIL_REDIS_ZSET_MULTIKEY_HPP
#define BPTREE_DETAIL_REDIS_ZSET_MULTIKEY_HPP

#include <optional>
#include <string>
#include <vector>

#include "bptree/detail/config.hpp"
#include "bptree/detail/redis/reply.hpp"
#include "bptree/detail/redis/zset_commands.hpp"
#include "bptree/sorted_set.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis {

namespace detail::zset {

inline constexpr const char* limit_negative = "ERR LIMIT can't be negative";

enum class set_operation { union_of, intersection, difference, intersection_size };

// The arguments of zunionInterDiffGenericCommand: numkeys, keys, WEIGHTS, AGGREGATE, WITHSCORES
// (not with a destination) and LIMIT (ZINTERCARD only), checked in Redis's order.
struct set_operation_request {
    std::vector<std::string> keys;
    std::vector<double> weights;
    score_aggregate aggregate = score_aggregate::sum;
    bool with_scores = false;
    std::size_t limit = 0;
};

inline set_operation_request parse_set_operation(const std::vector<std::string>& argv, std::size_t numkeys_at,
                                                 set_operation op, bool has_destination) {
    set_operation_request r;
    const long long numkeys = parse_integer(argv[numkeys_at]);
    if (numkeys < 1) throw error("ERR at least 1 input key is needed for '" + lowercase(argv[0]) + "' command");

    if (numkeys > static_cast<long long>(argv.size() - numkeys_at - 1)) throw error(redis::detail::syntax_error);
    const auto n = static_cast<std::size_t>(numkeys);
    r.keys.assign(argv.begin() + static_cast<std::ptrdiff_t>(numkeys_at + 1),
                  argv.begin() + static_cast<std::ptrdiff_t>(numkeys_at + 1 + n));
    r.weights.assign(n, 1.0);
    const bool weighs = op == set_operation::union_of || op == set_operation::intersection;
    for (std::size_t j = numkeys_at + 1 + n; j < argv.size();) {
        const std::size_t remaining = argv.size() - j;
        if (weighs && remaining >= n + 1 && iequals(argv[j], "weights")) {
            for (std::size_t i = 0; i < n; ++i) {
                if (!redis::detail::parse_double(argv[j + 1 + i], r.weights[i])) throw error(bptree::zset_errors::weight_not_float);
            }
            j += n + 1;
        } else if (weighs && remaining >= 2 && iequals(argv[j], "aggregate")) {
            const std::string& a = argv[j + 1];
            if (iequals(a, "sum")) {
                r.aggregate = score_aggregate::sum;
            } else if (iequals(a, "min")) {
                r.aggregate = score_aggregate::min;
            } else if (iequals(a, "max")) {
                r.aggregate = score_aggregate::max;
            } else {
                throw error(redis::detail::syntax_error);
            }
            j += 2;
        } else if (!has_destination && op != set_operation::intersection_size && iequals(argv[j], "withscores")) {
            r.with_scores = true;
            j += 1;
        } else if (op == set_operation::intersection_size && remaining >= 2 && iequals(argv[j], "limit")) {
            const long long limit = parse_integer(argv[j + 1], limit_negative);
            if (limit < 0) throw error(limit_negative);
            r.limit = static_cast<std::size_t>(limit);
            j += 2;
        } else {
            throw error(redis::detail::syntax_error);
        }
    }
    return r;
}

}  // namespace detail::zset

// Runs one multi-key sorted-set command. slot_of(name) returns the std::optional<SortedSet>& of
// a key in the caller's keyspace (empty: the key does not exist; keys of other types are the
// caller's to reject before calling). The sources are read before the destination is asked for,
// so slot_of may create the destination's slot. Destinations are written as Redis writes them: replaced by
// the result, emptied when it is empty. A command that replies an error changes nothing.
template <class SortedSet, class SlotOf>
reply execute_multi_key(SlotOf&& slot_of, const std::vector<std::string>& argv) {
    using detail::zset::set_operation;
    using redis::detail::iequals;
    struct command {
        const char* name;
        int arity;
        set_operation op;
        bool store;
    };
    static const command table[] = {
        {"zunion", -3, set_operation::union_of, false},         {"zinter", -3, set_operation::intersection, false},
        {"zdiff", -3, set_operation::difference, false},        {"zintercard", -3, set_operation::intersection_size, false},
        {"zunionstore", -4, set_operation::union_of, true},     {"zinterstore", -4, set_operation::intersection, true},
        {"zdiffstore", -4, set_operation::difference, true},
    };
    const std::string name = argv.empty() ? std::string() : argv[0];
    const auto arity_ok = [&](int arity) {
        const auto n = static_cast<std::size_t>(arity < 0 ? -arity : arity);
        return arity < 0 ? argv.size() >= n : argv.size() == n;
    };
    try {
        if (iequals(name, "zrangestore")) {
            if (!arity_ok(-5)) return reply::error(redis::detail::wrong_arity(name));
            const auto request = detail::zset::parse_zrange(argv, 2, detail::zset::range_kind::unset, std::nullopt, true);
            std::optional<SortedSet>& source = slot_of(argv[2]);
            std::optional<SortedSet> result;
            if (source) zrangestore(result, detail::zset::select_range(*source, request));
            std::optional<SortedSet>& destination = slot_of(argv[1]);
            destination = std::move(result);
            return reply::from_integer(destination ? static_cast<long long>(destination->size()) : 0);
        }
        for (const command& c : table) {
            if (!iequals(name, c.name)) continue;
            if (!arity_ok(c.arity)) return reply::error(redis::detail::wrong_arity(name));
            const auto request = detail::zset::parse_set_operation(argv, c.store ? 2 : 1, c.op, c.store);
            std::vector<weighted_set<SortedSet>> inputs;
            std::vector<const SortedSet*> sets;
            for (std::size_t i = 0; i < request.keys.size(); ++i) {
                const std::optional<SortedSet>& slot = slot_of(request.keys[i]);
                sets.push_back(slot ? &*slot : nullptr);
                inputs.push_back({sets.back(), request.weights[i]});
            }
            if (c.op == set_operation::intersection_size) {
                return reply::from_integer(static_cast<long long>(zintercard(sets, request.limit)));
            }
            namespace algebra = bptree::detail::zset;
            const auto result = c.op == set_operation::union_of       ? algebra::union_entries(inputs, request.aggregate)
                                : c.op == set_operation::intersection ? algebra::intersection_entries(inputs, request.aggregate)
                                                                      : algebra::difference_entries(sets);
            // A reply shows the scores as computed; a stored set stores -0 as 0 (Redis's listpack).
            if (!c.store) return detail::zset::entries_reply(result, request.with_scores);
            // The sources are no longer used, so slot_of may add the destination to the keyspace.
            std::optional<SortedSet>& destination = slot_of(argv[1]);
            return reply::from_integer(static_cast<long long>(algebra::store(destination, algebra::from_sorted<SortedSet>(result))));
        }
    } catch (const bptree::error& e) {
        return reply::error(e.what());
    }
    return reply::error(redis::detail::unknown_command(name, argv));
}

}  // namespace redis
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_REDIS_ZSET_MULTIKEY_HPP
