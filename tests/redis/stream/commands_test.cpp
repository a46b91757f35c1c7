// The stream command layer: bptree::redis::execute on a stream slot. Replies and exact error
// texts of Redis 7.0.15 for every command, option and argument form (checked with redis-server),
// the clock the caller passes in, the slot rules (created by XADD / XGROUP CREATE MKSTREAM, never
// emptied), the one-key rule of XREAD / XREADGROUP, and "a failed command changes nothing".
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bptree/redis.hpp"
#include "bptree/stream.hpp"

namespace {

using bptree::redis::reply;
using slot_type = std::optional<bptree::stream<>>;
using argv_type = std::vector<std::string>;

reply bulk(std::string s) { return reply::bulk(std::move(s)); }
reply num(long long n) { return reply::from_integer(n); }
reply err(std::string s) { return reply::error(std::move(s)); }
reply arr(std::vector<reply> v = {}) { return reply::array(std::move(v)); }
reply nil() { return reply::nil(); }
reply ok() { return reply::ok(); }
// [id, [field, value, ...]]
reply entry(const std::string& id, std::vector<std::string> fv) {
    std::vector<reply> fields;
    for (auto& s : fv) fields.push_back(bulk(std::move(s)));
    return arr({bulk(id), arr(std::move(fields))});
}

// Runs a command at time now (ms).
reply run(slot_type& slot, const argv_type& argv, std::int64_t now = 1000) {
    return bptree::redis::execute(slot, argv, now);
}

// Runs commands that must succeed (not error replies).
void setup(slot_type& slot, const std::vector<argv_type>& commands, std::int64_t now = 1000) {
    for (const auto& argv : commands) {
        INFO(argv[0]);
        REQUIRE_FALSE(run(slot, argv, now).is_error());
    }
}

const std::string invalid_id = "ERR Invalid stream ID specified as stream command argument";

std::string show(const reply& r) {
    switch (r.kind) {
        case reply::type::nil: return "nil";
        case reply::type::integer: return ":" + std::to_string(r.integer);
        case reply::type::bulk: return "\"" + r.text + "\"";
        case reply::type::status: return "+" + r.text;
        case reply::type::error: return "-" + r.text;
        case reply::type::array: {
            std::string out = "[";
            for (const reply& e : r.elements) out += (out.size() > 1 ? " " : "") + show(e);
            return out + "]";
        }
    }
    return "?";
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<reply> {
    static std::string convert(const reply& r) { return show(r); }
};
}  // namespace Catch

TEST_CASE("XADD creates the stream and replies the new ID", "[redis][stream][xadd]") {
    slot_type slot;
    CHECK(run(slot, {"XADD", "s", "NOMKSTREAM", "1-1", "a", "1"}) == nil());
    CHECK_FALSE(slot);
    CHECK(run(slot, {"xadd", "s", "1-1", "a", "1", "b", "2"}) == bulk("1-1"));
    REQUIRE(slot);
    CHECK(run(slot, {"XADD", "s", "1-*", "a", "1"}) == bulk("1-2"));
    CHECK(run(slot, {"XADD", "s", "5", "a", "1"}) == bulk("5-0"));
    CHECK(run(slot, {"XADD", "s", "*", "a", "1"}, 777) == bulk("777-0"));  // the caller's clock
    CHECK(run(slot, {"XADD", "s", "*", "a", "1"}, 10) == bulk("777-1"));
    CHECK(run(slot, {"XADD", "s", "007-1", "a", "1"}) == err("ERR The ID specified in XADD is equal or smaller than the target stream top item"));
    CHECK(run(slot, {"XADD", "s", "+900", "a", "1"}) == bulk("900-0"));  // strtoull's forms, as Redis
    CHECK(run(slot, {"XADD", "s", "900--05", "a", "1"}) == bulk("900-18446744073709551611"));
    CHECK(run(slot, {"XLEN", "s"}) == num(7));
    CHECK(run(slot, {"XADD", "s", "MAXLEN", "~", "1", "LIMIT", "5", "NOMKSTREAM", "1000-0", "a", "1"}) == bulk("1000-0"));
    CHECK(run(slot, {"XADD", "s", "minid", "=", "1000", "1001-0", "a", "1"}) == bulk("1001-0"));
    CHECK(run(slot, {"XRANGE", "s", "-", "+"}) == arr({entry("1000-0", {"a", "1"}), entry("1001-0", {"a", "1"})}));
    // The sequence of 2000 is used up: Redis 7.0.15 replies "too large" (its errno is not set).
    CHECK(run(slot, {"XADD", "s", "2000-18446744073709551615", "a", "1"}) == bulk("2000-18446744073709551615"));
    CHECK(run(slot, {"XADD", "s", "2000-*", "a", "1"}) == err("ERR Elements are too large to be stored"));
    CHECK(run(slot, {"XADD", "s", "1999-*", "a", "1"}) ==
          err("ERR The ID specified in XADD is equal or smaller than the target stream top item"));
    CHECK(run(slot, {"XADD", "s", "2001-*", "a", "1"}) == bulk("2001-0"));
    CHECK(run(slot, {"XADD", "s", "18446744073709551615-18446744073709551615", "a", "1"}) ==
          bulk("18446744073709551615-18446744073709551615"));
    CHECK(run(slot, {"XADD", "s", "*", "a", "1"}) ==
          err("ERR The stream has exhausted the last possible ID, unable to add more items"));
}

TEST_CASE("XADD and XTRIM report Redis's option errors", "[redis][stream][xadd][errors]") {
    slot_type slot;
    const std::vector<std::pair<argv_type, std::string>> cases = {
        {{"XADD", "s", "0-0", "a", "1"}, "ERR The ID specified in XADD must be greater than 0-0"},
        {{"XADD", "s", "1-1", "a"}, "ERR wrong number of arguments for 'xadd' command"},
        {{"XADD", "s", "1-1", "a", "1", "b"}, "ERR wrong number of arguments for 'xadd' command"},
        {{"XADD", "s", "MAXLEN", "5", "NOMKSTREAM"}, "ERR wrong number of arguments for 'xadd' command"},
        {{"XADD", "s", "MAXLEN", "5", "NOMKSTREAM", "x"}, invalid_id},
        {{"XADD", "s", "foo", "a", "1"}, invalid_id},
        {{"XADD", "s", "-", "a", "1"}, invalid_id},
        {{"XADD", "s", "1-2-3", "a", "1"}, invalid_id},
        {{"XADD", "s", std::string(128, '1'), "a", "1"}, invalid_id},
        {{"XADD", "s", "MAXLEN", "-1", "*", "a", "1"}, "ERR The MAXLEN argument must be >= 0."},
        {{"XADD", "s", "MAXLEN", "x", "*", "a", "1"}, "ERR value is not an integer or out of range"},
        {{"XADD", "s", "MAXLEN", "1", "MINID", "5", "*", "a", "1"},
         "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"},
        {{"XADD", "s", "MAXLEN", "5", "LIMIT", "10", "*", "a", "1"},
         "ERR syntax error, LIMIT cannot be used without the special ~ option"},
        {{"XADD", "s", "LIMIT", "0", "*", "a", "1"}, "ERR syntax error, LIMIT cannot be used without the special ~ option"},
        {{"XADD", "s", "LIMIT", "1", "*", "a", "1"},
         "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"},
        {{"XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "a", "1"}, "ERR The LIMIT argument must be >= 0."},
        {{"XADD", "s", "MINID", "~", "+", "*", "a", "1"}, invalid_id},
        {{"XTRIM", "s", "foo", "1"}, "ERR syntax error"},
        {{"XTRIM", "s", "LIMIT", "5"}, "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"},
        {{"XTRIM", "s", "MAXLEN", "1", "LIMIT", "5"}, "ERR syntax error, LIMIT cannot be used without the special ~ option"},
        {{"XTRIM", "s", "*", "1"}, "ERR syntax error"},
        {{"XTRIM", "s", "MAXLEN"}, "ERR wrong number of arguments for 'xtrim' command"},
    };
    for (const auto& [argv, text] : cases) {
        INFO(argv[2]);
        CHECK(run(slot, argv) == err(text));
        CHECK_FALSE(slot);  // nothing was created
    }
    CHECK(run(slot, {"XTRIM", "s", "MAXLEN", "0"}) == num(0));  // a missing key: 0 trimmed
}

TEST_CASE("XTRIM trims exactly or by whole nodes", "[redis][stream][xtrim]") {
    slot_type slot;
    for (int i = 1; i <= 250; ++i) setup(slot, {{"XADD", "s", std::to_string(i) + "-1", "f", "v"}});
    CHECK(run(slot, {"XTRIM", "s", "MAXLEN", "~", "120"}) == num(100));
    CHECK(run(slot, {"XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "99"}) == num(0));
    CHECK(run(slot, {"XTRIM", "s", "MINID", "=", "150-1"}) == num(49));
    CHECK(run(slot, {"XTRIM", "s", "maxlen", "10"}) == num(91));
    CHECK(run(slot, {"XLEN", "s"}) == num(10));
    CHECK(run(slot, {"XTRIM", "s", "MAXLEN", "0"}) == num(10));
    CHECK(slot);  // an empty stream keeps its slot
    CHECK(run(slot, {"XLEN", "s"}) == num(0));
}

TEST_CASE("XRANGE and XREVRANGE: bounds, incomplete IDs, COUNT", "[redis][stream][xrange]") {
    slot_type slot;
    CHECK(run(slot, {"XRANGE", "s", "-", "+"}) == arr());
    CHECK(run(slot, {"XRANGE", "s", "-", "+", "COUNT", "0"}) == arr());  // a missing key: empty
    CHECK(run(slot, {"XRANGE", "s", "x", "+"}) == err(invalid_id));      // IDs are read first
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "b", "2"}, {"XADD", "s", "2-5", "c", "3"},
                 {"XADD", "s", "3-0", "d", "4"}});
    CHECK(run(slot, {"XRANGE", "s", "2", "2"}) == arr({entry("2-1", {"b", "2"}), entry("2-5", {"c", "3"})}));
    CHECK(run(slot, {"XRANGE", "s", "(2-1", "+", "COUNT", "1"}) == arr({entry("2-5", {"c", "3"})}));
    CHECK(run(slot, {"XRANGE", "s", "-", "(2-5"}) == arr({entry("1-1", {"a", "1"}), entry("2-1", {"b", "2"})}));
    CHECK(run(slot, {"XREVRANGE", "s", "+", "-", "count", "2"}) == arr({entry("3-0", {"d", "4"}), entry("2-5", {"c", "3"})}));
    CHECK(run(slot, {"XREVRANGE", "s", "2", "3"}) == arr());  // end 2-max, start 3-0
    CHECK(run(slot, {"XRANGE", "s", "-", "+", "COUNT", "0"}) == nil());
    CHECK(run(slot, {"XRANGE", "s", "-", "+", "COUNT", "-3"}) == nil());
    CHECK(run(slot, {"XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "2"}).elements.size() == 2);
    CHECK(run(slot, {"XRANGE", "s", "-", "+", "COUNT"}) == err("ERR syntax error"));
    CHECK(run(slot, {"XRANGE", "s", "-", "+", "FOO", "1"}) == err("ERR syntax error"));
    CHECK(run(slot, {"XRANGE", "s", "(", "+"}) == err(invalid_id));
    CHECK(run(slot, {"XRANGE", "s", "(-", "+"}) == err(invalid_id));
    CHECK(run(slot, {"XRANGE", "s", "5-*", "+"}) == err(invalid_id));
    CHECK(run(slot, {"XRANGE", "s", "-", "(0-0"}) == err("ERR invalid end ID for the interval"));
    CHECK(run(slot, {"XRANGE", "s", "(18446744073709551615-18446744073709551615", "x"}) ==
          err("ERR invalid start ID for the interval"));  // checked before the end is read
    CHECK(run(slot, {"XRANGE", "s", "-"}) == err("ERR wrong number of arguments for 'xrange' command"));
}

TEST_CASE("XDEL, XLEN and XSETID", "[redis][stream][xdel][xsetid]") {
    slot_type slot;
    CHECK(run(slot, {"XDEL", "s", "bad"}) == num(0));  // a missing key answers before the IDs are read
    CHECK(run(slot, {"XLEN", "s"}) == num(0));
    CHECK(run(slot, {"XSETID", "s", "1-1"}) == err("ERR no such key"));
    CHECK(run(slot, {"XSETID", "s", "1-1", "MAXDELETEDID", "2-2"}) ==
          err("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
    CHECK(run(slot, {"XSETID", "s", "1-1", "ENTRIESADDED", "-1"}) == err("ERR entries_added must be positive"));
    CHECK(run(slot, {"XSETID", "s", "1-1", "FOO"}) == err("ERR syntax error"));
    CHECK(run(slot, {"XSETID", "s", "+"}) == err(invalid_id));
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "a", "1"}, {"XADD", "s", "3-1", "a", "1"}});
    CHECK(run(slot, {"XDEL", "s", "2-1", "9-9", "2-1"}) == num(1));
    CHECK(run(slot, {"XDEL", "s", "1-1", "x"}) == err(invalid_id));  // all or nothing
    CHECK(run(slot, {"XLEN", "s"}) == num(2));
    CHECK(run(slot, {"XSETID", "s", "2-9"}) == err("ERR The ID specified in XSETID is smaller than the target stream top item"));
    CHECK(run(slot, {"XSETID", "s", "3-1", "ENTRIESADDED", "1"}) ==
          err("ERR The entries_added specified in XSETID is smaller than the target stream length"));
    CHECK(run(slot, {"XSETID", "s", "5", "entriesadded", "10", "maxdeletedid", "4-0"}) == ok());
    const reply info = run(slot, {"XINFO", "STREAM", "s"});
    CHECK(info.elements[7] == bulk("5-0"));   // last-generated-id
    CHECK(info.elements[9] == bulk("4-0"));   // max-deleted-entry-id
    CHECK(info.elements[11] == num(10));      // entries-added
    CHECK(info.elements[13] == bulk("1-1"));  // recorded-first-entry-id
}

TEST_CASE("XINFO STREAM, GROUPS and CONSUMERS", "[redis][stream][xinfo]") {
    slot_type slot;
    CHECK(run(slot, {"XINFO", "STREAM", "s"}) == err("ERR no such key"));
    CHECK(run(slot, {"XINFO", "FOO", "s"}) == err("ERR unknown subcommand 'FOO'. Try XINFO HELP."));
    CHECK(run(slot, {"xinfo", "fOO"}) == err("ERR unknown subcommand 'fOO'. Try XINFO HELP."));
    CHECK(run(slot, {"XINFO"}) == err("ERR wrong number of arguments for 'xinfo' command"));
    CHECK(run(slot, {"XINFO", "GROUPS", "s", "x"}) == err("ERR wrong number of arguments for 'xinfo|groups' command"));
    CHECK(run(slot, {"XINFO", "HELP"}).elements.size() == 9);
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "b", "2"}, {"XGROUP", "CREATE", "s", "g", "0"},
                 {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"}},
          500);
    CHECK(run(slot, {"XINFO", "STREAM", "s"}) ==
          arr({bulk("length"), num(2), bulk("radix-tree-keys"), num(1), bulk("radix-tree-nodes"), num(2),
               bulk("last-generated-id"), bulk("2-1"), bulk("max-deleted-entry-id"), bulk("0-0"),
               bulk("entries-added"), num(2), bulk("recorded-first-entry-id"), bulk("1-1"), bulk("groups"), num(1),
               bulk("first-entry"), entry("1-1", {"a", "1"}), bulk("last-entry"), entry("2-1", {"b", "2"})}));
    CHECK(run(slot, {"XINFO", "STREAM", "s", "FULL", "COUNT", "1"}) ==
          arr({bulk("length"), num(2), bulk("radix-tree-keys"), num(1), bulk("radix-tree-nodes"), num(2),
               bulk("last-generated-id"), bulk("2-1"), bulk("max-deleted-entry-id"), bulk("0-0"),
               bulk("entries-added"), num(2), bulk("recorded-first-entry-id"), bulk("1-1"), bulk("entries"),
               arr({entry("1-1", {"a", "1"})}), bulk("groups"),
               arr({arr({bulk("name"), bulk("g"), bulk("last-delivered-id"), bulk("1-1"), bulk("entries-read"), num(1),
                         bulk("lag"), num(1), bulk("pel-count"), num(1), bulk("pending"),
                         arr({arr({bulk("1-1"), bulk("alice"), num(500), num(1)})}), bulk("consumers"),
                         arr({arr({bulk("name"), bulk("alice"), bulk("seen-time"), num(500), bulk("pel-count"), num(1),
                                   bulk("pending"), arr({arr({bulk("1-1"), num(500), num(1)})})})})})})}));
    CHECK(run(slot, {"XINFO", "STREAM", "s", "FULL", "COUNT", "-1"}).elements[15].elements.size() == 2);  // 10
    CHECK(run(slot, {"XINFO", "STREAM", "s", "FULLL"}) ==
          err("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."));
    CHECK(run(slot, {"XINFO", "stream", "s", "FULL", "COUNT"}) ==
          err("ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP."));
    CHECK(run(slot, {"XINFO", "STREAM", "s", "FULL", "COUNT", "x"}) == err("ERR value is not an integer or out of range"));
    CHECK(run(slot, {"XINFO", "GROUPS", "s"}) ==
          arr({arr({bulk("name"), bulk("g"), bulk("consumers"), num(1), bulk("pending"), num(1), bulk("last-delivered-id"),
                    bulk("1-1"), bulk("entries-read"), num(1), bulk("lag"), num(1)})}));
    CHECK(run(slot, {"XINFO", "CONSUMERS", "s", "g"}, 800) ==
          arr({arr({bulk("name"), bulk("alice"), bulk("pending"), num(1), bulk("idle"), num(300)})}));
    CHECK(run(slot, {"XINFO", "CONSUMERS", "s", "nog"}) == err("NOGROUP No such consumer group 'nog' for key name 's'"));
}

TEST_CASE("XGROUP's subcommands, their order of checks and MKSTREAM", "[redis][stream][xgroup]") {
    slot_type slot;
    const std::string needs_key =
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM "
        "option to create an empty stream automatically.";
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g", "0"}) == err(needs_key));
    CHECK(run(slot, {"XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "-5"}) ==
          err("ERR value for ENTRIESREAD must be positive or -1"));  // options before the key
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g", "x", "MKSTREAM"}) == err(invalid_id));
    CHECK_FALSE(slot);
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}) == ok());
    REQUIRE(slot);
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g", "$"}) == err("BUSYGROUP Consumer Group name already exists"));
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g2", "0", "FOO"}) ==
          err("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."));
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g2", "0", "MKSTREAM", "ENTRIESREAD", "5", "MKSTREAM"}) ==
          err("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."));
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD", "x"}) ==
          err("ERR value is not an integer or out of range"));
    CHECK(run(slot, {"XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD", "3"}) == ok());
    CHECK(run(slot, {"XGROUP", "SETID", "s", "nog", "0"}) == err("NOGROUP No such consumer group 'nog' for key name 's'"));
    CHECK(run(slot, {"XGROUP", "SETID", "s", "g", "0", "FOO", "5"}) ==
          err("ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP."));
    CHECK(run(slot, {"XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD"}) ==
          err("ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP."));
    CHECK(run(slot, {"XGROUP", "SETID", "s", "g", "+", "ENTRIESREAD", "4"}) == ok());  // "-" and "+" allowed here
    CHECK(run(slot, {"XINFO", "GROUPS", "s"}).elements[0].elements[7] == bulk("18446744073709551615-18446744073709551615"));
    CHECK(run(slot, {"XGROUP", "CREATECONSUMER", "s", "g", "alice"}) == num(1));
    CHECK(run(slot, {"XGROUP", "CREATECONSUMER", "s", "g", "alice"}) == num(0));
    CHECK(run(slot, {"XGROUP", "DELCONSUMER", "s", "g", "alice"}) == num(0));
    CHECK(run(slot, {"XGROUP", "DELCONSUMER", "s", "nog", "alice"}) == err("NOGROUP No such consumer group 'nog' for key name 's'"));
    CHECK(run(slot, {"XGROUP", "DESTROY", "s", "g2"}) == num(1));
    CHECK(run(slot, {"XGROUP", "DESTROY", "s", "g2"}) == num(0));
    CHECK(run(slot, {"XGROUP", "DESTROY", "s"}) == err("ERR wrong number of arguments for 'xgroup|destroy' command"));
    CHECK(run(slot, {"XGROUP", "Foo", "s", "g"}) == err("ERR unknown subcommand 'Foo'. Try XGROUP HELP."));
    CHECK(run(slot, {"XGROUP"}) == err("ERR wrong number of arguments for 'xgroup' command"));
    CHECK(run(slot, {"XGROUP", "HELP"}).elements.size() == 17);
    CHECK(run(slot, {"XGROUP", "HELP"}).elements[0] == reply::status("XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
}

TEST_CASE("XREADGROUP and XREAD on one key", "[redis][stream][xread]") {
    slot_type slot;
    CHECK(run(slot, {"XREAD", "STREAMS", "s", "0"}) == nil());
    CHECK(run(slot, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"}) ==
          err("NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option"));
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "b", "2"}, {"XGROUP", "CREATE", "s", "g", "0"}});

    CHECK(run(slot, {"XREAD", "COUNT", "1", "STREAMS", "s", "0"}) == arr({arr({bulk("s"), arr({entry("1-1", {"a", "1"})})})}));
    CHECK(run(slot, {"XREAD", "STREAMS", "s", "$"}) == nil());
    CHECK(run(slot, {"XREAD", "BLOCK", "10", "STREAMS", "s", "2-1"}) == nil());  // nothing now: the timeout reply
    CHECK(run(slot, {"XREAD", "BLOCK", "9223372036854775807", "STREAMS", "s", "1-1"}) ==
          arr({arr({bulk("s"), arr({entry("2-1", {"b", "2"})})})}));
    CHECK(run(slot, {"XREAD", "STREAMS", "s", "t", "0", "0"}) ==
          err("ERR this command layer reads one stream per call: split the STREAMS list into one call per key"));

    CHECK(run(slot, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"}, 100) ==
          arr({arr({bulk("s"), arr({entry("1-1", {"a", "1"})})})}));
    CHECK(run(slot, {"XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">"}, 200) ==
          arr({arr({bulk("s"), arr({entry("2-1", {"b", "2"})})})}));
    CHECK(run(slot, {"XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", ">"}) == nil());
    CHECK(run(slot, {"XINFO", "CONSUMERS", "s", "g"}).elements.size() == 2);  // carol was not created
    CHECK(run(slot, {"XDEL", "s", "1-1"}) == num(1));
    CHECK(run(slot, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"}, 300) ==
          arr({arr({bulk("s"), arr({arr({bulk("1-1"), nil()})})})}));
    CHECK(run(slot, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"}) == arr({arr({bulk("s"), arr()})}));
    CHECK(run(slot, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "18446744073709551615-18446744073709551615"}) ==
          nil());  // the maximal ID means ">"

    const std::vector<std::pair<argv_type, std::string>> cases = {
        {{"XREAD", "STREAMS", "s"}, "ERR wrong number of arguments for 'xread' command"},
        {{"XREAD", "COUNT", "x", "STREAMS", "s", "0"}, "ERR value is not an integer or out of range"},
        {{"XREAD", "BLOCK", "x", "STREAMS", "s", "0"}, "ERR timeout is not an integer or out of range"},
        {{"XREAD", "BLOCK", "-1", "STREAMS", "s", "0"}, "ERR timeout is negative"},
        {{"XREAD", "STREAMS", "s", ">"},
         "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."},
        {{"XREAD", "STREAMS", "s", "+"}, invalid_id},
        {{"XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"},
         "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."},
        {{"XREAD", "NOACK", "STREAMS", "s", "0"}, "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."},
        {{"XREAD", "FOO", "STREAMS", "s", "0"}, "ERR syntax error"},
        {{"XREAD", "COUNT", "1", "s", "0"}, "ERR syntax error"},
        {{"XREAD", "STREAMS", "s", "0", "1"},
         "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."},
        {{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0", "1"},
         "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."},
        {{"XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", "s", ">"}, "ERR Missing GROUP option for XREADGROUP"},
        {{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"},
         "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by "
         "specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."},
        {{"XREADGROUP", "GROUP", "g", "c", "GROUP", "g2", "c", "STREAMS", "s", ">"},
         "NOGROUP No such key 's' or consumer group 'g2' in XREADGROUP with GROUP option"},
        {{"XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"}, "ERR wrong number of arguments for 'xreadgroup' command"},
    };
    for (const auto& [argv, text] : cases) CHECK(run(slot, argv) == err(text));
}

TEST_CASE("XACK and XPENDING", "[redis][stream][xpending]") {
    slot_type slot;
    CHECK(run(slot, {"XACK", "s", "g", "bad"}) == num(0));  // no key or group: 0 before the IDs are read
    CHECK(run(slot, {"XPENDING", "s", "g"}) == err("NOGROUP No such key 's' or consumer group 'g'"));
    CHECK(run(slot, {"XPENDING", "s", "g", "x", "+", "10"}) == err(invalid_id));  // arguments first
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "a", "1"}, {"XADD", "s", "3-1", "a", "1"},
                 {"XGROUP", "CREATE", "s", "g", "0"}});
    CHECK(run(slot, {"XPENDING", "s", "g"}) == arr({num(0), nil(), nil(), nil()}));
    setup(slot, {{"XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">"}}, 1000);
    setup(slot, {{"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"}}, 4000);
    CHECK(run(slot, {"XPENDING", "s", "g"}) ==
          arr({num(3), bulk("1-1"), bulk("3-1"), arr({arr({bulk("alice"), bulk("1")}), arr({bulk("bob"), bulk("2")})})}));
    CHECK(run(slot, {"XPENDING", "s", "g", "-", "+", "10"}, 5000) ==
          arr({arr({bulk("1-1"), bulk("bob"), num(4000), num(1)}), arr({bulk("2-1"), bulk("bob"), num(4000), num(1)}),
               arr({bulk("3-1"), bulk("alice"), num(1000), num(1)})}));
    CHECK(run(slot, {"XPENDING", "s", "g", "IDLE", "2000", "-", "+", "10"}, 5000).elements.size() == 2);
    CHECK(run(slot, {"XPENDING", "s", "g", "(1-1", "+", "10", "alice"}, 5000).elements.size() == 1);
    CHECK(run(slot, {"XPENDING", "s", "g", "-", "+", "10", "nobody"}) == arr());
    CHECK(run(slot, {"XPENDING", "s", "g", "-", "+", "-1"}) == arr());
    CHECK(run(slot, {"XPENDING", "s", "g", "-", "+"}) == err("ERR syntax error"));
    CHECK(run(slot, {"XPENDING", "s", "g", "IDLE", "10", "-", "+"}) == err("ERR syntax error"));
    CHECK(run(slot, {"XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"}) == err("ERR value is not an integer or out of range"));
    CHECK(run(slot, {"XPENDING", "s", "g", "-", "+", "x"}) == err("ERR value is not an integer or out of range"));
    CHECK(run(slot, {"XPENDING", "s", "g", "-", "(0-0", "10"}) == err("ERR invalid end ID for the interval"));
    CHECK(run(slot, {"XACK", "s", "g", "1-1", "1-1", "9-9"}) == num(1));
    CHECK(run(slot, {"XACK", "s", "g", "2-1", "x"}) == err(invalid_id));
    CHECK(run(slot, {"XPENDING", "s", "g"}).elements[0] == num(2));
}

TEST_CASE("XCLAIM with its options at the caller's time", "[redis][stream][xclaim]") {
    slot_type slot;
    CHECK(run(slot, {"XCLAIM", "s", "g", "c", "x", "1-1"}) == err("NOGROUP No such key 's' or consumer group 'g'"));
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "b", "2"}, {"XGROUP", "CREATE", "s", "g", "0"},
                 {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"}},
          1000);
    const std::vector<std::pair<argv_type, std::string>> cases = {
        {{"XCLAIM", "s", "g", "c", "x", "1-1"}, "ERR Invalid min-idle-time argument for XCLAIM"},
        {{"XCLAIM", "s", "g", "c", "0", "1-1", "foo"}, "ERR Unrecognized XCLAIM option 'foo'"},
        {{"XCLAIM", "s", "g", "c", "0", "1-1", "JUSTID", "2-1"}, "ERR Unrecognized XCLAIM option '2-1'"},
        {{"XCLAIM", "s", "g", "c", "0", "1-1", "IDLE"}, "ERR Unrecognized XCLAIM option 'IDLE'"},
        {{"XCLAIM", "s", "g", "c", "0", "1-1", "IDLE", "x"}, "ERR Invalid IDLE option argument for XCLAIM"},
        {{"XCLAIM", "s", "g", "c", "0", "1-1", "TIME", "x"}, "ERR Invalid TIME option argument for XCLAIM"},
        {{"XCLAIM", "s", "g", "c", "0", "1-1", "RETRYCOUNT", "x"}, "ERR Invalid RETRYCOUNT option argument for XCLAIM"},
        {{"XCLAIM", "s", "g", "c", "0", "1-1", "LASTID", "x"}, invalid_id},
        {{"XCLAIM", "s", "g", "c", "0"}, "ERR wrong number of arguments for 'xclaim' command"},
    };
    for (const auto& [argv, text] : cases) CHECK(run(slot, argv) == err(text));

    CHECK(run(slot, {"XCLAIM", "s", "g", "alice", "5000", "1-1"}, 2000) == arr());  // idle 1000 only
    CHECK(run(slot, {"XCLAIM", "s", "g", "alice", "500", "1-1", "2-1", "IDLE", "300", "RETRYCOUNT", "5"}, 2000) ==
          arr({entry("1-1", {"a", "1"}), entry("2-1", {"b", "2"})}));
    CHECK(run(slot, {"XPENDING", "s", "g", "-", "+", "10"}, 2500) ==
          arr({arr({bulk("1-1"), bulk("alice"), num(800), num(5)}), arr({bulk("2-1"), bulk("alice"), num(800), num(5)})}));
    CHECK(run(slot, {"XCLAIM", "s", "g", "carol", "0", "1-1", "TIME", "1234", "JUSTID", "LASTID", "9-0"}, 3000) ==
          arr({bulk("1-1")}));
    CHECK(run(slot, {"XPENDING", "s", "g", "1-1", "1-1", "1"}, 3000) == arr({arr({bulk("1-1"), bulk("carol"), num(1766), num(5)})}));
    CHECK(run(slot, {"XINFO", "GROUPS", "s"}).elements[0].elements[7] == bulk("9-0"));
    CHECK(run(slot, {"XCLAIM", "s", "g", "dave", "0", "3-3", "FORCE"}) == arr());  // not in the stream
}

TEST_CASE("XAUTOCLAIM pages through the PEL", "[redis][stream][xautoclaim]") {
    slot_type slot;
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "b", "2"}, {"XADD", "s", "3-1", "c", "3"},
                 {"XGROUP", "CREATE", "s", "g", "0"}, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"},
                 {"XDEL", "s", "2-1"}},
          1000);
    CHECK(run(slot, {"XAUTOCLAIM", "s", "g", "alice", "0", "0", "COUNT", "1"}) ==
          arr({bulk("2-1"), arr({entry("1-1", {"a", "1"})}), arr()}));
    CHECK(run(slot, {"XAUTOCLAIM", "s", "g", "alice", "0", "(1-1", "JUSTID"}) ==
          arr({bulk("0-0"), arr({bulk("3-1")}), arr({bulk("2-1")})}));
    const std::vector<std::pair<argv_type, std::string>> cases = {
        {{"XAUTOCLAIM", "s", "g", "c", "x", "0"}, "ERR Invalid min-idle-time argument for XAUTOCLAIM"},
        {{"XAUTOCLAIM", "s", "g", "c", "0", "x"}, invalid_id},
        {{"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0"}, "ERR COUNT must be > 0"},
        {{"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "x"}, "ERR COUNT must be > 0"},
        {{"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "1152921504606846975"}, "ERR COUNT must be > 0"},
        {{"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT"}, "ERR syntax error"},
        {{"XAUTOCLAIM", "s", "g", "c", "0", "0", "FOO"}, "ERR syntax error"},
        {{"XAUTOCLAIM", "s", "g", "c", "0", "(18446744073709551615-18446744073709551615"},
         "ERR invalid start ID for the interval"},
        {{"XAUTOCLAIM", "s", "nog", "c", "0", "0"}, "NOGROUP No such key 's' or consumer group 'nog'"},
        {{"XAUTOCLAIM", "s", "g", "c", "0"}, "ERR wrong number of arguments for 'xautoclaim' command"},
    };
    for (const auto& [argv, text] : cases) CHECK(run(slot, argv) == err(text));
}

TEST_CASE("unknown commands and arities", "[redis][stream]") {
    slot_type slot;
    CHECK(run(slot, {"XFOO", "s", "a"}) == err("ERR unknown command 'XFOO', with args beginning with: 's' 'a' "));
    CHECK(run(slot, {"XLEN"}) == err("ERR wrong number of arguments for 'xlen' command"));
    CHECK(run(slot, {"XLEN", "s", "x"}) == err("ERR wrong number of arguments for 'xlen' command"));
    CHECK(run(slot, {"xLeN", "s"}) == num(0));
}

TEST_CASE("execute without a clock reads the system clock", "[redis][stream][clock]") {
    slot_type slot;
    using namespace std::chrono;
    const auto before = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    const reply id = bptree::redis::execute(slot, {"XADD", "s", "*", "a", "1"});
    const auto after = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    REQUIRE(id.kind == reply::type::bulk);
    const long long ms = std::stoll(id.text.substr(0, id.text.find('-')));
    CHECK(ms >= before);
    CHECK(ms <= after);
    CHECK(bptree::redis::to_resp(run(slot, {"XRANGE", "s", "-", "+"})) ==
          "*1\r\n*2\r\n$" + std::to_string(id.text.size()) + "\r\n" + id.text + "\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
}

TEST_CASE("a failed command changes nothing", "[redis][stream][errors]") {
    slot_type slot;
    setup(slot, {{"XADD", "s", "1-1", "a", "1"}, {"XADD", "s", "2-1", "b", "2"}, {"XADD", "s", "3-1", "c", "3"},
                 {"XDEL", "s", "2-1"}, {"XGROUP", "CREATE", "s", "g", "0"},
                 {"XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"}});
    const std::vector<argv_type> failing = {
        {"XADD", "s", "1-1", "a", "1"},
        {"XADD", "s", "MAXLEN", "0", "LIMIT", "5", "9-9", "a", "1"},
        {"XADD", "s", "9-9", "a"},
        {"XTRIM", "s", "MAXLEN", "0", "LIMIT", "1"},
        {"XDEL", "s", "1-1", "bad"},
        {"XSETID", "s", "0-1"},
        {"XSETID", "s", "9-9", "ENTRIESADDED", "1"},
        {"XGROUP", "CREATE", "s", "g", "0"},
        {"XGROUP", "SETID", "s", "g", "bad"},
        {"XGROUP", "CREATECONSUMER", "s", "nog", "c"},
        {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "$"},
        {"XREADGROUP", "GROUP", "nog", "alice", "STREAMS", "s", ">"},
        {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "x", "STREAMS", "s", ">"},
        {"XACK", "s", "g", "1-1", "bad"},
        {"XCLAIM", "s", "g", "alice", "0", "1-1", "LASTID", "9-9", "FOO"},
        {"XCLAIM", "s", "g", "alice", "0", "1-1", "IDLE", "x"},
        {"XAUTOCLAIM", "s", "g", "alice", "0", "0", "COUNT", "0"},
        {"XPENDING", "s", "g", "-", "+", "x"},
        {"XINFO", "CONSUMERS", "s", "nog"},
    };
    for (const auto& argv : failing) {
        INFO(argv[0] << " " << argv[2]);
        const bptree::stream<> before = *slot;
        CHECK(run(slot, argv, 99999).is_error());
        REQUIRE(slot);
        CHECK(*slot == before);
    }
    slot_type empty;
    for (const argv_type& argv : std::vector<argv_type>{{"XADD", "s", "0-0", "a", "1"},
                                                        {"XADD", "s", "MAXLEN", "-1", "*", "a", "1"},
                                                        {"XGROUP", "CREATE", "s", "g", "x", "MKSTREAM"},
                                                        {"XSETID", "s", "1-1"}}) {
        CHECK(run(slot = std::nullopt, argv).is_error());
        CHECK_FALSE(slot);
        CHECK(run(empty, argv).is_error());
        CHECK_FALSE(empty);
    }
}
