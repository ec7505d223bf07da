"""Who is looking at a live board (`/board/...`): a signed-in user, or a wall screen.

A wall screen is opened once with a **read-only** API token in its link. The page trades
it for a board session (`pagesession`): a signed cookie scoped to `/board/`, then a
redirect to the same address without the token. From then on the page's script and its
socket speak to `/board/graphql/` with that cookie only; they never see the token.

A full (read-write) token in a link is refused and never echoed: a link ends up in
histories, screenshots and access logs, and a board never needs to write.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from . import pagesession
from .tokens import active_token, live_tokens, token_user

BOARD = pagesession.PageSession(cookie="onemst_board", path="/board/", salt="onemst.board-session")
ENDPOINT = "/board/graphql/"  # HTTP and WebSocket, the board session only
RENEW = "/board/session/"

INVALID = "Mã bảng tin không hợp lệ hoặc đã hết hạn. / Invalid or expired board token."
FULL_TOKEN = (
    "Bảng tin chỉ nhận mã truy cập chỉ đọc. Mã này có toàn quyền và vừa được đặt trong một đường "
    "dẫn: hãy thu hồi nó và tạo một mã chỉ đọc cho màn hình. / Boards accept read-only tokens only. "
    "This token has full rights and was just put in a link: revoke it and make a read-only one."
)
ENDED = (
    "Phiên bảng tin đã hết hạn hoặc mã đã bị thu hồi: mở lại đường dẫn của màn hình. / "
    "The board session has expired or its token was revoked: open the screen's link again."
)


def board_token(pk: Any) -> Any | None:
    """A read-only token that still works, by its id."""
    if not isinstance(pk, int):
        return None
    return live_tokens().filter(pk=pk, read_only=True).first()


def session_token(value: str | None) -> Any | None:
    """The token behind a board-session cookie value: signed by us, fresh, token still valid."""
    claims = BOARD.claims(value)
    return board_token(claims.get("t")) if claims else None


def session_user(request: HttpRequest) -> tuple[Any, Any] | None:
    """(user, token) of the request's board session, else None."""
    token = session_token(request.COOKIES.get(BOARD.cookie))
    return (token_user(token), token) if token is not None else None


def page_viewer(request: HttpRequest) -> tuple[Any, dict[str, Any]] | HttpResponse:
    """(user, the page script's settings), or the response to send instead.

    `?token=`: a valid read-only token → the board session and a redirect without it; any
    other token → 403. Then the board session, then the signed-in user (the script uses
    /graphql/ with the CSRF token); an anonymous visitor goes to the log-in page.
    """
    from django.contrib.auth.views import redirect_to_login
    from django.middleware.csrf import get_token

    raw = request.GET.get("token", "").strip()
    if raw:
        token = active_token(raw)
        if token is None:
            return HttpResponse(INVALID, status=403, content_type="text/plain; charset=utf-8")
        if not token.read_only:
            return HttpResponse(FULL_TOKEN, status=403, content_type="text/plain; charset=utf-8")
        return BOARD.trade(request, {"t": token.pk})
    board = session_user(request)
    if board is not None:
        return board[0], {
            "endpoint": ENDPOINT,
            "renew": {"url": RENEW, "every": pagesession.recheck_seconds()},
        }
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return request.user, {"endpoint": "/graphql/", "csrf": get_token(request)}


def ended() -> JsonResponse:
    """401 for a board request without a live session; the stale cookie is dropped."""
    response = JsonResponse(
        {"errors": [{"message": ENDED, "extensions": {"code": "UNAUTHENTICATED"}}]}, status=401
    )
    return BOARD.clear(response)


def renew_view(request: HttpRequest) -> HttpResponse:
    """GET /board/session/: 204 with a fresh cookie while the token is valid, else 401."""
    board = session_user(request)
    if board is None:
        return ended()
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return BOARD.attach(response, {"t": board[1].pk})
