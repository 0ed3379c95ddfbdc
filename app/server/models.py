"""The server's tables. Codes are kept as a keyed hash and their last five symbols only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class CodeRow(Base):
    __tablename__ = "codes"
    __table_args__ = (
        CheckConstraint("max_devices >= 1", name="max_devices_positive"),
        CheckConstraint("term_seconds >= 1", name="term_positive"),
        CheckConstraint("devices_used >= 0 AND devices_used <= max_devices", name="seats_bounded"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    last5: Mapped[str] = mapped_column(String(5))
    type: Mapped[str] = mapped_column(String(16))
    term_seconds: Mapped[int] = mapped_column(BigInteger)
    max_devices: Mapped[int] = mapped_column(Integer)
    devices_used: Mapped[int] = mapped_column(Integer, default=0)
    valid_until: Mapped[datetime]
    app_versions: Mapped[str] = mapped_column(String(200), default="")
    requires_account: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    first_activated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class DeviceRow(Base):
    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    first_seen_at: Mapped[datetime]
    #: The device's public key (Ed25519, base64url): every call for the device is signed
    #: with its private half. NULL for a device from before keys, until its next call.
    public_key: Mapped[str | None] = mapped_column(String(43))
    #: What its user calls it (the computer's name unless renamed), for the account console.
    name: Mapped[str | None] = mapped_column(String(100))
    #: When it last asked the server anything, for the account console.
    last_seen_at: Mapped[datetime | None]


class ConsoleSessionRow(Base):
    """One signed-in browser of the account console. The browser holds a random token; the
    server keeps only its hash, so a copy of the database signs no one in."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime]


class ActivationRow(Base):
    """One seat: a code activated on a device, or held for it as its reserve (``held_from``
    set: the license signed ahead starts then). Deactivation deletes the row and frees it."""

    __tablename__ = "activations"
    __table_args__ = (UniqueConstraint("code_id", "device_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: Indexed by the unique (code_id, device_id) index, which leads with it.
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    activated_at: Mapped[datetime]
    app_version: Mapped[str] = mapped_column(String(64))
    #: While the seat is held for a reserve: when its license starts. NULL once started.
    held_from: Mapped[datetime | None]


class FreedSeatRow(Base):
    """A seat freed from the account console (every seat and hold of a lost device): its
    license is refused at any contact and told why; and per code, what bounds such releases
    (at most as many in 30 days as the code has seats)."""

    __tablename__ = "freed_seats"
    __table_args__ = (Index("ix_freed_seats_code_freed", "code_id", "freed_at"),)

    seat_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    device_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None]
    freed_at: Mapped[datetime]


class AccountReserveRow(Base):
    """One reserve code for every device of an account, saved in the account console."""

    __tablename__ = "account_reserves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]


class AccountReserveDeviceRow(Base):
    """What became of an account's reserve on one of its devices: ``held`` (its seat held
    and its license signed ahead, sent to the device), ``waiting`` (held, not yet sent: the
    device has not synced since), or ``refused`` (``reason``: an error code)."""

    __tablename__ = "account_reserve_devices"

    reserve_id: Mapped[int] = mapped_column(
        ForeignKey("account_reserves.id", ondelete="CASCADE"), primary_key=True
    )
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(40))
    #: The seat held for it on the device (NULL when refused).
    seat_id: Mapped[str | None] = mapped_column(String(32))
    takes_over_at: Mapped[datetime | None]
    #: The user chose to replace the device's own reserve with it.
    replace: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


def _only_set(column: str) -> dict[str, Any]:
    """Options for an index of the rows where ``column`` is not NULL."""
    where = text(f"{column} IS NOT NULL")
    return {"postgresql_where": where, "sqlite_where": where}


class LimitCountRow(Base):
    """A count a limit keeps in the database, so that every server process (on every host)
    shares it: the refusals of one client address, or of one network (``a:<address>``,
    ``n:<network>``), in the window of a minute that began at ``window_start``."""

    __tablename__ = "limit_counts"
    __table_args__ = (Index("ix_limit_counts_window_start", "window_start"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Unix seconds.
    window_start: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)


class AuditEventRow(Base):
    """Every activation, refusal, block, deactivation and sign-in, in order."""

    __tablename__ = "audit_log"
    __table_args__ = (
        # Only sign-ins (and the counts of refusals held back per address) have a subject or
        # an address, and only they are looked up by them: other rows stay out of these.
        Index("ix_audit_log_subject_at", "subject", "at", **_only_set("subject")),
        Index("ix_audit_log_address_at", "address", "at", **_only_set("address")),
        Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(32))
    code_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="SET NULL"))
    code_last5: Mapped[str | None] = mapped_column(String(5))
    device_id: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(320))
    error_code: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The client's address (sign-ins), for the limits per address.
    address: Mapped[str | None] = mapped_column(String(45))


class SigningKeyRow(Base):
    """Ed25519 keys. ``generation`` is unique, so processes racing to create one agree."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, unique=True)
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)  # see app.server.vault
    created_at: Mapped[datetime]


class ServerSecretRow(Base):
    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed_value: Mapped[bytes] = mapped_column(LargeBinary)  # see app.server.vault
    created_at: Mapped[datetime]


class RecoveryRequestRow(Base):
    """One request for a one-time sign-in code (``sign_in_code``) or a password-reset link
    (``password_reset``) mailed to ``email``, kept whether or not an account has that
    address: the requests per address are what the mail limits count, in every server
    process. Only the secret's hash is kept (NULL when no account, and so no mail)."""

    __tablename__ = "recovery_requests"
    __table_args__ = (
        Index("ix_recovery_requests_email_kind_created_at", "email", "kind", "created_at"),
        Index("ix_recovery_requests_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(320))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    secret_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    #: Wrong codes typed against it (a sign-in code dies at the fifth).
    tries: Mapped[int] = mapped_column(Integer, default=0)
