"""One process owns a data directory; others hand their request to it.

The owner holds a lock file in the directory (``QLockFile``: a lock whose process is gone,
after a crash or ``kill -9``, is taken over at once) and listens on a local socket named
after the user and the directory. A second ``standby`` or ``standby license …`` sends one
JSON line and reads one JSON line back, each with the channel's version (``"v"``).

The socket file lives in ``XDG_RUNTIME_DIR``, whose cleaners may delete files untouched for
hours: it carries the sticky bit (which tells them to leave it), its times are touched every
hour, and if it is gone all the same the owner listens again.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.engine.ask import CHANNEL_VERSION, LOCK_FILE, Reply, endpoint

log = logging.getLogger("standby.owner")
#: How often the socket file is touched (and put back if a cleaner removed it).
REFRESH_MS = 3600 * 1000


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
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self._keep_fresh)

    def claim(self) -> bool:
        """Take the directory: False if another live process holds it."""
        if not self._lock.tryLock(0):
            return False
        self._listen()
        self._refresh.start(REFRESH_MS)
        return True

    def release(self) -> None:
        self._refresh.stop()
        self._server.close()
        self._lock.unlock()

    def _listen(self) -> None:
        name = endpoint(self.data_dir)
        self._server.close()
        QLocalServer.removeServer(name)  # a socket file left by a crash
        if not self._server.listen(name):
            log.warning("requests cannot be received: %s", self._server.errorString())
            return
        if os.name == "posix":
            try:
                os.chmod(name, os.stat(name).st_mode | stat.S_ISVTX)
            except OSError as exc:
                log.info("the request socket keeps no sticky bit: %s", exc)

    def _keep_fresh(self) -> None:
        if os.name != "posix":
            return
        name = endpoint(self.data_dir)
        try:
            os.utime(name)
        except FileNotFoundError:
            log.warning("the request socket was removed: listening again")
            self._listen()
        except OSError as exc:
            log.info("the request socket could not be touched: %s", exc)

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
        if message.get("v", 1) != CHANNEL_VERSION:
            reply({"error": "version", "status": 2, "err": "another version of Standby runs\n"})
            return
        self.request.emit(message, versioned(reply))


def versioned(reply: Reply) -> Reply:
    """``reply`` with the channel's version in every answer."""
    return lambda answer: reply({**answer, "v": CHANNEL_VERSION})
