// File: tools/redis_conformance/families/stream.cpp
// The stream family of the conformance tool: a seeded generator of Redis 7.0 stream commands
// (every command of bptree::redis::execute on streams, every option, ID form and error it knows)
// and the local side, which runs them through bptree::redis::execute.
//
// Keys: "s1" and "s2" are written; "nokey" is only ever read, so commands also meet a missing key.
// Determinism: the server and the local side read different clocks, so
//  - IDs are explicit ("ms-seq", "ms", "ms-*"), with small ms (1..40) or ms far in the future
//    (10^15 + k); "*" is sent only when the key's last ID is in that future, where both sides
//    take last ID + 1 instead of the clock;
//  - idle thresholds (XCLAIM / XAUTOCLAIM min-idle-time, XPENDING IDLE) are 0 or 10^12 ms and
//    the delivery times set by IDLE / TIME are "now" or at least 1.5 * 10^12 ms ago (this needs
//    a clock past 2017), so every threshold test has the same outcome on both sides;
//  - BLOCK is at most a few ms (Redis then replies nil, as the local side does at once);
//  - replies that carry times are compared as same_shape: XPENDING's extended form (idle),
//    XINFO CONSUMERS (idle) and XINFO STREAM FULL once a group has consumers (seen-time,
//    delivery times). The typed tests cover those values with a caller-supplied clock.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bptree/redis.hpp"
#include "bptree/stream.hpp"

#include "../family.hpp"

namespace bptree_conformance {
namespace {

using bptree::redis::reply;
using stream_type = bptree::stream<>;
using key_map = std::map<std::string, std::optional<stream_type>>;

constexpr std::uint64_t future_ms = 1000000000000000ULL;  // 10^15: years after any clock reading

class stream_generator {
public:
    stream_generator(std::mt19937_64& rng, const key_map& keys) : rng_(rng), keys_(keys) {}

    generated_command next() {
        key_ = pick({"s1", "s1", "s1", "s1", "s2", "s2", "s2", "s1", "s2", "nokey"});
        const int roll = uniform(0, 99);
        if (roll < 30) return xadd();
        if (roll < 34) return xtrim();
        if (roll < 36) return exact({"XLEN", key_});
        if (roll < 43) return xrange();
        if (roll < 47) return xdel();
        if (roll < 49) return xsetid();
        if (roll < 54) return xinfo();
        if (roll < 61) return xgroup();
        if (roll < 70) return xreadgroup();
        if (roll < 73) return xread();
        if (roll < 77) return xack();
        if (roll < 82) return xpending();
        if (roll < 89) return xclaim();
        if (roll < 97) return xautoclaim();
        return malformed();
    }

private:
    // ---------------------------------------------------------------- pools
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(int percent) { return uniform(0, 99) < percent; }
    std::string pick(std::initializer_list<std::string> options) {
        return *(options.begin() + uniform(0, static_cast<int>(options.size()) - 1));
    }
    static std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    }
    static std::vector<std::string> with(std::vector<std::string> a, const std::string& b) {
        a.push_back(b);
        return a;
    }
    static generated_command exact(std::vector<std::string> argv) { return {std::move(argv), match_mode::exact}; }

    // Option words in any case (Redis compares them case-insensitively).
    std::string word(std::string w) {
        if (chance(70)) return w;
        for (char& c : w) c = static_cast<char>(chance(50) ? std::tolower(c) : std::toupper(c));
        return w;
    }

    const stream_type* current() const {
        const auto it = keys_.find(key_);
        return it == keys_.end() || !it->second ? nullptr : &*it->second;
    }

    std::string ms() {
        return std::to_string(chance(85) ? static_cast<std::uint64_t>(uniform(1, 40))
                                         : future_ms + static_cast<std::uint64_t>(uniform(0, 6)));
    }

    // An ID argument: mostly one near the entries (existing ones too), sometimes a special form.
    std::string id() {
        const stream_type* s = current();
        if (s != nullptr && !s->empty() && chance(40)) {
            auto it = s->begin();
            std::advance(it, uniform(0, static_cast<int>(std::min<std::size_t>(s->size(), 50)) - 1));
            return it->first.to_string();
        }
        if (chance(6)) {
            // The last possible ID is left to add_id(): once added, it exhausts the key.
            return pick({"-", "+", "0", "0-0", "x", "1-", "-1", "5-*", "18446744073709551615-18446744073709551614",
                         "18446744073709551615", " 3", "+4", "007-1", "1--05", "1-2-3", "", "1.5",
                         "99999999999999999999", "18446744073709551616-0"});
        }
        if (chance(20)) return ms();
        return ms() + "-" + std::to_string(uniform(0, 3));
    }
    std::vector<std::string> maybe_ids() {
        std::vector<std::string> out;
        for (int n = uniform(0, 3); n > 0; --n) out.push_back(id());
        return out;
    }

    // An interval bound of XRANGE / XPENDING / XAUTOCLAIM.
    std::string bound() {
        const int roll = uniform(0, 99);
        if (roll < 15) return "(" + id();
        if (roll < 35) return pick({"-", "+", "(-", "(+", "(", "((1"});
        return id();
    }

    // A group name: mostly one the key has, sometimes one it may not have.
    std::string group() {
        const stream_type* s = current();
        if (s != nullptr && s->group_count() != 0 && chance(75)) {
            const auto groups = s->groups_info();
            return groups[static_cast<std::size_t>(uniform(0, static_cast<int>(groups.size()) - 1))].name;
        }
        return chance(90) ? pick({"g1", "g1", "g2"}) : pick({"nog", "G1", ""});
    }

    // An ID of the key's pending entries for `g` (when it has some), else any ID.
    std::string pending_id(const std::string& g) {
        const stream_type* s = current();
        if (s != nullptr && s->has_group(g) && chance(60)) {
            const auto pending = s->pending(g, bptree::stream_id::min(), bptree::stream_id::max(), 20, 0);
            if (!pending.empty()) return pending[static_cast<std::size_t>(uniform(0, static_cast<int>(pending.size()) - 1))].id.to_string();
        }
        return id();
    }

    // XADD's ID: mostly just above the key's last ID (so most adds succeed), in the small or the
    // future range the key is in; now and then a jump to the future range, a random ID, "ms-*",
    // or the last possible ID (which exhausts the key until it is reset).
    std::string add_id() {
        const stream_type* s = current();
        const bptree::stream_id last = s != nullptr ? s->last_id() : bptree::stream_id{};
        const int roll = uniform(0, 199);
        if (roll < 1) return chance(50) ? "18446744073709551615-18446744073709551615" : "18446744073709551615-*";
        if (roll < 5) return std::to_string(future_ms + static_cast<std::uint64_t>(uniform(0, 3))) + "-" + std::to_string(uniform(0, 2));
        if (roll < 20) return id();
        if (last.ms >= UINT64_MAX - 3) return id();
        const std::uint64_t next_ms = last.ms + static_cast<std::uint64_t>(uniform(0, 2));
        if (roll < 50) return std::to_string(next_ms) + "-*";
        if (roll < 70) return std::to_string(next_ms + 1);
        return std::to_string(next_ms) + "-" + std::to_string(next_ms == last.ms ? last.seq + static_cast<std::uint64_t>(uniform(1, 3)) : static_cast<std::uint64_t>(uniform(0, 3)));
    }
    std::string consumer() { return pick({"alice", "bob", "carol", "bob"}); }

    std::string value() {
        const int roll = uniform(0, 99);
        if (roll < 30) return std::to_string(std::uniform_int_distribution<long long>(-3000000000LL, 3000000000LL)(rng_));
        if (roll < 38) return std::string(static_cast<std::size_t>(chance(50) ? uniform(60, 70) : uniform(100, 5000)), 'v');
        return pick({"x", "hello", "v1", "", "0", "-0", "007", "99999999999999999999", "9223372036854775807",
                     "-9223372036854775808", "127", "128", "-4096", "4095", "32768", "a b"});
    }

    std::vector<std::string> fields() {
        static const std::vector<std::string> names = {"a", "b", "c", "temp", "12", "-7"};
        const int n = uniform(1, 3);
        std::vector<std::string> out;
        for (int i = 0; i < n; ++i) {
            out.push_back(chance(75) ? names[static_cast<std::size_t>(i)] : names[static_cast<std::size_t>(uniform(0, 5))]);
            out.push_back(value());
        }
        return out;
    }

    std::vector<std::string> trim_options() {
        std::vector<std::string> out;
        const int roll = uniform(0, 99);
        if (roll < 45) {
            out.push_back(word("MAXLEN"));
            if (chance(60)) out.push_back(pick({"~", "=", "~"}));
            out.push_back(pick({"0", "1", "5", "50", "100", "150", "300", "-1", "x"}));
        } else if (roll < 85) {
            out.push_back(word("MINID"));
            if (chance(60)) out.push_back(pick({"~", "=", "~"}));
            out.push_back(id());
        }
        if (chance(30)) out = with(with(out, word("LIMIT")), pick({"0", "1", "50", "100", "250", "-1", "y"}));
        if (chance(3)) out.push_back(pick({"BOGUS", "MAXLEN"}));
        return out;
    }

    // ---------------------------------------------------------------- commands
    generated_command xadd() {
        if (key_ == "nokey" && !chance(30)) key_ = "s1";
        std::vector<std::string> argv = {"XADD", key_};
        if (chance(8) || key_ == "nokey") argv.push_back(word("NOMKSTREAM"));
        if (chance(20)) argv = with(argv, trim_options());
        const stream_type* s = current();
        if (s != nullptr && s->last_id().ms >= future_ms && s->last_id().ms < future_ms * 2 && chance(20)) {
            argv.push_back("*");  // both sides take last ID + 1: the clock is far behind
        } else {
            argv.push_back(add_id());
        }
        argv = with(argv, fields());
        if (chance(2)) argv.pop_back();
        return exact(argv);
    }

    generated_command xtrim() {
        std::vector<std::string> argv = with({"XTRIM", key_}, trim_options());
        return exact(argv);
    }

    generated_command xrange() {
        const bool rev = chance(40);
        std::vector<std::string> argv = {rev ? "XREVRANGE" : "XRANGE", key_, bound(), bound()};
        if (chance(50)) argv = with(with(argv, word("COUNT")), pick({"0", "1", "2", "5", "-1", "x", "100"}));
        if (chance(3)) argv.push_back("COUNT");
        return exact(argv);
    }

    generated_command xdel() {
        if (chance(3)) return exact({"XDEL", key_});
        return exact(with(with({"XDEL", key_}, id()), maybe_ids()));
    }

    generated_command xsetid() {
        const stream_type* s = current();
        std::string target = chance(70) ? id() : pick({"+", "-", "5-*", "*"});
        if (s != nullptr && (chance(50) || moves_below_tail(target))) {
            // At or above the last ID.
            target = s->last_id().ms < UINT64_MAX - 10 && chance(70)
                         ? std::to_string(s->last_id().ms + static_cast<std::uint64_t>(uniform(1, 3))) + "-" +
                               std::to_string(uniform(0, 9))
                         : s->last_id().to_string();
        }
        std::vector<std::string> argv = {"XSETID", key_, target};
        if (chance(40)) argv = with(with(argv, word("ENTRIESADDED")), pick({"0", "1", "5", "100", "1000", "-1", "x"}));
        if (chance(40)) argv = with(with(argv, word("MAXDELETEDID")), id());
        if (chance(4)) argv.push_back(pick({"FOO", "ENTRIESADDED"}));
        return exact(argv);
    }

    // Whether XSETID target would succeed and set the last ID below an entry still recorded in a
    // node: there bptree starts a new node where Redis appends out of order (docs/stream.md,
    // "Logical nodes"), so later XINFO radix-tree figures and '~' trims would differ.
    bool moves_below_tail(const std::string& target) const {
        const stream_type* s = current();
        bptree::stream_id t;
        if (s == nullptr || !bptree::redis::detail::parse_stream_id(target, t, {}) || !(t < s->last_id())) return false;
        if (s->info().radix_tree_keys == 0) return false;
        return s->empty() || !(t < std::prev(s->end())->first);
    }

    bool has_consumers() const {
        const stream_type* s = current();
        if (s == nullptr) return false;
        for (const auto& g : s->groups_info()) {
            if (g.consumers != 0) return true;
        }
        return false;
    }

    generated_command xinfo() {
        const int roll = uniform(0, 99);
        if (roll < 35) return exact({"XINFO", word("STREAM"), key_});
        if (roll < 55) {
            std::vector<std::string> argv = {"XINFO", word("STREAM"), key_, word("FULL")};
            if (chance(50)) argv = with(with(argv, word("COUNT")), pick({"0", "1", "3", "-1", "x"}));
            if (chance(5)) argv.push_back("EXTRA");
            return {argv, has_consumers() ? match_mode::same_shape : match_mode::exact};
        }
        if (roll < 75) return exact({"XINFO", word("GROUPS"), key_});
        if (roll < 92) return {{"XINFO", word("CONSUMERS"), key_, group()}, match_mode::same_shape};
        switch (uniform(0, 4)) {
            case 0: return exact({"XINFO", "HELP"});
            case 1: return exact({"XINFO", pick({"FOO", "stream"})});
            case 2: return exact({"XINFO", "GROUPS", key_, "x"});
            case 3: return exact({"XINFO", "STREAM", key_, "FULLL"});
            default: return exact({"XINFO", "FOO", key_});
        }
    }

    generated_command xgroup() {
        const int roll = uniform(0, 99);
        const std::string g = group();
        if (roll < 30) {
            std::vector<std::string> argv = {"XGROUP", word("CREATE"), key_, g, pick({"$", "0", "$", "0-0"})};
            if (chance(30)) argv.back() = id();
            if (chance(60)) argv.push_back(word("MKSTREAM"));
            if (chance(25)) argv = with(with(argv, word("ENTRIESREAD")), pick({"-1", "0", "3", "10", "-2", "x"}));
            if (chance(4)) argv.push_back(pick({"MKSTREAM", "FOO"}));
            return exact(argv);
        }
        if (roll < 50) {
            std::vector<std::string> argv = {"XGROUP", word("SETID"), key_, g, chance(40) ? pick({"$", "0", "-", "+"}) : id()};
            if (chance(35)) argv = with(with(argv, word("ENTRIESREAD")), pick({"-1", "0", "3", "10", "-2", "x"}));
            if (chance(5)) argv.push_back(pick({"MKSTREAM", "ENTRIESREAD"}));
            return exact(argv);
        }
        if (roll < 55) return exact({"XGROUP", word("DESTROY"), key_, g});
        if (roll < 75) return exact({"XGROUP", word("CREATECONSUMER"), key_, g, consumer()});
        if (roll < 90) return exact({"XGROUP", word("DELCONSUMER"), key_, g, consumer()});
        switch (uniform(0, 3)) {
            case 0: return exact({"XGROUP", "HELP"});
            case 1: return exact({"XGROUP", "FOO", key_, g});
            case 2: return exact({"XGROUP", "DESTROY", key_});
            default: return exact({"XGROUP", "CREATE", key_, g});
        }
    }

    generated_command xreadgroup() {
        std::vector<std::string> argv = {"XREADGROUP"};
        const bool group_first = chance(90);
        if (group_first) argv = with(argv, {word("GROUP"), group(), consumer()});
        if (chance(45)) argv = with(with(argv, word("COUNT")), pick({"0", "1", "2", "3", "-1", "x"}));
        if (chance(10)) argv = with(with(argv, word("BLOCK")), pick({"1", "2", "-1", "x"}));
        if (chance(20)) argv.push_back(word("NOACK"));
        if (!group_first && chance(70)) argv = with(argv, {word("GROUP"), group(), consumer()});
        argv = with(argv, {word("STREAMS"), key_, chance(60) ? ">" : pick({"0", "$", ">"})});
        if (chance(15)) argv.back() = id();
        if (chance(3)) argv.pop_back();
        return exact(argv);
    }

    generated_command xread() {
        std::vector<std::string> argv = {"XREAD"};
        if (chance(45)) argv = with(with(argv, word("COUNT")), pick({"0", "1", "2", "-1", "x"}));
        if (chance(10)) argv = with(with(argv, word("BLOCK")), pick({"1", "-1", "x"}));
        if (chance(3)) argv.push_back(pick({"NOACK", "FOO"}));
        if (chance(3)) argv = with(argv, {"GROUP", "g1", "alice"});
        argv = with(argv, {word("STREAMS"), key_, chance(70) ? id() : pick({"$", "0", ">", "+"})});
        if (chance(3)) argv.pop_back();
        return exact(argv);
    }

    generated_command xack() {
        const std::string g = group();
        std::vector<std::string> argv = {"XACK", key_, g, pending_id(g)};
        for (int n = uniform(0, 2); n > 0; --n) argv.push_back(pending_id(g));
        return exact(argv);
    }

    generated_command xpending() {
        std::vector<std::string> argv = {"XPENDING", key_, group()};
        if (chance(35)) return exact(argv);
        if (chance(30)) argv = with(argv, {word("IDLE"), pick({"0", "1000000000000", "x"})});
        argv = with(argv, {bound(), bound(), pick({"0", "1", "5", "10", "-1", "x"})});
        if (chance(40)) argv.push_back(consumer());
        if (chance(4)) argv.pop_back();
        return {argv, match_mode::same_shape};
    }

    generated_command xclaim() {
        const std::string g = group();
        std::vector<std::string> argv = {"XCLAIM", key_, g, consumer(), pick({"0", "0", "0", "1000000000000", "-5", "x"}), pending_id(g)};
        for (int n = uniform(0, 2); n > 0; --n) argv.push_back(pending_id(g));
        if (chance(25)) argv.push_back(word("FORCE"));
        if (chance(25)) argv.push_back(word("JUSTID"));
        if (chance(20)) argv = with(argv, {word("RETRYCOUNT"), pick({"0", "5", "-1", "x"})});
        if (chance(15)) argv = with(argv, {word("IDLE"), pick({"0", "1500000000000", "-5", "x"})});
        if (chance(15)) argv = with(argv, {word("TIME"), pick({"1000", "-5", "1000000000000000000", "x"})});
        if (chance(15)) argv = with(argv, {word("LASTID"), id()});
        if (chance(4)) argv.push_back(pick({"FOO", id(), "IDLE"}));
        return exact(argv);
    }

    generated_command xautoclaim() {
        std::vector<std::string> argv = {"XAUTOCLAIM", key_, group(), consumer(), pick({"0", "0", "1000000000000", "-5", "x"}), bound()};
        if (chance(45)) argv = with(argv, {word("COUNT"), pick({"1", "2", "3", "100", "0", "-1", "x"})});
        if (chance(30)) argv.push_back(word("JUSTID"));
        if (chance(4)) argv.push_back(pick({"FOO", "COUNT"}));
        return exact(argv);
    }

    // Wrong arity, unknown commands, several keys.
    generated_command malformed() {
        switch (uniform(0, 6)) {
            case 0: return exact({pick({"XADD", "XRANGE", "XTRIM", "XREADGROUP", "XCLAIM", "XAUTOCLAIM", "XACK"}), key_});
            case 1: return exact({pick({"XLEN", "XDEL", "XSETID", "XINFO", "XGROUP", "XPENDING", "XREAD"})});
            case 2: return exact({"XLEN", key_, "extra"});
            case 3: return exact({pick({"XFOO", "xaddx", "XRANGES"}), key_, "a", "b"});
            case 4: return exact({"XADD", key_, "1-1", "a"});
            case 5: return exact({"XREAD", "STREAMS", key_, "0", "1"});
            default: return exact({"XREADGROUP", "GROUP", "g1", "alice", "STREAMS", key_});
        }
    }

    std::mt19937_64& rng_;
    const key_map& keys_;
    std::string key_;
};

// The key a stream command names: argv[2] for the container commands, the key after STREAMS for
// the reads, argv[1] otherwise.
std::string key_of(const std::vector<std::string>& argv) {
    if (argv.size() < 2) return {};
    const std::string& name = argv[0];
    if (bptree::redis::detail::iequals(name, "XINFO") || bptree::redis::detail::iequals(name, "XGROUP")) {
        return argv.size() >= 3 ? argv[2] : std::string();
    }
    if (bptree::redis::detail::iequals(name, "XREAD") || bptree::redis::detail::iequals(name, "XREADGROUP")) {
        for (std::size_t i = 1; i + 1 < argv.size(); ++i) {
            if (bptree::redis::detail::iequals(argv[i], "STREAMS")) return argv[i + 1];
        }
        return {};
    }
    return argv[1];
}

class stream_family final : public family {
public:
    generated_command next_command(std::mt19937_64& rng) override { return stream_generator(rng, keys_).next(); }

    reply execute(const std::vector<std::string>& argv) override {
        std::optional<stream_type>& slot = keys_[key_of(argv)];
        return bptree::redis::execute(slot, argv);
    }

    void reset() override { keys_.clear(); }

private:
    key_map keys_;
};

}  // namespace

std::unique_ptr<family> make_stream_family() { return std::make_unique<stream_family>(); }

}  // namespace bptree_conformance
