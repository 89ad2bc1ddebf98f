"""Settings of the web service, read from the environment or a `.env` file.

Every variable carries the prefix `MENU_PLANNER_` (e.g. `MENU_PLANNER_DATABASE_URL`);
`DATABASE_URL`, `DATA_DIR`, `SECRET_KEY` and `DEMO` are also read without the prefix.
Serving the API needs a secret key (`require_secret`); no default secret exists: only
demo mode makes a random one, valid for the life of the process.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """A setting is missing or wrong; the message says which, in Spanish."""


class Settings(BaseSettings):
    """Configuration of the service (database, data, tokens, demo mode)."""

    model_config = SettingsConfigDict(
        env_prefix="MENU_PLANNER_", env_file=".env", env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: str = Field(
        default="sqlite:///./menu_planner.sqlite3",
        validation_alias=AliasChoices("MENU_PLANNER_DATABASE_URL", "DATABASE_URL"),
        description="URL de SQLAlchemy: sqlite:///ruta.sqlite3 o postgresql+psycopg://...",
    )
    data_dir: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("MENU_PLANNER_DATA_DIR", "DATA_DIR"),
        description="Directorio de datos con la estructura de data/ para sembrar la base "
                    "(por defecto, los datos incluidos).",
    )
    centers_file: Path | None = Field(
        default=None,
        description="centers.csv para sembrar los centros (por defecto, "
                    "DATA_DIR/centers/centers.csv si existe).",
    )
    secret_key: str = Field(
        default="",
        validation_alias=AliasChoices("MENU_PLANNER_SECRET_KEY", "SECRET_KEY"),
        description="Clave para firmar los tokens (al menos 32 caracteres).",
    )
    token_minutes: int = Field(default=8 * 60, ge=1, le=60 * 24 * 30)
    demo: bool = Field(
        default=False,
        validation_alias=AliasChoices("MENU_PLANNER_DEMO", "DEMO"),
        description="Modo demostración: clave aleatoria si falta y usuarios de prueba.",
    )
    job_workers: int = Field(default=1, ge=1, le=8,
                             description="Generaciones de ciclo simultáneas.")
    solver_time_limit_s: float | None = Field(
        default=300.0, gt=0,
        description="Límite de tiempo del optimizador por ciclo (se detiene antes si "
                    "alcanza la brecha pedida); vacío = el del optimizador.")
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    login_limit_account: str = Field(
        default="10 per 15 minutes",
        description="Intentos fallidos de inicio de sesión admitidos por cuenta (sintaxis "
                    "de la biblioteca limits: '10 per 15 minutes').")
    login_limit_client: str = Field(
        default="30 per 15 minutes",
        description="Intentos fallidos admitidos por dirección de cliente.")
    login_limit_storage: str = Field(
        default="memory://",
        description="Dónde se cuentan los intentos (limits: memory://, redis://...); con "
                    "varios procesos, un almacén compartido.")
    login_hash_slots: int = Field(
        default=2, ge=1, le=64,
        description="Contraseñas que se comprueban a la vez (argon2 usa 64 MiB y un "
                    "núcleo cada una); un intento más espera su turno con 429.")
    db_timeout_s: float = Field(
        default=3.0, gt=0, le=300,
        description="Segundos que se espera a la base de datos (conexión, consulta, "
                    "bloqueo); después, 503.")

    @model_validator(mode="after")
    def _demo_secret(self) -> Settings:
        if not self.secret_key and self.demo:
            # Demo only: a random key per process; tokens die with the process.
            self.secret_key = secrets.token_urlsafe(48)
        return self

    def require_secret(self) -> None:
        """SettingsError unless a usable secret key is set (needed to sign tokens)."""
        if not self.secret_key:
            raise SettingsError(
                "Falta MENU_PLANNER_SECRET_KEY (o SECRET_KEY): defina una clave secreta de "
                f"al menos {MIN_SECRET_LENGTH} caracteres (p. ej. con `python -c \"import "
                "secrets; print(secrets.token_urlsafe(48))\"`), o use el modo demostración "
                "(MENU_PLANNER_DEMO=1).")
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"MENU_PLANNER_SECRET_KEY es demasiado corta: use al menos "
                f"{MIN_SECRET_LENGTH} caracteres.")

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is an embedded SQLite file (or memory)."""
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
