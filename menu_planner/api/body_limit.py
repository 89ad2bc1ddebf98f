"""Every request body is bounded: a declared Content-Length over the limit is answered 413
before a byte of the body is read, and a body sent without one (chunked) is counted as it
arrives and cut off at the limit. The answer is the service's Spanish error."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from menu_planner.api.errors import HTTP_CODES, error_response


class BodyLimit:
    """ASGI middleware refusing request bodies larger than `max_bytes` with a 413;
    `file_bytes` is the largest file it says is accepted."""

    def __init__(self, app: ASGIApp, max_bytes: int, file_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.file_bytes = file_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            code, message = HTTP_CODES[413]
            response = error_response(413, code, message + " Se admiten archivos de "
                                      f"hasta {self.file_bytes // 1024:,} KB.")
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413)
            return message

        await self.app(scope, limited, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
