"""One process owns a data directory; others hand their request to it.

The owner holds a lock file in the directory (``QLockFile``: a lock whose process is gone,
after a crash or ``kill -9``, is taken over at once) and listens on a local socket named
after the user and the directory. A second ``standby`` or ``standby license …`` sends one
JSON line and reads one JSON line back.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.engine.ask import LOCK_FILE, endpoint

log = logging.getLogger("standby.owner")


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
