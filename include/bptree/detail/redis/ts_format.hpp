// File: bptree/detail/redis/ts_format.hpp
// Layer: command layer support (time series). How RedisTimeSeries 1.10/1.12 writes a sample value
// in a RESP2 reply: a simple string ('+...') made by its patched Dragonbox to_chars
// (RedisTimeSeries src/reply.c ReplyWithDoubleOrString -> deps/dragonbox/dragonbox.cpp
// dragonbox_double_to_chars), not Redis's "%.17g" bulk string. The rules, read from that code:
//   NaN -> "NaN"; +-inf -> "Infinity" / "-Infinity"; +-0 -> "0" / "-0";
//   otherwise the shortest round-trip digits, written
//     in fixed notation without trailing zeros ("40", "156.5", "-3.25") when Dragonbox's decimal
//       exponent is in [-16, 0] and the value is >= 1 in magnitude: that is every |v| in
//       [1, 2^52), and in [2^52, 2^56) every value whose shortest form is not a multiple of 10;
//     else in scientific notation with a capital E and no '+' or padding: "5E-1" (0.5),
//       "1.5E-3", "1E20", "1.7976931348623157E308".
// Shortest digits come from std::to_chars, which (like Dragonbox) gives the shortest correctly
// rounded round-trip representation.
// Includes: standard headers only.
#ifndef BPTREE_DETAIL_REDIS_TS_FORMAT_HPP
#define BPTREE_DETAIL_REDIS_TS_FORMAT_HPP

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis::detail {

inline std::string format_ts_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    std::string out = std::signbit(v) ? "-" : "";
    const double magnitude = std::fabs(v);
    if (magnitude == 0) return out + "0";

    char buffer[64];
    const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof buffer, magnitude, std::chars_format::scientific);
    const std::string text(buffer, r.ptr);  // "d[.ddd]e(+|-)xx"
    const std::size_t e = text.find('e');
    std::string digits = text.substr(0, 1) + (e > 1 ? text.substr(2, e - 2) : std::string());
    const int exponent = std::atoi(text.c_str() + e + 1);
    const int point = exponent + 1;  // digits before the decimal point
    const int length = static_cast<int>(digits.size());

    const double two52 = 4503599627370496.0, two56 = 72057594037927936.0;
    const bool fixed = point > 0 && (magnitude < two52 || (magnitude < two56 && length >= point));
    if (fixed) {
        if (length <= point) return out + digits + std::string(static_cast<std::size_t>(point - length), '0');
        return out + digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
    }
    out += digits[0];
    if (length > 1) out += "." + digits.substr(1);
    out += "E";
    if (exponent < 0) out += "-";
    return out + std::to_string(std::abs(exponent));
}

}  // namespace redis::detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_REDIS_TS_FORMAT_HPP
