// Container benchmarks: bptree::set against std::set, absl::btree_set and the pbds tree, score_member keys.
#include "containers/container_ops.hpp"

namespace {
[[maybe_unused]] const bool registered = bptree_bench::add_suite(11, "set.score_member", [](std::size_t n) {
    bptree_bench::register_container_family<bptree_bench::set_kind, bptree_bench::score_member>(n);
});
}  // namespace
