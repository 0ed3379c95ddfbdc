from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app import __version__, protocol
from app.server.api.deps import ServicesDep

router = APIRouter(tags=["meta"])


@router.get("/health")
async def health() -> protocol.Health:
    """Liveness: the process answers. It does not touch the database."""
    return protocol.Health(status="ok", version=__version__)


@router.get("/keys")
def keys(services: ServicesDep) -> dict[str, Any]:
    """The public keys licenses are signed with (JWKS, Ed25519), newest first."""
    return services.keys.jwks()
