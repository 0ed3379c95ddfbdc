"""Run with the system's Python, which has pyatspi (Debian: python3-pyatspi), on the
accessibility bus of a running app; never imported by the tests themselves.

    python3 atspi_tree.py dump               # every app's tree as JSON on stdout
    python3 atspi_tree.py listen SECONDS     # print each announcement, one per line

Each node: its accessible id (Qt's chain of object names), role, name, description, states,
and relations, as Orca reads them.
"""

import json
import sys
from typing import Any

import pyatspi  # type: ignore[import-not-found]


def node(accessible: Any, depth: int = 0) -> dict[str, Any]:
    states = [pyatspi.stateToString(s) for s in accessible.getState().getStates()]
    relations = []
    for relation in accessible.getRelationSet():
        targets = [relation.getTarget(i) for i in range(relation.getNTargets())]
        relations.append(
            [pyatspi.relationToString(relation.getRelationType()), [t.name for t in targets]]
        )
    children = []
    if depth < 60:
        for index in range(accessible.childCount):
            child = accessible.getChildAtIndex(index)
            if child is not None:
                children.append(node(child, depth + 1))
    return {
        "id": accessible.accessibleId,
        "role": accessible.getRoleName(),
        "name": accessible.name,
        "description": accessible.description,
        "states": states,
        "relations": relations,
        "children": children,
    }


def dump() -> None:
    desktop = pyatspi.Registry.getDesktop(0)
    apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
    json.dump([node(app) for app in apps if app is not None], sys.stdout, ensure_ascii=False)


def listen(seconds: float) -> None:
    from gi.repository import GLib  # type: ignore[import-not-found]

    def heard(event: Any) -> None:
        print(json.dumps(str(event.any_data), ensure_ascii=False), flush=True)

    pyatspi.Registry.registerEventListener(heard, "object:announcement")
    print("listening", flush=True)
    GLib.timeout_add(int(seconds * 1000), lambda: pyatspi.Registry.stop())
    pyatspi.Registry.start()


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump()
    else:
        listen(float(sys.argv[2]))
