// The shared loop of the command-layer fuzz targets: argv vectors decoded from the input
// (byte_reader.hpp's split_commands) run through bptree::redis::execute on two slots whose objects
// use different backends. After every command:
//   - no exception escapes execute (every failure is an error reply);
//   - each object still satisfies verify();
//   - an error reply left each slot exactly as it was (a full dump before and after: every entry
//     with its exact bits, the counters and the per-object metadata);
//   - both backends gave the same RESP bytes (unless the command's reply is documented to depend
//     on the backend, e.g. memory figures).
#ifndef BPTREE_TESTS_FUZZ_COMMAND_FUZZ_HPP
#define BPTREE_TESTS_FUZZ_COMMAND_FUZZ_HPP

#include <cctype>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "bptree/redis.hpp"
#include "byte_reader.hpp"
#include "fuzz_run.hpp"

namespace bptree_fuzz {

using argv_type = std::vector<std::string>;

inline bool iequal(const std::string& a, const char* b) {
    std::size_t i = 0;
    for (; i < a.size() && b[i] != '\0'; ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return i == a.size() && b[i] == '\0';
}

inline std::string printable(const argv_type& argv) {
    std::string out;
    for (const auto& a : argv) {
        if (!out.empty()) out += ' ';
        for (unsigned char c : a) {
            if (c >= 0x20 && c < 0x7f) {
                out += static_cast<char>(c);
            } else {
                static const char hex[] = "0123456789abcdef";
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
    }
    return out;
}

// One command on one slot, with the checks of the file comment except the differential one.
template <class Slot, class Exec, class Dump>
bptree::redis::reply checked_execute(Slot& slot, const argv_type& argv, Exec&& exec, Dump&& dump, const char* backend) {
    const std::string before = dump(slot);
    bptree::redis::reply r;
    try {
        r = exec(slot, argv);
    } catch (const std::exception& e) {
        fail(std::string(backend) + ": exception escaped execute(" + printable(argv) + "): " + e.what());
    }
    if (slot) {
        try {
            slot->verify();
        } catch (const std::logic_error& e) {
            fail(std::string(backend) + ": verify() after " + printable(argv) + ": " + e.what());
        }
    }
    if (r.kind == bptree::redis::reply::type::error && dump(slot) != before) {
        fail(std::string(backend) + ": the error reply '" + r.text + "' to " + printable(argv) + " changed the object");
    }
    return r;
}

}  // namespace bptree_fuzz

#endif  // BPTREE_TESTS_FUZZ_COMMAND_FUZZ_HPP
