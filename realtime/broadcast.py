"""Subscription fast path: compile a simple subscription once, render each event in Python.

Stock execution runs graphql-core over the selection set for every event and every
subscriber (collect fields, resolve, complete values, the optimizer's hooks): with
thousands of sockets that is most of the server's time. Most live views ask for a
flat set of scalar fields of an event (`taskDeadlines { id number status }`), so a
plan compiled once per document is enough: which resolver to call with which
arguments, and which attributes of the yielded event to serialise, with the
schema's own scalar serialisers.

Anything the plan does not cover (nested objects such as `node { ... }`, fragments,
directives, field arguments, enum arguments, permission classes or field
extensions, more than one root field, invalid documents) goes through the stock
handler unchanged. `tests/test_subscription_fastpath.py` checks that both give the
same frames. Switch it off with ONEMST_SUBSCRIPTION_FASTPATH=0.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    is_leaf_type,
    parse,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from modules.engine.errors import EngineError

from .feeds import Feed, Message, on_listening
from .hub import after_offering, finish_offering, hub

log = logging.getLogger(__name__)

ENABLED = os.environ.get("ONEMST_SUBSCRIPTION_FASTPATH", "1") != "0"
STATS = {"fast": 0, "stock": 0}
COMPACT = (",", ":")


@dataclass(frozen=True)
class Leaf:
    key: str  # the response key (alias or name)
    attribute: str | None  # None for __typename
    serialize: Callable[[Any], Any]
    non_null: bool
    typename: str


@dataclass(frozen=True)
class Plan:
    root_key: str
    field_def: Any
    field_node: FieldNode
    variable_definitions: Any
    resolver: Callable[..., Any]
    info_name: str | None
    python_names: dict[str, str]  # GraphQL argument name -> Python parameter name
    leaves: tuple[Leaf, ...]

    def arguments(self, schema: Any, variables: dict[str, Any] | None) -> dict[str, Any]:
        coerced = get_variable_values(schema, self.variable_definitions or (), variables or {})
        if isinstance(coerced, list):
            raise _VariableErrors(coerced)
        values = get_argument_values(self.field_def, self.field_node, coerced)
        return {self.python_names[name]: value for name, value in values.items()}

    def render(self, event: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for leaf in self.leaves:
            if leaf.attribute is None:
                data[leaf.key] = leaf.typename
                continue
            value = getattr(event, leaf.attribute)
            data[leaf.key] = None if value is None else leaf.serialize(value)
        return {self.root_key: data}


class _VariableErrors(Exception):
    def __init__(self, errors: list[GraphQLError]) -> None:
        self.errors = errors


@lru_cache(maxsize=256)
def compile_plan(schema: Any, query: str, operation_name: str | None) -> Plan | None:
    """A plan for the document, or None when the stock path must run it."""
    if len(query) > settings.GRAPHQL_MAX_DOCUMENT_BYTES:
        return None  # the stock path refuses it with a typed error (schema/limits.py)
    try:
        document = parse(query, max_lexical_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError:
        return None
    core = schema._schema
    if validate(core, document):
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != len(document.definitions):
        return None  # fragments
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    operation = operations[0]
    if operation.operation != OperationType.SUBSCRIPTION or operation.directives:
        return None
    selections = operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode) or selections[0].directives:
        return None
    root = selections[0]
    field_def = core.subscription_type.fields.get(root.name.value)
    strawberry_field = (field_def.extensions or {}).get("strawberry-definition") if field_def else None
    if strawberry_field is None or strawberry_field.permission_classes or strawberry_field.extensions:
        return None
    resolver = strawberry_field.base_resolver
    if resolver is None or not inspect.isasyncgenfunction(resolver.wrapped_func):
        return None
    if any(
        get_named_type(arg.type).__class__.__name__ == "GraphQLEnumType" for arg in field_def.args.values()
    ):
        return None
    event_type = get_named_type(field_def.type)
    if not isinstance(event_type, GraphQLObjectType) or root.selection_set is None:
        return None
    names = schema.config.name_converter
    leaves = _leaves(event_type, root.selection_set.selections, names)
    if leaves is None or len(leaves) + 1 > settings.GRAPHQL_MAX_ALIASES * 4:
        return None
    return Plan(
        root_key=root.alias.value if root.alias else root.name.value,
        field_def=field_def,
        field_node=root,
        variable_definitions=operation.variable_definitions,
        resolver=resolver.wrapped_func,
        info_name=resolver.info_parameter.name if resolver.info_parameter else None,
        python_names={names.get_graphql_name(arg): arg.python_name for arg in strawberry_field.arguments},
        leaves=leaves,
    )


def _leaves(event_type: GraphQLObjectType, selections: Any, names: Any) -> tuple[Leaf, ...] | None:
    definition = (event_type.extensions or {}).get("strawberry-definition")
    if definition is None:
        return None
    fields = {names.get_graphql_name(f): f for f in definition.fields}
    leaves = []
    for node in selections:
        if not isinstance(node, FieldNode) or node.directives or node.arguments or node.selection_set:
            return None
        key = node.alias.value if node.alias else node.name.value
        if node.name.value == "__typename":
            leaves.append(Leaf(key, None, str, True, event_type.name))
            continue
        field = event_type.fields.get(node.name.value)
        named = get_named_type(field.type) if field else None
        declared = fields.get(node.name.value)
        if field is None or declared is None or declared.base_resolver is not None or not is_leaf_type(named):
            return None  # unknown, computed by a resolver, or not a scalar
        if getattr(field.type, "of_type", None) is not None and not isinstance(field.type, GraphQLNonNull):
            return None  # lists
        if isinstance(field.type, GraphQLNonNull) and hasattr(field.type.of_type, "of_type"):
            return None  # non-null lists
        leaves.append(
            Leaf(key, declared.python_name, named.serialize, isinstance(field.type, GraphQLNonNull), "")
        )
    return tuple(leaves)


def raw_socket(handler: Any) -> Any | None:
    """Daphne's protocol object behind a consumer, found by walking the ASGI `send` chain.

    A fast-path frame is written straight to its transport: the channels, Daphne and
    autobahn layers cost more per message than rendering it. None when the chain is
    not the expected one (another server, a test communicator): the normal send is used.
    """
    send = getattr(getattr(handler.websocket, "ws_consumer", None), "base_send", None)
    for _ in range(6):
        if isinstance(send, functools.partial) and getattr(send.func, "__name__", "") == "handle_reply":
            protocol = send.args[0] if send.args else None
            ok = protocol is not None and hasattr(protocol, "transport") and hasattr(protocol, "STATE_OPEN")
            return protocol if ok else None
        send = getattr(getattr(send, "__self__", None), "real_send", None)
        if send is None:
            return None
    return None


def text_frame(data: bytes) -> bytes:
    """An unmasked, unfragmented WebSocket text frame (server to client, RFC 6455 §5.2)."""
    size = len(data)
    if size < 126:
        return bytes((0x81, size)) + data
    if size < 65536:
        return bytes((0x81, 126)) + size.to_bytes(2, "big") + data
    return bytes((0x81, 127)) + size.to_bytes(8, "big") + data


def write_frame(transport: Any, frame: bytes, batch: SendBatch | None = None) -> None:
    """Send at once when Twisted holds nothing for this socket; else queue behind it.

    `transport.write` registers the socket with the reactor and sends on the next
    loop turn: two epoll changes and a wake-up per subscriber. A direct `send` on an
    idle socket skips them; order is kept because it is only used with empty buffers.
    With a `batch`, the direct send is left to `SendBatch.flush`, later in this turn.
    """
    sock = getattr(transport, "socket", None)
    if sock is None or transport.dataBuffer or transport._tempDataBuffer or transport.disconnecting:
        transport.write(frame)
        return
    if batch is not None:
        batch.add(transport, sock, frame)
        return
    _finish(transport, frame, _send(sock, frame))


def _send(sock: Any, frame: bytes) -> int:
    """Bytes the kernel took now; -1 when the socket is broken (Twisted must see it)."""
    try:
        return sock.send(frame)
    except (BlockingIOError, InterruptedError):
        return 0
    except OSError:
        return -1


def _finish(transport: Any, frame: bytes, sent: int) -> None:
    """On the reactor's thread: hand what the kernel did not take to Twisted."""
    if sent < 0:
        transport.write(frame)  # let Twisted see and report the broken connection
    elif sent < len(frame):
        transport.write(frame[sent:])


# Sends of one event split across threads: a loopback or NIC `send` is kernel work done
# without the interpreter's lock, so on N cores N threads write N sockets at once. The
# reactor's thread takes one share itself and waits for the others, as it would have waited
# for its own sends: no other code touches these sockets meanwhile, and each socket's frames
# stay in order. Small fan-outs are not worth a thread hop. Off by default: on the 2-core
# bench machine, where the clients share the cores, two threads made the 5,000-subscriber p99
# worse (docs/benchmarks.md, Subscriptions); raise it where clients are on other machines.
SEND_THREADS = max(1, int(os.environ.get("ONEMST_SEND_THREADS", "1")))
# frames per thread before the sends are split: 512 frames take two threads
SEND_THREADS_FROM = max(1, int(os.environ.get("ONEMST_SEND_THREADS_FROM", "256")))
_send_pool: ThreadPoolExecutor | None = None


def _sends(share: list[tuple[Any, Any, bytes]]) -> list[int]:
    return [_send(sock, frame) for _transport, sock, frame in share]


class SendBatch:
    """The direct sends of one event, written by `flush` once every sink has been offered it."""

    def __init__(self) -> None:
        self.writes: list[tuple[Any, Any, bytes]] = []

    def add(self, transport: Any, sock: Any, frame: bytes) -> None:
        self.writes.append((transport, sock, frame))

    def flush(self) -> None:
        global _send_pool
        writes, self.writes = self.writes, []
        threads = min(SEND_THREADS, len(writes) // SEND_THREADS_FROM)
        if threads <= 1:
            results = _sends(writes)
        else:
            if _send_pool is None:
                _send_pool = ThreadPoolExecutor(SEND_THREADS - 1, thread_name_prefix="onemst-send")
            shares = [writes[i::threads] for i in range(threads)]
            others = [_send_pool.submit(_sends, share) for share in shares[1:]]
            mine = _sends(shares[0])
            writes = [w for share in shares for w in share]
            results = mine + [r for future in others for r in future.result()]
        for (transport, _sock, frame), sent in zip(writes, results, strict=True):
            if sent != len(frame):
                _finish(transport, frame, sent)


SEND_BATCH = "send-batch"  # the key of an event's SendBatch in the hub's `shared` dict


class SocketSink:
    """One fast-path subscription served inside the hub's loop (`Hub.attach`).

    Per event and subscriber this is a filter, a rule check in Python and one socket
    write: the payload is rendered once per event for every sink of the same plan
    (`shared`), and only the operation id differs between frames. When the
    permissions moved since the rule was built, the sink keeps later events in
    order in a backlog while a task rebuilds the rule, then drains it.
    """

    def __init__(self, feed: Feed, plan: Plan, operation: Any, protocol: Any) -> None:
        self.feed, self.plan, self.operation, self.protocol = feed, plan, operation, protocol
        self.prefix = b'{"id":' + json.dumps(operation.id).encode() + b',"type":"next","payload":{"data":'
        self.render_key = (id(plan), feed.to_event)
        # The whole frame is shared too: sinks of one document and operation id (most clients
        # number their first subscription "1") write the same bytes. A bytes key keeps its hash.
        self.frame_key = b"%d:%d:" % (id(plan), id(feed.to_event)) + self.prefix
        self.backlog: list[Message] | None = None
        self.catching_up: asyncio.Task | None = None

    def offer(self, message: Message, shared: dict[Any, Any]) -> bool:
        if self.backlog is not None:
            self.backlog.append(message)
            return False
        feed = self.feed
        if not feed.accepts(message):
            return False
        live = feed.rule
        if live is not None:
            if not live.is_current(message):
                self.backlog = [message]
                self.catching_up = asyncio.get_running_loop().create_task(self._catch_up())
                return False
            # Judged once per compiled rule and event: a verdict depends on the rule (its user,
            # built under the event's generation) and the message only; sockets of one user
            # share the rule (realtime/visibility.py).
            verdict = shared.get(live.rule)
            if verdict is None:
                verdict = shared[live.rule] = live.judge(message)
            if not verdict:
                return False
        return self._write(message, shared)

    def _write(self, message: Message, shared: dict[Any, Any]) -> bool:
        protocol = self.protocol
        if protocol.state != protocol.STATE_OPEN or self.operation.completed:
            return False
        frame = shared.get(self.frame_key)
        if frame is None:
            body = shared.get(self.render_key)
            if body is None:
                data = self.plan.render(self.feed.to_event(message))
                body = shared[self.render_key] = json.dumps(data, separators=COMPACT).encode()
            frame = shared[self.frame_key] = text_frame(self.prefix + body + b"}}")
        batch = shared.get(SEND_BATCH)
        if batch is None:
            batch = shared[SEND_BATCH] = SendBatch()
            after_offering(shared, batch.flush)
        write_frame(protocol.transport, frame, batch)
        return True

    async def _catch_up(self) -> None:
        try:
            while self.backlog:
                message = self.backlog.pop(0)
                if self.feed.accepts(message) and (
                    self.feed.rule is None or await self.feed.rule.allows(message)
                ):
                    shared: dict[Any, Any] = {}
                    self._write(message, shared)
                    finish_offering(shared)
        except Exception:
            log.exception("a live subscriber could not catch up")
        finally:
            self.backlog = None


class BroadcastTransportWSHandler(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws with the fast path for plain subscriptions."""

    # config/routing.py sets it to the schema served now (custom fields, schema/runtime.py;
    # no I/O: its watcher keeps it current), so each subscription, even on a socket opened
    # before a field was added, is validated and run against today's types.
    schema_now: Callable[[], Any] | None = None

    @property
    def schema(self) -> Any:
        return self.schema_now() if self.schema_now is not None else self._declared_schema

    @schema.setter
    def schema(self, value: Any) -> None:  # strawberry's __init__: the declared schema
        self._declared_schema = value

    # config/routing.py sets it to the HTTP path's error typing (schema/extensions.py), so an
    # event's errors carry `extensions.code` as a query's do (e.g. a hidden custom field).
    type_error: Callable[[GraphQLError], GraphQLError] | None = None

    async def _send_result_stream(self, operation: Any, result_source: Any) -> None:
        if self.type_error is None:
            return await super()._send_result_stream(operation, result_source)

        async def typed() -> Any:
            async for result in result_source:
                if getattr(result, "errors", None) and hasattr(result, "data"):
                    result.errors = [self.type_error(error) for error in result.errors]
                yield result

        return await super()._send_result_stream(operation, typed())

    async def run_operation(self, operation: Any) -> None:
        on_listening.set(lambda: self._announce_listening(operation))  # for Feed.stream, this task only
        plan = compile_plan(self.schema, operation.query, operation.operation_name) if ENABLED else None
        if plan is None:
            STATS["stock"] += 1
            return await super().run_operation(operation)
        STATS["fast"] += 1
        try:
            kwargs = plan.arguments(self.schema._schema, operation.variables)
        except _VariableErrors as exc:
            await operation.send_initial_errors(exc.errors)
            return
        if plan.info_name:
            kwargs[plan.info_name] = SimpleNamespace(context=self.context)
        protocol = raw_socket(self)
        prepare_feed = getattr(plan.resolver, "prepare_feed", None)
        if prepare_feed is not None and protocol is not None:
            try:
                feed = await prepare_feed(**kwargs)
            except EngineError as exc:
                await self._send_engine_error(operation, plan, exc)
                return
            async with hub.attach(feed.group, SocketSink(feed, plan, operation, protocol)):
                await self._announce_listening(operation)
                await asyncio.get_running_loop().create_future()  # until the client completes or leaves
        try:
            async with aclosing(plan.resolver(**kwargs)) as events:
                async for event in events:
                    message = {"id": operation.id, "type": "next", "payload": {"data": plan.render(event)}}
                    if (
                        protocol is not None
                        and protocol.state == protocol.STATE_OPEN
                        and not operation.completed
                    ):
                        write_frame(
                            protocol.transport, text_frame(json.dumps(message, separators=COMPACT).encode())
                        )
                    else:
                        await operation.send_operation_message(message)
        except EngineError as exc:
            await self._send_engine_error(operation, plan, exc)
            return
        await operation.send_operation_message({"id": operation.id, "type": "complete"})

    async def _announce_listening(self, operation: Any) -> None:
        """Tell the client this subscription now hears every event (a protocol `ping` with
        a payload, which any client may answer with `pong`): until then an event could be
        missed, so a page re-reads its data on this signal rather than on `connection_ack`."""
        if not operation.completed:
            await self.send_message({"type": "ping", "payload": {"listening": operation.id}})

    @staticmethod
    async def _send_engine_error(operation: Any, plan: Plan, exc: EngineError) -> None:
        error = {"message": exc.message, "path": [plan.root_key], "extensions": {"code": exc.code}}
        await operation.send_operation_message({"id": operation.id, "type": "error", "payload": [error]})
