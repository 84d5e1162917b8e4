"""Shapes and parameters of an op list (docs/EXPORT_FORMAT.md §2–3).

Walking the ops from the input shape gives every tensor's shape (per image: [H, W, C] maps or
[C] vectors) and every parameter in the order the file stores them, named by the doc's rule:
``<op>.w`` (conv, depthwise and dense weights), ``<op>.scale``, ``<op>.gamma|beta|mean|variance``,
``<op>.threshold`` (rsign), ``<op>.shift_in|slope|shift_out`` (rprelu) and ``<op>.b``. A graph whose shapes do not fit together is refused.
"""

from dataclasses import dataclass

from .errors import ModelFileError
from .ops import INPUT


@dataclass(frozen=True)
class Param:
    name: str
    tensor: str  # 'params' (F32), 'bits' (U8) or 'latent' (F32)
    shape: tuple
    role: str  # 'float', 'bits', 'scale' or 'latent'
    op: str

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


def packed_bytes(cin: int) -> int:
    return (cin + 7) // 8


def _fail(i, op, message):
    raise ModelFileError("architecture", f"line {i + 1} ({op.name}): {message}")


def infer(ops, input_shape, classes, with_latent=False):
    """Returns (shapes: name -> shape, params: [Param] in file order, cin: conv name -> input channels)."""
    shapes = {INPUT: tuple(input_shape)}
    params = []
    cins = {}
    for i, op in enumerate(ops):
        ins = [shapes[name] for name in op.inputs]
        x = ins[0]
        a = op.attrs
        is_map = len(x) == 3
        add = lambda name, tensor, shape, role: params.append(Param(name, tensor, tuple(shape), role, op.name))  # noqa: E731
        if op.kind in ("conv2d", "bconv2d", "dwconv2d", "shortcut_a", "avgpool", "global_avgpool") and not is_map:
            _fail(i, op, f"{op.kind} needs a feature map [H, W, C], its input is a vector [{x[0]}]")
        if op.kind in ("conv2d", "bconv2d"):
            h, w, cin = x
            k, s, p, cout = a["k"], a["stride"], a["pad"], a["out"]
            ho, wo = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
            if ho < 1 or wo < 1:
                _fail(i, op, f"a {k}×{k} kernel with padding {p} does not fit the {h}×{w} input")
            cins[op.name] = cin
            if op.kind == "conv2d":
                add(f"{op.name}.w", "params", (k, k, cin, cout), "float")
            else:
                add(f"{op.name}.w", "bits", (cout, k, k, packed_bytes(cin)), "bits")
                if a["scale"]:
                    add(f"{op.name}.scale", "params", (cout,), "scale")
                if with_latent:
                    add(f"{op.name}.w", "latent", (k, k, cin, cout), "latent")
            y = (ho, wo, cout)
        elif op.kind == "dwconv2d":
            h, w, c = x
            k, p, m = a["k"], a["pad"], a["mult"]
            ho, wo = h + 2 * p - k + 1, w + 2 * p - k + 1
            if ho < 1 or wo < 1:
                _fail(i, op, f"a {k}×{k} kernel with padding {p} does not fit the {h}×{w} input")
            add(f"{op.name}.w", "params", (k, k, c, m), "float")
            y = (ho, wo, c * m)
        elif op.kind == "batchnorm":
            for part in ("gamma", "beta", "mean", "variance"):
                add(f"{op.name}.{part}", "params", (x[-1],), "float")
            y = x
        elif op.kind == "hardtanh":
            y = x
        elif op.kind == "rsign":
            add(f"{op.name}.threshold", "params", (x[-1],), "float")
            y = x
        elif op.kind == "rprelu":
            for part in ("shift_in", "slope", "shift_out"):
                add(f"{op.name}.{part}", "params", (x[-1],), "float")
            y = x
        elif op.kind == "add":
            if ins[0] != ins[1]:
                _fail(i, op, f"adds shapes {list(ins[0])} and {list(ins[1])}, which differ")
            y = x
        elif op.kind == "shortcut_a":
            h, w, c = x
            s = a["stride"]
            y = (-(-h // s), -(-w // s), c + a["before"] + a["after"])
        elif op.kind == "avgpool":
            h, w, c = x
            k = a["size"]
            if k > h or k > w:
                _fail(i, op, f"a {k}×{k} window does not fit the {h}×{w} input")
            y = (h // k, w // k, c)
        elif op.kind == "concat":
            if any(len(s) != len(x) or s[:-1] != x[:-1] for s in ins):
                _fail(i, op, f"concatenates shapes {[list(s) for s in ins]}, which differ in more than their channels")
            y = x[:-1] + (sum(s[-1] for s in ins),)
        elif op.kind == "slice_channels":
            if a["count"] > x[-1]:
                _fail(i, op, f"keeps {a['count']} channels of {x[-1]}")
            y = x[:-1] + (a["count"],)
        elif op.kind == "global_avgpool":
            y = (x[2],)
        elif op.kind == "dense":
            if is_map:
                _fail(i, op, f"dense needs a vector, its input is a map {list(x)}")
            add(f"{op.name}.w", "params", (x[0], a["out"]), "float")
            add(f"{op.name}.b", "params", (a["out"],), "float")
            y = (a["out"],)
        else:  # parse_ops admits no other kind
            _fail(i, op, f"unknown op {op.kind}")
        shapes[op.name] = y
    last = ops[-1]
    if shapes[last.name] != (classes,):
        raise ModelFileError(
            "architecture", f"the last op ({last.name}) gives {list(shapes[last.name])}; the logits must be a vector of {classes} values, one per class name"
        )
    return shapes, params, cins
