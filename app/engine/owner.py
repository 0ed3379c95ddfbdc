"""One process owns a data directory; others hand their request to it.

The owner holds a lock file in the directory (``QLockFile``: a lock whose process is gone,
after a crash or ``kill -9``, is taken over at once) and listens on a local socket named
after the user and the directory. A second ``standby`` or ``standby license …`` sends one
JSON line and reads one JSON line back.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("standby.owner")

LOCK_FILE = "standby.lock"
#: How long a request may take: a save waits for the server (its own time-outs are shorter).
ANSWER_TIMEOUT_MS = 60_000
Reply = Callable[[dict[str, Any]], None]


class NotAnswering(Exception):
    """Another process owns the directory but did not answer."""


def endpoint(data_dir: Path) -> str:
    """The local socket's name: one per user and data directory."""
    key = f"{getpass.getuser()}\0{data_dir.expanduser().resolve()}"
    return "standby-" + hashlib.sha256(key.encode()).hexdigest()[:20]


def ask(
    data_dir: Path, message: dict[str, Any], *, timeout_ms: int = ANSWER_TIMEOUT_MS
) -> dict[str, Any] | None:
    """Send ``message`` to the process that owns ``data_dir``; None when none runs.

    Raises :class:`NotAnswering` when one owns it but does not answer in time.
    """
    owned = _owned(data_dir)
    deadline = time.monotonic() + (2.0 if owned else 0.0)
    while True:
        socket = QLocalSocket()
        socket.connectToServer(endpoint(data_dir))
        if socket.waitForConnected(1000):
            break
        if time.monotonic() >= deadline:
            if owned:  # it holds the lock but does not listen (starting, or stuck)
                raise NotAnswering("the running Standby does not accept requests")
            return None
        time.sleep(0.05)  # the owner is starting: its socket comes up in a moment
    socket.write(QByteArray(json.dumps(message).encode() + b"\n"))
    socket.flush()
    line = b""
    end = time.monotonic() + timeout_ms / 1000
    while not line.endswith(b"\n"):
        left = int((end - time.monotonic()) * 1000)
        if left <= 0 or not socket.waitForReadyRead(left):
            if socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
                raise NotAnswering("the running Standby closed the connection")
            if left <= 0:
                raise NotAnswering(f"the running Standby did not answer in {timeout_ms // 1000} s")
        line += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    answer = json.loads(line)
    if not isinstance(answer, dict):
        raise NotAnswering("the running Standby answered something else")
    return answer


def _owned(data_dir: Path) -> bool:
    """Is the directory's lock held by a live process (without taking it)?"""
    lock = QLockFile(str(data_dir / LOCK_FILE))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        lock.unlock()
        return False
    return lock.error() == QLockFile.LockError.LockFailedError


class Owner(QObject):
    """Holds a data directory and answers requests sent to it."""

    request = Signal(dict, object)  # the message, and a Reply to call once

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._lock = QLockFile(str(data_dir / LOCK_FILE))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def claim(self) -> bool:
        """Take the directory: False if another live process holds it."""
        if not self._lock.tryLock(0):
            return False
        name = endpoint(self.data_dir)
        QLocalServer.removeServer(name)  # a socket file left by a crash
        if not self._server.listen(name):
            log.warning("requests cannot be received: %s", self._server.errorString())
        return True

    def release(self) -> None:
        self._server.close()
        self._lock.unlock()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is not None:
                buffer = bytearray()
                socket.readyRead.connect(lambda s=socket, b=buffer: self._read(s, b))
                socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(socket.readAll().data())
        if b"\n" not in buffer or len(buffer) > 65536:
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        buffer.clear()
        answered = False

        def reply(answer: dict[str, Any]) -> None:
            nonlocal answered
            if answered:
                return
            answered = True
            if socket.state() == QLocalSocket.LocalSocketState.ConnectedState:
                socket.write(QByteArray(json.dumps(answer).encode() + b"\n"))
                socket.flush()
                socket.disconnectFromServer()

        try:
            message = json.loads(line)
        except ValueError:
            reply({"error": "not a request"})
            return
        if not isinstance(message, dict):
            reply({"error": "not a request"})
            return
        self.request.emit(message, reply)
