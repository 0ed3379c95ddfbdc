"""A stand-in for the desktop's notification service, for tests on a private session bus.

    python tests/notification_service.py OUT.jsonl

Owns ``org.freedesktop.Notifications`` on the session bus (QtDBus) and appends each
notification it is sent to OUT.jsonl, one JSON object per line; prints "ready" once it
owns the name.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection


# PySide6 6.11's stub types ClassInfo as neither taking this nor callable; it does both.
@ClassInfo(**{"D-Bus Interface": "org.freedesktop.Notifications"})  # type: ignore[arg-type]
class Notifications(QObject):  # type: ignore[operator]
    def __init__(self, out: str) -> None:
        super().__init__()
        self.out = out
        self.count = 0

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(  # the specification's name
        self,
        app_name: str,
        replaces_id: int,
        app_icon: str,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, Any],
        timeout: int,
    ) -> int:
        self.count += 1
        record: dict[str, object] = {"app": app_name, "icon": app_icon, "summary": summary}
        record["body"] = body
        record["hints"] = {key: str(value) for key, value in hints.items()}
        with open(self.out, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return self.count


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    service = Notifications(sys.argv[1])
    bus = QDBusConnection.sessionBus()
    exported = bus.registerObject(
        "/org/freedesktop/Notifications", service, QDBusConnection.RegisterOption.ExportAllSlots
    )
    if not (exported and bus.registerService("org.freedesktop.Notifications")):
        print("could not own org.freedesktop.Notifications", file=sys.stderr)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
