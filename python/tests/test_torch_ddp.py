import json
import os
import subprocess
import sys
import unittest
from pathlib import Path

from bnn_playground import load_model, predict, read_data_file

from .support import fixtures, require_torch

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "continue_ddp.py"


def setUpModule():
    require_torch()


class DistributedContinuationTest(unittest.TestCase):
    """The documented example: a run continued by 2 gloo processes on the CPU, written back.

    It leaves its model and report in BNN_FIXTURES/continued/, where the app-side check of the
    round trip (scripts/python.test.ts) imports the model and evaluates it."""

    def test_two_processes_continue_a_run_and_write_a_file_the_reader_accepts(self):
        out = fixtures("continued")
        out.mkdir(exist_ok=True)
        model, report = out / "model.safetensors", out / "report.json"
        args = [
            sys.executable, str(EXAMPLE), str(fixtures("models", "irnet", "model.safetensors")),
            "--train", str(fixtures("data", "mnist-small-train.safetensors")),
            "--test", str(fixtures("data", "mnist-small-test.safetensors")),
            "--steps", "6", "--batch", "16", "--nproc", "2", "--out", str(model), "--report", str(report),
        ]  # fmt: skip
        r = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}, timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("test accuracy", r.stdout)
        rep = json.loads(report.read_text())
        self.assertEqual((rep["processes"], rep["steps"], len(rep["losses"])), (2, 6, 6))
        # DDP kept both processes' parameters equal
        self.assertEqual(rep["parameter_checksums"][0], rep["parameter_checksums"][1])
        continued = load_model(model)
        self.assertIsNotNone(continued.latent)
        self.assertEqual(continued.test_accuracy, rep["accuracy"])
        source = load_model(fixtures("models", "irnet", "model.safetensors"))
        self.assertEqual(continued.ops, source.ops)
        self.assertEqual(continued.config, source.config)
        self.assertTrue(any((continued.latent[k] != source.latent[k]).any() for k in source.latent))
        # numpy runs the written file to the accuracy PyTorch reported
        test = read_data_file(fixtures("data", "mnist-small-test.safetensors"))
        logits, _ = predict(continued, test.images)
        self.assertAlmostEqual(float((logits.argmax(1) == test.labels).mean()), rep["accuracy"], delta=0.001)
