"""Moved: API-token logic is platform plumbing and lives in `modules.engine.tokens`
(boards in `modules.engine.boards`). The org module keeps only the `ApiToken` table.
This re-export keeps older imports working; new code imports from the engine."""

from modules.engine.tokens import (  # noqa: F401
    BearerTokenMiddleware,
    bearer_from_header,
    hash_token,
    new_token,
    user_for_token,
)
