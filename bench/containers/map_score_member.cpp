// Container benchmarks: bptree::map against std::map, absl::btree_map and the pbds tree, score_member keys.
#include "containers/container_ops.hpp"

namespace {
[[maybe_unused]] const bool registered = bptree_bench::add_suite(13, "map.score_member", [](std::size_t n) {
    bptree_bench::register_container_family<bptree_bench::map_kind, bptree_bench::score_member>(n);
});
}  // namespace
