"""Event types, their stable stored names, and the codec with upcasting.

An event class declares ``type`` (the name stored in the log, never its Python path) and
``schema`` (the version of its shape). When a shape changes, the class moves to the next
schema and an upcaster turns the stored data of the old version into the new one on read,
so that a log written by any earlier version of Roundtable stays readable.

Events are written as canonical JSON by orjson and read by msgspec, which builds each event
(its nested records and tuples too) straight from the bytes: measured by ``bench/replay.py``,
several times faster than orjson's dicts turned into dataclasses field by field.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import msgspec
import orjson

from events.errors import UnknownEventType, UnknownSchemaVersion

Data = dict[str, Any]
Upcaster = Callable[[Data], Data]
E = TypeVar("E", bound="Event")


T = TypeVar("T")


@typing.dataclass_transform(frozen_default=True, kw_only_default=True)
def record(cls: type[T]) -> type[T]:
    """Class decorator of every event (and of the values events hold): a frozen, slotted
    dataclass built by keyword only, so adding a field never reorders a constructor call.
    Typed as a dataclass transform, so type checkers see each event's constructor."""
    return dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(cls)


@record
class Event:
    """Base of every event: a fact, named in the past tense, that can never change."""

    type: ClassVar[str]
    schema: ClassVar[int] = 1


def canonical(value: Any) -> bytes:
    """Canonical JSON: sorted keys, UTF-8, no whitespace; the same value gives the same bytes."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


class Codec:
    """A registry of event types by stored name, with the upcasters between their versions."""

    def __init__(self) -> None:
        self._types: dict[str, type[Event]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        self._decoders: dict[str, msgspec.json.Decoder[Event]] = {}
        """Each type's JSON decoder straight into its class, nested records and tuples
        included, with no dict between (made once: a log read decodes millions of events)."""

    def register(self, cls: type[E]) -> type[E]:
        """Class decorator: make ``cls`` readable and writable under its stored name."""
        if cls.type in self._types and self._types[cls.type] is not cls:
            raise ValueError(f"event type {cls.type!r} is registered twice")
        self._types[cls.type] = cls
        self._decoders[cls.type] = msgspec.json.Decoder(cls)
        return cls

    def upcaster(self, type_name: str, from_schema: int) -> Callable[[Upcaster], Upcaster]:
        """Decorator: a function turning ``type_name`` data of ``from_schema`` into the next."""

        def decorate(function: Upcaster) -> Upcaster:
            self._upcasters[(type_name, from_schema)] = function
            return function

        return decorate

    @property
    def types(self) -> dict[str, type[Event]]:
        return dict(self._types)

    def encode(self, event: Event) -> tuple[str, int, bytes]:
        """The stored name, schema version and canonical JSON bytes of ``event``."""
        cls = type(event)
        if self._types.get(cls.type) is not cls:
            raise UnknownEventType(cls.type)
        return cls.type, cls.schema, canonical(event)

    def decode(self, type_name: str, schema: int, data: bytes) -> Event:
        """Rebuild an event from the log, upcasting older shapes to the current one."""
        cls = self._types.get(type_name)
        if cls is None:
            raise UnknownEventType(type_name)
        if schema > cls.schema or schema < 1:
            raise UnknownSchemaVersion(type_name, schema, cls.schema)
        if schema == cls.schema:
            return self._decoders[type_name].decode(data)
        fields: Data = orjson.loads(data)
        for version in range(schema, cls.schema):
            upcast = self._upcasters.get((type_name, version))
            if upcast is None:
                raise UnknownSchemaVersion(type_name, schema, cls.schema)
            fields = upcast(fields)
        event: Event = msgspec.convert(fields, cls)
        return event


codec = Codec()
"""The registry of every event type Roundtable writes."""
