// The bad-input table: rows of bad input for the adaptors' command layer (sorted set, stream, time
// series) and their typed APIs, each with the result it must give. Shared by
//   bad_input_test.cpp  runs every row on bptree and checks its result, the object's verify(), that
//                       an error reply left the object unchanged, and that docs/bad_input.md is
//                       exactly the table the rows generate;
//   bad_input_live.cpp  runs the sorted-set and stream rows on a real redis-server and checks what
//                       each row says about Redis (the same reply, or the different one it names).
// The rows themselves are in bad_input_rows.cpp.
#ifndef BPTREE_TESTS_BAD_INPUT_BAD_INPUT_CASES_HPP
#define BPTREE_TESTS_BAD_INPUT_BAD_INPUT_CASES_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "bptree/redis.hpp"

namespace bad_input {

using argv_type = std::vector<std::string>;
using bptree::redis::reply;

enum class family { zset, stream, ts, typed };

// How a sorted-set or stream row relates to Redis 7.0 (checked by bad_input_live.cpp).
enum class redis_check {
    same,          // Redis replies exactly the same
    differs,       // Redis replies row::redis_reply instead
    not_compared,  // no like-for-like reply (the row's note says why)
};

struct row {
    family fam;
    const char* category;          // NaN, infinity, overflow, huge count, index, range, arity, option, bytes...
    std::vector<argv_type> setup;  // command rows: run first, each must succeed
    argv_type argv;                // command rows: the command
    const char* expected;          // the rendered result
    const char* note = "";
    redis_check redis = redis_check::same;
    const char* redis_reply = "";  // redis_check::differs: Redis's rendered reply
    // Typed rows: the call as the table shows it, and the call itself (its rendered result).
    const char* typed_call = "";
    std::function<std::string()> typed = {};

    row differs(const char* reply_from_redis) && {
        redis = redis_check::differs;
        redis_reply = reply_from_redis;
        return std::move(*this);
    }
    row not_compared() && {
        redis = redis_check::not_compared;
        return std::move(*this);
    }
};

// Every row, in table order (bad_input_rows.cpp).
const std::vector<row>& rows();

const char* family_name(family f);

// Bytes as the table shows them: printable ASCII as is, '\\' and '|' escaped, others as \xNN.
std::string escaped(const std::string& s);
// A reply as redis-cli shows it (arrays of more than 6 elements abridged).
std::string render(const reply& r);
// An argv as one line (empty arguments as "").
std::string command_line(const argv_type& argv);

// The fixed clock of the stream and time-series rows (XADD *, TS.ADD *).
inline constexpr std::int64_t clock_ms = 1700000000000;

// What running a row on bptree gave: the rendered result, and a problem when a setup command
// failed, verify() threw, or an error reply changed the object.
struct outcome {
    std::string result;
    std::string problem;
};
outcome run(const row& r);

}  // namespace bad_input

#endif  // BPTREE_TESTS_BAD_INPUT_BAD_INPUT_CASES_HPP
