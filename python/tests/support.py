"""Shared by the tests: where the app-made fixtures are, and optional PyTorch.

The fixtures (BNN_FIXTURES, a folder written by scripts/python-fixtures.ts) are real training
runs of the app; ``npm test`` builds them and runs these tests (scripts/python.test.ts).
Without them the tests that need them skip; with CI=true a missing PyTorch is an error.
"""

import json
import os
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI", "").lower() in ("1", "true")


def fixtures(*parts) -> Path:
    root = os.environ.get("BNN_FIXTURES")
    if not root:
        raise unittest.SkipTest("no app fixtures: set BNN_FIXTURES (npx vitest run scripts/python.test.ts builds them and runs these tests)")
    return Path(root, *parts)


def fixture_models():
    """[(name, folder)] of every app training run in the fixtures."""
    manifest = json.loads(fixtures("manifest.json").read_text())
    return [(m["name"], fixtures("models", m["name"])) for m in manifest["models"]]


def require_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        if CI:
            raise AssertionError("PyTorch is missing (CI needs it: apt-get install python3-torch)") from None
        raise unittest.SkipTest("PyTorch is missing: apt-get install python3-torch") from None


def app_logits(folder: Path):
    """(indices, labels, predicted, logits) of the app's predictions.json."""
    import numpy as np

    rows = json.loads((folder / "predictions.json").read_text())
    return (
        np.array([r["index"] for r in rows]),
        np.array([r["label"] for r in rows]),
        np.array([r["predicted"] for r in rows]),
        np.array([r["logits"] for r in rows], dtype=np.float64),
    )
