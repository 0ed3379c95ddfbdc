"""What the server does, without HTTP, one module per resource.

- :mod:`.activations`: a device takes a seat of a code (the hot path);
- :mod:`.reserves`: whether a code saved now is activated or kept as the reserve;
- :mod:`.holds`: seats held for a reserve, and their licenses signed ahead;
- :mod:`.licenses`: tokens signed, read back, status and deactivation;
- :mod:`.accounts`: accounts and sign-in;
- :mod:`.sessions`, :mod:`.fleet` and :mod:`.account_reserves`: the account console's
  sessions, an account's devices and licenses, and one reserve for all its devices;
- :mod:`.recovery`: one-time sign-in codes and password-reset links, by e-mail;
- :mod:`.operator`: the operator's commands (issue, block, show);
- :mod:`.audit`: refusals written to the audit log before they are raised;
- :mod:`.store`: the database and its write gate, shared by all.

Each public method is a short transaction or a few. Refusals are recorded and raised as
DomainError; routes only translate them to HTTP. :class:`Services` builds them all once
per process.
"""

from __future__ import annotations

from sqlalchemy import Engine

from app.server.mail import Mailer
from app.server.secrets import CodeHasher, KeyRing, ensure_server_keys, has_sealed_secrets
from app.server.services.account_reserves import AccountReserves
from app.server.services.accounts import Accounts
from app.server.services.activations import Activations
from app.server.services.audit import Audit
from app.server.services.fleet import Fleet
from app.server.services.holds import Holds
from app.server.services.licenses import Licenses
from app.server.services.operator import Operator
from app.server.services.recovery import AccountRecovery
from app.server.services.reserves import Reserves
from app.server.services.sessions import Sessions
from app.server.services.store import Store, utcnow
from app.server.vault import Vault, default_secret_path

__all__ = ["Services", "utcnow"]


class Services:
    """The server's parts, sharing one database, one code hasher and one key ring."""

    def __init__(
        self,
        engine: Engine,
        vault: Vault | None = None,
        *,
        mailer: Mailer | None = None,
        public_url: str | None = None,
    ) -> None:
        """``vault`` defaults to the secret file for this database (see app.server.vault).
        ``mailer`` (with the ``public_url`` its links point at) offers recovery by e-mail."""
        self.store = Store(engine)
        self.engine = engine
        self.factory = self.store.factory
        # A database whose keys are sealed already must not get a new, useless secret file.
        self.vault = vault or Vault.from_file(
            default_secret_path(engine.url), create=not has_sealed_secrets(self.factory)
        )
        self.hasher = CodeHasher(ensure_server_keys(self.factory, self.vault))
        self.keys = KeyRing(engine, self.vault)
        self.keys.jwks()  # every signing key must open with this secret file, now
        self.audit = Audit(self.store)
        self.licenses = Licenses(self.store, self.audit, self.keys)
        self.activations = Activations(self.store, self.hasher, self.licenses)
        self.reserves = Reserves(self.store, self.audit, self.hasher, self.licenses)
        self.holds = Holds(self.store, self.audit, self.hasher, self.licenses, self.reserves)
        self.accounts = Accounts(self.store)
        self.operator = Operator(self.store, self.hasher)
        self.sessions = Sessions(self.store)
        self.fleet = Fleet(self.store)
        self.account_reserves = AccountReserves(self.store, self.hasher)
        # Mail only where ``serve --smtp`` asked for it (the embedded server has none).
        self.recovery = AccountRecovery(self.store, mailer, public_url, hasher=self.hasher)
        if self.recovery.offered:  # the right password and a mailed code: in from anywhere
            self.accounts.one_time_codes = self.recovery.check_sign_in_code

    def close(self) -> None:
        """Finish queued writes and close the database connections."""
        self.store.close()
