"""What the browser tests share: where Chromium is and how it starts, the running
service (`Live`) with its demo accounts, signing in, and screenshots."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from menu_planner.services import Services

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    password: str
    centers: tuple[str, ...]


@dataclass
class Live:
    """The running service: its address, services and the demo accounts by role."""

    base_url: str
    services: Services
    data_dir: Path
    accounts: dict[str, Account]

    def url(self, path: str) -> str:
        return self.base_url + path


def shot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under test-artifacts/screenshots/ (kept for people to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def sign_in(page: Any, live: Live, role: str, path: str = "/") -> Account:
    """Open `path`, get sent to the sign-in form, sign in as the demo account of `role`
    and come back."""
    account = live.accounts[role]
    page.goto(live.url(path))
    page.get_by_label("Usuario").fill(account.username)
    page.get_by_label("Contraseña").fill(account.password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(lambda url: "/entrar" not in url)
    return account
