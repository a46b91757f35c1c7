// File: tools/redis_conformance/main.cpp
// The Redis conformance tool: drives a real redis-server (started on 127.0.0.1 by
// scripts/redis-conformance.sh) and bptree's command layer with the same seeded random command
// sequence and stops at the first reply that differs, printing the command and both replies.
//
//   redis_conformance --port N [--family zset] [--seed S|fresh] [--commands K] [--seconds T]
//                     [--reset-every R] [--record FILE]      live differential
//   redis_conformance --replay FILE                          replay a transcript locally
//
// Exit status: 0 all replies matched, 1 a divergence, 2 a usage or connection error.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <unistd.h>

#include "family.hpp"
#include "resp_client.hpp"
#include "transcript.hpp"

namespace {

using namespace bptree_conformance;

struct options {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string family = "zset";
    std::uint64_t seed = 1;
    bool fresh_seed = false;
    long long commands = 2000;
    double seconds = 25.0;
    long long reset_every = 1000;
    std::string record_path;
    std::string replay_path;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "redis_conformance: " << problem << "\n"
              << "usage: redis_conformance --port N [--family NAME] [--seed S|fresh] [--commands K]\n"
              << "                         [--seconds T] [--reset-every R] [--record FILE]\n"
              << "       redis_conformance --replay FILE\n";
    std::exit(2);
}

options parse_options(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage("missing value after " + arg);
            return argv[++i];
        };
        if (arg == "--port") {
            o.port = std::stoi(value());
        } else if (arg == "--host") {
            o.host = value();
        } else if (arg == "--family") {
            o.family = value();
        } else if (arg == "--seed") {
            const std::string s = value();
            o.fresh_seed = s == "fresh";
            if (!o.fresh_seed) o.seed = std::stoull(s);
        } else if (arg == "--commands") {
            o.commands = std::stoll(value());
        } else if (arg == "--seconds") {
            o.seconds = std::stod(value());
        } else if (arg == "--reset-every") {
            o.reset_every = std::stoll(value());
        } else if (arg == "--record") {
            o.record_path = value();
        } else if (arg == "--replay") {
            o.replay_path = value();
        } else {
            usage("unknown argument " + arg);
        }
    }
    return o;
}

void save_transcript(const std::string& path, const transcript& t) {
    if (path.empty()) return;
    std::ofstream out(path);
    write_transcript(out, t);
}

int replay(const options& o) {
    std::ifstream in(o.replay_path);
    if (!in) usage("cannot read " + o.replay_path);
    const transcript t = read_transcript(in);
    const std::string name = t.header("family");
    auto fam = make_family(name);
    if (!fam) usage("unknown family '" + name + "' in " + o.replay_path);
    const std::string failure = replay_transcript(*fam, t);
    if (!failure.empty()) {
        std::cerr << "DIVERGENCE in " << o.replay_path << ", " << failure;
        return 1;
    }
    std::cout << t.records.size() << " passed, 0 failed\n";
    return 0;
}

int live(options o) {
    if (o.port == 0) usage("--port is required");
    auto fam = make_family(o.family);
    if (!fam) usage("unknown family " + o.family);
    if (o.fresh_seed) {
        const auto now = std::chrono::system_clock::now().time_since_epoch().count();
        o.seed = static_cast<std::uint64_t>(now) ^ (static_cast<std::uint64_t>(::getpid()) << 32);
    }
    std::cout << "family " << o.family << ", seed " << o.seed << " (rerun with --seed " << o.seed << ")" << std::endl;

    resp_client server(o.host, o.port);
    const reply version = server.call({"INFO", "server"});
    std::string server_version = "unknown";
    if (const auto at = version.text.find("redis_version:"); at != std::string::npos) {
        server_version = version.text.substr(at + 14, version.text.find('\r', at) - at - 14);
    }

    transcript t;
    t.headers = {{"family", o.family}, {"seed", std::to_string(o.seed)}, {"server", "redis " + server_version}};
    std::mt19937_64 rng(o.seed);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.seconds);
    server.call({"FLUSHALL"});
    long long compared = 0;
    for (; compared < o.commands && std::chrono::steady_clock::now() < deadline; ++compared) {
        if (o.reset_every > 0 && compared > 0 && compared % o.reset_every == 0) {
            server.call({"FLUSHALL"});
            fam->reset();
            t.records.push_back({{"FLUSHALL"}, reply::ok(), match_mode::exact});
        }
        const generated_command command = fam->next_command(rng);
        const reply expected = server.call(command.argv);
        const reply actual = fam->execute(command.argv);
        t.records.push_back({command.argv, expected, command.mode});
        if (!matches(expected, actual, command.mode)) {
            save_transcript(o.record_path, t);  // with the diverging record last
            std::cerr << "DIVERGENCE after " << compared << " matching commands (seed " << o.seed << ")\n"
                      << describe_divergence(command.argv, expected, actual, command.mode);
            return 1;
        }
    }
    save_transcript(o.record_path, t);
    std::cout << compared << " passed, 0 failed (commands compared with " << server_version << ")\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const options o = parse_options(argc, argv);
        return o.replay_path.empty() ? live(o) : replay(o);
    } catch (const std::exception& e) {
        std::cerr << "redis_conformance: " << e.what() << "\n";
        return 2;
    }
}
