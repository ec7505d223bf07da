"""ASGI entry point served by Daphne: HTTP to Django, WebSocket to GraphQL subscriptions.

Django's app is built first, then the schema is imported (it needs models).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from config import gcpacer  # noqa: E402
from config.routing import websocket_application  # noqa: E402
from realtime import bus  # noqa: E402

bus.SERVING = True  # this process holds the sockets: publish straight to the channel layer
gcpacer.start()  # freeze the start-up heap; full collections only when quiet (config/gcpacer.py)

from schema import runtime  # noqa: E402

runtime.watch()  # custom-field changes of other processes: rebuilt within the second (schema/runtime.py)

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application})
