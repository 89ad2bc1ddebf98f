"""Security headers on every response (OWASP ASVS 14.4): a strict Content Security
Policy (scripts and styles only from the service's own files, no framing), nosniff,
X-Frame-Options and a referrer policy. The interactive API documentation (/docs, /redoc)
loads its viewer from a CDN with inline code, so it alone gets a wider policy; a
standalone HTML document with its own <style> (the printable exchange list) is allowed
exactly that style, by hash."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "Content-Security-Policy"
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
              "form-action 'self'; frame-ancestors 'none'")
_CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = (f"default-src 'self'; script-src 'self' 'unsafe-inline' {_CDN}; "
            f"style-src 'self' 'unsafe-inline' {_CDN}; img-src 'self' data: https:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc")
ALWAYS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
          "Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin"}
_STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.S | re.I)


class SecurityHeaders:
    """ASGI middleware adding the headers to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, https = str(scope.get("path", "")), scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_headers(MutableHeaders(scope=message), path, https)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_headers(headers: MutableHeaders, path: str, https: bool) -> None:
    """Set each security header the response does not set itself. Also called by the
    crash handlers, whose answers leave through Starlette's outermost middleware, past
    SecurityHeaders."""
    for name, value in ALWAYS.items():
        headers.setdefault(name, value)
    headers.setdefault(CSP, DOCS_CSP if path.startswith(DOCS_PATHS) else STRICT_CSP)
    if https:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def csp_for_document(html: bytes) -> str:
    """The strict policy, plus the hash of each <style> block the document carries."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in _STYLE.finditer(html))
    return STRICT_CSP.replace("style-src 'self'", f"style-src 'self' {hashes}".rstrip())


def html_document(content: bytes, media_type: str,
                  headers: Mapping[str, str] | None = None) -> Response:
    """A standalone HTML document (opens in the browser) under the strict policy with
    its own styles allowed."""
    return Response(content, media_type=media_type,
                    headers={**(headers or {}), CSP: csp_for_document(content)})
