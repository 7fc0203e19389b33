"""Bearer API-key authentication: a key belongs to one tenant and carries scopes.

Only SHA-256 hashes of keys are held; the plaintext demo keys below are the documented
development keys and are accepted only in development mode.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from rcm_shared.ids import TenantId
from rcm_shared.problems import ProblemError

ALL_SCOPES = ("coding:read", "coding:write", "billing:read", "billing:write", "admin")
# Reading /metrics. An operator's scope, not a tenant's: the counts cover every tenant's
# requests together, so no key holds it unless configured with it, and admin does not imply it.
METRICS_SCOPE = "metrics:read"
OPERATOR_SCOPES = frozenset({METRICS_SCOPE})
# Development keys: the two clinics with every scope, and clinic-a keys with fewer scopes so
# the scope checks can be tried by hand. Never accepted in production mode.
DEMO_KEY_SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "demo-key-clinic-a": ("clinic-a", ALL_SCOPES),
    "demo-key-clinic-b": ("clinic-b", ALL_SCOPES),
    "demo-key-clinic-a-readonly": ("clinic-a", ("coding:read", "billing:read")),
    "demo-key-clinic-a-coder": ("clinic-a", ("coding:read", "coding:write")),
    "demo-key-clinic-a-biller": ("clinic-a", ("coding:read", "billing:read", "billing:write")),
    "demo-key-metrics": ("operations", (METRICS_SCOPE,)),
}
DEMO_KEYS: dict[str, str] = {key: tenant for key, (tenant, _) in DEMO_KEY_SCOPES.items()}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyRecord(BaseModel):
    key_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    tenant_id: TenantId
    scopes: list[str] = Field(default_factory=lambda: list(ALL_SCOPES))


def demo_api_keys() -> list[ApiKeyRecord]:
    return [
        ApiKeyRecord(key_sha256=hash_key(key), tenant_id=tenant, scopes=list(scopes))
        for key, (tenant, scopes) in DEMO_KEY_SCOPES.items()
    ]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the tenant every query is scoped to, and what the key may do."""

    tenant_id: str
    scopes: frozenset[str]
    key_id: str  # first characters of the key hash: identifies the key in events, not secret

    def has(self, scope: str) -> bool:
        return scope in self.scopes or ("admin" in self.scopes and scope not in OPERATOR_SCOPES)


class ApiKeyRegistry:
    def __init__(self, records: Iterable[ApiKeyRecord]) -> None:
        self._by_hash = {r.key_sha256: r for r in records}

    def authenticate(self, key: str) -> Principal | None:
        digest = hash_key(key)
        record = self._by_hash.get(digest)
        # compare_digest keeps the final comparison constant-time.
        if record is None or not hmac.compare_digest(record.key_sha256, digest):
            return None
        return Principal(record.tenant_id, frozenset(record.scopes), digest[:12])


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401, "Unauthorized", detail, type_="unauthorized", headers={"WWW-Authenticate": "Bearer"}
    )


# Declares the scheme in the OpenAPI document (each operation's `security`); the checks and
# their 401 answers are authenticate's own.
bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="apiKey",
    description="An API key: `Authorization: Bearer <api-key>`. A key belongs to one tenant "
    "and carries scopes.",
)


# The dependencies here are async although they never wait: FastAPI runs a plain `def`
# dependency in a worker thread, a hop that costs more than the check itself.
async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> Principal:
    return _principal(request, credentials)


def _principal(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    key = credentials.credentials.strip() if credentials is not None else ""
    if not key:
        raise _unauthorized("Send 'Authorization: Bearer <api-key>'.")
    registry: ApiKeyRegistry = request.app.state.api_keys
    principal = registry.authenticate(key)
    if principal is None:
        raise _unauthorized("The API key is not recognised.")
    request.state.tenant_id = principal.tenant_id
    return principal


def principal_with_scope(request: Request, credentials: HTTPAuthorizationCredentials | None,
                         scope: str) -> Principal:
    """The key's holder when the key is known and carries `scope`; a 401 or 403 otherwise."""
    principal = _principal(request, credentials)
    if not principal.has(scope):
        raise ProblemError(
            403, "Forbidden", f"This API key lacks the '{scope}' scope.", type_="forbidden"
        )
    return principal


def require_scope(scope: str) -> Callable[..., Awaitable[Principal]]:
    # Authenticates by itself rather than through Depends(authenticate): every level of
    # dependencies costs FastAPI tens of microseconds per request.
    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    ) -> Principal:
        return principal_with_scope(request, credentials, scope)

    # Lets tests (and DirectRoute, which checks it itself) read each route's scope from its
    # dependencies instead of a hand-kept list.
    dependency.required_scope = scope  # type: ignore[attr-defined]
    return dependency
