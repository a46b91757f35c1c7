// File: bptree/error.hpp
// Layer: public value type. The exception the adaptors throw: what() is the exact error text that
// Redis (or RedisTimeSeries) replies for the same mistake.
#ifndef BPTREE_ERROR_HPP
#define BPTREE_ERROR_HPP

#include <stdexcept>
#include <string>

namespace bptree {

class error : public std::runtime_error {
public:
    explicit error(const std::string& message) : std::runtime_error(message) {}
    explicit error(const char* message) : std::runtime_error(message) {}
};

}  // namespace bptree

#endif  // BPTREE_ERROR_HPP
