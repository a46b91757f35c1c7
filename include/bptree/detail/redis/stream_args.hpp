// File: bptree/detail/redis/stream_args.hpp
// Layer: command layer support (streams). Reading stream command arguments exactly as Redis 7.0
// reads them: stream IDs (streamGenericParseIDOrReply with string2ull), interval bounds with the
// '(' prefix (streamParseIntervalIDOrReply), and integers with a command's own error text.
// Every failure throws bptree::error with Redis's reply text.
// Includes: reply.hpp (Redis number parsing, shared error texts) and the stream adaptor.
#ifndef BPTREE_DETAIL_REDIS_STREAM_ARGS_HPP
#define BPTREE_DETAIL_REDIS_STREAM_ARGS_HPP

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bptree/detail/config.hpp"
#include "bptree/detail/redis/reply.hpp"
#include "bptree/error.hpp"
#include "bptree/stream.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis::detail {

using stream_errors = bptree::detail::stream_errors;

// Redis's string2ull: string2ll first (so a canonical negative number is rejected), then
// strtoull, which also takes leading blanks, a '+' sign, leading zeros and a '-' sign that
// negates modulo 2^64 ("-05" reads as 2^64 - 5, as in Redis).
inline bool parse_stream_u64(std::string_view s, std::uint64_t& out) {
    long long ll = 0;
    if (parse_long_long(s, ll)) {
        if (ll < 0) return false;
        out = static_cast<std::uint64_t>(ll);
        return true;
    }
    if (s.empty()) return false;
    const std::string buffer(s);
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(buffer.c_str(), &end, 10);
    if (errno == EINVAL || errno == ERANGE || *end != '\0') return false;
    out = v;
    return true;
}

// How an ID argument may be written: strict IDs reject "-" and "+"; seq_given (XADD only)
// accepts "ms-*" and reports whether the sequence was given.
struct stream_id_syntax {
    bool strict = true;
    std::uint64_t missing_seq = 0;  // the sequence of a bare "ms"
    bool* seq_given = nullptr;
};

// streamGenericParseIDOrReply. Redis copies the argument into a 128-byte C string first, so a
// longer argument is invalid and the text ends at its first NUL byte.
inline bool parse_stream_id(std::string_view arg, stream_id& out, const stream_id_syntax& syntax) {
    if (arg.size() > 127) return false;
    arg = arg.substr(0, arg.find('\0'));
    if (syntax.strict && (arg == "-" || arg == "+")) return false;
    if (syntax.seq_given != nullptr) *syntax.seq_given = true;
    if (arg == "-") {
        out = stream_id::min();
        return true;
    }
    if (arg == "+") {
        out = stream_id::max();
        return true;
    }
    const std::size_t dash = arg.find('-');
    stream_id id;
    if (!parse_stream_u64(arg.substr(0, dash), id.ms)) return false;
    if (dash == std::string_view::npos) {
        id.seq = syntax.missing_seq;
    } else {
        const std::string_view seq = arg.substr(dash + 1);
        if (syntax.seq_given != nullptr && seq == "*") {
            id.seq = 0;
            *syntax.seq_given = false;
        } else if (!parse_stream_u64(seq, id.seq)) {
            return false;
        }
    }
    out = id;
    return true;
}

// A strict ID ("ms-seq" or "ms"), or the invalid-ID error.
inline stream_id strict_id_arg(std::string_view arg) {
    stream_id id;
    if (!parse_stream_id(arg, id, stream_id_syntax{})) throw error(stream_errors::invalid_id);
    return id;
}

// An ID where "-" and "+" are allowed (XGROUP SETID), or the invalid-ID error.
inline stream_id special_id_arg(std::string_view arg, std::uint64_t missing_seq) {
    stream_id id;
    if (!parse_stream_id(arg, id, stream_id_syntax{false, missing_seq, nullptr})) {
        throw error(stream_errors::invalid_id);
    }
    return id;
}

// streamParseIntervalIDOrReply: "(id" is an exclusive strict ID; otherwise "-", "+" and bare
// "ms" (sequence missing_seq) are accepted.
inline stream_bound interval_bound_arg(std::string_view arg, std::uint64_t missing_seq) {
    if (arg.size() > 1 && arg[0] == '(') {
        stream_id id;
        if (!parse_stream_id(arg.substr(1), id, stream_id_syntax{true, missing_seq, nullptr})) {
            throw error(stream_errors::invalid_id);
        }
        return stream_bound(id, true);
    }
    return stream_bound(special_id_arg(arg, missing_seq), false);
}

// The first ID of an interval that starts at arg ("invalid start ID for the interval" after max).
inline stream_id interval_start_arg(std::string_view arg) {
    return bptree::detail::inclusive_start(interval_bound_arg(arg, 0));
}
// The last ID of an interval that ends at arg ("invalid end ID for the interval" before min).
inline stream_id interval_end_arg(std::string_view arg) {
    return bptree::detail::inclusive_end(interval_bound_arg(arg, stream_id::max().seq));
}

// getLongLongFromObjectOrReply: a long long, or the given error text.
inline long long integer_arg(std::string_view arg, const char* message = not_an_integer) {
    long long v = 0;
    if (!parse_long_long(arg, v)) throw error(message);
    return v;
}

// Redis's "%.128s": a name echoed in an error message is cut at 128 bytes.
inline std::string_view echoed(std::string_view s) { return s.substr(0, 128); }

// addReplyErrorFormat's clean-up of a message that quotes arguments: trailing CR/LF are trimmed
// and the ones inside become spaces, so the reply stays one RESP line.
inline std::string formatted_error(std::string message) {
    while (!message.empty() && (message.back() == '\r' || message.back() == '\n')) message.pop_back();
    for (char& c : message) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    return message;
}

}  // namespace redis::detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_REDIS_STREAM_ARGS_HPP
