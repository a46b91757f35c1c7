// Container benchmarks: bptree::map against std::map, absl::btree_map and the pbds tree, int64 keys.
#include "containers/container_ops.hpp"

namespace {
[[maybe_unused]] const bool registered = bptree_bench::add_suite(12, "map.int64", [](std::size_t n) {
    bptree_bench::register_container_family<bptree_bench::map_kind, std::int64_t>(n);
});
}  // namespace
