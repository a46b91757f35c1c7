// File: tools/redis_conformance/family.hpp
// Part of the Redis conformance tool's core. A command family (sorted sets, streams, time
// series...) plugs in with one generator file implementing `family` and one line in
// registry.cpp. The core drives it: it asks the family for commands, sends each to the real
// server and to family::execute, and compares the replies under the mode the family chose.
#ifndef BPTREE_TOOLS_REDIS_CONFORMANCE_FAMILY_HPP
#define BPTREE_TOOLS_REDIS_CONFORMANCE_FAMILY_HPP

#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "transcript.hpp"

namespace bptree_conformance {

// A command to send, and how its reply is to be compared (exact unless it is random).
struct generated_command {
    std::vector<std::string> argv;
    match_mode mode = match_mode::exact;
};

class family {
public:
    virtual ~family() = default;

    // The next command of a seeded random sequence. It may look at the local state (to aim at
    // members that exist) but must not change it.
    virtual generated_command next_command(std::mt19937_64& rng) = 0;

    // Runs a command against the family's local keyspace (bptree's side) and returns the reply.
    virtual bptree::redis::reply execute(const std::vector<std::string>& argv) = 0;

    // Drops every local key (the core flushes the server at the same time).
    virtual void reset() = 0;
};

struct family_entry {
    const char* name;  // as given to --family and written in transcripts' "# family:" header
    std::unique_ptr<family> (*make)();
};

// The registered families (registry.cpp).
const std::vector<family_entry>& registered_families();

// The family called `name`, or nullptr.
std::unique_ptr<family> make_family(std::string_view name);

// Replays a transcript's records through a family's local side. A FLUSHALL record (the core
// writes one whenever it flushed the server) resets the family. Returns an empty string when
// every reply matched, else the report of the first divergence.
inline std::string replay_transcript(family& fam, const transcript& t) {
    fam.reset();
    for (std::size_t i = 0; i < t.records.size(); ++i) {
        const record& r = t.records[i];
        if (!r.argv.empty() && bptree::redis::detail::iequals(r.argv[0], "FLUSHALL")) {
            fam.reset();
            continue;
        }
        const reply actual = fam.execute(r.argv);
        if (!matches(r.expected, actual, r.mode)) {
            return "record " + std::to_string(i + 1) + ":\n" + describe_divergence(r.argv, r.expected, actual, r.mode);
        }
    }
    return {};
}

}  // namespace bptree_conformance

#endif  // BPTREE_TOOLS_REDIS_CONFORMANCE_FAMILY_HPP
