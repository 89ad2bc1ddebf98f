"""Sign-in for the pages: an HttpOnly cookie holding the same signed token the API
accepts as a bearer token, and a CSRF token derived from it for every form."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from starlette.datastructures import FormData

from menu_planner.api.deps import client_address, get_services
from menu_planner.api.security import create_token, token_claims
from menu_planner.services import Actor, Services
from menu_planner.web.queries import display_name

SESSION_COOKIE = "mp_sesion"
LOGIN_CSRF_COOKIE = "mp_csrf_entrada"
CSRF_FIELD = "csrf"


class LoginRequired(Exception):
    """The page needs a signed-in person; `next_url` is where to return after."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class CsrfFailed(Exception):
    """A form arrived without the token of the session that showed it."""


def csrf_for(session_token: str, secret: str) -> str:
    """The CSRF token of a session: an HMAC of its token, so it needs no storage and
    dies with the session."""
    return hmac.new(secret.encode(), b"csrf:" + session_token.encode(),
                    hashlib.sha256).hexdigest()


def login_url(next_url: str) -> str:
    return "/entrar?siguiente=" + quote(next_url, safe="/")


def safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def page_actor(request: Request) -> Actor:
    """The signed-in person of a page request; LoginRequired when there is none (or the
    session expired, or the account was deactivated)."""
    services = get_services(request)
    token = request.cookies.get(SESSION_COOKIE)
    claims = token_claims(token, services.settings) if token else None
    actor = services.accounts.actor_for(claims.user_id, claims.jti, claims.issued_at) \
        if claims is not None else None
    if actor is None or token is None:
        raise LoginRequired(_here(request) if request.method == "GET" else "/")
    request.state.actor = actor
    request.state.token_claims = claims
    request.state.user_name = display_name(services, actor)
    request.state.csrf = csrf_for(token, services.settings.secret_key)
    return actor


PageActor = Annotated[Actor, Depends(page_actor)]


def soft_actor(request: Request) -> Actor | None:
    """The signed-in person if there is one (for error pages of addresses that did not
    ask for a session); never raises."""
    if getattr(request.state, "actor", None) is not None:
        return request.state.actor  # type: ignore[no-any-return]
    try:
        return page_actor(request)
    except Exception:
        return None


async def form_data(request: Request) -> FormData:
    """The posted form (read here, in the event loop, so the page itself can be a plain
    `def` that runs in a worker thread)."""
    return await request.form()


def check_csrf(request: Request, form: Mapping[str, object]) -> None:
    """CsrfFailed unless the form carries this session's token."""
    sent = form.get(CSRF_FIELD)
    expected = getattr(request.state, "csrf", None)
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfFailed()


def checked_form(request: Request, actor: PageActor,
                 form: Annotated[FormData, Depends(form_data)]) -> FormData:
    """The posted form of a signed-in person, after the CSRF check."""
    check_csrf(request, form)
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]


def start_session(response: Response, request: Request, services: Services,
                  actor: Actor) -> None:
    """Set the session cookie for `actor` (HttpOnly, SameSite=Lax, Secure over HTTPS)."""
    token, seconds = create_token(actor.user_id, services.settings)
    response.set_cookie(SESSION_COOKIE, token, max_age=seconds, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/entrar")


def end_session(request: Request, response: Response) -> None:
    """Sign out: the session's token is refused from now on by the server (pages and
    API alike), and the cookie is removed."""
    claims = getattr(request.state, "token_claims", None)
    actor = getattr(request.state, "actor", None)
    if claims is not None and actor is not None:
        get_services(request).accounts.sign_out(actor, claims.jti, claims.expires_at,
                                                client_address(request))
    response.delete_cookie(SESSION_COOKIE, path="/")


def login_csrf(request: Request) -> str:
    """The sign-in form's CSRF token: a random value kept in a short-lived cookie that
    the form must repeat (there is no session yet to derive it from)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf(request: Request, response: Response, token: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https",
                        path="/entrar")


def login_csrf_ok(request: Request, form: Mapping[str, object]) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    sent = form.get(CSRF_FIELD)
    return bool(cookie) and isinstance(sent, str) and hmac.compare_digest(sent, cookie or "")
