"""Roles, who is acting, and password hashing (argon2 through pwdlib)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pwdlib import PasswordHash

from menu_planner.services.errors import Forbidden

NUTRITIONIST = "nutricionista"
CENTER_ADMIN = "administrador_centro"
FINANCE = "finanzas"
ADMIN = "admin"
ROLES: tuple[str, ...] = (NUTRITIONIST, CENTER_ADMIN, FINANCE, ADMIN)
ROLE_LABELS_ES = {
    NUTRITIONIST: "Nutricionista",
    CENTER_ADMIN: "Administrador(a) de centro",
    FINANCE: "Unidad financiera",
    ADMIN: "Administrador(a) del sistema",
}
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHash.recommended()
# Verified against when the user does not exist, so a wrong name costs as long as a
# wrong password (no timing hint about which names exist).
_DUMMY_HASH = _hasher.hash("contraseña-inexistente-para-igualar-tiempos")


def hash_password(password: str) -> str:
    """The argon2 hash of a password."""
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether `password` matches `hashed` (False, in constant-ish time, when None)."""
    if hashed is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    try:
        return _hasher.verify(password, hashed)
    except Exception:  # a malformed stored hash never lets anyone in
        return False


def password_problem(password: str) -> str | None:
    """Why a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"La contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres."
    if password.strip() != password:
        return "La contraseña no puede empezar ni terminar con espacios."
    return None


@dataclass(frozen=True)
class Actor:
    """The signed-in person on whose behalf a use case runs."""

    user_id: int
    username: str
    role: str
    centers: frozenset[str] = field(default_factory=frozenset)

    @property
    def sees_all_centers(self) -> bool:
        """Everyone but a center administrator sees every center."""
        return self.role != CENTER_ADMIN

    def can_see_center(self, center_id: str) -> bool:
        """Whether this person may see a center's lists and budgets."""
        return self.sees_all_centers or center_id in self.centers

    def require(self, *roles: str, action: str = "hacer esto") -> None:
        """Forbidden unless the actor has one of `roles`."""
        if self.role not in roles:
            allowed = ", ".join(ROLE_LABELS_ES[r] for r in roles)
            raise Forbidden(f"Su rol ({ROLE_LABELS_ES.get(self.role, self.role)}) no puede "
                            f"{action}; pueden: {allowed}.", code="rol_sin_permiso")

    def require_center(self, center_id: str) -> None:
        """Forbidden unless the actor may see `center_id`."""
        if not self.can_see_center(center_id):
            raise Forbidden(f"No tiene acceso al centro '{center_id}': solo puede ver los "
                            "centros que tiene asignados.", code="centro_ajeno")


SYSTEM = Actor(0, "sistema", ADMIN)
