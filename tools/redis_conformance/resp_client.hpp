// File: tools/redis_conformance/resp_client.hpp
// Part of the Redis conformance tool's core: a blocking RESP2 client over one TCP connection to a
// server on this machine. send() writes commands (several may be pipelined before reading),
// read_reply() parses one reply into bptree::redis::reply (null bulk and null array: nil).
#ifndef BPTREE_TOOLS_REDIS_CONFORMANCE_RESP_CLIENT_HPP
#define BPTREE_TOOLS_REDIS_CONFORMANCE_RESP_CLIENT_HPP

#include <string>
#include <vector>

#include "bptree/detail/redis/reply.hpp"

namespace bptree_conformance {

class resp_client {
public:
    // Connects to host:port (an IPv4 address such as 127.0.0.1), retrying for up to
    // `wait_seconds` while the server starts. Throws std::runtime_error on failure.
    resp_client(const std::string& host, int port, double wait_seconds = 5.0);
    ~resp_client();
    resp_client(const resp_client&) = delete;
    resp_client& operator=(const resp_client&) = delete;

    // Queues a command as a RESP array of bulk strings; flush() or read_reply() sends the queue.
    void send(const std::vector<std::string>& argv);
    void flush();
    bptree::redis::reply read_reply();

    // send + read_reply.
    bptree::redis::reply call(const std::vector<std::string>& argv);

private:
    char next_byte();
    std::string read_line();
    std::string read_exact(std::size_t n);
    bptree::redis::reply parse();

    int fd_ = -1;
    std::string out_;
    std::vector<char> in_;
    std::size_t in_pos_ = 0;
    std::size_t in_end_ = 0;
};

}  // namespace bptree_conformance

#endif  // BPTREE_TOOLS_REDIS_CONFORMANCE_RESP_CLIENT_HPP
