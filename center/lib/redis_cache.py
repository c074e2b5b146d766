"""Django's Redis cache, with one client object per connection pool instead of one per call.

Django builds a new `redis.Redis` for every cache operation; with redis-py 8 that
construction (its response-callback tables) costs more than the network round trip, and the
anonymous page cache does two operations per request. Clients are thread-safe and share the
pool, so reusing them changes nothing else.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
