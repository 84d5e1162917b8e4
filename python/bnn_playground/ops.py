"""The op list of a version-2 file (docs/EXPORT_FORMAT.md §3): one op per line,
``<kind> <name> [key=value ...]``, attributes at their default left out, a single input left
out when it is the previous op's output. The same grammar as the app's src/io/model-file-ops.ts.
"""

import re
from dataclasses import dataclass, field

INPUT = "input"
MAX_OPS = 10_000

# kind -> (inputs: 'one' | 'two' | 'many', [(key, type, default)]) with default None = required,
# a callable = computed from the attributes before it. Types: count >= 1, size >= 0, flag 0/1, epsilon.
_same_pad = lambda a: (a["k"] - 1) // 2  # noqa: E731
_CONV = [("out", "count", None), ("k", "count", 3), ("stride", "count", 1), ("pad", "size", _same_pad)]
SPECS = {
    "conv2d": ("one", _CONV),
    "bconv2d": ("one", _CONV + [("scale", "flag", 0)]),
    "dwconv2d": ("one", [("mult", "count", None), ("k", "count", 3), ("pad", "size", _same_pad)]),
    "batchnorm": ("one", [("eps", "epsilon", 1e-5)]),
    "hardtanh": ("one", []),
    "add": ("two", []),
    "shortcut_a": ("one", [("stride", "count", 1), ("before", "size", 0), ("after", "size", 0)]),
    "avgpool": ("one", [("size", "count", None)]),
    "concat": ("many", []),
    "slice_channels": ("one", [("count", "count", None)]),
    "global_avgpool": ("one", []),
    "dense": ("one", [("out", "count", None)]),
    "rsign": ("one", []),
    "rprelu": ("one", []),
}

_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,200}")
_INTEGER = re.compile(r"0|[1-9][0-9]{0,8}")
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class OpsError(ValueError):
    """A malformed op list; the message names the line."""


@dataclass
class Op:
    kind: str
    name: str
    inputs: list
    attrs: dict = field(default_factory=dict)


def _short(s: str) -> str:
    return s if len(s) <= 40 else s[:40] + "…"


def _default(default, attrs):
    return default(attrs) if callable(default) else default


def parse_ops(text: str) -> list:
    """Parses and checks the op list (syntax, known keys once each, well-formed values, unique
    names, inputs produced earlier); fills in defaults. Raises OpsError."""
    if text == "":
        raise OpsError("the op list is empty")
    rows = text.split("\n")
    if len(rows) > MAX_OPS:
        raise OpsError(f"the op list has {len(rows)} lines, more than {MAX_OPS}")
    produced = {INPUT}
    previous = INPUT
    ops = []
    for i, row in enumerate(rows):
        where = f"line {i + 1}"
        op = _parse_line(row, where, previous)
        for name in op.inputs:
            if name not in produced:
                raise OpsError(f"{where} ({op.name}): input '{name}' is not the output of an earlier op")
        if op.name in produced:
            reason = "reserved for the network input" if op.name == INPUT else "used twice"
            raise OpsError(f"{where}: the name '{op.name}' is {reason}")
        produced.add(op.name)
        previous = op.name
        ops.append(op)
    return ops


def _parse_line(row, where, previous):
    if row == "":
        raise OpsError(f"{where} is empty")
    tokens = row.split(" ")
    if "" in tokens:
        raise OpsError(f"{where}: tokens must be separated by single spaces")
    kind, name, args = tokens[0], (tokens[1] if len(tokens) > 1 else ""), tokens[2:]
    if kind not in SPECS:
        raise OpsError(f"{where}: unknown op '{_short(kind)}' (known: {', '.join(SPECS)})")
    arity, attr_specs = SPECS[kind]
    if not _NAME.fullmatch(name):
        raise OpsError(f"{where}: '{_short(name)}' is not a valid op name")
    label = f"{where} ({name})"
    known = {key for key, _, _ in attr_specs}
    given = {}
    for arg in args:
        key, eq, value = arg.partition("=")
        if not eq or key == "":
            raise OpsError(f"{label}: '{_short(arg)}' is not key=value")
        if key != "in" and key not in known:
            takes = ", ".join(["in"] + [k for k, _, _ in attr_specs])
            raise OpsError(f"{label}: {kind} has no attribute '{_short(key)}' (it takes {takes})")
        if key in given:
            raise OpsError(f"{label}: '{key}' is given twice")
        given[key] = value
    inputs = _parse_inputs(given.get("in"), arity, label, previous)
    attrs = {}
    for key, kind_of_value, default in attr_specs:
        if key not in given:
            if default is None:
                raise OpsError(f"{label}: {kind} needs '{key}'")
            attrs[key] = _default(default, attrs)
        else:
            attrs[key] = _parse_value(given[key], kind_of_value, f"{label}: {key}")
    return Op(kind, name, inputs, attrs)


def _parse_inputs(raw, arity, label, previous):
    if raw is None:
        if arity != "one":
            raise OpsError(f"{label}: needs its inputs (in=a,b)")
        return [previous]
    inputs = raw.split(",")
    for name in inputs:
        if not _NAME.fullmatch(name):
            raise OpsError(f"{label}: '{_short(name)}' is not a valid input name")
    n = len(inputs)
    if arity == "one" and n != 1:
        raise OpsError(f"{label}: takes one input, found {n}")
    if arity == "two" and n != 2:
        raise OpsError(f"{label}: takes two inputs, found {n}")
    if arity == "many" and n > 64:
        raise OpsError(f"{label}: takes at most 64 inputs, found {n}")
    return inputs


def _parse_value(raw, kind, label):
    if kind == "epsilon":
        value = float(raw) if _DECIMAL.fullmatch(raw) else float("nan")
        if not (0 < value <= 1):
            raise OpsError(f"{label} must be a number in (0, 1], found '{_short(raw)}'")
        return value
    if not _INTEGER.fullmatch(raw):
        raise OpsError(f"{label} must be a non-negative integer, found '{_short(raw)}'")
    value = int(raw)
    if kind == "count" and value < 1:
        raise OpsError(f"{label} must be at least 1, found {value}")
    if kind == "flag" and value > 1:
        raise OpsError(f"{label} must be 0 or 1, found {value}")
    return value


def _format(value, kind):
    if kind != "epsilon":
        return str(int(value))
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def encode_ops(ops: list) -> str:
    """The op list's text, defaults and implicit inputs left out (the app writes the same)."""
    previous = INPUT
    lines = []
    for op in ops:
        arity, attr_specs = SPECS[op.kind]
        tokens = [op.kind, op.name]
        if arity != "one" or op.inputs[0] != previous:
            tokens.append("in=" + ",".join(op.inputs))
        seen = {}
        for key, kind, default in attr_specs:
            value = op.attrs[key]
            seen[key] = value
            if value != _default(default, seen):
                tokens.append(f"{key}={_format(value, kind)}")
        lines.append(" ".join(tokens))
        previous = op.name
    return "\n".join(lines)
