"""The API's OpenAPI document is byte-identical to the stored copy: refactoring the
service layer must not change the published contract. After a deliberate API change,
regenerate the copy with `python -m tests.test_openapi_snapshot` and review its diff."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from menu_planner.api import create_app
from menu_planner.config import Settings

STORED = Path(__file__).parent / "fixtures" / "openapi" / "openapi.json"
SECRET = "clave-de-pruebas-" + "x" * 32


def served_document(tmp_dir: Path) -> bytes:
    """The exact bytes GET /openapi.json serves (the app is not started: the document
    needs no database)."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_dir / 'openapi.sqlite3'}", secret_key=SECRET, demo=False
    )
    app = create_app(settings, manage_services=False)
    try:
        return TestClient(app).get("/openapi.json").content
    finally:
        app.state.services.close()


def _pretty(body: bytes) -> list[str]:
    return json.dumps(json.loads(body), ensure_ascii=False, indent=1).splitlines()


def test_the_openapi_document_is_byte_identical_to_the_stored_copy(tmp_path: Path) -> None:
    served, stored = served_document(tmp_path), STORED.read_bytes()
    if served != stored:
        diff = "\n".join(
            difflib.unified_diff(
                _pretty(stored), _pretty(served), "guardado", "servido", lineterm="", n=2
            )
        )
        raise AssertionError(f"El documento OpenAPI cambió:\n{diff[:6000]}")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        STORED.write_bytes(served_document(Path(tmp)))
    sys.stdout.write(f"escrito {STORED}\n")
