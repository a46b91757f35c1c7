// Decoding fuzz input: a byte reader for the container target (operations and operands) and a
// line-and-word splitter for the command-layer targets (argv vectors), both total functions of
// the input (any bytes decode to something; running out of bytes reads zeros).
#ifndef BPTREE_TESTS_FUZZ_BYTE_READER_HPP
#define BPTREE_TESTS_FUZZ_BYTE_READER_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bptree_fuzz {

class byte_reader {
public:
    byte_reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    bool empty() const noexcept { return pos_ >= size_; }
    std::uint8_t u8() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }
    std::uint16_t u16() noexcept {
        const std::uint16_t lo = u8();
        return static_cast<std::uint16_t>(lo | (u8() << 8));
    }
    // A value in [0, n) (n > 0), from one or two bytes.
    std::size_t below(std::size_t n) noexcept { return n <= 256 ? u8() % n : u16() % n; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

// Commands, one per line ('\n'); arguments separated by one space (so two spaces make an empty
// argument); every other byte, NUL and non-UTF-8 included, is part of an argument. At most
// max_commands commands of at most max_args arguments each.
inline std::vector<std::vector<std::string>> split_commands(const std::uint8_t* data, std::size_t size,
                                                            std::size_t max_commands, std::size_t max_args) {
    std::vector<std::vector<std::string>> commands;
    std::vector<std::string> argv;
    std::string arg;
    bool in_line = false;
    const auto end_line = [&] {
        if (in_line) {
            argv.push_back(arg);
            if (argv.size() <= max_args) commands.push_back(argv);
        }
        argv.clear();
        arg.clear();
        in_line = false;
    };
    for (std::size_t i = 0; i < size && commands.size() < max_commands; ++i) {
        const char c = static_cast<char>(data[i]);
        if (c == '\n') {
            end_line();
        } else if (c == ' ') {
            argv.push_back(arg);
            arg.clear();
            in_line = true;
        } else {
            arg.push_back(c);
            in_line = true;
        }
    }
    if (commands.size() < max_commands) end_line();
    return commands;
}

}  // namespace bptree_fuzz

#endif  // BPTREE_TESTS_FUZZ_BYTE_READER_HPP
