"""A live subscription as data: the group it listens to, the events a subscriber gets, what it yields.

A subscription written as a hand-made async generator costs one task wake-up, one
queue hop and one serialisation per subscriber and event. Declared as a `Feed`, the
same subscription can also be served by the hub's fan-out loop (realtime/broadcast.py):
each subscriber is a plain callback, one rendered payload is shared by every
subscriber of the same document, and 5,000 sockets are written in one pass. The stock
GraphQL path runs the very same Feed as an async generator (`Feed.stream`), so both
paths deliver the same events to the same people.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from .hub import hub
from .visibility import LiveRule

Message = dict[str, Any]


@dataclass
class Feed:
    group: str
    accepts: Callable[[Message], bool]  # cheap filters: event type, unit, id
    to_event: Callable[[Message], Any]  # the GraphQL object yielded; shared by every subscriber
    rule: LiveRule | None = None  # who may see the record, when the event is about one

    async def stream(self) -> AsyncIterator[Any]:
        """The events, in order. Once the group is joined, the operation's `on_listening`
        hook (if its transport set one) tells the client that it can no longer miss one."""
        async with hub.listen(self.group) as messages:
            announce = on_listening.get()
            if announce is not None:
                await announce()
            while True:
                message = await messages.get()
                if not self.accepts(message):
                    continue
                if self.rule is not None and not await self.rule.allows(message):
                    continue
                yield self.to_event(message)


FeedPreparer = Callable[..., Awaitable[Feed]]

# Set by the socket handler for the task that runs one operation (realtime/broadcast.py):
# graphql-core iterates the subscription in that task, so the stream finds it here.
on_listening: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar("on_listening", default=None)


def feed_resolver(prepare: FeedPreparer, event_type: Any) -> Callable[..., AsyncGenerator[Any, None]]:
    """A subscription resolver from `prepare(info, **arguments) -> Feed`.

    The resolver has prepare's arguments (strawberry reads them from its signature)
    and carries `prepare` as `prepare_feed` for the fan-out path.
    """

    async def resolver(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, None]:
        feed = await prepare(*args, **kwargs)
        async for event in feed.stream():
            yield event

    returns = AsyncGenerator[event_type, None]
    resolver.__signature__ = inspect.signature(prepare).replace(return_annotation=returns)  # type: ignore[attr-defined]
    resolver.__annotations__ = {**prepare.__annotations__, "return": returns}
    resolver.__module__ = prepare.__module__
    resolver.__name__ = resolver.__qualname__ = prepare.__name__
    resolver.__doc__ = prepare.__doc__
    resolver.prepare_feed = prepare  # type: ignore[attr-defined]
    return resolver
