"""The run config of a version-2 file: the keys that differ from a fixed baseline
(docs/EXPORT_FORMAT.md §1.2; the app's src/io/model-file-config.ts), checked against the app's
RunConfig rules (src/bnn/config.ts) for every key of the baseline. No value of the baseline
changes; keys the app gains join it at the value files without them meant (rsign and
blockActivation, ReActNet's techniques off). Keys the baseline does not have come from newer app
versions; they are kept and passed on unchecked.
"""

import copy

BASELINE_V2 = {
    "dataset": "mnist",
    "depth": 8,
    "width": 16,
    "precision": "binary",
    "weightTransform": "librapb",
    "activationEstimator": "ede",
    "weightEstimator": "ede",
    "tMin": 0.1,
    "tMax": 10,
    "pSwitch": 0.5,
    "tkPerEpoch": False,
    "restriction": False,
    "restrictionLambda": 0.15,
    "recovery": "off",
    "recoveryRatio": 4,
    "rsign": False,
    "blockActivation": "hardtanh",
    "distill": False,
    "distillBeta": 1,
    "kd": False,
    "kdTau": 4,
    "teacherRunId": None,
    "optimizer": "adam",
    "lr": 2e-3,
    "latentLr": 5e-3,
    "latentInitScale": 0.1,
    "warmupSteps": 0,
    "momentum": 0.9,
    "weightDecay": 0,
    "batchSize": 32,
    "steps": 2000,
    "evalEvery": 250,
    "evalLimit": 0,
    "bnCalibration": 1000,
    "seed": 1,
    "backend": "wasm",
}

ESTIMATORS = ("ste", "approxsign", "ede", "dte")
# The catalog's datasets and the input shape [H, W, C] each implies (src/data/catalog.ts).
DATASET_SHAPES = {"mnist": [28, 28, 1], "fashion-mnist": [28, 28, 1], "mnist-small": [28, 28, 1], "shapes": [32, 32, 3], "cifar10": [32, 32, 3]}
DATASET_NAMES = tuple(DATASET_SHAPES)


def _choice(*values):
    def ok(v):
        if isinstance(v, bool):
            return False
        if isinstance(values[0], str):
            return isinstance(v, str) and v in values
        return isinstance(v, (int, float)) and v in values

    return ok, f"one of {', '.join(map(str, values))}"


def _number(low, high, low_open=False, high_open=False, integer=False):
    def ok(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return False
        if integer and not float(v).is_integer():
            return False
        above = v > low if low_open else v >= low
        below = v < high if high_open else v <= high
        return above and below

    kind = "an integer" if integer else "a number"
    return ok, f"{kind} in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


_BOOL = (lambda v: isinstance(v, bool), "true or false")

# The RunConfig schema's rule for every key (src/bnn/config.ts).
RULES = {
    "dataset": _choice(*DATASET_NAMES),
    "depth": _choice(8, 14, 20),
    "width": _choice(8, 16, 32),
    "precision": _choice("binary", "full"),
    "weightTransform": _choice("none", "xnor", "librapb", "imb"),
    "activationEstimator": _choice(*ESTIMATORS),
    "weightEstimator": _choice(*ESTIMATORS),
    "tMin": _number(0, 1, low_open=True),
    "tMax": _number(1, 1e4),
    "pSwitch": _number(0, 1, low_open=True, high_open=True),
    "tkPerEpoch": _BOOL,
    "restriction": _BOOL,
    "restrictionLambda": _number(0, 10),
    "recovery": _choice("off", "full", "compact"),
    "recoveryRatio": _number(2, 8, integer=True),
    "rsign": _BOOL,
    "blockActivation": _choice("hardtanh", "rprelu"),
    "distill": _BOOL,
    "distillBeta": _number(0, 100),
    "kd": _BOOL,
    "kdTau": _number(0.5, 20),
    "teacherRunId": (lambda v: v is None or (isinstance(v, str) and len(v) <= 200), "null or a string of at most 200 characters"),
    "optimizer": _choice("adam", "sgd"),
    "lr": _number(0, 10, low_open=True),
    "latentLr": _number(0, 10, low_open=True),
    "latentInitScale": _number(0, 10, low_open=True),
    "warmupSteps": _number(0, 1_000_000, integer=True),
    "momentum": _number(0, 0.999),
    "weightDecay": _number(0, 0.1),
    "batchSize": _number(1, 512, integer=True),
    "steps": _number(1, 1_000_000, integer=True),
    "evalEvery": _number(1, 1_000_000, integer=True),
    "evalLimit": _number(0, 1_000_000, integer=True),
    "bnCalibration": _number(0, 100_000, integer=True),
    "seed": _number(0, 2**31 - 1, integer=True),
    "backend": _choice("webgpu", "webgl", "wasm", "cpu"),
}


class ConfigError(ValueError):
    pass


def check_config(config: dict) -> None:
    """Raises ConfigError naming the first key that breaks the RunConfig rules."""
    for key, (ok, what) in RULES.items():
        if key not in config:
            raise ConfigError(f"{key}: missing")
        if not ok(config[key]):
            raise ConfigError(f"{key}: must be {what}, found {config[key]!r}")
    if (config["distill"] or config["kd"]) and config["precision"] == "full":
        raise ConfigError("distillation needs a binary student: precision must be binary")


def config_from_diff(diff, dataset_name: str) -> dict:
    """The full config: the baseline, the stored keys, then ``dataset`` from the dataset's name."""
    if not isinstance(diff, dict):
        raise ConfigError("config must be a JSON object")
    if "dataset" in diff:
        raise ConfigError("config must not hold 'dataset' (it is the dataset's name)")
    config = {**copy.deepcopy(BASELINE_V2), **diff, "dataset": dataset_name}
    check_config(config)
    return config


def config_diff(config: dict) -> dict:
    """The keys to store: those whose value differs from the baseline, without ``dataset``."""
    out = {}
    for key, value in config.items():
        if key == "dataset":
            continue
        if key not in BASELINE_V2 or not _same(BASELINE_V2[key], value):
            out[key] = value
    return out


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b if not (_numeric(a) and _numeric(b)) else float(a) == float(b)


def _numeric(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
