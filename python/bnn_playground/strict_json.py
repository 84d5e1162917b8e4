"""JSON as the app's reader accepts it (src/io/safetensors/json.ts).

``json.loads`` keeps the last of duplicate keys, accepts NaN and Infinity and lone surrogate
escapes; the format refuses all of them, keys that reach a JavaScript prototype
(``__proto__``, ``constructor``, ``prototype``), numbers that overflow a double, and nesting
deeper than 64 levels.
"""

import json
import math

FORBIDDEN_KEYS = frozenset({"__proto__", "constructor", "prototype"})
MAX_DEPTH = 64


class StrictJsonError(ValueError):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # 'syntax', 'duplicate_key', 'forbidden_key' or 'too_deep'


def _pairs(pairs):
    out = {}
    for key, value in pairs:
        if key in FORBIDDEN_KEYS:
            raise StrictJsonError("forbidden_key", f"forbidden key {json.dumps(key)}")
        if key in out:
            raise StrictJsonError("duplicate_key", f"duplicate key {json.dumps(key)}")
        out[key] = value
    return out


def _constant(name):
    raise StrictJsonError("syntax", f"{name} is not JSON")


def _float(text):
    value = float(text)
    if not math.isfinite(value):
        raise StrictJsonError("syntax", f"number {text} out of range")
    return value


def _int(text):
    if not math.isfinite(float(text)):
        raise StrictJsonError("syntax", f"number {text} out of range")
    return int(text)


def _depth_and_text(value, depth=0):
    """``depth``: the containers around ``value``; a container counts itself too."""
    if isinstance(value, (dict, list)) and depth + 1 > MAX_DEPTH:
        raise StrictJsonError("too_deep", f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _depth_and_text(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _depth_and_text(item, depth + 1)
    elif isinstance(value, str):
        _check_text(value)


def _check_text(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise StrictJsonError("syntax", "lone surrogate escape") from None


def loads(text: str):
    """Parses one JSON value strictly; raises StrictJsonError."""
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except StrictJsonError:
        raise
    except RecursionError:
        raise StrictJsonError("too_deep", f"nesting deeper than {MAX_DEPTH} levels") from None
    except (json.JSONDecodeError, ValueError) as e:
        raise StrictJsonError("syntax", str(e)) from None
    _depth_and_text(value)
    return value
