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
        index = self._get_connection_pool_index(write)
        if index not in self._clients:  # built twice at worst: either one serves
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
