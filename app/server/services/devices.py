"""Which device a call acts for: the one whose key signed it (domain.md section 8).

The call's signature was checked before it reached a service (``app.device_proof``); here,
in the service's own transaction, the device it names must be one that registered that key
with its first seat, or one from before keys. A device from before keys registers the key of
its first call the server accepts (:func:`register_key`, on that call's transaction): a call
refused for any reason registers nothing, so a stranger's refused call cannot lock the device
out. A device the server has never seen has nothing to protect yet: the call that makes it
registers the key.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update

from app.device_proof import Refusal
from app.domain.errors import DomainError, ErrorCode
from app.domain.names import clean_name
from app.server.tables import DEVICES

KEY_OF = select(DEVICES.c.public_key).where(DEVICES.c.id == bindparam("device"))
#: A device from before keys registers the key its call was signed with; once only.
REGISTER_KEY = (
    update(DEVICES)
    .where(DEVICES.c.id == bindparam("device"), DEVICES.c.public_key.is_(None))
    .values(public_key=bindparam("key"))
)


def other_key() -> DomainError:
    return DomainError(
        ErrorCode.DEVICE_NOT_PROVEN,
        "This device id belongs to another device: the call was not signed with its key.",
        reason=Refusal.OTHER_KEY.value,
    )


def check_key(connection: Connection, device_id: str, key: str) -> DomainError | None:
    """None when ``key`` may act for ``device_id`` (its key, or a device without one yet),
    else the refusal to raise. Registers nothing."""
    stored = connection.execute(KEY_OF, {"device": device_id}).scalar_one_or_none()
    return None if stored is None or stored == key else other_key()


def register_key(connection: Connection, device_id: str, key: str) -> None:
    """The call was accepted: a device from before keys keeps ``key`` from now on, on the
    caller's transaction (a device with a key already is left as it is)."""
    connection.execute(REGISTER_KEY, {"device": device_id, "key": key})


def usable_name(name: str | None) -> str | None:
    """A name a device sent, as kept; None when it sent none or one that cannot be a name
    (a device's call is not refused for its host name)."""
    if name is None:
        return None
    try:
        return clean_name(name)
    except ValueError:
        return None
