"""Entry point of the bundled app (PyInstaller runs this file as ``__main__``).

One executable, two commands: started through a link named ``standby-server`` (as the
Debian package installs it) it is the activation server's command line, otherwise the app.
"""

import re
import sys
from pathlib import Path

#: How multiprocessing starts its resource tracker: ``<python> [flags] -c <this>``.
TRACKER = re.compile(r"from multiprocessing\.resource_tracker import main;main\((\d+)\)")


def multiprocessing_child() -> bool:
    """Run what multiprocessing started this program for, if it did.

    ``standby-server serve --workers N`` starts its workers (and multiprocessing's resource
    tracker) as new copies of the running program, with the arguments it would give a
    Python interpreter; a bundle has no interpreter to take them, so it answers them here.
    """
    args = sys.argv[1:]
    tracker = TRACKER.fullmatch(args[-1]) if len(args) >= 2 and args[-2] == "-c" else None
    if tracker:
        from multiprocessing import resource_tracker

        resource_tracker.main(int(tracker.group(1)))
        return True
    if args[:1] == ["--multiprocessing-fork"]:
        from multiprocessing import spawn

        given = dict(arg.split("=", 1) for arg in args[1:])

        def number(name: str) -> int | None:
            value = given.get(name, "None")
            return None if value == "None" else int(value)

        pipe = number("pipe_handle")
        assert pipe is not None
        spawn.spawn_main(pipe, number("parent_pid"), number("tracker_fd"))
        return True
    return False


if multiprocessing_child():
    raise SystemExit(0)
if Path(sys.argv[0]).stem == "standby-server":
    from app.server.cli import main
else:
    from app.__main__ import main

raise SystemExit(main())
