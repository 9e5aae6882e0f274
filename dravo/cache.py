"""Django's Redis cache, with one client per connection pool.

Django's own backend builds a new `redis.Redis` on every cache call, and each one fills
a table of several hundred response callbacks: about a fifth of a millisecond of CPU
per `cache.get`, paid on every API request that reads the cache. Every command of a
`redis.Redis` borrows a connection from its pool, so one client per pool serves every
request of the process at once.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
