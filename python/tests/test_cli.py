import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from .support import fixtures

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    return subprocess.run([sys.executable, "-m", "bnn_playground", *map(str, args)], capture_output=True, text=True, env=env)


class PredictCommandTest(unittest.TestCase):
    def test_prints_accuracy_writes_predictions_and_checks_them_against_the_app(self):
        folder = fixtures("models", "xnor")
        data = fixtures("data", "mnist-small-test.safetensors")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp, "predictions.json")
            r = run("predict", folder / "model.safetensors", "--images", data, "--out", out, "--check", folder / "predictions.json")
            self.assertEqual(r.returncode, 0, r.stderr)
            rows = json.loads(out.read_text())
            app = json.loads((folder / "predictions.json").read_text())
            self.assertEqual(len(rows), 1424)
            self.assertEqual([(p["index"], p["label"]) for p in rows], [(p["index"], p["label"]) for p in app])
            correct = sum(p["label"] == p["predicted"] for p in rows)
            self.assertIn(f"accuracy    {100 * correct / 1424:.2f}% ({correct}/1424)", r.stdout)
            self.assertIn("classes     1424/1424 agree", r.stdout)
            self.assertEqual([p["predicted"] for p in rows], [p["predicted"] for p in app])

    def test_a_bad_model_file_is_an_error_with_its_reason(self):
        data = fixtures("data", "mnist-small-test.safetensors")
        with tempfile.TemporaryDirectory() as tmp:
            broken = Path(tmp, "broken.safetensors")
            broken.write_bytes((fixtures("models", "vanilla", "model.safetensors")).read_bytes()[:-3])
            r = run("predict", broken, "--images", data, "--out", "-")
            self.assertEqual(r.returncode, 1)
            self.assertIn("error: model file: ", r.stderr)
            r = run("predict", fixtures("models", "vanilla", "model.safetensors"), "--images", broken, "--out", "-")
            self.assertEqual(r.returncode, 1)

    def test_usage_errors_exit_with_2(self):
        r = run("predict")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--images", r.stderr)
