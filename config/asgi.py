"""ASGI entry point served by Daphne: HTTP to Django, WebSocket to GraphQL subscriptions.

Django's app is built first, then the schema is imported (it needs models). GraphQL POSTs
cross to a worker thread once per request (config/onehop.py); the rest is Django's handler.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)  # what get_asgi_application() does before building its handler

from django.core.handlers.asgi import ASGIHandler  # noqa: E402

from config.onehop import OneHopASGIHandler  # noqa: E402

# Django's handler, with GraphQL POSTs in one thread hop (config/onehop.py); ONEMST_HTTP_ONE_HOP=0
# serves them with Django's own handler (to compare, bench/request_overhead_ab.py).
one_hop = os.environ.get("ONEMST_HTTP_ONE_HOP", "1") == "1"
django_asgi_app = OneHopASGIHandler() if one_hop else ASGIHandler()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from config import content_type_cache, gcpacer, raw_request_body  # noqa: E402
from config.routing import websocket_application  # noqa: E402
from realtime import bus  # noqa: E402

bus.SERVING = True  # this process holds the sockets: publish straight to the channel layer
content_type_cache.install()  # Twisted parses each request's Content-Type anew (config/content_type_cache.py)
if os.environ.get("ONEMST_RAW_REQUEST_BODY", "1") == "1":  # =0 only to compare (bench/faces_http_ab.py)
    raw_request_body.install()  # Twisted parses form bodies into args Daphne never reads
gcpacer.start()  # freeze the start-up heap; full collections only when quiet (config/gcpacer.py)

from schema import runtime  # noqa: E402

runtime.watch()  # custom-field changes of other processes: rebuilt within the second (schema/runtime.py)

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application})
