// bad_input_live: checks the "Redis 7.0.15" column of the bad-input table against a real
// redis-server. For every sorted-set and stream row that the table compares, it flushes the
// server, runs the row's setup commands and then its command, and requires the reply to be the
// one the row states: bptree's expected reply ("same") or the different reply the row names.
// Run through scripts/redis-conformance.sh, which starts a throwaway server and appends --port N
// (the redis-live:bad_input test does this; it is skipped when redis-server is not installed).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "bad_input_cases.hpp"
#include "resp_client.hpp"

namespace {

using namespace bad_input;

// The reply the row says Redis gives.
std::string redis_expectation(const row& r) { return r.redis == redis_check::differs ? r.redis_reply : r.expected; }

// Runs one row on the server; returns an empty string when Redis replied as the row states.
std::string check_row(bptree_conformance::resp_client& client, const row& r) {
    client.call({"FLUSHALL"});
    for (const auto& cmd : r.setup) {
        const reply s = client.call(cmd);
        if (s.kind == reply::type::error) return "setup " + command_line(cmd) + " failed: " + render(s);
    }
    const std::string got = render(client.call(r.argv));
    const std::string want = redis_expectation(r);
    return got == want ? std::string() : "Redis replied " + got + ", the table says " + want;
}

}  // namespace

int main(int argc, char** argv) {
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--port") == 0) port = std::atoi(argv[i + 1]);
    }
    if (port <= 0) {
        std::fprintf(stderr, "usage: %s --port N   (see scripts/redis-conformance.sh)\n", argv[0]);
        return 2;
    }
    try {
        bptree_conformance::resp_client client("127.0.0.1", port);
        int compared = 0;
        int failed = 0;
        for (const row& r : rows()) {
            if ((r.fam != family::zset && r.fam != family::stream) || r.redis == redis_check::not_compared) continue;
            ++compared;
            const std::string problem = check_row(client, r);
            if (!problem.empty()) {
                ++failed;
                std::printf("MISMATCH %s: %s\n", command_line(r.argv).c_str(), problem.c_str());
            }
        }
        std::printf("bad_input_live: %d rows compared with redis-server, %d mismatches\n", compared, failed);
        return failed == 0 && compared > 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bad_input_live: %s\n", e.what());
        return 1;
    }
}
