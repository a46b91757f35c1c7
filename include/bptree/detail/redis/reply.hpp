// File: bptree/detail/redis/reply.hpp
// Layer: command layer support. The reply type of the Redis command layer, its RESP2 encoding,
// and the argument parsing and number formatting rules that Redis 7.0 applies to every command
// (one place, so the sorted-set, stream and time-series commands agree with Redis and each other).
// Includes: standard headers only.
#ifndef BPTREE_DETAIL_REDIS_REPLY_HPP
#define BPTREE_DETAIL_REDIS_REPLY_HPP

#include <cerrno>
#include <cctype>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis {

// One RESP reply. A RESP null bulk string and a null array are both type::nil.
struct reply {
    enum class type { nil, integer, bulk, status, error, array };
    type kind = type::nil;
    long long integer = 0;        // type::integer
    std::string text;             // type::bulk, type::status, type::error (the full message)
    std::vector<reply> elements;  // type::array

    static reply nil() { return {}; }
    static reply from_integer(long long n) {
        reply r;
        r.kind = type::integer;
        r.integer = n;
        return r;
    }
    static reply bulk(std::string s) {
        reply r;
        r.kind = type::bulk;
        r.text = std::move(s);
        return r;
    }
    static reply status(std::string s) {
        reply r;
        r.kind = type::status;
        r.text = std::move(s);
        return r;
    }
    static reply error(std::string s) {
        reply r;
        r.kind = type::error;
        r.text = std::move(s);
        return r;
    }
    static reply array(std::vector<reply> elements = {}) {
        reply r;
        r.kind = type::array;
        r.elements = std::move(elements);
        return r;
    }
    static reply ok() { return status("OK"); }

    bool is_error() const noexcept { return kind == type::error; }

    friend bool operator==(const reply& a, const reply& b) {
        return a.kind == b.kind && a.integer == b.integer && a.text == b.text && a.elements == b.elements;
    }
    friend bool operator!=(const reply& a, const reply& b) { return !(a == b); }
};

namespace detail {
inline void append_resp(std::string& out, const reply& r) {
    switch (r.kind) {
        case reply::type::nil: out += "$-1\r\n"; break;
        case reply::type::integer: out += ':' + std::to_string(r.integer) + "\r\n"; break;
        case reply::type::bulk:
            out += '$' + std::to_string(r.text.size()) + "\r\n";
            out += r.text;
            out += "\r\n";
            break;
        case reply::type::status: out += '+' + r.text + "\r\n"; break;
        case reply::type::error: out += '-' + r.text + "\r\n"; break;
        case reply::type::array:
            out += '*' + std::to_string(r.elements.size()) + "\r\n";
            for (const reply& e : r.elements) append_resp(out, e);
            break;
    }
}
}  // namespace detail

// The RESP2 bytes of r. nil is written as a null bulk string ("$-1\r\n").
inline std::string to_resp(const reply& r) {
    std::string out;
    detail::append_resp(out, r);
    return out;
}

namespace detail {

// ASCII case-insensitive equality, as Redis compares command names and options (strcasecmp).
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// Redis's string2ll: an optional '-', digits, no leading zeros (except "0"), no spaces or '+',
// within long long. Returns false on anything else.
inline bool parse_long_long(std::string_view s, long long& out) noexcept {
    if (s.empty() || s.size() > 20) return false;
    std::size_t i = 0;
    bool negative = false;
    if (s[0] == '-') {
        negative = true;
        i = 1;
        if (s.size() == 1) return false;
    }
    if (s[i] == '0') {
        if (s.size() == i + 1 && !negative) {
            out = 0;
            return true;
        }
        return false;
    }
    unsigned long long v = 0;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (c < '0' || c > '9') return false;
        const unsigned long long d = static_cast<unsigned long long>(c - '0');
        if (v > (std::numeric_limits<unsigned long long>::max() - d) / 10) return false;
        v = v * 10 + d;
    }
    if (negative) {
        if (v > static_cast<unsigned long long>(std::numeric_limits<long long>::max()) + 1ull) return false;
        out = v == static_cast<unsigned long long>(std::numeric_limits<long long>::max()) + 1ull
                  ? std::numeric_limits<long long>::min()
                  : -static_cast<long long>(v);
    } else {
        if (v > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) return false;
        out = static_cast<long long>(v);
    }
    return true;
}

// Redis 7.0's getDoubleFromObject: strtod over the whole string, no leading space, no NaN, and an
// overflow or underflow to zero reported by ERANGE is an error. "inf", "+inf", "-inf" parse.
inline bool parse_double(std::string_view s, double& out) {
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
    const std::string buffer(s);  // strtod needs a terminator
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(buffer.c_str(), &end);
    if (static_cast<std::size_t>(end - buffer.c_str()) != buffer.size()) return false;
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0.0)) return false;
    if (std::isnan(v)) return false;
    out = v;
    return true;
}

// A double as Redis 7.0 replies it (addReplyDouble): "inf"/"-inf", else printf's %.17g.
inline std::string format_double(double d) {
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, "%.17g", d);
    return std::string(buffer, static_cast<std::size_t>(n));
}

// Error texts shared by every command family (Redis 7.0).
inline std::string wrong_arity(std::string_view command) {
    std::string lower(command);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return "ERR wrong number of arguments for '" + lower + "' command";
}
// Redis 7.0's reply to an unknown command: the name cut to 128 bytes, arguments quoted one by one
// while the list is shorter than 128 bytes (each cut to the room left), C-string semantics (a NUL
// byte ends an argument), and CR/LF turned into spaces.
inline std::string unknown_command(std::string_view command, const std::vector<std::string>& argv) {
    const auto c_string = [](std::string_view s, std::size_t limit) {
        s = s.substr(0, std::min(s.find('\0'), limit));
        return std::string(s);
    };
    std::string args;
    for (std::size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
        args += "'" + c_string(argv[i], 128 - args.size()) + "' ";
    }
    std::string message = "ERR unknown command '" + c_string(command, 128) + "', with args beginning with: " + args;
    for (char& c : message) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    return message;
}
inline constexpr const char* syntax_error = "ERR syntax error";
inline constexpr const char* not_an_integer = "ERR value is not an integer or out of range";
inline constexpr const char* not_a_float = "ERR value is not a valid float";

}  // namespace detail
}  // namespace redis
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_REDIS_REPLY_HPP
