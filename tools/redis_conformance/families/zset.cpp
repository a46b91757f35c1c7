// File: tools/redis_conformance/families/zset.cpp
// The sorted-set family of the conformance tool: a seeded generator of Redis 7.0 sorted-set
// commands (every command of bptree::redis::execute and execute_multi_key, every option, bound
// form and error they know) and the local side, which runs them through those two functions on a
// keyspace of slots.
//
// Keys: "z1" and "z2" take any scores; "lex" only ever holds score 0 (or -0), because Redis's lex
// commands are only defined when all scores are equal (on a skiplist with mixed scores Redis's
// answer depends on random node levels); "nokey" is never written. Lex commands go to "lex" and
// "nokey", or carry a malformed bound (errors are reported before the key is read).
// Replies that are random by design are compared loosely: ZRANDMEMBER (same shape, or as a
// multiset when the whole set comes back), and ZSCAN on a key Redis has converted from its
// listpack encoding (Redis then pages in hash order).
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bptree/redis.hpp"
#include "bptree/sorted_set.hpp"

#include "../family.hpp"

namespace bptree_conformance {
namespace {

using bptree::redis::reply;
using zset = bptree::sorted_set<std::string>;

class zset_generator {
public:
    zset_generator(std::mt19937_64& rng, const std::map<std::string, std::optional<zset>>& keys,
                   const std::map<std::string, bool>& converted)
        : rng_(rng), keys_(keys), converted_(converted) {}

    generated_command next() {
        key_ = pick({"z1", "z1", "z1", "z2", "z2", "lex", "lex", "nokey"});
        const bool lex_key = key_ == "lex";
        const int roll = uniform(0, 99);
        if (roll < 26 && key_ == "nokey") key_ = "z1";  // nothing creates "nokey"
        if (roll < 22) return zadd(lex_key);
        if (roll < 26) return zincrby(lex_key);
        if (roll < 31) return zrem();
        if (roll < 34) return simple({"ZSCORE", key_, member()});
        if (roll < 36) return zmscore();
        if (roll < 38) return simple({"ZCARD", key_});
        if (roll < 41) return simple({"ZCOUNT", key_, score_bound(), score_bound()});
        if (roll < 45) return simple({uniform(0, 1) ? "ZRANK" : "ZREVRANK", key_, member()});
        if (roll < 60) return zrange(lex_key);
        if (roll < 66) return zrangebyscore();
        if (roll < 70) return lex_command(lex_key);
        if (roll < 73) return simple({"ZREVRANGE", key_, index(), index(), maybe("WITHSCORES")});
        if (roll < 76) return simple({"ZREMRANGEBYRANK", key_, index(), index()});
        if (roll < 79) return simple({"ZREMRANGEBYSCORE", key_, score_bound(), score_bound()});
        if (roll < 84) return zpop();
        if (roll < 89) return zrandmember();
        if (roll < 94) return zscan();
        if (roll < 97) return set_operation();
        if (roll < 98) return zrangestore();
        return malformed();
    }

private:
    // ---------------------------------------------------------------- argument pools
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(int percent) { return uniform(0, 99) < percent; }
    std::string pick(std::initializer_list<std::string> options) {
        return *(options.begin() + uniform(0, static_cast<int>(options.size()) - 1));
    }
    std::string maybe(const char* word) { return chance(50) ? random_case(word) : std::string(); }

    // Option words in any case (Redis compares them case-insensitively).
    std::string random_case(std::string word) {
        if (chance(60)) return word;
        for (char& c : word) c = static_cast<char>(chance(50) ? std::tolower(c) : std::toupper(c));
        return word;
    }

    const zset* current() const {
        const auto it = keys_.find(key_);
        return it == keys_.end() || !it->second ? nullptr : &*it->second;
    }
    long long size() const { return current() ? static_cast<long long>(current()->size()) : 0; }

    std::string member() {
        const zset* s = current();
        if (s != nullptr && !s->empty() && chance(65)) {
            return s->index().nth(static_cast<std::size_t>(uniform(0, static_cast<int>(s->size()) - 1)))->member;
        }
        if (chance(8)) {
            return pick({"", "\xff", std::string("\0a", 2), "A", "aa", "\xc3\xa9t\xc3\xa9", "b\xff", "_"});
        }
        if (chance(3)) return std::string(65 + uniform(0, 5), 'x') + std::to_string(uniform(0, 3));
        if (chance(40)) return std::string(1, static_cast<char>('a' + uniform(0, 9)));
        char buf[8];
        std::snprintf(buf, sizeof buf, "m%02d", uniform(0, 59));
        return buf;
    }

    std::string score() {
        const int roll = uniform(0, 99);
        if (roll < 45) return std::to_string(uniform(-20, 20));
        if (roll < 60) return pick({"0", "-0", "0.5", "-2.5", "1.25", "0.1", "1e3", "3.0", "+4", "1e-5", "0.30000000000000004"});
        if (roll < 68) return pick({"inf", "-inf", "+inf", "Infinity", "-INF", "1e308", "4503599627370496", "9007199254740993", "0x10"});
        if (roll < 80) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.17g", std::uniform_real_distribution<double>(-1e4, 1e4)(rng_));
            return buf;
        }
        if (roll < 90) return std::to_string(uniform(-3, 3));  // ties
        return pick({"nan", "abc", "", " 1", "1 ", "1e400", "--1", "1..2", "-nan", "1e-400"});
    }

    std::string score_bound() {
        const int roll = uniform(0, 99);
        if (roll < 35) return std::to_string(uniform(-20, 20));
        if (roll < 55) return "(" + std::to_string(uniform(-20, 20));
        if (roll < 75) return pick({"-inf", "+inf", "inf", "(-inf", "(+inf", "(inf", "-INF", "2.5", "(2.5", "-0", "(0"});
        if (roll < 85) return pick({"", "(", " 3", "0x10", "1e400", "(1e-400", "5\t"});
        if (roll < 92) return pick({std::to_string(uniform(-3, 3)), "(" + std::to_string(uniform(-3, 3))});
        return pick({"nan", "(nan", "abc", "1x", "((1", "[1", "-"});
    }

    std::string lex_bound() {
        const int roll = uniform(0, 99);
        if (roll < 20) return pick({"-", "+"});
        if (roll < 75) return (chance(50) ? "[" : "(") + member();
        if (roll < 90) return pick({"[", "(", "[m30", "(m30", "[\xff", "(b", "[a", std::string("[\0", 2)});
        return pick({"a", "", "-a", "+b", "*", "]a"});
    }

    std::string index() {
        const long long n = size();
        const int roll = uniform(0, 99);
        if (roll < 70) return std::to_string(uniform(static_cast<int>(-n - 3), static_cast<int>(n + 3)));
        if (roll < 85) return pick({"0", "-1", "1", "-2", "100", "-100"});
        if (roll < 93) return pick({"9223372036854775807", "-9223372036854775808", "-9223372036854775807"});
        return pick({"1.5", "a", "", " 1", "01", "9223372036854775808", "+1"});
    }

    std::string count_argument() {
        const int roll = uniform(0, 99);
        if (roll < 75) return std::to_string(uniform(0, static_cast<int>(size()) + 3));
        if (roll < 85) return pick({"-1", "-3", "0"});
        return pick({"x", "1.0", "", "9223372036854775807", "-9223372036854775808"});
    }

    void add_limit(std::vector<std::string>& argv) {
        argv.push_back(random_case("LIMIT"));
        argv.push_back(chance(90) ? std::to_string(uniform(-1, static_cast<int>(size()) + 2)) : pick({"x", "1.5"}));
        argv.push_back(chance(90) ? std::to_string(uniform(-2, static_cast<int>(size()) + 2)) : pick({"y", ""}));
    }

    // ---------------------------------------------------------------- commands
    static generated_command simple(std::vector<std::string> argv, match_mode mode = match_mode::exact) {
        argv.erase(std::remove_if(argv.begin() + 1, argv.end(), [](const std::string& a) { return a.empty(); }),
                   argv.end());
        return {std::move(argv), mode};
    }

    // Score 0 keeps the "lex" key's scores equal.
    std::string score_for(bool lex_key) { return lex_key ? pick({"0", "-0", "0.0"}) : score(); }

    // Redis stores a -0 score as 0 in its listpack encoding (as bptree always does) but keeps -0
    // in its skiplist encoding: -0 is only sent where the key stays a listpack through the
    // command (not converted yet, at most 128 members after it, no member over 64 bytes).
    void avoid_negative_zero_on_skiplists(std::vector<std::string>& argv, std::size_t first_pair) {
        bool stays_listpack = !is_converted() && size() + static_cast<long long>((argv.size() - first_pair) / 2) <= 128;
        for (std::size_t i = first_pair + 1; i < argv.size(); i += 2) stays_listpack = stays_listpack && argv[i].size() <= 64;
        if (stays_listpack) return;
        for (std::size_t i = first_pair; i < argv.size(); i += 2) {
            if (argv[i] == "-0") argv[i] = "0";
        }
    }
    bool is_converted() const {
        const auto it = converted_.find(key_);
        return it != converted_.end() && it->second;
    }

    generated_command zadd(bool lex_key) {
        std::vector<std::string> argv{random_case("ZADD"), key_};
        const bool valid_options = chance(85);
        bool incr = false;
        for (const char* opt : {"NX", "XX", "GT", "LT", "CH", "INCR"}) {
            if (chance(valid_options ? 12 : 35)) {
                argv.push_back(random_case(opt));
                incr = incr || std::string(opt) == "INCR";
            }
        }
        if (valid_options && chance(20)) std::shuffle(argv.begin() + 2, argv.end(), rng_);
        // Mostly a few pairs; sometimes many, to push sets past Redis's listpack limit (128).
        int pairs = incr ? 1 : (chance(12) ? uniform(20, 70) : uniform(1, 4));
        if (chance(3)) pairs = uniform(2, 3);
        const std::size_t first_pair = argv.size();
        for (int i = 0; i < pairs; ++i) {
            argv.push_back(score_for(lex_key));
            argv.push_back(member());
        }
        avoid_negative_zero_on_skiplists(argv, first_pair);
        if (chance(3)) argv.pop_back();  // an odd count
        return {std::move(argv), match_mode::exact};
    }

    generated_command zincrby(bool lex_key) {
        std::vector<std::string> argv{random_case("ZINCRBY"), key_, score_for(lex_key), member()};
        avoid_negative_zero_on_skiplists(argv, 2);
        if (chance(5)) argv[2] = pick({"nx", "incr", "ch"});
        return {std::move(argv), match_mode::exact};
    }

    generated_command zrem() {
        std::vector<std::string> argv{random_case("ZREM"), key_};
        for (int i = uniform(1, 3); i > 0; --i) argv.push_back(member());
        return {std::move(argv), match_mode::exact};
    }

    generated_command zmscore() {
        std::vector<std::string> argv{random_case("ZMSCORE"), key_};
        for (int i = uniform(1, 4); i > 0; --i) argv.push_back(member());
        return {std::move(argv), match_mode::exact};
    }

    // ZRANGE in all its forms: by index, BYSCORE or BYLEX, with REV, LIMIT and WITHSCORES in any
    // order, plus the conflicting and repeated options Redis rejects.
    generated_command zrange(bool lex_key) {
        std::vector<std::string> argv{random_case("ZRANGE"), key_};
        const int kind = lex_key || key_ == "nokey" ? uniform(0, 2) : uniform(0, 1);  // 2: BYLEX
        if (kind == 0) {
            argv.push_back(index());
            argv.push_back(index());
        } else if (kind == 1) {
            argv.push_back(score_bound());
            argv.push_back(score_bound());
        } else {
            argv.push_back(lex_bound());
            argv.push_back(lex_bound());
        }
        std::vector<std::vector<std::string>> options;
        if (kind == 1) options.push_back({random_case("BYSCORE")});
        if (kind == 2) options.push_back({random_case("BYLEX")});
        if (chance(45)) options.push_back({random_case("REV")});
        if (chance(kind == 0 ? 8 : 45)) {
            std::vector<std::string> limit;
            add_limit(limit);
            options.push_back(limit);
        }
        if (chance(kind == 2 ? 8 : 45)) options.push_back({random_case("WITHSCORES")});
        if (chance(5)) options.push_back({pick({"REV", "BYSCORE", "BYLEX", "LIMIT", "FOO", "WITHSCORES"})});
        std::shuffle(options.begin(), options.end(), rng_);
        for (const auto& o : options) argv.insert(argv.end(), o.begin(), o.end());
        return {std::move(argv), match_mode::exact};
    }

    generated_command zrangebyscore() {
        const bool reverse = chance(50);
        std::vector<std::string> argv{random_case(reverse ? "ZREVRANGEBYSCORE" : "ZRANGEBYSCORE"), key_,
                                      score_bound(), score_bound()};
        std::vector<std::vector<std::string>> options;
        if (chance(50)) options.push_back({random_case("WITHSCORES")});
        if (chance(50)) {
            std::vector<std::string> limit;
            add_limit(limit);
            options.push_back(limit);
        }
        if (chance(5)) options.push_back({pick({"REV", "BYSCORE", "LIMIT", "BAR"})});
        std::shuffle(options.begin(), options.end(), rng_);
        for (const auto& o : options) argv.insert(argv.end(), o.begin(), o.end());
        return {std::move(argv), match_mode::exact};
    }

    // ZRANGEBYLEX, ZREVRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX: on "lex" / "nokey", or with a
    // malformed bound anywhere.
    generated_command lex_command(bool lex_key) {
        std::string min = lex_bound();
        std::string max = lex_bound();
        if (!lex_key && key_ != "nokey") min = pick({"a", "", "*"});
        const int which = uniform(0, 3);
        if (which == 0) return {{random_case("ZLEXCOUNT"), key_, min, max}, match_mode::exact};
        if (which == 1) return {{random_case("ZREMRANGEBYLEX"), key_, min, max}, match_mode::exact};
        std::vector<std::string> argv{random_case(which == 2 ? "ZRANGEBYLEX" : "ZREVRANGEBYLEX"), key_, min, max};
        if (chance(40)) add_limit(argv);
        if (chance(6)) argv.push_back(pick({"WITHSCORES", "REV", "BYLEX"}));
        return {std::move(argv), match_mode::exact};
    }

    generated_command zpop() {
        std::vector<std::string> argv{random_case(chance(50) ? "ZPOPMIN" : "ZPOPMAX"), key_};
        if (chance(60)) argv.push_back(count_argument());
        if (chance(3)) argv.push_back("1");
        return {std::move(argv), match_mode::exact};
    }

    generated_command zrandmember() {
        std::vector<std::string> argv{random_case("ZRANDMEMBER"), key_};
        const long long n = size();
        if (chance(20)) return {std::move(argv), n == 0 ? match_mode::exact : match_mode::same_shape};
        long long count = 0;
        const int roll = uniform(0, 99);
        if (roll < 85) {
            count = uniform(static_cast<int>(-n - 3), static_cast<int>(n + 3));
            argv.push_back(std::to_string(count));
        } else {
            argv.push_back(pick({"x", "1.5", "", "-4611686018427387904"}));
        }
        // A huge negative count is only safe WITHSCORES, where Redis rejects it as out of range
        // (without, Redis would try to send 4.6e18 members).
        const bool with_scores = argv.back() == "-4611686018427387904" || chance(50);
        if (with_scores) argv.push_back(chance(90) ? random_case("WITHSCORES") : "SCORES");
        if (chance(3)) argv.push_back("extra");
        match_mode mode = match_mode::same_shape;
        if (n == 0 || count == 0) mode = match_mode::exact;
        if (count >= n && n > 0) mode = with_scores ? match_mode::unordered_pairs : match_mode::unordered;
        return {std::move(argv), mode};
    }

    generated_command zscan() {
        std::vector<std::string> argv{random_case("ZSCAN"), key_};
        argv.push_back(chance(85) ? pick({"0", "0", "3", "-1", "", "+2"}) : pick({" 1", "x", "18446744073709551616", "1.0"}));
        if (chance(40)) {
            argv.push_back(random_case("MATCH"));
            argv.push_back(pick({"*", "m1*", "?", "[a-c]*", "[^a]*", "\\*", "m[0-3]?", "*x*", "[c-a]", "a[", "**", "m0[!]"}));
        }
        if (chance(40)) {
            argv.push_back(random_case("COUNT"));
            argv.push_back(chance(85) ? std::to_string(uniform(1, 30)) : pick({"0", "-1", "x"}));
        }
        if (chance(4)) argv.push_back(pick({"COUNT", "MATCH", "NOVALUES", "TYPE"}));
        return {std::move(argv), is_converted() ? match_mode::scan_page : match_mode::exact};
    }

    // ZUNION, ZINTER, ZDIFF, ZINTERCARD and their STORE forms over the keys, with WEIGHTS,
    // AGGREGATE, WITHSCORES and LIMIT in any order, plus malformed numkeys and options.
    generated_command set_operation() {
        const std::string op = pick({"ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"});
        const bool store = op.size() > 5 && op.compare(op.size() - 5, 5, "STORE") == 0;
        std::vector<std::string> argv{random_case(op)};
        if (store) argv.push_back(pick({"dst", "dst", "z1", "z2"}));
        const int n = uniform(1, 3);
        argv.push_back(chance(94) ? std::to_string(n) : pick({"0", "-1", "x", "9"}));
        for (int i = 0; i < n; ++i) argv.push_back(pick({"z1", "z2", "lex", "nokey", "dst"}));
        std::vector<std::vector<std::string>> options;
        const bool weighs = op == "ZUNION" || op == "ZINTER" || op == "ZUNIONSTORE" || op == "ZINTERSTORE";
        if (chance(weighs ? 45 : 5)) {
            std::vector<std::string> w{random_case("WEIGHTS")};
            const int count = chance(92) ? n : uniform(0, 4);
            for (int i = 0; i < count; ++i) {
                // A stored -0 keeps its sign only on Redis's skiplists: stored results get
                // positive weights, which cannot make -0 (0 or -1 times a score can).
                w.push_back(store ? pick({"1", "2", "0.5", "inf", "3", "1e-3"})
                                  : pick({"1", "2", "-1", "0.5", "0", "-0", "inf", "-inf", "1e300", "x", "nan"}));
            }
            options.push_back(w);
        }
        if (chance(weighs ? 40 : 5)) options.push_back({random_case("AGGREGATE"), pick({"sum", "MIN", "Max", "avg"})});
        if (chance(store ? 4 : 40)) options.push_back({random_case("WITHSCORES")});
        if (chance(op == "ZINTERCARD" ? 50 : 4)) options.push_back({random_case("LIMIT"), pick({"0", "1", "2", "5", "-1", "x"})});
        std::shuffle(options.begin(), options.end(), rng_);
        for (const auto& o : options) argv.insert(argv.end(), o.begin(), o.end());
        return {std::move(argv), match_mode::exact};
    }

    // ZRANGESTORE dst src ...: ZRANGE's arguments with a destination (WITHSCORES is an error).
    generated_command zrangestore() {
        key_ = pick({"z1", "z2", "lex", "nokey", "dst"});
        generated_command c = zrange(key_ == "lex");
        c.argv[0] = random_case("ZRANGESTORE");
        c.argv.insert(c.argv.begin() + 1, pick({"dst", "dst", "z1", "z2"}));
        if (chance(85)) {
            c.argv.erase(std::remove_if(c.argv.begin() + 5, c.argv.end(),
                                        [](const std::string& a) { return a.size() == 10 && std::toupper(a[0]) == 'W'; }),
                         c.argv.end());
        }
        return c;
    }

    // Wrong arity, unknown commands and stray options.
    generated_command malformed() {
        switch (uniform(0, 5)) {
            case 0: return {{pick({"ZADD", "ZINCRBY", "ZRANGE", "ZCOUNT", "ZSCAN", "ZREMRANGEBYLEX", "ZLEXCOUNT"}), key_}, match_mode::exact};
            case 1: return {{pick({"ZCARD", "ZSCORE", "ZRANK", "ZREVRANK", "ZMSCORE", "ZREM"})}, match_mode::exact};
            case 2: return {{"ZRANK", key_, member(), "WITHSCORE"}, match_mode::exact};
            case 3: return {{"ZCARD", key_, "extra"}, match_mode::exact};
            case 4: return {{pick({"ZFOO", "zaddx", "ZRANGEX"}), key_, "a", "b"}, match_mode::exact};
            default: return {{"ZREMRANGEBYRANK", key_, "0"}, match_mode::exact};
        }
    }

    std::mt19937_64& rng_;
    const std::map<std::string, std::optional<zset>>& keys_;
    const std::map<std::string, bool>& converted_;
    std::string key_;
};

class zset_family final : public family {
public:
    generated_command next_command(std::mt19937_64& rng) override {
        return zset_generator(rng, keys_, converted_).next();
    }

    reply execute(const std::vector<std::string>& argv) override {
        if (!argv.empty() && is_multi_key(argv[0])) return execute_multi_key(argv);
        std::optional<zset> none;
        std::optional<zset>& slot = argv.size() >= 2 ? keys_[argv[1]] : none;
        reply r = bptree::redis::execute(slot, argv, sample_rng_);
        if (argv.size() >= 2) note_encoding(argv[1], slot);
        return r;
    }

    void reset() override {
        keys_.clear();
        converted_.clear();
    }

private:
    static bool is_multi_key(const std::string& name) {
        for (const char* c : {"zunion", "zinter", "zdiff", "zintercard", "zunionstore", "zinterstore", "zdiffstore",
                              "zrangestore"}) {
            if (bptree::redis::detail::iequals(name, c)) return true;
        }
        return false;
    }

    // The caller's side of the multi-key commands: the keyspace is this family's map (whose
    // nodes stay put, so slot references stay valid).
    reply execute_multi_key(const std::vector<std::string>& argv) {
        const reply r = bptree::redis::execute_multi_key<zset>(
            [this](const std::string& key) -> std::optional<zset>& { return keys_[key]; }, argv);
        const bool stores = argv.size() >= 2 && !r.is_error() && argv[0].size() > 5 &&
                            bptree::redis::detail::iequals(argv[0].substr(argv[0].size() - 5), "store");
        if (stores) {
            // Redis writes a stored result as a listpack when it is small enough.
            converted_.erase(argv[1]);
            note_encoding(argv[1], keys_[argv[1]]);
        }
        return r;
    }

    // Tracks whether Redis has left its listpack encoding for a key: once the key held more than
    // 128 members or a member longer than 64 bytes, until the key is deleted.
    void note_encoding(const std::string& key, const std::optional<zset>& slot) {
        if (!slot) {
            converted_.erase(key);
            return;
        }
        bool& converted = converted_[key];
        if (slot->size() > 128) converted = true;
        for (const auto& e : *slot) converted = converted || e.member.size() > 64;
    }

    std::map<std::string, std::optional<zset>> keys_;
    std::map<std::string, bool> converted_;
    std::mt19937_64 sample_rng_{0x2a};
};

}  // namespace

std::unique_ptr<family> make_zset_family() { return std::make_unique<zset_family>(); }

}  // namespace bptree_conformance
