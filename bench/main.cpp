// bptree_bench: every container and adaptor benchmark in one Google Benchmark program.
//
// Our flags (Google Benchmark's own --benchmark_* flags work as usual):
//   --bptree_sizes=1000,100000,1000000   container sizes, run size by size
//   --bptree_latency=none|main|all       which operations get p50/p99/p999 (default: main)
//   --bptree_latency_budget=0.08         seconds of latency sampling per benchmark
//   --bptree_linear_cap=100000           largest n for O(n) peer operations (std rank/nth)
// The process exits with status 1 when any benchmark failed its checks.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "support/harness.hpp"
#include "support/progress.hpp"

namespace {

bool take_flag(const char* arg, const char* name, std::string& value) {
    const std::size_t len = std::strlen(name);
    if (std::strncmp(arg, name, len) != 0 || arg[len] != '=') return false;
    value = arg + len + 1;
    return true;
}

std::vector<std::size_t> parse_sizes(const std::string& text) {
    std::vector<std::size_t> sizes;
    std::size_t from = 0;
    while (from < text.size()) {
        std::size_t comma = text.find(',', from);
        if (comma == std::string::npos) comma = text.size();
        const std::string item = text.substr(from, comma - from);
        const double v = std::strtod(item.c_str(), nullptr);  // accepts 1e6
        if (v >= 1) sizes.push_back(static_cast<std::size_t>(v));
        from = comma + 1;
    }
    return sizes;
}

// Counts the registered benchmarks the filter selects, as Google Benchmark matches them.
std::size_t count_selected(const std::vector<std::string>& names, std::string filter) {
    if (filter.empty() || filter == "all") filter = ".";
    bool negate = false;
    if (filter[0] == '-') {
        negate = true;
        filter.erase(0, 1);
    }
    try {
        const std::regex re(filter, std::regex::extended);
        return static_cast<std::size_t>(std::count_if(names.begin(), names.end(), [&](const std::string& n) {
            return std::regex_search(n, re) != negate;
        }));
    } catch (const std::regex_error&) {
        return names.size();
    }
}

}  // namespace

int main(int argc, char** argv) {
    auto& opt = bptree_bench::options();
    std::string filter;
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        std::string v;
        if (take_flag(argv[i], "--bptree_sizes", v)) {
            opt.sizes = parse_sizes(v);
        } else if (take_flag(argv[i], "--bptree_latency", v)) {
            opt.latency = v == "all"    ? bptree_bench::latency_mode::all
                          : v == "none" ? bptree_bench::latency_mode::none
                                        : bptree_bench::latency_mode::main;
        } else if (take_flag(argv[i], "--bptree_latency_budget", v)) {
            opt.latency_budget_s = std::strtod(v.c_str(), nullptr);
        } else if (take_flag(argv[i], "--bptree_linear_cap", v)) {
            opt.linear_cap = std::strtoul(v.c_str(), nullptr, 10);
        } else {
            if (take_flag(argv[i], "--benchmark_filter", v)) filter = v;
            if (take_flag(argv[i], "--benchmark_min_time", v)) opt.min_time = std::strtod(v.c_str(), nullptr);
            rest.push_back(argv[i]);
        }
    }
    int rest_argc = static_cast<int>(rest.size());
    rest.push_back(nullptr);
    benchmark::Initialize(&rest_argc, rest.data());
    if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 2;

    auto& all = bptree_bench::suites();
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
    for (const std::size_t n : opt.sizes) {
        for (const auto& s : all) s.register_size(n);
    }
    bptree_bench::add_run_context();

    bptree_bench::progress_reporter progress(count_selected(bptree_bench::registered_names(), filter));
    benchmark::RunSpecifiedBenchmarks(&progress);
    benchmark::Shutdown();
    if (bptree_bench::registry().failures != 0 || progress.failed() != 0) {
        std::fprintf(stderr, "bptree_bench: %zu benchmark(s) FAILED (see above)\n",
                     std::max<std::size_t>(progress.failed(), 1));
        return 1;
    }
    return 0;
}
