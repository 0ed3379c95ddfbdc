"""``standby license show|add|remove|sync`` (and ``standby account ...``: see
:mod:`.account_commands`), carried out on an engine.

The same code answers in the process that owns the data directory (a request from another
process) and in a ``standby license`` that found no owner and runs an engine itself.
Exit statuses and JSON fields are in ``contract.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject

from app.domain import codes
from app.domain.errors import ErrorCode
from app.engine import account_commands
from app.engine.engine import Engine
from app.engine.results import DONE, USAGE, Result, failed, once, refused, unreachable_words
from app.engine.vocabulary import (
    Failure,
    Ours,
    Problem,
    ReserveStatus,
    SaveOutcome,
    SaveResult,
    Snapshot,
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def show_json(snap: Snapshot) -> dict[str, Any]:
    lic, reserve = snap.license, snap.reserve
    held: dict[str, Any] | None = None
    if reserve is not None:
        held = {
            "code_last5": reserve.last5,
            "state": "held"
            if reserve.held and reserve.status is ReserveStatus.SAVED
            else reserve.status.value,
            "takes_over_at": _iso(reserve.takes_over_at),
            "reason": reserve.failure if reserve.status is ReserveStatus.FAILED else None,
            "source": reserve.source.value,
        }
    return {
        "state": snap.state.value,
        "expires_at": _iso(lic.expires_at) if lic else None,
        "code_last5": lic.code_last5 if lic else None,
        "device_id": snap.device_id,
        "reserve": held,
        "problem": snap.problem.value if snap.problem else None,
    }


#: What ``license show`` says of each problem, and what to do about it.
PROBLEM_WORDS = {
    Problem.DEVICE_KEY_MISSING: "this device's key is missing from the secret store, so the "
    "activation server cannot tell this device from another one; the license works until it "
    "ends. Restore the keyring from a backup, or ask support to free this device's seat and "
    "add the code again",
    Problem.LICENSE_REJECTED: "the saved license did not verify (changed outside Standby, or "
    "not signed by the activation server) and is not used; Standby asks the server for this "
    "device's license when it next runs with the server reachable",
    Problem.STATE_RECOVERED: "the license data was damaged and read from its last good copy "
    "(or from nothing); Standby asks the activation server what this device holds when it "
    "next runs with the server reachable",
    Problem.CANNOT_WRITE: "the data folder cannot be written: nothing that changes can be "
    "kept; free some disk space or check the folder's permissions",
    Problem.CLOCK_SET_BACK: "this computer's clock reads behind the latest time Standby has "
    "seen; license dates are judged by the later time",
}


def show_text(snap: Snapshot, *, took_over: bool = False) -> str:
    shown = show_json(snap)
    lines = [f"License: {shown['state'].replace('_', ' ')}"]
    if snap.license is not None:
        lines.append(f"  code •••••-{snap.license.code_last5}, ends {shown['expires_at']}")
    if took_over:
        lines.append(
            "  the reserve code took over (its license was signed ahead); the activation "
            "server confirms it when Standby next runs"
        )
    reserve = shown["reserve"]
    if reserve is None:
        lines.append("Reserve code: none")
    else:
        lines.append(
            f"Reserve code: •••••-{reserve['code_last5']}, {reserve['state']}, "
            f"takes over at {reserve['takes_over_at']}"
            + (f" (failed: {reserve['reason']})" if reserve["reason"] else "")
            + (
                ", saved in the account for all its devices"
                if reserve["source"] == "account"
                else ""
            )
        )
    lines.append(f"Device: {snap.device_id or 'none yet'}")
    if snap.device_name:
        lines.append(f"Device name: {snap.device_name}")
    lines.append(f"Account: {snap.account_email or 'not signed in'}")
    if snap.problem is not None:
        lines.append(f"Problem: {snap.problem.value}: {PROBLEM_WORDS[snap.problem]}")
    return "\n".join(lines) + "\n"


def _save_result(outcome: SaveOutcome) -> Result:
    if outcome.result is SaveResult.ACTIVATED:
        return Result(DONE, out=f"Activated: protected until {_iso(outcome.expires_at)}\n")
    if outcome.result is SaveResult.RESERVED:
        replaced = f" in place of •••••-{outcome.replaced_last5}" if outcome.replaced_last5 else ""
        return Result(
            DONE,
            out=f"Saved as the reserve code{replaced}: takes over at "
            f"{_iso(outcome.takes_over_at)}\n",
        )
    if outcome.result is SaveResult.CANCELLED:
        return refused("cancelled", "the save was cancelled")
    return failed(outcome.failure or Failure(ours=Ours.LOCAL_PROBLEM))


def _remove_result(failure: Failure | None, what: str) -> Result:
    return Result(DONE, out=f"{what} removed\n") if failure is None else failed(failure)


class Commands(QObject):
    """Runs one ``license`` request on ``engine`` and calls back with its :class:`Result`."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.engine = engine

    def run(self, request: dict[str, Any], done: Callable[[Result], None]) -> None:
        action = request.get("action")
        if request.get("op") == "account":
            self._when_loaded(lambda: account_commands.run(self.engine, request, done))
        elif action == "show":
            self._when_loaded(lambda: done(self._show(bool(request.get("json")))))
        elif action == "add":
            try:
                code = codes.normalize(str(request.get("code", "")))
            except codes.InvalidCodeFormat as exc:
                done(refused(ErrorCode.INVALID_FORMAT.value, str(exc)))
                return
            self._when_loaded(lambda: self._add(code, done))
        elif action == "remove":
            reserve = bool(request.get("reserve"))
            self._when_loaded(lambda: self._remove(reserve, done))
        elif action == "sync":
            self._when_loaded(lambda: self._sync(done))
        else:
            done(Result(USAGE, err=f"standby license: unknown action {action!r}\n"))

    def _when_loaded(self, then: Callable[[], None]) -> None:
        if self.engine.snapshot.loaded:
            then()
            return

        def check() -> None:
            if self.engine.snapshot.loaded:
                self.engine.changed.disconnect(check)
                then()

        self.engine.changed.connect(check)

    def _show(self, as_json: bool) -> Result:
        snap = self.engine.snapshot
        if as_json:
            return Result(DONE, out=json.dumps(show_json(snap)) + "\n")
        return Result(DONE, out=show_text(snap))

    def _sync(self, done: Callable[[Result], None]) -> None:
        """Ask the server now; answer once the engine has done all that followed."""

        def check() -> None:
            if not self.engine.idle:
                return
            self.engine.changed.disconnect(check)
            snap = self.engine.snapshot
            if snap.unreachable is not None:
                done(refused("unreachable", unreachable_words(snap.unreachable), unreachable=True))
            elif snap.device_not_proven:
                words = PROBLEM_WORDS.get(snap.problem or Problem.DEVICE_KEY_MISSING, "")
                done(refused(ErrorCode.DEVICE_NOT_PROVEN.value, words))
            elif self.engine.sync_failure is not None:
                done(refused(Ours.LOCAL_PROBLEM.value, self.engine.sync_failure))
            else:
                done(Result(DONE, out=show_text(snap)))

        self.engine.changed.connect(check)
        self.engine.refresh()

    def _once(self, signal: Any, handle: Callable[[Any], None]) -> None:
        once(signal, handle)

    def _add(self, code: str, done: Callable[[Result], None]) -> None:
        self._once(self.engine.saveFinished, lambda outcome: done(_save_result(outcome)))
        self.engine.save_code(code)

    def _remove(self, reserve: bool, done: Callable[[Result], None]) -> None:
        snap = self.engine.snapshot
        if reserve:
            if snap.reserve is None:
                done(Result(DONE, out="No reserve code to remove\n"))
                return
            self._once(
                self.engine.reserveRemoved,
                lambda refusal: done(_remove_result(refusal, "Reserve code")),
            )
            self.engine.remove_reserve()
            return
        if snap.license is None:
            done(Result(DONE, out="No license to remove\n"))
            return
        self._once(
            self.engine.removeFinished, lambda refusal: done(_remove_result(refusal, "License"))
        )
        self.engine.remove_license(snap.license.seat_id)
