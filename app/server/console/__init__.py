"""The account console: a signed-in user's devices and licenses, on the web.

Served by ``standby-server serve`` (and the app's embedded server) at ``/account/``, over the
same services as the device API. Pages are rendered on the server and work without
JavaScript; see :mod:`.routes` for the pages and :mod:`.web` for what they share.
"""

from __future__ import annotations

from app.server.console.routes import mount, not_found
from app.server.console.web import PREFIX, SecurityHeaders, serves

__all__ = ["PREFIX", "SecurityHeaders", "mount", "not_found", "serves"]
