// A tiny checker shared by the examples: each example verifies what it prints, so CI catches an
// example that no longer does what docs/usage.md says (scripts/test-lanes/examples.sh runs them).
#ifndef BPTREE_EXAMPLES_CHECK_HPP
#define BPTREE_EXAMPLES_CHECK_HPP

#include <cstdio>
#include <cstdlib>

#define EXAMPLE_CHECK(cond)                                                                                            \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                              \
            std::exit(1);                                                                                              \
        }                                                                                                              \
    } while (false)

#endif  // BPTREE_EXAMPLES_CHECK_HPP
