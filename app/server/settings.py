"""What a server process is told, in one typed object.

Each setting comes from ``standby-server serve``'s command line, else from its environment
variable (``STANDBY_`` and its name in capitals: ``smtp_url`` is ``STANDBY_SMTP_URL``), else its
default. An empty variable counts as unset. uvicorn's workers are processes of their own that
build the app themselves (``create_app`` with no arguments): ``serve`` writes the settings it
was given into the environment (:meth:`ServerSettings.environment`), and each process reads
them once (:func:`current`), then passes them on.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PREFIX = "STANDBY_"


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, frozen=True, extra="ignore"
    )

    #: The database (``--db``); None: none given.
    database_url: str | None = None
    #: Serve the interactive API documentation at /docs and /redoc (``--docs``).
    server_docs: bool = False
    #: Leave the account console out (``--no-console``).
    no_console: bool = False
    #: Delete audit rows older than this, hourly (``--audit-retention``); None: keep them.
    audit_retention_seconds: int | None = None
    #: Refused requests an address may make per minute (``--refusals-per-minute``).
    refusals_per_minute: int = 120
    #: How long a request's headers may take (``--header-timeout``).
    header_seconds: float = 10.0
    #: How long a request's body may take (``--body-timeout``).
    body_seconds: float = 10.0
    #: Reverse proxies believed when they name the client (``--trusted-proxy``).
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    #: Outbound mail (``--smtp``, ``--mail-from``) and the address its links point at
    #: (``--public-url``); no mail without ``smtp_url``.
    smtp_url: str | None = None
    mail_from: str | None = None
    public_url: str | None = None
    #: How long a request waits for the database before it is answered 503.
    db_wait_seconds: float = 15.0

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        """In the environment: a comma-separated list."""
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    def environment(self) -> dict[str, str]:
        """These settings as the environment variables a worker reads them from; a setting
        that is unset, off or empty has none."""
        variables: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is None or value is False or value == ():
                continue
            if value is True:
                text = "1"
            elif isinstance(value, tuple):
                text = ",".join(value)
            else:
                text = str(value)
            variables[PREFIX + name.upper()] = text
        return variables


class SettingsError(ValueError):
    """A setting's variable holds what it cannot be; the message names the variable."""


def read(**given: Any) -> ServerSettings:
    """The settings: ``given`` values over the environment's and the defaults;
    :class:`SettingsError` for a variable that holds what its setting cannot be."""
    try:
        return ServerSettings(**given)
    except ValidationError as exc:
        problems = [
            f"{PREFIX}{'_'.join(map(str, error['loc'])).upper()}: {error['msg']}"
            for error in exc.errors(include_url=False)
        ]
        raise SettingsError("; ".join(problems)) from None


@cache
def current() -> ServerSettings:
    """This process's settings, read from the environment the first time they are asked for."""
    return read()
