// File: bptree/detail/redis/stream_commands.hpp
// Layer: command layer (streams). execute(slot, argv[, now_ms]) runs one Redis 7.0 stream command
// on one key's slot and returns Redis's reply: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID,
// XINFO (STREAM [FULL], GROUPS, CONSUMERS, HELP), XREAD, XREADGROUP, XGROUP (CREATE, SETID,
// DESTROY, CREATECONSUMER, DELCONSUMER, HELP), XACK, XPENDING, XCLAIM and XAUTOCLAIM.
// Includes: reply.hpp, stream_args.hpp and the public stream adaptor.
//
// Each command checks its arguments in Redis's order, so the first error is Redis's first error,
// and calls the typed members of bptree::stream only once nothing can fail any more: a command
// that replies an error leaves the slot as it was. XADD and XGROUP CREATE ... MKSTREAM create the
// stream in an empty slot; nothing empties a slot (an empty stream stays, as in Redis).
//
// Time: execute(slot, argv, now_ms) runs the command at now_ms (ms since the Unix epoch: "*" IDs,
// delivery and seen times, idle times); execute(slot, argv) reads std::chrono::system_clock once.
//
// XREAD and XREADGROUP: the whole Redis syntax is parsed and checked (COUNT, BLOCK, NOACK, GROUP,
// STREAMS with its balance rule) with Redis's errors; the STREAMS list must then name exactly
// one key, this one (its name is not interpreted). A list of several keys gets
// "ERR this command layer reads one stream per call: split the STREAMS list into one call per
// key" (stream_one_key_error); a server runs such a read once per key and concatenates the
// non-nil replies. BLOCK is validated but never waits: with nothing to serve the reply is nil,
// which a server that implements blocking takes as "park the client" (after replacing "$" by the
// stream's last ID it saw).
#ifndef BPTREE_DETAIL_REDIS_STREAM_COMMANDS_HPP
#define BPTREE_DETAIL_REDIS_STREAM_COMMANDS_HPP

#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bptree/detail/config.hpp"
#include "bptree/detail/redis/reply.hpp"
#include "bptree/detail/redis/stream_args.hpp"
#include "bptree/error.hpp"
#include "bptree/stream.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis {

namespace detail {

inline constexpr const char* stream_one_key_error =
    "ERR this command layer reads one stream per call: split the STREAMS list into one call per key";

using argv_type = std::vector<std::string>;

// ------------------------------------------------------------------------ replies

inline reply id_reply(const stream_id& id) { return reply::bulk(id.to_string()); }

inline reply optional_integer_reply(const std::optional<long long>& v) {
    return v ? reply::from_integer(*v) : reply::nil();
}

// One entry as Redis writes it: [id, [field, value, ...]].
inline reply entry_reply(const stream_id& id, const bptree::detail::stream_record& record) {
    std::vector<reply> fields;
    fields.reserve(2 * record.size());
    for (const auto& [name, value] : record) {
        fields.push_back(reply::bulk(std::string(name)));
        fields.push_back(reply::bulk(std::string(value)));
    }
    return reply::array({id_reply(id), reply::array(std::move(fields))});
}

// An entry copied out by a typed member; no fields means "deleted" ([id, nil]).
inline reply entry_reply(stream_entry&& e) {
    if (e.fields.empty()) return reply::array({id_reply(e.id), reply::nil()});
    std::vector<reply> fields;
    fields.reserve(2 * e.fields.size());
    for (auto& [name, value] : e.fields) {
        fields.push_back(reply::bulk(std::move(name)));
        fields.push_back(reply::bulk(std::move(value)));
    }
    return reply::array({id_reply(e.id), reply::array(std::move(fields))});
}

inline reply entries_reply(std::vector<stream_entry>&& entries) {
    std::vector<reply> out;
    out.reserve(entries.size());
    for (stream_entry& e : entries) out.push_back(entry_reply(std::move(e)));
    return reply::array(std::move(out));
}

inline reply ids_reply(const std::vector<stream_id>& ids) {
    std::vector<reply> out;
    out.reserve(ids.size());
    for (const stream_id& id : ids) out.push_back(id_reply(id));
    return reply::array(std::move(out));
}

// A RESP2 map: key, value, key, value ...
class map_reply {
public:
    map_reply& add(const char* key, reply value) {
        items_.push_back(reply::bulk(key));
        items_.push_back(std::move(value));
        return *this;
    }
    reply done() { return reply::array(std::move(items_)); }

private:
    std::vector<reply> items_;
};

inline reply help_reply(std::initializer_list<const char*> lines) {
    std::vector<reply> out;
    for (const char* line : lines) out.push_back(reply::status(line));
    return reply::array(std::move(out));
}

// ------------------------------------------------------------------------ shared argument rules

// The group part of the NOGROUP errors.
inline error nogroup_for_key(std::string_view group, std::string_view key) {  // XGROUP, XINFO CONSUMERS
    return error(formatted_error("NOGROUP No such consumer group '" + std::string(group) + "' for key name '" +
                                 std::string(key) + "'"));
}
inline error nogroup_key_or_group(std::string_view key, std::string_view group) {  // XPENDING, XCLAIM, XAUTOCLAIM
    return error(formatted_error("NOGROUP No such key '" + std::string(key) + "' or consumer group '" +
                                 std::string(group) + "'"));
}

// addReplySubcommandSyntaxError.
inline error subcommand_syntax_error(std::string_view subcommand, std::string_view command) {
    return error(formatted_error("ERR unknown subcommand or wrong number of arguments for '" +
                                 std::string(echoed(subcommand)) + "'. Try " + std::string(command) + " HELP."));
}

template <class Stream>
bool has_group(const std::optional<Stream>& slot, std::string_view group) {
    return slot && slot->has_group(group);
}

// XADD / XTRIM options (streamParseAddOrTrimArgsOrReply). For XADD, id_index is the position of
// the ID argument (argv.size() when the options ran to the end).
struct add_trim_args {
    std::optional<stream_trim> trim;
    bool nomkstream = false;
    stream_add_id id;
    bool id_given = false;
    bool seq_given = true;
    std::size_t id_index = 0;
};

inline add_trim_args parse_add_trim(const argv_type& argv, bool xadd, std::int64_t now_ms) {
    add_trim_args a;
    bool approximate = false;
    bool limit_given = false;
    long long limit = 0;
    std::size_t i = 2;
    auto threshold_prefix = [&](std::size_t more) {
        approximate = false;
        if (more >= 2 && argv[i + 1] == "~") {
            approximate = true;
            ++i;
        } else if (more >= 2 && argv[i + 1] == "=") {
            ++i;
        }
    };
    for (; i < argv.size(); ++i) {
        const std::size_t more = argv.size() - 1 - i;
        const std::string& opt = argv[i];
        if (xadd && opt == "*") {
            a.id = stream_add_id::automatic(now_ms);
            break;
        }
        if (iequals(opt, "maxlen") && more != 0) {
            if (a.trim) throw error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
            threshold_prefix(more);
            const long long maxlen = integer_arg(argv[i + 1]);
            if (maxlen < 0) throw error("ERR The MAXLEN argument must be >= 0.");
            ++i;
            a.trim = stream_trim::max_length(static_cast<std::uint64_t>(maxlen), approximate);
        } else if (iequals(opt, "minid") && more != 0) {
            if (a.trim) throw error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
            threshold_prefix(more);
            const stream_id minid = strict_id_arg(argv[i + 1]);
            ++i;
            a.trim = stream_trim::min_id(minid, approximate);
        } else if (iequals(opt, "limit") && more != 0) {
            limit = integer_arg(argv[i + 1]);
            if (limit < 0) throw error("ERR The LIMIT argument must be >= 0.");
            limit_given = true;
            ++i;
        } else if (xadd && iequals(opt, "nomkstream")) {
            a.nomkstream = true;
        } else if (xadd) {
            stream_id id;
            if (!parse_stream_id(opt, id, stream_id_syntax{true, 0, &a.seq_given})) throw error(stream_errors::invalid_id);
            a.id = a.seq_given ? stream_add_id(id) : stream_add_id::auto_sequence(id.ms);
            a.id_given = true;
            break;
        } else {
            throw error(syntax_error);
        }
    }
    if (limit != 0 && !a.trim) {
        throw error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    }
    if (!xadd && !a.trim) throw error("ERR syntax error, XTRIM must be called with a trimming strategy");
    if (limit_given) {
        if (!approximate) throw error(stream_errors::limit_without_tilde);
        a.trim->limit = static_cast<std::uint64_t>(limit);
    }
    a.id_index = i;
    return a;
}

// XADD "ms-*" when the last ID is ms-18446744073709551615 (and not the stream's last possible
// ID, which is "exhausted"): Redis 7.0's streamAppendItem fails there without setting errno, so
// XADD replies "Elements are too large to be stored". The typed add() names the real cause.
template <class Stream>
void check_sequence_room(const Stream& s, const stream_add_id& id) {
    const stream_id last = s.last_id();
    if (id.form == stream_add_id::kind::auto_sequence && last != stream_id::max() && last.ms == id.id.ms &&
        last.seq == stream_id::max().seq) {
        throw error(stream_errors::too_large);
    }
}

// ------------------------------------------------------------------------ the commands

template <class Stream>
reply xadd(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    const add_trim_args a = parse_add_trim(argv, true, now_ms);
    const std::size_t field_pos = a.id_index + 1;
    if (field_pos > argv.size() || argv.size() - field_pos < 2 || (argv.size() - field_pos) % 2 != 0) {
        throw error(wrong_arity("xadd"));
    }
    if (a.id_given && a.seq_given && a.id.id.is_zero()) throw error(stream_errors::id_zero);
    const auto first = argv.begin() + static_cast<std::ptrdiff_t>(field_pos);
    if (!slot) {
        if (a.nomkstream) return reply::nil();
        Stream fresh;
        const stream_id id = fresh.add_flat(a.id, first, argv.end(), a.trim);
        slot.emplace(std::move(fresh));
        return id_reply(id);
    }
    check_sequence_room(*slot, a.id);
    return id_reply(slot->add_flat(a.id, first, argv.end(), a.trim));
}

template <class Stream>
reply xtrim(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    const add_trim_args a = parse_add_trim(argv, false, now_ms);
    if (!slot) return reply::from_integer(0);
    return reply::from_integer(static_cast<long long>(slot->trim(*a.trim)));
}

template <class Stream>
reply xlen(std::optional<Stream>& slot, const argv_type&, std::int64_t) {
    return reply::from_integer(slot ? static_cast<long long>(slot->size()) : 0);
}

// XRANGE key start end [COUNT n] / XREVRANGE key end start [COUNT n].
template <class Stream>
reply range_command(std::optional<Stream>& slot, const argv_type& argv, bool reverse) {
    const stream_id lo = interval_start_arg(argv[reverse ? 3 : 2]);
    const stream_id hi = interval_end_arg(argv[reverse ? 2 : 3]);
    long long count = -1;
    for (std::size_t j = 4; j < argv.size(); ++j) {
        if (iequals(argv[j], "count") && j + 1 < argv.size()) {
            count = std::max(integer_arg(argv[j + 1]), 0LL);
            ++j;
        } else {
            throw error(syntax_error);
        }
    }
    if (!slot) return reply::array();
    if (count == 0) return reply::nil();
    std::vector<reply> out;
    slot->visit_range(lo, hi, count < 0 ? 0 : static_cast<std::size_t>(count), reverse,
                      [&](const auto& e) { out.push_back(entry_reply(e.first, e.second)); });
    return reply::array(std::move(out));
}

template <class Stream>
reply xrange(std::optional<Stream>& slot, const argv_type& argv, std::int64_t) {
    return range_command(slot, argv, false);
}
template <class Stream>
reply xrevrange(std::optional<Stream>& slot, const argv_type& argv, std::int64_t) {
    return range_command(slot, argv, true);
}

// The strict IDs argv[first..].
inline std::vector<stream_id> id_list_arg(const argv_type& argv, std::size_t first) {
    std::vector<stream_id> ids;
    ids.reserve(argv.size() - first);
    for (std::size_t j = first; j < argv.size(); ++j) ids.push_back(strict_id_arg(argv[j]));
    return ids;
}

template <class Stream>
reply xdel(std::optional<Stream>& slot, const argv_type& argv, std::int64_t) {
    if (!slot) return reply::from_integer(0);  // Redis answers before reading the IDs
    return reply::from_integer(static_cast<long long>(slot->erase(id_list_arg(argv, 2))));
}

template <class Stream>
reply xsetid(std::optional<Stream>& slot, const argv_type& argv, std::int64_t) {
    const stream_id id = strict_id_arg(argv[2]);
    std::optional<std::uint64_t> entries_added;
    std::optional<stream_id> max_deleted;
    for (std::size_t i = 3; i < argv.size(); i += 2) {
        const bool more = i + 1 < argv.size();
        if (iequals(argv[i], "entriesadded") && more) {
            const long long v = integer_arg(argv[i + 1]);
            if (v < 0) throw error("ERR entries_added must be positive");
            entries_added = static_cast<std::uint64_t>(v);
        } else if (iequals(argv[i], "maxdeletedid") && more) {
            max_deleted = strict_id_arg(argv[i + 1]);
            bptree::detail::check_setid_max_deleted(id, *max_deleted);
        } else {
            throw error(syntax_error);
        }
    }
    if (!slot) throw error("ERR no such key");
    slot->set_last_id(id, entries_added, max_deleted);
    return reply::ok();
}

// ------------------------------------------------------------------------ XINFO

template <class Info>
void stream_header_reply(map_reply& m, const Info& info) {
    m.add("length", reply::from_integer(static_cast<long long>(info.length)))
        .add("radix-tree-keys", reply::from_integer(static_cast<long long>(info.radix_tree_keys)))
        .add("radix-tree-nodes", reply::from_integer(static_cast<long long>(info.radix_tree_nodes)))
        .add("last-generated-id", id_reply(info.last_generated_id))
        .add("max-deleted-entry-id", id_reply(info.max_deleted_entry_id))
        .add("entries-added", reply::from_integer(static_cast<long long>(info.entries_added)))
        .add("recorded-first-entry-id", id_reply(info.recorded_first_entry_id));
}

inline reply optional_entry_reply(std::optional<stream_entry>&& e) {
    return e ? entry_reply(std::move(*e)) : reply::nil();
}

inline reply full_group_reply(stream_full_info::group&& g) {
    std::vector<reply> pending;
    for (const auto& p : g.pending) {
        pending.push_back(reply::array({id_reply(p.id), reply::bulk(p.consumer), reply::from_integer(p.delivery_time),
                                        reply::from_integer(static_cast<long long>(p.delivery_count))}));
    }
    std::vector<reply> consumers;
    for (const auto& c : g.consumers) {
        std::vector<reply> cpending;
        for (const auto& p : c.pending) {
            cpending.push_back(reply::array({id_reply(p.id), reply::from_integer(p.delivery_time),
                                             reply::from_integer(static_cast<long long>(p.delivery_count))}));
        }
        consumers.push_back(map_reply()
                                .add("name", reply::bulk(c.name))
                                .add("seen-time", reply::from_integer(c.seen_time))
                                .add("pel-count", reply::from_integer(static_cast<long long>(c.pel_count)))
                                .add("pending", reply::array(std::move(cpending)))
                                .done());
    }
    return map_reply()
        .add("name", reply::bulk(std::move(g.name)))
        .add("last-delivered-id", id_reply(g.last_delivered_id))
        .add("entries-read", optional_integer_reply(g.entries_read))
        .add("lag", optional_integer_reply(g.lag))
        .add("pel-count", reply::from_integer(static_cast<long long>(g.pel_count)))
        .add("pending", reply::array(std::move(pending)))
        .add("consumers", reply::array(std::move(consumers)))
        .done();
}

// XINFO STREAM key [FULL [COUNT n]].
template <class Stream>
reply xinfo_stream(const Stream& s, const argv_type& argv) {
    const std::size_t options = argv.size() - 3;
    if (options == 0) {
        stream_info info = s.info();
        map_reply m;
        stream_header_reply(m, info);
        return m.add("groups", reply::from_integer(static_cast<long long>(info.groups)))
            .add("first-entry", optional_entry_reply(std::move(info.first_entry)))
            .add("last-entry", optional_entry_reply(std::move(info.last_entry)))
            .done();
    }
    if ((options != 1 && options != 3) || !iequals(argv[3], "full") || (options == 3 && !iequals(argv[4], "count"))) {
        throw subcommand_syntax_error(argv[1], "XINFO");
    }
    long long count = 10;
    if (options == 3) {
        count = integer_arg(argv[5]);
        if (count < 0) count = 10;
    }
    stream_full_info info = s.full_info(static_cast<std::size_t>(count));
    map_reply m;
    stream_header_reply(m, info);
    std::vector<reply> groups;
    for (auto& g : info.groups) groups.push_back(full_group_reply(std::move(g)));
    return m.add("entries", entries_reply(std::move(info.entries))).add("groups", reply::array(std::move(groups))).done();
}

template <class Stream>
reply xinfo_groups(const Stream& s) {
    std::vector<reply> out;
    for (auto& g : s.groups_info()) {
        out.push_back(map_reply()
                          .add("name", reply::bulk(std::move(g.name)))
                          .add("consumers", reply::from_integer(static_cast<long long>(g.consumers)))
                          .add("pending", reply::from_integer(static_cast<long long>(g.pending)))
                          .add("last-delivered-id", id_reply(g.last_delivered_id))
                          .add("entries-read", optional_integer_reply(g.entries_read))
                          .add("lag", optional_integer_reply(g.lag))
                          .done());
    }
    return reply::array(std::move(out));
}

template <class Stream>
reply xinfo_consumers(const Stream& s, const argv_type& argv, std::int64_t now_ms) {
    if (!s.has_group(argv[3])) throw nogroup_for_key(argv[3], argv[2]);
    std::vector<reply> out;
    for (auto& c : s.consumers_info(argv[3], now_ms)) {
        out.push_back(map_reply()
                          .add("name", reply::bulk(std::move(c.name)))
                          .add("pending", reply::from_integer(static_cast<long long>(c.pending)))
                          .add("idle", reply::from_integer(c.idle))
                          .done());
    }
    return reply::array(std::move(out));
}

template <class Stream>
reply xinfo(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    if (iequals(argv[1], "help")) {
        return help_reply({"XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                           "CONSUMERS <key> <groupname>", "    Show consumers of <groupname>.", "GROUPS <key>",
                           "    Show the stream consumer groups.", "STREAM <key> [FULL [COUNT <count>]",
                           "    Show information about the stream.", "HELP", "    Prints this help."});
    }
    if (!slot) throw error("ERR no such key");
    if (iequals(argv[1], "consumers")) return xinfo_consumers(*slot, argv, now_ms);
    if (iequals(argv[1], "groups")) return xinfo_groups(*slot);
    return xinfo_stream(*slot, argv);
}

// ------------------------------------------------------------------------ XGROUP

template <class Stream>
reply xgroup(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    const std::string& sub = argv[1];
    if (iequals(sub, "help")) {
        return help_reply({"XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                           "CREATE <key> <groupname> <id|$> [option]",
                           "    Create a new consumer group. Options are:",
                           "    * MKSTREAM",
                           "      Create the empty stream if it does not exist.",
                           "    * ENTRIESREAD entries_read",
                           "      Set the group's entries_read counter (internal use).",
                           "CREATECONSUMER <key> <groupname> <consumer>",
                           "    Create a new consumer in the specified group.",
                           "DELCONSUMER <key> <groupname> <consumer>",
                           "    Remove the specified consumer.",
                           "DESTROY <key> <groupname>",
                           "    Remove the specified group.",
                           "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                           "    Set the current group ID and entries_read counter.",
                           "HELP",
                           "    Prints this help."});
    }
    const std::string& key = argv[2];
    const std::string& group = argv[3];
    const bool create = iequals(sub, "create");
    bool mkstream = false;
    long long entries_read = bptree::detail::unknown_entries_read;
    if (create || iequals(sub, "setid")) {  // their options, read before the key is looked at
        for (std::size_t i = 5; i < argv.size();) {
            if (create && iequals(argv[i], "mkstream")) {
                mkstream = true;
                ++i;
            } else if (iequals(argv[i], "entriesread") && i + 1 < argv.size()) {
                entries_read = integer_arg(argv[i + 1]);
                bptree::detail::check_entries_read(entries_read);
                i += 2;
            } else {
                throw subcommand_syntax_error(sub, "XGROUP");
            }
        }
    }
    if (!mkstream) {
        if (!slot) {
            throw error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
                        "use the MKSTREAM option to create an empty stream automatically.");
        }
        if (!slot->has_group(group) && (iequals(sub, "setid") || iequals(sub, "createconsumer") ||
                                         iequals(sub, "delconsumer"))) {
            throw nogroup_for_key(group, key);
        }
    }
    const std::size_t argc = argv.size();
    if (create && argc <= 8) {
        const stream_id id = argv[4] == "$" ? (slot ? slot->last_id() : stream_id{}) : strict_id_arg(argv[4]);
        if (!slot) {
            Stream fresh;
            fresh.create_group(group, id, entries_read);
            slot.emplace(std::move(fresh));
        } else {
            slot->create_group(group, id, entries_read);
        }
        return reply::ok();
    }
    if (iequals(sub, "setid") && (argc == 5 || argc == 7)) {
        const stream_id id = argv[4] == "$" ? slot->last_id() : special_id_arg(argv[4], 0);
        slot->set_group_id(group, id, entries_read);
        return reply::ok();
    }
    if (iequals(sub, "destroy") && argc == 4) return reply::from_integer(slot->destroy_group(group) ? 1 : 0);
    if (iequals(sub, "createconsumer") && argc == 5) {
        return reply::from_integer(slot->create_consumer(group, argv[4], now_ms) ? 1 : 0);
    }
    if (iequals(sub, "delconsumer") && argc == 5) {
        return reply::from_integer(static_cast<long long>(slot->delete_consumer(group, argv[4])));
    }
    throw subcommand_syntax_error(sub, "XGROUP");
}

// ------------------------------------------------------------------------ XREAD / XREADGROUP

struct read_args {
    bool group_read = false;
    std::optional<std::string> group;
    std::optional<std::string> consumer;
    long long count = 0;
    bool noack = false;
    std::size_t streams_arg = 0;
};

// xreadCommand's option loop and checks, up to the IDs.
inline read_args parse_read(const argv_type& argv, bool group_read) {
    read_args a;
    a.group_read = group_read;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::size_t more = argv.size() - i - 1;
        const std::string& o = argv[i];
        if (iequals(o, "block") && more != 0) {
            ++i;
            if (integer_arg(argv[i], "ERR timeout is not an integer or out of range") < 0) {
                throw error("ERR timeout is negative");
            }
        } else if (iequals(o, "count") && more != 0) {
            ++i;
            a.count = std::max(integer_arg(argv[i]), 0LL);
        } else if (iequals(o, "streams") && more != 0) {
            a.streams_arg = i + 1;
            if ((argv.size() - a.streams_arg) % 2 != 0) {
                throw error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
            }
            break;
        } else if (iequals(o, "group") && more >= 2) {
            if (!group_read) throw error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
            a.group = argv[i + 1];
            a.consumer = argv[i + 2];
            i += 2;
        } else if (iequals(o, "noack")) {
            if (!group_read) throw error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
            a.noack = true;
        } else {
            throw error(syntax_error);
        }
    }
    if (a.streams_arg == 0) throw error(syntax_error);
    if (group_read && !a.group) throw error("ERR Missing GROUP option for XREADGROUP");
    if (argv.size() - a.streams_arg != 2) throw error(stream_one_key_error);
    return a;
}

// [[key, entries]], or nil when nothing was served.
inline reply read_reply(const std::string& key, std::vector<stream_entry>&& entries) {
    return reply::array({reply::array({reply::bulk(key), entries_reply(std::move(entries))})});
}

template <class Stream>
reply read_command(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms, bool group_read) {
    const read_args a = parse_read(argv, group_read);
    const std::string& key = argv[a.streams_arg];
    const std::string& id_arg = argv[a.streams_arg + 1];
    if (a.group && !has_group(slot, *a.group)) {
        throw error(formatted_error("NOGROUP No such key '" + key + "' or consumer group '" + *a.group +
                                    "' in XREADGROUP with GROUP option"));
    }
    stream_id after;
    bool new_entries = false;  // ">"
    if (id_arg == "$") {
        if (group_read) {
            throw error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
                        "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID "
                        "would just return an empty result set.");
        }
        after = slot ? slot->last_id() : stream_id{};
    } else if (id_arg == ">") {
        if (!group_read) {
            throw error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
                        "<consumer> option.");
        }
        new_entries = true;
    } else {
        after = strict_id_arg(id_arg);
        new_entries = group_read && after == stream_id::max();  // Redis encodes ">" as the max ID
    }
    if (!slot) return reply::nil();
    const auto count = static_cast<std::size_t>(a.count);
    if (group_read) {
        if (new_entries) {
            std::vector<stream_entry> entries = slot->read_group(*a.group, *a.consumer, count, a.noack, now_ms);
            if (entries.empty()) return reply::nil();
            return read_reply(key, std::move(entries));
        }
        return read_reply(key, slot->read_group_history(*a.group, *a.consumer, after, count, now_ms));
    }
    std::vector<stream_entry> entries = slot->read_after(after, count);
    if (entries.empty()) return reply::nil();
    return read_reply(key, std::move(entries));
}

template <class Stream>
reply xread(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    return read_command(slot, argv, now_ms, false);
}
template <class Stream>
reply xreadgroup(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    return read_command(slot, argv, now_ms, true);
}

// ------------------------------------------------------------------------ XACK / XPENDING

template <class Stream>
reply xack(std::optional<Stream>& slot, const argv_type& argv, std::int64_t) {
    if (!has_group(slot, argv[2])) return reply::from_integer(0);  // before the IDs are read
    return reply::from_integer(static_cast<long long>(slot->ack(argv[2], id_list_arg(argv, 3))));
}

template <class Stream>
reply xpending(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    const std::size_t argc = argv.size();
    if (argc != 3 && (argc < 6 || argc > 9)) throw error(syntax_error);
    long long min_idle = 0;
    long long count = 0;
    stream_id lo;
    stream_id hi;
    std::optional<std::string_view> consumer;
    if (argc >= 6) {
        std::size_t start = 3;
        if (iequals(argv[3], "idle")) {
            min_idle = integer_arg(argv[4]);
            if (argc < 8) throw error(syntax_error);
            start += 2;
        }
        count = std::max(integer_arg(argv[start + 2]), 0LL);
        lo = interval_start_arg(argv[start]);
        hi = interval_end_arg(argv[start + 1]);
        if (start + 3 < argc) consumer = argv[start + 3];
    }
    if (!has_group(slot, argv[2])) throw nogroup_key_or_group(argv[1], argv[2]);
    if (argc == 3) {
        const stream_pending_summary s = slot->pending(argv[2]);
        if (s.count == 0) return reply::array({reply::from_integer(0), reply::nil(), reply::nil(), reply::nil()});
        std::vector<reply> consumers;
        for (const auto& [name, n] : s.consumers) {
            consumers.push_back(reply::array({reply::bulk(name), reply::bulk(std::to_string(n))}));
        }
        return reply::array({reply::from_integer(static_cast<long long>(s.count)), id_reply(*s.first),
                             id_reply(*s.last), reply::array(std::move(consumers))});
    }
    std::vector<reply> out;
    for (const auto& p : slot->pending(argv[2], lo, hi, static_cast<std::size_t>(count), now_ms, min_idle, consumer)) {
        out.push_back(reply::array({id_reply(p.id), reply::bulk(p.consumer), reply::from_integer(p.idle),
                                    reply::from_integer(static_cast<long long>(p.delivery_count))}));
    }
    return reply::array(std::move(out));
}

// ------------------------------------------------------------------------ XCLAIM / XAUTOCLAIM

template <class Stream>
reply xclaim(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    if (!has_group(slot, argv[2])) throw nogroup_key_or_group(argv[1], argv[2]);
    const long long min_idle = std::max(integer_arg(argv[4], "ERR Invalid min-idle-time argument for XCLAIM"), 0LL);
    // The IDs run until the first argument that is not one; the options follow.
    std::vector<stream_id> ids;
    std::size_t j = 5;
    for (stream_id id; j < argv.size() && parse_stream_id(argv[j], id, stream_id_syntax{}); ++j) ids.push_back(id);
    stream_claim_options options;
    bool justid = false;
    for (; j < argv.size(); ++j) {
        const bool more = j + 1 < argv.size();
        const std::string& opt = argv[j];
        if (iequals(opt, "force")) {
            options.force = true;
        } else if (iequals(opt, "justid")) {
            justid = true;
        } else if (iequals(opt, "idle") && more) {
            const long long idle = integer_arg(argv[++j], "ERR Invalid IDLE option argument for XCLAIM");
            // now - idle, wrapping like Redis's signed arithmetic instead of overflowing.
            options.delivery_time = static_cast<std::int64_t>(static_cast<std::uint64_t>(now_ms) -
                                                              static_cast<std::uint64_t>(idle));
        } else if (iequals(opt, "time") && more) {
            options.delivery_time = integer_arg(argv[++j], "ERR Invalid TIME option argument for XCLAIM");
        } else if (iequals(opt, "retrycount") && more) {
            const long long retry = integer_arg(argv[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            options.retry_count = retry >= 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(retry))
                                             : std::nullopt;
        } else if (iequals(opt, "lastid") && more) {
            options.last_id = strict_id_arg(argv[++j]);
        } else {
            throw error(formatted_error("ERR Unrecognized XCLAIM option '" + opt + "'"));
        }
    }
    if (justid) return ids_reply(slot->claim_ids(argv[2], argv[3], min_idle, ids, options, now_ms));
    return entries_reply(slot->claim(argv[2], argv[3], min_idle, ids, options, now_ms));
}

template <class Stream>
reply xautoclaim(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    const long long min_idle = std::max(integer_arg(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"), 0LL);
    const stream_id start = interval_start_arg(argv[5]);
    long long count = 100;
    bool justid = false;
    for (std::size_t j = 6; j < argv.size(); ++j) {
        if (iequals(argv[j], "count") && j + 1 < argv.size()) {
            count = integer_arg(argv[j + 1], stream_errors::autoclaim_count);
            if (count < 1 || static_cast<std::uint64_t>(count) > bptree::detail::autoclaim_max_count) {
                throw error(stream_errors::autoclaim_count);
            }
            ++j;
        } else if (iequals(argv[j], "justid")) {
            justid = true;
        } else {
            throw error(syntax_error);
        }
    }
    if (!has_group(slot, argv[2])) throw nogroup_key_or_group(argv[1], argv[2]);
    const auto n = static_cast<std::size_t>(count);
    if (justid) {
        auto r = slot->autoclaim_ids(argv[2], argv[3], min_idle, start, n, now_ms);
        return reply::array({id_reply(r.next), ids_reply(r.claimed), ids_reply(r.deleted)});
    }
    auto r = slot->autoclaim(argv[2], argv[3], min_idle, start, n, now_ms);
    return reply::array({id_reply(r.next), entries_reply(std::move(r.claimed)), ids_reply(r.deleted)});
}

// ------------------------------------------------------------------------ dispatch

template <class Stream>
using stream_handler = reply (*)(std::optional<Stream>&, const argv_type&, std::int64_t);

template <class Stream>
struct stream_command {
    const char* name;
    int arity;  // Redis's arity: n exactly, or -n for at least n
    stream_handler<Stream> run;
};

inline bool arity_ok(int arity, std::size_t argc) {
    return arity >= 0 ? argc == static_cast<std::size_t>(arity) : argc >= static_cast<std::size_t>(-arity);
}

// Subcommand arities of the container commands XINFO and XGROUP (Redis 7.0's command table).
struct subcommand_arity {
    const char* name;
    int arity;
};
inline constexpr subcommand_arity xinfo_subcommands[] = {{"consumers", 4}, {"groups", 3}, {"stream", -3}, {"help", 2}};
inline constexpr subcommand_arity xgroup_subcommands[] = {{"create", -5},        {"setid", -5},      {"destroy", 4},
                                                          {"createconsumer", 5}, {"delconsumer", 5}, {"help", 2}};

// processCommand's checks for a container command: a known subcommand with its arity.
template <std::size_t N>
void check_subcommand(const argv_type& argv, const subcommand_arity (&table)[N], const char* command) {
    for (const subcommand_arity& s : table) {
        if (!iequals(argv[1], s.name)) continue;
        if (!arity_ok(s.arity, argv.size())) throw error(wrong_arity(std::string(command) + "|" + s.name));
        return;
    }
    std::string upper(command);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    throw error(formatted_error("ERR unknown subcommand '" + std::string(echoed(argv[1])) + "'. Try " + upper + " HELP."));
}

template <class Stream>
reply xinfo_checked(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    check_subcommand(argv, xinfo_subcommands, "xinfo");
    return xinfo(slot, argv, now_ms);
}
template <class Stream>
reply xgroup_checked(std::optional<Stream>& slot, const argv_type& argv, std::int64_t now_ms) {
    check_subcommand(argv, xgroup_subcommands, "xgroup");
    return xgroup(slot, argv, now_ms);
}

template <class Stream>
const stream_command<Stream>* find_stream_command(std::string_view name) {
    static const stream_command<Stream> table[] = {
        {"xadd", -5, &xadd<Stream>},         {"xlen", 2, &xlen<Stream>},
        {"xrange", -4, &xrange<Stream>},     {"xrevrange", -4, &xrevrange<Stream>},
        {"xdel", -3, &xdel<Stream>},         {"xtrim", -4, &xtrim<Stream>},
        {"xsetid", -3, &xsetid<Stream>},     {"xinfo", -2, &xinfo_checked<Stream>},
        {"xread", -4, &xread<Stream>},       {"xreadgroup", -7, &xreadgroup<Stream>},
        {"xgroup", -2, &xgroup_checked<Stream>}, {"xack", -4, &xack<Stream>},
        {"xpending", -3, &xpending<Stream>}, {"xclaim", -6, &xclaim<Stream>},
        {"xautoclaim", -6, &xautoclaim<Stream>},
    };
    for (const auto& c : table) {
        if (iequals(name, c.name)) return &c;
    }
    return nullptr;
}

inline std::int64_t system_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace detail

// Runs one stream command on the key's slot at time now_ms (ms since the Unix epoch) and returns
// Redis 7.0's reply. The slot is empty when the key does not exist; XADD and XGROUP CREATE
// MKSTREAM fill it. A command that replies an error changes nothing.
template <class Backend>
reply execute(std::optional<bptree::stream<Backend>>& key, const std::vector<std::string>& argv, std::int64_t now_ms) {
    using stream_type = bptree::stream<Backend>;
    if (argv.empty()) return reply::error(detail::unknown_command("", argv));
    const auto* command = detail::find_stream_command<stream_type>(argv[0]);
    if (command == nullptr) return reply::error(detail::unknown_command(argv[0], argv));
    if (!detail::arity_ok(command->arity, argv.size())) return reply::error(detail::wrong_arity(command->name));
    try {
        return command->run(key, argv, now_ms);
    } catch (const bptree::error& e) {
        return reply::error(e.what());
    }
}

// The same, at the system clock's current time.
template <class Backend>
reply execute(std::optional<bptree::stream<Backend>>& key, const std::vector<std::string>& argv) {
    return execute(key, argv, detail::system_clock_ms());
}

}  // namespace redis
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_REDIS_STREAM_COMMANDS_HPP
