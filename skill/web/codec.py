"""A faster drop-in for ask-sdk-core's DefaultSerializer.

The SDK's deserializer resolves every model class by importing it by name, parses
type strings with regular expressions and dates with dateutil, on every request: about
a third of a request's cost here. This one does the same walk over the same model
classes (``deserialized_types``, ``attribute_map``, discriminators, enums), with each
class's plan worked out once and cached, and ISO 8601 read by the standard library.
It accepts an already-parsed dict, so the body is parsed only once. Serializing the
response reads each model class's fields with one cached getter (``_model_fields``).
Results equal the SDK's (tests/test_codec.py).

``encode`` writes a response model straight to JSON bytes with orjson, which walks lists,
dicts, text, numbers and enums itself and asks ``_model_fields`` only for model objects.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from collections.abc import Callable
from enum import Enum
from functools import cache
from operator import attrgetter

import orjson
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer

_LIST = re.compile(r"list\[(.*)\]$")
_DICT = re.compile(r"dict\(([^,]*), (.*)\)$")
_PRIMITIVES = {"str": str, "int": int, "float": float, "bool": bool}


@cache
def _resolve(type_name: str):
    """A reader function for a type string from an ask-sdk-model class."""
    if match := _LIST.match(type_name):
        item = _resolve(match.group(1).strip())
        return lambda payload: [item(p) for p in payload]
    if match := _DICT.match(type_name):
        if match.group(2).strip() == "object":
            return dict.copy  # TypeError for anything but a dict, as .items() would be
        value = _resolve(match.group(2).strip())
        return lambda payload: {k: value(v) for k, v in payload.items()}
    if type_name in _PRIMITIVES:
        return _primitive(_PRIMITIVES[type_name])
    if type_name == "object":
        return lambda payload: payload
    if type_name in ("datetime", "date"):
        return _datetime if type_name == "datetime" else lambda p: _datetime(p).date()
    return _model(_class(type_name))


@cache
def _class(type_name: str):
    module_name, _, class_name = type_name.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)


def _primitive(kind):
    def read(payload):
        if type(payload) is kind:
            return payload
        try:
            return kind(payload)
        except TypeError:
            return payload

    return read


def _datetime(payload):
    try:
        return dt.datetime.fromisoformat(payload)
    except (TypeError, ValueError):
        from dateutil.parser import parse

        return parse(payload)


def _model(cls):
    if issubclass(cls, Enum):
        members = cls._value2member_map_
        return lambda payload: members.get(payload) or cls(payload)
    if not hasattr(cls, "deserialized_types"):
        return lambda payload: payload
    if hasattr(cls, "get_real_child_model"):

        def by_discriminator(payload):
            name = cls.get_real_child_model(payload)
            if not name:
                raise SerializationException(
                    f"Couldn't resolve object by discriminator type for {cls} class"
                )
            return _fields(_class(name))(payload)

        return by_discriminator
    return _fields(cls)


@cache
def _fields(cls):
    attribute_map = {**{k: k for k in cls.deserialized_types}, **getattr(cls, "attribute_map", {})}
    # A key of the attribute map that is not a typed attribute is known, and left alone.
    by_key: dict[str, tuple[str, str] | None] = {
        key: (attr, cls.deserialized_types[attr]) if attr in cls.deserialized_types else None
        for attr, key in attribute_map.items()
    }
    readers: dict[str, object] = {}

    def read(payload):
        if not isinstance(payload, dict):
            raise SerializationException(f"{cls.__name__} must be a JSON object")
        obj = cls()
        for key, value in payload.items():
            if key not in by_key:
                if _settable(cls, key):
                    setattr(obj, key, value)
                continue
            known = by_key[key]
            if known is not None and value is not None:
                attr, type_name = known
                reader = readers.get(type_name)
                if reader is None:
                    reader = readers[type_name] = _resolve(type_name)
                setattr(obj, attr, reader(value))
        return obj

    return read


def _settable(cls, name) -> bool:
    """Unknown keys are kept as extra attributes, as the SDK does, unless they would
    replace one of the model's own (``object_type``, ``user_id``, ``__dict__``...)."""
    return (
        isinstance(name, str)
        and not name.startswith("_")
        and name not in cls.deserialized_types
        and not hasattr(cls, name)
    )


#: Types written as they are.
_PLAIN = frozenset({type(None), str, int, float, bool})

#: For each model class met: its JSON names, and a function reading all its fields at once.
_GETTERS: dict[type, tuple[tuple[str, ...], Callable[[object], tuple]]] = {}


def _getter(cls: type) -> tuple[tuple[str, ...], Callable[[object], tuple]]:
    if not hasattr(cls, "deserialized_types"):
        raise TypeError(f"{cls.__name__} is not a model")
    attribute_map = getattr(cls, "attribute_map", {})
    attrs = tuple(cls.deserialized_types)
    read = (
        attrgetter(*attrs) if len(attrs) > 1 else lambda obj: tuple(getattr(obj, a) for a in attrs)
    )
    _GETTERS[cls] = (tuple(attribute_map.get(attr, attr) for attr in attrs), read)
    return _GETTERS[cls]


def _model_fields(obj: object) -> dict:
    """A model object's set fields under their JSON names: orjson's ``default``."""
    keys, read = _GETTERS.get(type(obj)) or _getter(type(obj))
    fields = {}
    for key, value in zip(keys, read(obj), strict=False):  # one value for each key
        if value is not None:
            fields[key] = value
    return fields


def _to_json(obj):
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    if isinstance(obj, list | tuple):
        return kind(item if type(item) in _PLAIN else _to_json(item) for item in obj)
    if isinstance(obj, dict):
        return {
            key: value if type(value) in _PLAIN else _to_json(value) for key, value in obj.items()
        }
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if not hasattr(obj, "deserialized_types"):
        return DefaultSerializer().serialize(obj)
    return _to_json(_model_fields(obj))


#: The standard library's strict encoder: NaN and the infinities raise ValueError.
_STRICT = json.JSONEncoder(allow_nan=False, separators=(",", ":"))


def encode(obj) -> bytes:
    """``obj`` (a response model, or plain data) as strict JSON (no NaN or Infinity) in
    UTF-8, escaped only if text can't be UTF-8; ValueError if it has a NaN or an infinity.

    orjson writes it, except text with lone surrogates or a key that is not a string, which
    the standard library escapes. orjson writes NaN and the infinities as null, so a body
    with a null in it is encoded again strictly, which raises ValueError for them.
    """
    try:
        data = orjson.dumps(obj, default=_model_fields)
    except TypeError:
        return _STRICT.encode(_to_json(obj)).encode("ascii")
    if b"null" in data:
        _STRICT.encode(_to_json(obj))
    return data


class FastSerializer(DefaultSerializer):
    """DefaultSerializer with cached plans for both directions; ``deserialize`` also
    takes parsed JSON."""

    def serialize(self, obj):
        return _to_json(obj)

    def deserialize(self, payload, obj_type):
        if payload is None:
            return None
        if isinstance(payload, str | bytes):
            return super().deserialize(payload, obj_type)
        try:
            name = (
                obj_type
                if isinstance(obj_type, str)
                else f"{obj_type.__module__}.{obj_type.__name__}"
            )
            return _resolve(name)(payload)
        except SerializationException:
            raise
        except Exception as exc:
            raise SerializationException(str(exc)) from exc
