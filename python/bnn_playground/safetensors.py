"""The safetensors container, read as strictly as the app reads it (src/io/safetensors*.ts).

Layout: a u64 little-endian header length N, N bytes of UTF-8 JSON
``{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}``, then
the data the offsets index into. Every check gives the app's reason code.
"""

import struct

import numpy as np

from . import strict_json

METADATA_KEY = "__metadata__"
MAX_HEADER_BYTES = 100_000_000
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_SAFE_INTEGER = 2**53 - 1

# dtype name -> (bytes per element, numpy dtype). F16/BF16 stay raw 16-bit patterns, as in the app.
DTYPES = {
    "F64": (8, "<f8"),
    "F32": (4, "<f4"),
    "F16": (2, "<u2"),
    "BF16": (2, "<u2"),
    "I64": (8, "<i8"),
    "I32": (4, "<i4"),
    "I16": (2, "<i2"),
    "I8": (1, "i1"),
    "U64": (8, "<u8"),
    "U32": (4, "<u4"),
    "U16": (2, "<u2"),
    "U8": (1, "u1"),
    "BOOL": (1, "u1"),
}
_ENTRY_FIELDS = ("dtype", "shape", "data_offsets")
_HALF_EXPONENT = {"F16": 0x7C00, "BF16": 0x7F80}


class SafetensorsError(ValueError):
    """A malformed container; ``code`` is the app's SafetensorsErrorCode."""

    def __init__(self, code: str, message: str):
        super().__init__(f"safetensors: {message}")
        self.code = code


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, list):
        return f"an array of {len(value)} items"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return f"string {value[:40]!r}"
    return f"number {value}"


def _is_integer(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return 0 <= v <= MAX_SAFE_INTEGER
    return isinstance(v, float) and v.is_integer() and 0 <= v <= MAX_SAFE_INTEGER


def header_length(data: bytes) -> int:
    """The declared header length, checked against the file (after the size checks)."""
    low, high = struct.unpack_from("<II", data, 0)
    if high != 0 or low > MAX_HEADER_BYTES:
        raise SafetensorsError("header_length", f"header length {high * 2**32 + low} exceeds the {MAX_HEADER_BYTES}-byte limit")
    if low < 2:
        raise SafetensorsError("header_length", f"header length {low} is too small to hold a JSON object")
    if low > len(data) - 8:
        raise SafetensorsError(
            "header_length", f"header length {low} runs past the end of the file (only {len(data) - 8} bytes follow the length field)"
        )
    return low


def read_safetensors(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, reject_non_finite: bool = False):
    """Returns (metadata: dict of str, tensors: dict name -> numpy array in its shape, dtypes:
    dict name -> the dtype's name, e.g. 'F32')."""
    data = bytes(data)
    if len(data) > max_bytes:
        raise SafetensorsError("file_too_large", f"file is {len(data)} bytes, over the {max_bytes}-byte limit")
    if len(data) < 8:
        raise SafetensorsError("file_too_small", f"file is {len(data)} bytes, too short to hold the 8-byte header length")
    n = header_length(data)
    try:
        text = data[8 : 8 + n].decode("utf-8")
    except UnicodeDecodeError:
        raise SafetensorsError("header_utf8", "header is not valid UTF-8") from None
    try:
        root = strict_json.loads(text)
    except strict_json.StrictJsonError as e:
        code = e.kind if e.kind in ("duplicate_key", "forbidden_key") else "header_json"
        raise SafetensorsError(code, f"header is not acceptable JSON: {e}") from None
    if not isinstance(root, dict):
        raise SafetensorsError("header_not_object", f"header must be a JSON object, found {_describe(root)}")
    body = data[8 + n :]
    metadata = {}
    entries = []
    for name, value in root.items():
        if name == METADATA_KEY:
            metadata = _metadata(value)
        else:
            entries.append(_entry(name, value, len(body)))
    entries.sort(key=lambda e: (e[2], e[3], e[0]))
    _check_tiling(entries, len(body))
    tensors = {}
    dtypes = {}
    for name, dtype, begin, end, shape in entries:
        array = np.frombuffer(body, dtype=DTYPES[dtype][1], count=(end - begin) // DTYPES[dtype][0], offset=begin).reshape(shape)
        if reject_non_finite:
            _check_finite(name, dtype, array)
        tensors[name] = array
        dtypes[name] = dtype
    return metadata, tensors, dtypes


def _metadata(value):
    if not isinstance(value, dict):
        raise SafetensorsError("bad_metadata", f"{METADATA_KEY} must be an object of strings, found {_describe(value)}")
    for key, item in value.items():
        if not isinstance(item, str):
            raise SafetensorsError("bad_metadata", f"{METADATA_KEY} value for key '{key}' must be a string, found {_describe(item)}")
    return dict(value)


def _entry(name, value, data_length):
    label = f"tensor '{name}'"
    if not isinstance(value, dict):
        raise SafetensorsError("bad_entry", f"{label}: entry must be an object with dtype, shape and data_offsets, found {_describe(value)}")
    for key in value:
        if key not in _ENTRY_FIELDS:
            raise SafetensorsError("bad_entry", f"{label}: unexpected field '{key}' (allowed: dtype, shape, data_offsets)")
    for field in _ENTRY_FIELDS:
        if field not in value:
            raise SafetensorsError("bad_entry", f"{label}: missing field '{field}'")
    dtype = value["dtype"]
    if not isinstance(dtype, str):
        raise SafetensorsError("bad_entry", f"{label}: dtype must be a string, found {_describe(dtype)}")
    if dtype not in DTYPES:
        raise SafetensorsError("unknown_dtype", f"{label}: unknown dtype '{dtype}' (supported: {', '.join(DTYPES)})")
    shape = value["shape"]
    if not isinstance(shape, list):
        raise SafetensorsError("bad_shape", f"{label}: shape must be an array, found {_describe(shape)}")
    for dim in shape:
        if not _is_integer(dim):
            raise SafetensorsError("bad_shape", f"{label}: shape has invalid dimension {_describe(dim)} (dimensions must be non-negative integers)")
    shape = [int(d) for d in shape]
    offsets = value["data_offsets"]
    if not isinstance(offsets, list) or len(offsets) != 2 or not all(_is_integer(v) for v in offsets):
        raise SafetensorsError("bad_offsets", f"{label}: data_offsets must be two non-negative integers [begin, end], found {_describe(offsets)}")
    begin, end = int(offsets[0]), int(offsets[1])
    if end < begin:
        raise SafetensorsError("bad_offsets", f"{label}: data_offsets [{begin}, {end}] end before they begin")
    if end > data_length:
        raise SafetensorsError("bad_offsets", f"{label}: data_offsets [{begin}, {end}] extend past the end of the {data_length}-byte data buffer")
    expected = DTYPES[dtype][0]
    for dim in shape:
        expected *= dim
    if expected != end - begin:
        shown = str(expected) if expected <= MAX_SAFE_INTEGER else f"more than {MAX_SAFE_INTEGER}"
        raise SafetensorsError(
            "size_mismatch",
            f"{label}: data_offsets [{begin}, {end}] ({end - begin} bytes) do not match shape [{','.join(map(str, shape))}] × {dtype} = {shown} bytes",
        )
    return (name, dtype, begin, end, shape)


def _check_tiling(entries, data_length):
    covered = 0
    previous = None
    for name, _, begin, end, _ in entries:
        if begin > covered:
            raise SafetensorsError("offsets_gap", f"tensor '{name}': data_offsets [{begin}, {end}] leave a gap; bytes {covered}..{begin} belong to no tensor")
        if begin < covered and previous is not None:
            raise SafetensorsError(
                "offsets_overlap", f"tensor '{name}': data_offsets [{begin}, {end}] overlap tensor '{previous[0]}' [{previous[2]}, {previous[3]}]"
            )
        covered = end
        previous = (name, None, begin, end)
    if covered != data_length:
        raise SafetensorsError(
            "trailing_bytes", f"{data_length - covered} trailing bytes after the last tensor (tensors cover {covered} of {data_length} data bytes)"
        )


def _check_finite(name, dtype, array):
    flat = array.reshape(-1)
    if dtype in ("F32", "F64"):
        bad = np.flatnonzero(~np.isfinite(flat))
        if bad.size:
            kind = "NaN" if np.isnan(flat[bad[0]]) else "an infinity"
            raise SafetensorsError("non_finite", f"tensor '{name}' ({dtype}) contains {kind} at element {bad[0]}")
    elif dtype in _HALF_EXPONENT:
        mask = _HALF_EXPONENT[dtype]
        bad = np.flatnonzero((flat & mask) == mask)
        if bad.size:
            fraction = 0x03FF if dtype == "F16" else 0x007F
            kind = "NaN" if flat[bad[0]] & fraction else "an infinity"
            raise SafetensorsError("non_finite", f"tensor '{name}' ({dtype}) contains {kind} at element {bad[0]}")


_WRITE_DTYPES = {np.dtype("<f4"): "F32", np.dtype("u1"): "U8", np.dtype("<i4"): "I32", np.dtype("<f8"): "F64"}


def write_safetensors(tensors: dict, metadata: dict) -> bytes:
    """Canonical bytes, as the app writes them: metadata first with sorted keys, then tensors by
    element size (largest first) and name, the header padded with spaces to a multiple of 8."""
    import json

    named = []
    for name, array in tensors.items():
        a = np.ascontiguousarray(array)
        dtype = _WRITE_DTYPES.get(a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype)
        if dtype is None:
            raise ValueError(f"tensor '{name}': dtype {a.dtype} is not written (use float32, float64, uint8 or int32)")
        named.append((name, dtype, a.astype(DTYPES[dtype][1], copy=False)))
    named.sort(key=lambda t: (-DTYPES[t[1]][0], t[0]))
    dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    parts = [dump(METADATA_KEY) + ":{" + ",".join(f"{dump(k)}:{dump(metadata[k])}" for k in sorted(metadata)) + "}"]
    offset = 0
    for name, dtype, a in named:
        parts.append(f'{dump(name)}:{{"dtype":"{dtype}","shape":[{",".join(map(str, a.shape))}],"data_offsets":[{offset},{offset + a.nbytes}]}}')
        offset += a.nbytes
    header = ("{" + ",".join(parts) + "}").encode("utf-8")
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + b"".join(a.tobytes() for _, _, a in named)
