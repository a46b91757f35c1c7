// Container benchmarks: bptree::set against std::set, absl::btree_set and the pbds tree, int64 keys.
#include "containers/container_ops.hpp"

namespace {
[[maybe_unused]] const bool registered = bptree_bench::add_suite(10, "set.int64", [](std::size_t n) {
    bptree_bench::register_container_family<bptree_bench::set_kind, std::int64_t>(n);
});
}  // namespace
