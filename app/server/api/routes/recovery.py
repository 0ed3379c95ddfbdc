"""Account recovery by e-mail over the API: ask for a one-time sign-in code, or a link that
resets the password (app.server.services.recovery).

Both answer 202 whether or not an account has the address, and post the mail only after the
answer is sent, so that neither the answer nor its time tells who has an account. Past the
bounds per address (1 mail a minute, 5 an hour, of each kind) they answer 429
``rate_limited`` (reason ``mail_limited``) with Retry-After, for any address alike. A server
started without ``--smtp`` sends no mail: 503 ``not_offered``, reason
``recovery_not_offered``, and no Retry-After (it will not change by waiting).

No device proof: a person asks, maybe on a device that is not theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, BackgroundTasks, Request

from app import protocol
from app.domain.errors import REASON_MAIL_NOT_OFFERED, DomainError, ErrorCode
from app.server.api.deps import ServicesDep
from app.server.console.words import best_language
from app.server.services.recovery import Letter, NotOffered

router = APIRouter(prefix="/accounts", tags=["accounts"])

NOT_OFFERED_MESSAGE = "This server does not send e-mail, so it offers no account recovery."


NOT_OFFERED: dict[int | str, dict[str, Any]] = {
    503: {
        "model": protocol.ErrorAnswer,
        "description": "this server sends no e-mail (recovery_not_offered), or its database "
        "is unavailable",
    }
}


async def _accept(
    prepare: Callable[[str, str], Letter | None],
    body: protocol.MailRequest,
    request: Request,
    background: BackgroundTasks,
    deliver: Callable[[Letter | None], bool],
) -> protocol.MailAccepted:
    language = best_language(body.language or request.headers.get("accept-language"))
    try:
        letter = await anyio.to_thread.run_sync(prepare, body.email, language)
    except NotOffered:
        raise DomainError(
            ErrorCode.NOT_OFFERED, NOT_OFFERED_MESSAGE, reason=REASON_MAIL_NOT_OFFERED
        ) from None
    except ValueError as exc:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "email: not an e-mail address") from exc
    background.add_task(deliver, letter)
    return protocol.MailAccepted()


@router.post(
    "/sign-in-code", status_code=202, response_model=protocol.MailAccepted, responses=NOT_OFFERED
)
async def sign_in_code(
    body: protocol.MailRequest, services: ServicesDep, request: Request, background: BackgroundTasks
) -> Any:
    """Mail a one-time sign-in code (6 digits, 10 minutes, single use) to the account of
    ``email``: with the right password it signs in while the address is held back for
    failed sign-ins."""
    recovery = services.recovery
    return await _accept(recovery.prepare_sign_in_code, body, request, background, recovery.deliver)


@router.post(
    "/password-reset", status_code=202, response_model=protocol.MailAccepted, responses=NOT_OFFERED
)
async def password_reset(
    body: protocol.MailRequest, services: ServicesDep, request: Request, background: BackgroundTasks
) -> Any:
    """Mail a link that sets a new password (30 minutes, single use) to the account of
    ``email``; it opens the account console's page at ``/account/reset/...``."""
    recovery = services.recovery
    return await _accept(
        recovery.prepare_password_reset, body, request, background, recovery.deliver
    )
