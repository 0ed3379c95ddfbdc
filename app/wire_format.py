"""How the records of :mod:`app.protocol` travel as JSON: :func:`wire` writes a request,
:func:`read` reads an answer into its record (checking every field's kind)."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

Record = TypeVar("Record")


class Malformed(ValueError):
    """An answer that is not the record it should be."""


def wire(record: Any) -> dict[str, Any]:
    """A request as the JSON object sent: moments in ISO 8601, enums as their values."""
    return {
        field.name: _to_wire(getattr(record, field.name)) for field in dataclasses.fields(record)
    }


def _to_wire(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def read(kind: type[Record], payload: Any) -> Record:
    """``payload`` (parsed JSON) as a ``kind``; :class:`Malformed` when it is not one.
    Fields the record does not know are ignored (a newer server may say more)."""
    if not isinstance(payload, dict):
        raise Malformed(f"{kind.__name__}: not an object")
    values: dict[str, Any] = {}
    for name, (hint, required) in _fields(typing.cast(type, kind)).items():
        if name not in payload:
            if required:
                raise Malformed(f"{kind.__name__}: {name} is missing")
            continue
        try:
            values[name] = _convert(hint, payload[name])
        except (TypeError, ValueError) as exc:
            raise Malformed(f"{kind.__name__}.{name}: {exc}") from None
    return kind(**values)


@cache
def _fields(kind: type) -> dict[str, tuple[Any, bool]]:
    hints = typing.get_type_hints(kind)
    return {
        field.name: (
            hints[field.name],
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING,
        )
        for field in dataclasses.fields(kind)
    }


def _convert(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in get_args(hint):
            return None
        options = [option for option in get_args(hint) if option is not type(None)]
        if len(options) == 1:
            return _convert(options[0], value)
        raise TypeError(f"cannot read {hint}")
    if origin is list:
        if not isinstance(value, list):
            raise TypeError("not a list")
        (item,) = get_args(hint)
        return [_convert(item, element) for element in value]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        try:
            return read(hint, value)
        except Malformed as exc:
            raise ValueError(str(exc)) from None
    if origin is Literal:
        if value not in get_args(hint):
            raise ValueError(f"{value!r} is not one of {get_args(hint)}")
        return value
    if hint is datetime:
        if not isinstance(value, str):
            raise TypeError("a moment must be ISO 8601 text")
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("a moment must say its time zone")
        return moment
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise TypeError("not true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("not a whole number")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise TypeError("not text")
        return value
    raise TypeError(f"cannot read {hint}")
