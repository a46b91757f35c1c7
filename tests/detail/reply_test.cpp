// The shared command-layer rules: RESP2 encoding, Redis's integer and double parsing and
// formatting, and the unknown-command text (checked against redis-server 7.0.15).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "bptree/detail/redis/reply.hpp"

using bptree::redis::reply;
namespace rd = bptree::redis::detail;

TEST_CASE("replies encode as RESP2", "[reply]") {
    CHECK(bptree::redis::to_resp(reply::from_integer(-7)) == ":-7\r\n");
    CHECK(bptree::redis::to_resp(reply::bulk("a\r\nb")) == "$4\r\na\r\nb\r\n");
    CHECK(bptree::redis::to_resp(reply::status("OK")) == "+OK\r\n");
    CHECK(bptree::redis::to_resp(reply::error("ERR x")) == "-ERR x\r\n");
    CHECK(bptree::redis::to_resp(reply::nil()) == "$-1\r\n");
    CHECK(bptree::redis::to_resp(reply::array({reply::bulk("x"), reply::nil(), reply::array()})) ==
          "*3\r\n$1\r\nx\r\n$-1\r\n*0\r\n");
}

TEST_CASE("integers parse as Redis's string2ll does", "[reply]") {
    long long v = 0;
    CHECK(rd::parse_long_long("0", v));
    CHECK(v == 0);
    CHECK(rd::parse_long_long("-9223372036854775808", v));
    CHECK(v == std::numeric_limits<long long>::min());
    CHECK(rd::parse_long_long("9223372036854775807", v));
    for (const char* bad : {"", "-", "+1", " 1", "1 ", "01", "-0", "9223372036854775808", "1e3", "0x10"}) {
        INFO(bad);
        CHECK_FALSE(rd::parse_long_long(bad, v));
    }
}

TEST_CASE("doubles parse and format as Redis 7.0 does", "[reply]") {
    double d = 0;
    CHECK(rd::parse_double("inf", d));
    CHECK(std::isinf(d));
    CHECK(rd::parse_double("-1.5e3", d));
    CHECK(d == -1500);
    for (const char* bad : {"", " 1", "1 ", "nan", "abc", "1e999", "1e-999"}) {
        INFO(bad);
        CHECK_FALSE(rd::parse_double(bad, d));
    }
    CHECK(rd::format_double(0.1) == "0.10000000000000001");
    CHECK(rd::format_double(3) == "3");
    CHECK(rd::format_double(-std::numeric_limits<double>::infinity()) == "-inf");
}

TEST_CASE("the unknown-command error is cut and cleaned as Redis 7.0 does it", "[reply]") {
    const std::string a200(200, 'a');
    CHECK(rd::unknown_command("FOOBAR", {"FOOBAR", a200, "x"}) ==
          "ERR unknown command 'FOOBAR', with args beginning with: '" + std::string(128, 'a') + "' ");
    CHECK(rd::unknown_command("FOOBAR", {"FOOBAR", std::string(100, 'b'), std::string(50, 'c'), "d"}) ==
          "ERR unknown command 'FOOBAR', with args beginning with: '" + std::string(100, 'b') + "' '" +
              std::string(25, 'c') + "' ");
    CHECK(rd::unknown_command("FOO", {"FOO", "x\ny", "z"}) ==
          "ERR unknown command 'FOO', with args beginning with: 'x y' 'z' ");
    CHECK(rd::unknown_command("FOO", {"FOO"}) == "ERR unknown command 'FOO', with args beginning with: ");
}
