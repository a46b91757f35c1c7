// Fuzz targets that are also ordinary tests (as unordered_dense's test/fuzz/run.h does it).
//
//   BPTREE_FUZZ_TARGET(name) { ... body over `data`, `size` ... }
//
// With BPTREE_FUZZ_LIBFUZZER defined (clang, -fsanitize=fuzzer) the body is libFuzzer's
// LLVMFuzzerTestOneInput. Otherwise (any compiler) it becomes a Catch2 test case that replays every
// file of the committed corpus, tests/fuzz/corpus/<name>/ (BPTREE_FUZZ_CORPUS_ROOT), in name order,
// and requires the corpus to be non-empty. A broken invariant anywhere calls fuzz_fail(), which
// prints what broke and aborts (libFuzzer saves the input as a crash; the replay test reports it).
#ifndef BPTREE_TESTS_FUZZ_FUZZ_RUN_HPP
#define BPTREE_TESTS_FUZZ_FUZZ_RUN_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace bptree_fuzz {

// The file being replayed (replay mode), for failure messages.
inline std::string& current_input() {
    static std::string name;
    return name;
}

[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "bptree fuzz: invariant broken: %s\n", what.c_str());
    if (!current_input().empty()) std::fprintf(stderr, "bptree fuzz: input %s\n", current_input().c_str());
    std::fflush(stderr);
    std::abort();
}

}  // namespace bptree_fuzz

#define BPTREE_FUZZ_CHECK(cond, what)                                                                                  \
    do {                                                                                                               \
        if (!(cond)) ::bptree_fuzz::fail(std::string(#cond) + ": " + std::string(what));                               \
    } while (false)

#if defined(BPTREE_FUZZ_LIBFUZZER)

#define BPTREE_FUZZ_TARGET(name)                                                                                       \
    static void bptree_fuzz_body_##name(const std::uint8_t* data, std::size_t size);                                   \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {                                \
        bptree_fuzz_body_##name(data, size);                                                                           \
        return 0;                                                                                                      \
    }                                                                                                                  \
    static void bptree_fuzz_body_##name(const std::uint8_t* data, std::size_t size)

#else

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace bptree_fuzz {

// Every regular file of tests/fuzz/corpus/<target>/, sorted by name.
inline std::vector<std::filesystem::path> corpus_files(const char* target) {
    const std::filesystem::path dir = std::filesystem::path(BPTREE_FUZZ_CORPUS_ROOT) / target;
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(dir)) {
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            if (e.is_regular_file()) files.push_back(e.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

template <class Body>
void replay_corpus(const char* target, Body body) {
    const auto files = corpus_files(target);
    INFO("corpus tests/fuzz/corpus/" << target);
    REQUIRE(!files.empty());
    for (const auto& f : files) {
        current_input() = f.string();
        const std::vector<std::uint8_t> bytes = read_file(f);
        body(bytes.data(), bytes.size());
    }
    current_input().clear();
    SUCCEED("replayed " << files.size() << " inputs");
}

}  // namespace bptree_fuzz

#define BPTREE_FUZZ_TARGET(name)                                                                                       \
    static void bptree_fuzz_body_##name(const std::uint8_t* data, std::size_t size);                                   \
    TEST_CASE("fuzz corpus replay: " #name, "[fuzz]") {                                                                \
        ::bptree_fuzz::replay_corpus(#name,                                                                            \
                                     [](const std::uint8_t* d, std::size_t n) { bptree_fuzz_body_##name(d, n); });     \
    }                                                                                                                  \
    static void bptree_fuzz_body_##name(const std::uint8_t* data, std::size_t size)

#endif

#endif  // BPTREE_TESTS_FUZZ_FUZZ_RUN_HPP
