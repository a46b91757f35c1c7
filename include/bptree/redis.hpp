// File: bptree/redis.hpp
// Layer: public command layer. execute(slot, argv) runs one Redis command on one key's slot and
// returns the reply Redis 7.0 (or RedisTimeSeries 1.10) would give; to_resp() encodes a reply as
// RESP2. See API.md section 3 and the README's command-coverage tables.
#ifndef BPTREE_REDIS_HPP
#define BPTREE_REDIS_HPP

#include "bptree/detail/redis/reply.hpp"
#include "bptree/detail/redis/stream_commands.hpp"
#include "bptree/detail/redis/ts_commands.hpp"
#include "bptree/detail/redis/zset_commands.hpp"

#endif  // BPTREE_REDIS_HPP
