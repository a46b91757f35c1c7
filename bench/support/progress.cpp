// Benchmark support: the progress reporter (see progress.hpp).
#include "support/progress.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "support/harness.hpp"

namespace bptree_bench {

namespace {

std::vector<std::string> split_name(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (;;) {
        const std::size_t slash = name.find('/', from);
        parts.push_back(name.substr(from, slash - from));
        if (slash == std::string::npos) break;
        from = slash + 1;
    }
    return parts;
}

// Our names have four components, op/family/impl/n; Google Benchmark appends its own ones
// ("/min_time:0.003", "/manual_time"), which the display leaves out.
std::string display_name(const std::string& name) {
    int slashes = 0;
    for (std::size_t pos = name.find('/'); pos != std::string::npos; pos = name.find('/', pos + 1)) {
        if (++slashes == 4) return name.substr(0, pos);
    }
    return name;
}

double counter(const benchmark::BenchmarkReporter::Run& r, const char* name, double fallback = -1) {
    const auto it = r.counters.find(name);
    return it == r.counters.end() ? fallback : static_cast<double>(it->second);
}

}  // namespace

bool progress_reporter::ReportContext(const Context& context) {
    std::printf("bptree benchmarks: %zu to run on %d CPUs at %.0f MHz", total_, context.cpu_info.num_cpus,
                context.cpu_info.cycles_per_second / 1e6);
    if (context.cpu_info.scaling == benchmark::CPUInfo::ENABLED) std::printf(" (CPU frequency scaling is on)");
    std::printf("\n");
    std::fflush(stdout);
    return true;
}

void progress_reporter::ReportRuns(const std::vector<Run>& reports) {
    // One line per benchmark: its median aggregate when there are repetitions, else its run.
    const Run* shown = nullptr;
    const Run* error = nullptr;
    for (const Run& r : reports) {
        if (r.error_occurred) error = &r;
        if (r.run_type == Run::RT_Aggregate) {
            if (r.aggregate_name == "median") shown = &r;
        } else if (shown == nullptr || shown->run_type != Run::RT_Aggregate) {
            shown = &r;
        }
    }
    const Run* r = error ? error : shown;
    if (r == nullptr) return;
    const std::string name = display_name(r->run_name.str());
    if (!seen_.insert(name).second && !error) return;  // repetitions reported one by one
    if (seen_.size() > done_) done_ = seen_.size();

    const auto elapsed = static_cast<long>(seconds_between(start_, bench_clock::now()));
    char head[64];
    std::snprintf(head, sizeof head, "[%4zu/%zu %3ld:%02ld]", done_, total_, elapsed / 60, elapsed % 60);
    if (error) {
        ++failed_;
        std::printf("%s %-52s FAILED: %s\n", head, name.c_str(), r->error_message.c_str());
        std::fflush(stdout);
        return;
    }

    const double ns = counter(*r, "ns_per_op");
    const auto parts = split_name(name);
    if (parts.size() == 4 && parts[2] == "std" && ns > 0) {
        registry().std_ns_per_op[comparison_key(parts[0], parts[1], std::stoul(parts[3]))] = ns;
    }
    std::string extra;
    char buf[96];
    const double p99 = counter(*r, "p99_ns");
    if (p99 >= 0) {
        std::snprintf(buf, sizeof buf, "  p50 %.0f p99 %.0f p999 %.0f ns", counter(*r, "p50_ns"), p99,
                      counter(*r, "p999_ns"));
        extra += buf;
    }
    const double bytes = counter(*r, "bytes_per_entry");
    const double heap = counter(*r, "heap_bytes_per_entry");
    if (bytes >= 0) {
        std::snprintf(buf, sizeof buf, "  %.1f B/entry", bytes);
        extra += buf;
    } else if (heap >= 0) {
        std::snprintf(buf, sizeof buf, "  %.1f heap B/entry", heap);
        extra += buf;
    }
    const double vs = counter(*r, "vs_std");
    if (vs > 0) {
        std::snprintf(buf, sizeof buf, "  %.2fx std", vs);
        extra += buf;
    }
    std::printf("%s %-52s %10.1f ns/op%s\n", head, name.c_str(), ns, extra.c_str());
    std::fflush(stdout);
}

void progress_reporter::Finalize() {
    const auto elapsed = static_cast<long>(seconds_between(start_, bench_clock::now()));
    std::printf("bptree benchmarks: %zu run in %ld:%02ld, %zu failed\n", done_, elapsed / 60, elapsed % 60,
                failed_);
    std::fflush(stdout);
}

}  // namespace bptree_bench
