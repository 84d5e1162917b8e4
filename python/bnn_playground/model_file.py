"""Reads and writes BNN Playground model files (docs/EXPORT_FORMAT.md), versions 1 and 2.

``load_model`` applies every rule of the doc and returns a :class:`Model` whose parameters are
named by the doc's rule; anything else raises :class:`ModelFileError` with the app's code.
``write_model`` writes version 2.

Longer than the other modules on purpose: the reader's rules follow the doc section by section in
one place, so each refusal can be checked against the doc.
"""

import json
import math
import os
from dataclasses import dataclass

import numpy as np

from . import config as configs
from . import strict_json
from .errors import ModelFileError
from .graph import infer
from .ops import Op, OpsError, encode_ops, parse_ops
from .safetensors import SafetensorsError, header_length, read_safetensors, write_safetensors

FORMAT_NAME = "bnn-playground"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


@dataclass
class Model:
    """A checked model file. Parameters are float32 numpy arrays in the file's layout: conv
    weights HWIO ``[k, k, cin, cout]``, packed bits ``[cout, k, k, ceil(cin/8)]``."""

    format_version: int
    config: dict
    dataset: dict
    test_accuracy: object  # float in [0, 1] or None
    ops: list
    shapes: dict
    params: dict  # every float parameter by name, binary scales ('<op>.scale') included
    bits: dict  # packed signs of every binary conv, by its weight's name '<op>.w'
    latent: object  # None, or every binary conv's latent float weight (HWIO) by '<op>.w'
    cin: dict  # input channels of every conv, by op name

    @property
    def class_names(self):
        return list(self.dataset["classNames"])

    @property
    def input_shape(self):
        return tuple(self.dataset["inputShape"])

    def signs(self, conv: str) -> np.ndarray:
        """±1 HWIO [k, k, cin, cout] of a binary conv: bit 1 means −1, least significant bit first."""
        # doc:begin binary-signs
        packed = self.bits[f"{conv}.w"]  # U8 [cout, k, k, ceil(cin / 8)]
        bits = np.unpackbits(packed, axis=-1, bitorder="little")[..., : self.cin[conv]]
        return (1.0 - 2.0 * bits).astype(np.float32).transpose(1, 2, 3, 0)
        # doc:end binary-signs

    def binary_weight(self, conv: str) -> np.ndarray:
        """Bw = s · α (α = 1 without a scale), HWIO."""
        s = self.signs(conv)
        scale = self.params.get(f"{conv}.scale")
        return s if scale is None else s * scale


def load_model(source, max_bytes: int = 256 * 1024 * 1024) -> Model:
    """Reads a model file (a path or its bytes) and checks every rule of the doc."""
    data = _read(source)
    try:
        meta, tensors, dtypes = read_safetensors(data, max_bytes=max_bytes, reject_non_finite=True)
    except SafetensorsError as e:
        raise ModelFileError(f"safetensors_{e.code}", str(e).replace("safetensors: ", "", 1)) from None
    _check_padding(data)
    if meta.get("format") != FORMAT_NAME:
        found = repr(meta["format"]) if "format" in meta else "missing"
        raise ModelFileError("not_model_file", f"not a BNN Playground model: __metadata__ format is {found}, expected '{FORMAT_NAME}'")
    version = meta.get("format_version")
    typed = {name: (dtypes[name], t) for name, t in tensors.items()}
    if version == "1":
        return _read_v1(meta, typed)
    if version == "2":
        return _read_v2(meta, typed)
    found = "missing" if version is None else repr(version)
    raise ModelFileError("format_version", f"unsupported format version {found}; this reader reads versions 1 and 2")


def _read(source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    with open(os.fspath(source), "rb") as f:
        return f.read()


def _check_padding(data: bytes) -> None:
    n = header_length(data)
    if n % 8:
        raise ModelFileError("header_padding", f"the header is {n} bytes; it must be padded with spaces to a multiple of 8")
    if not data[8 : 8 + n].rstrip(b" ").endswith(b"}"):
        raise ModelFileError("header_padding", "the header must end with its JSON object padded by spaces (0x20) only")


def _json(meta, key, code):
    if key not in meta:
        raise ModelFileError(code, f"__metadata__ has no '{key}' entry")
    try:
        return strict_json.loads(meta[key])
    except strict_json.StrictJsonError as e:
        raise ModelFileError(code, f"__metadata__ '{key}' is not acceptable JSON: {e}") from None


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _dataset(meta) -> dict:
    d = _json(meta, "dataset", "dataset")
    bad = lambda message: ModelFileError("dataset", f"__metadata__ 'dataset' does not match its schema: {message}")  # noqa: E731
    if not isinstance(d, dict):
        raise bad("must be an object")
    fields = {"name", "inputShape", "mean", "std", "classNames"}
    if set(d) != fields:
        raise bad(f"needs exactly the fields {', '.join(sorted(fields))}, found {', '.join(sorted(d))}")
    if d["name"] not in configs.DATASET_NAMES:
        raise bad(f"name: unknown dataset {d['name']!r} (known: {', '.join(configs.DATASET_NAMES)})")
    shape = d["inputShape"]
    if not (isinstance(shape, list) and len(shape) == 3 and all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 1_000_000 for v in shape)):
        raise bad("inputShape: must be three positive integers [H, W, C]")
    for key in ("mean", "std"):
        values = d[key]
        if not (isinstance(values, list) and 1 <= len(values) <= 16 and all(_finite(v) for v in values)):
            raise bad(f"{key}: must be 1 to 16 finite numbers")
    for i, v in enumerate(d["std"]):
        if v <= 0:
            raise bad(f"std.{i}: must be positive")
    names = d["classNames"]
    if not (isinstance(names, list) and 2 <= len(names) <= 1000 and all(isinstance(n, str) and 1 <= len(n) <= 200 for n in names)):
        raise bad("classNames: must be 2 to 1000 non-empty strings")
    return d


def _check_dataset(d, config) -> None:
    if d["name"] != config["dataset"]:
        raise ModelFileError("dataset", f"dataset is '{d['name']}' but the config trains on '{config['dataset']}'")
    shape = configs.DATASET_SHAPES[config["dataset"]]
    if list(d["inputShape"]) != shape:
        raise ModelFileError("dataset", f"input shape {d['inputShape']} does not match {config['dataset']}'s {shape}")
    if len(d["mean"]) != shape[2] or len(d["std"]) != shape[2]:
        raise ModelFileError("dataset", f"mean and std need {shape[2]} channel(s), found {len(d['mean'])} and {len(d['std'])}")


def _test_accuracy(meta):
    v = _json(meta, "test_accuracy", "metadata")
    if v is not None and not (_finite(v) and 0 <= v <= 1):
        raise ModelFileError("metadata", f"__metadata__ 'test_accuracy' does not match its schema: {v!r} is not null or a number in [0, 1]")
    return v


def _check_technique(ops, config) -> None:
    """The graph agrees with the config on what a reader needs: binary convs exactly in a binary
    model, and a scale on each exactly when the weight transform has one."""
    binary = [op for op in ops if op.kind == "bconv2d"]
    if config["precision"] == "full" and binary:
        raise ModelFileError("architecture", f"op {binary[0].name} is a binary conv, but the config's precision is 'full'")
    if config["precision"] == "binary" and not binary:
        raise ModelFileError("architecture", "the config's precision is 'binary', but the op list has no binary conv")
    want = 0 if config["weightTransform"] == "none" else 1
    for op in binary:
        if op.attrs["scale"] != want:
            raise ModelFileError(
                "architecture", f"op {op.name} has scale={op.attrs['scale']}, but weight transform '{config['weightTransform']}' means scale={want}"
            )


def _tensor(tensors, name, dtype, shape):
    """A tensor the layout needs, with its dtype ('F32' or 'U8') and shape."""
    if name not in tensors:
        raise ModelFileError("missing_tensor", f"file has no tensor '{name}'")
    found, t = tensors[name]
    if found != dtype:
        raise ModelFileError("tensor_mismatch", f"tensor '{name}' has dtype {found}, expected {dtype}")
    if tuple(t.shape) != tuple(shape):
        raise ModelFileError("tensor_mismatch", f"tensor '{name}' has shape {list(t.shape)}, expected {list(shape)}")
    return t


def _check_values(params, bits, cins, ops) -> None:
    variances = {f"{op.name}.variance" for op in ops if op.kind == "batchnorm"}
    for name, values in params.items():
        what = "scale" if name.endswith(".scale") else "variance" if name in variances else None
        if what is not None and (values < 0).any():
            i = int(np.flatnonzero(values < 0)[0])
            raise ModelFileError("bad_value", f"'{name}' holds a negative {what} ({values.reshape(-1)[i]}) at element {i}")
    for name, packed in bits.items():
        cin = cins[name[: -len(".w")]]
        if cin % 8:
            mask = 0xFF & ~((1 << (cin % 8)) - 1)
            if (packed[..., -1] & mask).any():
                raise ModelFileError("padding_bits", f"'{name}' has non-zero padding bits (past channel {cin - 1})")


# ----------------------------------------------------------------------------- version 2


def _read_v2(meta, tensors) -> Model:
    dataset = _dataset(meta)
    try:
        config = configs.config_from_diff(_json(meta, "config", "config"), dataset["name"])
    except configs.ConfigError as e:
        raise ModelFileError("config", f"the run config is invalid: {e}") from None
    _check_dataset(dataset, config)
    test_accuracy = _test_accuracy(meta)
    if "ops" not in meta:
        raise ModelFileError("architecture", "__metadata__ has no 'ops' entry")
    try:
        ops = parse_ops(meta["ops"])
    except OpsError as e:
        raise ModelFileError("architecture", f"the op list is malformed: {e}") from None
    _check_technique(ops, config)

    for name in tensors:
        if name not in ("params", "bits", "latent"):
            raise ModelFileError("unexpected_tensor", f"unexpected tensor '{name}' (a version-2 file holds only params, bits and latent)")
    has_latent = "latent" in tensors
    if has_latent and config["precision"] != "binary":
        raise ModelFileError("unexpected_tensor", "unexpected tensor 'latent': a full-precision model has no latent weights")
    shapes, layout, cins = infer(ops, dataset["inputShape"], len(dataset["classNames"]), with_latent=has_latent)
    lengths = {t: sum(p.size for p in layout if p.tensor == t) for t in ("params", "bits", "latent")}
    if lengths["bits"] == 0 and "bits" in tensors:
        raise ModelFileError("unexpected_tensor", "unexpected tensor 'bits': the op list has no binary conv")
    flat = {"params": _tensor(tensors, "params", "F32", (lengths["params"],))}
    if lengths["bits"]:
        flat["bits"] = _tensor(tensors, "bits", "U8", (lengths["bits"],))
    if lengths["latent"]:
        flat["latent"] = _tensor(tensors, "latent", "F32", (lengths["latent"],))
    # doc:begin layout-walk
    parts = {"params": {}, "bits": {}, "latent": {}}
    at = {"params": 0, "bits": 0, "latent": 0}
    for p in layout:  # every parameter in op order, each tensor read front to back
        parts[p.tensor][p.name] = flat[p.tensor][at[p.tensor] : at[p.tensor] + p.size].reshape(p.shape)
        at[p.tensor] += p.size
    # doc:end layout-walk
    _check_values(parts["params"], parts["bits"], cins, ops)
    return Model(2, config, dataset, test_accuracy, ops, shapes, parts["params"], parts["bits"], parts["latent"] if has_latent else None, cins)


def write_model(model: Model) -> bytes:
    """The model as a version-2 file (checked by reading it back)."""
    _, layout, _ = infer(model.ops, model.dataset["inputShape"], len(model.dataset["classNames"]), with_latent=model.latent is not None)
    source = {"params": model.params, "bits": model.bits, "latent": model.latent or {}}
    flat = {"params": [], "bits": [], "latent": []}
    for p in layout:
        value = np.asarray(source[p.tensor][p.name])
        if tuple(value.shape) != p.shape:
            raise ValueError(f"{p.tensor} '{p.name}' has shape {list(value.shape)}, expected {list(p.shape)}")
        flat[p.tensor].append(value.astype(np.uint8 if p.tensor == "bits" else np.float32).reshape(-1))
    tensors = {name: np.concatenate(parts) for name, parts in flat.items() if parts}
    dump = lambda v: json.dumps(v, separators=(",", ":"), ensure_ascii=False)  # noqa: E731
    d = model.dataset
    meta = {
        "format": FORMAT_NAME,
        "format_version": str(FORMAT_VERSION),
        "ops": encode_ops(model.ops),
        "config": dump(configs.config_diff(model.config)),
        "dataset": dump({"name": d["name"], "inputShape": list(d["inputShape"]), "mean": list(d["mean"]), "std": list(d["std"]), "classNames": list(d["classNames"])}),
        "test_accuracy": dump(model.test_accuracy),
    }
    data = write_safetensors(tensors, meta)
    load_model(data)
    return data


# ----------------------------------------------------------------------------- version 1

_V1_FIELDS = {
    "conv2d": {"op", "name", "input", "output", "weight", "scale", "kernel", "stride", "pad", "cin", "cout", "binary", "inH", "inW", "outH", "outW"},
    "dwconv2d": {"op", "name", "input", "output", "weight", "kernel", "pad", "channels", "multiplier", "h", "w"},
    "batchnorm": {"op", "name", "input", "output", "channels", "gamma", "beta", "mean", "variance", "epsilon"},
    "hardtanh": {"op", "name", "input", "output"},
    "add": {"op", "name", "inputs", "output"},
    "shortcut_a": {"op", "name", "input", "output", "stride", "padBefore", "padAfter"},
    "avgpool": {"op", "name", "input", "output", "size"},
    "concat": {"op", "name", "inputs", "output"},
    "slice_channels": {"op", "name", "input", "output", "count"},
    "global_avgpool": {"op", "name", "input", "output"},
    "dense": {"op", "name", "input", "output", "weight", "bias", "cin", "cout"},
}


def upgrade_config(config):
    """Configs of earlier app versions, read as the app reads them (upgradeRunConfig in
    src/bnn/config.ts): one `estimator` key (before per-tensor estimators), and no `rsign` and
    `blockActivation` (before ReActNet's ops: both off)."""
    if not isinstance(config, dict):
        return config
    if "estimator" in config and "activationEstimator" not in config and "weightEstimator" not in config:
        old = {k: v for k, v in config.items() if k != "estimator"}
        config = {
            **old,
            "dataset": "mnist-small" if old.get("dataset") == "mnist" else old.get("dataset"),
            "activationEstimator": config["estimator"],
            "weightEstimator": config["estimator"],
            "latentLr": old.get("latentLr", old.get("lr")),
            "latentInitScale": old.get("latentInitScale", 1),
            "warmupSteps": old.get("warmupSteps", 0),
            "weightDecay": 0 if old.get("optimizer") == "adam" else old.get("weightDecay"),
            "kd": old.get("kd") is True and old.get("distill") is True,
            "bnCalibration": old.get("bnCalibration", 0),
        }
    if "rsign" in config and "blockActivation" in config:
        return config
    return {**config, "rsign": config.get("rsign", False), "blockActivation": config.get("blockActivation", "hardtanh")}


def _v1_ops(arch, dataset, config):
    bad = lambda message: ModelFileError("architecture", f"__metadata__ 'architecture' does not match its schema: {message}")  # noqa: E731
    if not isinstance(arch, dict) or set(arch) != {"input", "classes", "depth", "width", "output", "stageOutputs", "lastStage", "ops"}:
        raise bad("needs exactly input, classes, depth, width, output, stageOutputs, lastStage and ops")
    if not isinstance(arch["ops"], list) or not arch["ops"]:
        raise bad("ops must be a non-empty list")
    lines = []
    refs = {}  # rule name -> the tensor name the v1 op list gives
    for i, o in enumerate(arch["ops"]):
        if not isinstance(o, dict) or o.get("op") not in _V1_FIELDS or set(o) != _V1_FIELDS[o["op"]]:
            raise bad(f"ops.{i}: not a version-1 op with exactly its fields")
        if o["output"] != o["name"]:
            raise bad(f"ops.{i}: output must equal name")
        kind, name = o["op"], o["name"]
        ins = list(o["inputs"]) if "inputs" in o else [o["input"]]
        if kind == "conv2d":
            attrs = {"out": o["cout"], "k": o["kernel"], "stride": o["stride"], "pad": o["pad"]}
            if o["binary"]:
                kind, attrs["scale"] = "bconv2d", 0 if o["scale"] is None else 1
                if o["scale"] is not None:
                    refs[f"{name}.scale"] = o["scale"]
            refs[f"{name}.w"] = o["weight"]
        elif kind == "dwconv2d":
            attrs = {"mult": o["multiplier"], "k": o["kernel"], "pad": o["pad"]}
            refs[f"{name}.w"] = o["weight"]
        elif kind == "batchnorm":
            attrs = {"eps": o["epsilon"]}
            for part in ("gamma", "beta", "mean", "variance"):
                refs[f"{name}.{part}"] = o[part]
        elif kind == "dense":
            attrs = {"out": o["cout"]}
            refs[f"{name}.w"], refs[f"{name}.b"] = o["weight"], o["bias"]
        elif kind == "shortcut_a":
            attrs = {"stride": o["stride"], "before": o["padBefore"], "after": o["padAfter"]}
        elif kind == "avgpool":
            attrs = {"size": o["size"]}
        elif kind == "slice_channels":
            attrs = {"count": o["count"]}
        else:
            attrs = {}
        lines.append((o, Op(kind, name, ins, attrs)))
    # The verbose op list through the version-2 grammar: the same checks on names, inputs and values.
    try:
        ops = parse_ops(encode_ops([op for _, op in lines]))
    except (OpsError, KeyError, TypeError, ValueError) as e:
        raise ModelFileError("architecture", f"the op list is malformed: {e}") from None
    if list(arch["input"]) != list(dataset["inputShape"]) or arch["classes"] != len(dataset["classNames"]):
        raise ModelFileError("architecture", "architecture input and classes must match the dataset's input shape and class names")
    if (arch["depth"], arch["width"]) != (config["depth"], config["width"]):
        raise ModelFileError("architecture", "architecture depth and width must match the config's")
    if arch["output"] != ops[-1].name:
        raise ModelFileError("architecture", f"output '{arch['output']}' must be the last op")
    return lines, ops, refs


def _read_v1(meta, tensors) -> Model:
    raw = upgrade_config(_json(meta, "config", "config"))
    if not isinstance(raw, dict):
        raise ModelFileError("config", "the run config is invalid: config must be a JSON object")
    try:
        configs.check_config(raw)
    except configs.ConfigError as e:
        raise ModelFileError("config", f"the run config is invalid: {e}") from None
    config = raw
    dataset = _dataset(meta)
    _check_dataset(dataset, config)
    test_accuracy = _test_accuracy(meta)
    if meta.get("latent") not in ("true", "false"):
        raise ModelFileError("metadata", "__metadata__ latent must be 'true' or 'false'")
    has_latent = meta["latent"] == "true"
    if has_latent and config["precision"] != "binary":
        raise ModelFileError("metadata", "a full-precision model has no latent weights, but latent is true")
    lines, ops, refs = _v1_ops(_json(meta, "architecture", "architecture"), dataset, config)
    _check_technique(ops, config)
    shapes, layout, cins = infer(ops, dataset["inputShape"], len(dataset["classNames"]), with_latent=has_latent)
    for o, op in lines:  # the stored sizes must be the ones the shapes give
        if o["op"] == "conv2d":
            stored = (o["cin"], o["inH"], o["inW"], o["outH"], o["outW"])
            h, w, c = shapes[op.inputs[0]]
            if stored != (c, h, w) + shapes[op.name][:2]:
                raise ModelFileError("architecture", f"op {op.name}: cin, inH, inW, outH, outW {list(stored)} do not match its input")
        if o["op"] == "dwconv2d" and (o["channels"], o["h"], o["w"]) != (shapes[op.inputs[0]][2],) + shapes[op.name][:2]:
            raise ModelFileError("architecture", f"op {op.name}: channels, h, w do not match its input")
        if o["op"] in ("batchnorm",) and o["channels"] != shapes[op.inputs[0]][-1]:
            raise ModelFileError("architecture", f"op {op.name}: channels do not match its input")
        if o["op"] == "dense" and o["cin"] != shapes[op.inputs[0]][0]:
            raise ModelFileError("architecture", f"op {op.name}: cin does not match its input")
    expected = {}
    for p in layout:
        name = f"latent.{refs[p.name]}" if p.tensor == "latent" else refs[p.name]
        expected[name] = p
    parts = {"params": {}, "bits": {}, "latent": {}}
    for name, p in expected.items():
        parts[p.tensor][p.name] = _tensor(tensors, name, "U8" if p.tensor == "bits" else "F32", p.shape)
    for name in tensors:
        if name not in expected:
            raise ModelFileError("unexpected_tensor", f"unexpected tensor '{name}'")
    _check_values(parts["params"], parts["bits"], cins, ops)
    return Model(1, config, dataset, test_accuracy, ops, shapes, parts["params"], parts["bits"], parts["latent"] if has_latent else None, cins)

