// File: bptree/bptree.hpp
// The umbrella header: every public type of bptree.
#ifndef BPTREE_BPTREE_HPP
#define BPTREE_BPTREE_HPP

#include "bptree/error.hpp"
#include "bptree/fwd.hpp"
#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "bptree/sorted_set.hpp"
#include "bptree/stream.hpp"
#include "bptree/time_series.hpp"
#include "bptree/traits.hpp"
#include "bptree/tree_stats.hpp"

#endif  // BPTREE_BPTREE_HPP
