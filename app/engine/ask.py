"""Asking the process that owns a data directory (a second launch, ``standby license``).

No Qt is loaded on Unix: a second ``standby`` that only hands over must be quick, and
importing Qt takes longer than the whole exchange.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Qt (0.1 to 0.4 s to import, bench/imports.py) is imported inside the two functions that use it:
# the exchange on Windows, and reading the lock when no owner answered.

LOCK_FILE = "standby.lock"
#: The version of the messages on the channel, sent as ``"v"`` both ways. A message with
#: none is from before versions, which spoke version 1. Another version is refused in words
#: (an upgraded ``standby`` asking a copy still running from before the upgrade).
CHANNEL_VERSION = 1
#: How long a request may take: a save waits for the server (its own time-outs are shorter).
ANSWER_TIMEOUT_MS = 60_000
#: Seconds to wait instead (for scripts that would rather give up sooner).
ANSWER_TIMEOUT_ENV = "STANDBY_ANSWER_TIMEOUT"


def answer_timeout_ms() -> int:
    try:
        seconds = float(os.environ.get(ANSWER_TIMEOUT_ENV, ""))
    except ValueError:
        return ANSWER_TIMEOUT_MS
    return max(1, int(seconds * 1000))


Reply = Callable[[dict[str, Any]], None]


class NotAnswering(Exception):
    """Another process owns the directory but did not answer."""


def endpoint(data_dir: Path) -> str:
    """The local socket's name: one per user and data directory. On Unix a full path (in
    the user's runtime directory when there is one), so a second launch can reach it with
    the plain ``socket`` module, without loading Qt first."""
    key = f"{getpass.getuser()}\0{data_dir.expanduser().resolve()}"
    name = "standby-" + hashlib.sha256(key.encode()).hexdigest()[:20]
    if os.name != "posix":
        return name
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, name)
    return os.path.join(tempfile.gettempdir(), f"{name}-{os.getuid()}")


class _NoOne(Exception):
    """Nothing listens at the directory's socket."""


def ask(
    data_dir: Path, message: dict[str, Any], *, timeout_ms: int | None = None
) -> dict[str, Any] | None:
    """Send ``message`` to the process that owns ``data_dir``; None when none runs.

    Raises :class:`NotAnswering` when one owns it but does not answer in time.
    """
    timeout_ms = answer_timeout_ms() if timeout_ms is None else timeout_ms
    request = json.dumps({**message, "v": CHANNEL_VERSION}).encode() + b"\n"
    deadline: float | None = None
    while True:
        try:
            line = _exchange(endpoint(data_dir), request, timeout_ms)
            break
        except _NoOne:
            if deadline is None:
                if not _owned(data_dir):
                    return None
                deadline = time.monotonic() + 2.0  # it is starting: its socket comes up soon
            if time.monotonic() >= deadline:  # it holds the lock but does not listen
                raise NotAnswering("the running Standby does not accept requests") from None
            time.sleep(0.05)
    answer = json.loads(line)
    if not isinstance(answer, dict):
        raise NotAnswering("the running Standby answered something else")
    if answer.get("v", 1) != CHANNEL_VERSION or answer.get("error") == "version":
        raise NotAnswering(
            "the running Standby is from another version of Standby: quit it "
            "(Standby → Quit in its window or tray menu) and try again"
        )
    return answer


def _exchange(name: str, request: bytes, timeout_ms: int) -> bytes:
    """One request, one line back."""
    if os.name != "posix":
        return _exchange_qt(name, request, timeout_ms)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(1.0)
        try:
            connection.connect(name)
        except OSError as exc:
            raise _NoOne from exc
        connection.settimeout(timeout_ms / 1000)
        line = b""
        try:
            connection.sendall(request)
            while not line.endswith(b"\n"):
                chunk = connection.recv(65536)
                if not chunk:
                    raise NotAnswering("the running Standby closed the connection")
                line += chunk
        except TimeoutError:
            raise NotAnswering(
                f"the running Standby did not answer in {timeout_ms / 1000:g} s"
            ) from None
        except OSError as exc:
            raise NotAnswering(f"the running Standby could not be asked: {exc}") from exc
        return line


def _exchange_qt(name: str, request: bytes, timeout_ms: int) -> bytes:
    from PySide6.QtCore import QByteArray
    from PySide6.QtNetwork import QLocalSocket

    connection = QLocalSocket()
    connection.connectToServer(name)
    if not connection.waitForConnected(1000):
        raise _NoOne
    connection.write(QByteArray(request))
    connection.flush()
    line = b""
    end = time.monotonic() + timeout_ms / 1000
    while not line.endswith(b"\n"):
        left = int((end - time.monotonic()) * 1000)
        if left <= 0:
            raise NotAnswering(f"the running Standby did not answer in {timeout_ms / 1000:g} s")
        if not connection.waitForReadyRead(left) and (
            connection.state() != QLocalSocket.LocalSocketState.ConnectedState
        ):
            raise NotAnswering("the running Standby closed the connection")
        line += bytes(connection.readAll().data())
    connection.disconnectFromServer()
    return line


def _owned(data_dir: Path) -> bool:
    """Is the directory's lock held by a live process? Read, never taken: taking it even
    for a moment could make a Standby that is starting right then find it held and leave."""
    from PySide6.QtCore import QLockFile

    lock = QLockFile(str(data_dir / LOCK_FILE))
    pid, host, _app = lock.getLockInfo()  # (0, "", "") when there is no readable lock
    if pid <= 0:
        return False
    if os.name != "posix" or host != socket.gethostname():
        return True  # cannot look at that process from here: assume it runs
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False  # left by a crash or kill -9: the next start takes it over
    except PermissionError:
        return True  # another user's process holds it
    return True
