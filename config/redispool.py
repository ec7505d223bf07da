"""One Redis connection pool per process for Django's cache, instead of one per request.

Django keeps a cache object per async context (`caches` is an asgiref `Local`), so under
ASGI every request builds a new `RedisCacheClient`, a new `ConnectionPool` and a new
socket: connect, `CLIENT SETINFO` twice (redis-py reads its own version from the
installed packages' metadata each time), the commands, and a close when the pool is
collected. The token check and the custom-field version read made this about a tenth of
a GraphQL request's time on the server (docs/benchmarks.md, "Where a request's CPU goes").
`CACHES[...]["OPTIONS"]["pool_class"]` names this class; Django calls `from_url` per new
client, and gets the pool already made for the same address and options. redis-py's pool
is thread-safe and starts afresh in a forked child (it checks the process id).
"""

from __future__ import annotations

import threading
from typing import Any

import redis

_pools: dict[tuple[str, str], redis.ConnectionPool] = {}
_lock = threading.Lock()


class SharedConnectionPool(redis.ConnectionPool):
    """`from_url` hands back the process's pool for that address and those options."""

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> redis.ConnectionPool:
        key = (url, repr(sorted(kwargs.items(), key=lambda item: item[0])))
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = super().from_url(url, **kwargs)
        return pool
