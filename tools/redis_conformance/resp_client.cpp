// File: tools/redis_conformance/resp_client.cpp
// The RESP2 client of the conformance tool (POSIX sockets).
#include "resp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace bptree_conformance {

using bptree::redis::reply;

resp_client::resp_client(const std::string& host, int port, double wait_seconds) : in_(1 << 16) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) throw std::runtime_error("bad IPv4 address: " + host);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
    for (;;) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) break;
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        if (std::chrono::steady_clock::now() >= deadline) {
            throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(err));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

resp_client::~resp_client() {
    if (fd_ >= 0) ::close(fd_);
}

void resp_client::send(const std::vector<std::string>& argv) {
    out_ += '*' + std::to_string(argv.size()) + "\r\n";
    for (const std::string& a : argv) {
        out_ += '$' + std::to_string(a.size()) + "\r\n";
        out_ += a;
        out_ += "\r\n";
    }
}

void resp_client::flush() {
    std::size_t sent = 0;
    while (sent < out_.size()) {
        const ssize_t n = ::send(fd_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("send: ") + std::strerror(errno));
        }
        sent += static_cast<std::size_t>(n);
    }
    out_.clear();
}

reply resp_client::read_reply() {
    flush();
    return parse();
}

reply resp_client::call(const std::vector<std::string>& argv) {
    send(argv);
    return read_reply();
}

char resp_client::next_byte() {
    if (in_pos_ == in_end_) {
        ssize_t n = 0;
        do {
            n = ::recv(fd_, in_.data(), in_.size(), 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0) throw std::runtime_error(std::string("recv: ") + std::strerror(errno));
        if (n == 0) throw std::runtime_error("the server closed the connection");
        in_pos_ = 0;
        in_end_ = static_cast<std::size_t>(n);
    }
    return in_[in_pos_++];
}

std::string resp_client::read_line() {
    std::string line;
    for (char c = next_byte(); c != '\r'; c = next_byte()) line += c;
    if (next_byte() != '\n') throw std::runtime_error("RESP: CR without LF");
    return line;
}

std::string resp_client::read_exact(std::size_t n) {
    std::string s;
    s.reserve(n);
    while (s.size() < n) s += next_byte();
    return s;
}

reply resp_client::parse() {
    const char type = next_byte();
    const std::string line = read_line();
    switch (type) {
        case '+': return reply::status(line);
        case '-': return reply::error(line);
        case ':': return reply::from_integer(std::stoll(line));
        case '$': {
            const long long n = std::stoll(line);
            if (n < 0) return reply::nil();
            std::string body = read_exact(static_cast<std::size_t>(n));
            if (read_exact(2) != "\r\n") throw std::runtime_error("RESP: bulk string without CRLF");
            return reply::bulk(std::move(body));
        }
        case '*': {
            const long long n = std::stoll(line);
            if (n < 0) return reply::nil();
            std::vector<reply> elements;
            elements.reserve(static_cast<std::size_t>(n));
            for (long long i = 0; i < n; ++i) elements.push_back(parse());
            return reply::array(std::move(elements));
        }
        default: throw std::runtime_error(std::string("RESP: unknown type byte '") + type + "'");
    }
}

}  // namespace bptree_conformance
