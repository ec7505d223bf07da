"""Finding documents by their words: the engine's ranked full-text search over a register,
inside what the caller may see (`access.scoped_queryset`)."""

from __future__ import annotations

from typing import Any

from modules.engine import access, fulltext, registry

REGISTERS = {
    "incoming": "documents.IncomingDocument",
    "secret": "documents.SecretIncomingDocument",
    "outgoing": "documents.OutgoingDocument",
}


def search_documents(user: Any, text: str, register: str = "incoming", limit: int = 50) -> list[Any]:
    """The caller's documents in `register` matching `text`, best first (at most `limit`):
    the index ranks, the caller's scope filters (`fulltext.top`)."""
    entity = registry.entity_by_label(REGISTERS[register])
    return fulltext.top(access.scoped_queryset(user, entity), text, limit)
