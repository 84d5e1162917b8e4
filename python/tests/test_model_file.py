import json
import unittest

import numpy as np

from bnn_playground import ModelFileError, load_model, write_model
from bnn_playground.config import BASELINE_V2
from bnn_playground.graph import infer
from bnn_playground.model_file import Model
from bnn_playground.ops import parse_ops
from bnn_playground.safetensors import read_safetensors

from .support import REPO, fixture_models, fixtures


class AppFilesTest(unittest.TestCase):
    def test_every_app_export_loads_and_writes_back_byte_for_byte(self):
        for name, folder in fixture_models():
            with self.subTest(name):
                data = (folder / "model.safetensors").read_bytes()
                m = load_model(data)
                self.assertEqual(m.format_version, 2)
                metrics = json.loads((folder / "metrics.json").read_text())
                self.assertEqual(m.config, metrics["config"])
                self.assertEqual(m.test_accuracy, metrics["final"]["testAccuracy"])
                self.assertEqual(write_model(m), data)

    def test_parameters_are_named_by_the_rule_and_shaped_hwio(self):
        m = load_model(fixtures("models", "irnet", "model.safetensors"))
        self.assertEqual(m.params["stem.conv.w"].shape, (3, 3, 1, 8))
        self.assertEqual(m.params["s2.b0.conv1.scale"].shape, (16,))
        self.assertEqual(m.bits["s2.b0.conv1.w"].shape, (16, 3, 3, 1))
        self.assertEqual(m.latent["s2.b0.conv1.w"].shape, (3, 3, 8, 16))
        self.assertEqual(m.params["head.fc.w"].shape, (32, 10))
        self.assertEqual(m.signs("s2.b0.conv1").shape, (3, 3, 8, 16))
        self.assertTrue(set(np.unique(m.signs("s2.b0.conv1"))) <= {-1.0, 1.0})
        # Libra-PB's scale is a power of two
        scale = m.params["s2.b0.conv1.scale"]
        np.testing.assert_array_equal(2.0 ** np.round(np.log2(scale)), scale)

    def test_version_1_file_of_the_previous_release(self):
        m = load_model(REPO / "src" / "io" / "fixtures" / "v1-irnet-mnist-small.safetensors")
        self.assertEqual(m.format_version, 1)
        self.assertEqual((m.config["dataset"], m.config["weightTransform"], len(m.ops)), ("mnist-small", "librapb", 32))
        self.assertEqual(m.bits["s1.b0.conv1.w"].shape, (8, 3, 3, 1))
        # read as version 1, written as version 2, read again: the same model
        again = load_model(write_model(m))
        self.assertEqual(again.format_version, 2)
        for name in m.params:
            np.testing.assert_array_equal(again.params[name], m.params[name])
        for name in m.bits:
            np.testing.assert_array_equal(again.bits[name], m.bits[name])


class MalformedModelFilesTest(unittest.TestCase):
    """Spoilt version-2 files (src/io/model-file-malformed.ts): refused with the app's code, except
    those only the app's own check of the op list against its config refuses, which still run."""

    def test_every_case(self):
        folder = fixtures("malformed", "model")
        load_model(folder / "good-binary.safetensors")
        load_model(folder / "good-full.safetensors")
        cases = json.loads((folder / "manifest.json").read_text())
        self.assertGreaterEqual(len(cases), 30)
        for case in cases:
            with self.subTest(case["what"]):
                data = (folder / case["file"]).read_bytes()
                if case["python"] is None:
                    self.assertEqual(load_model(data).format_version, 2)
                    continue
                with self.assertRaises(ModelFileError) as c:
                    load_model(data)
                self.assertEqual(c.exception.code, case["python"], str(c.exception))
                self.assertTrue(str(c.exception).startswith("model file: "))


def tiny_model(cin: int) -> Model:
    """A hand-made binary model: one binary conv straight on a `cin`-channel input."""
    dataset = {"name": "shapes" if cin == 3 else "mnist", "inputShape": [32, 32, 3] if cin == 3 else [28, 28, 1], "mean": [0.5] * cin, "std": [0.25] * cin, "classNames": ["a", "b"]}
    ops = parse_ops("bconv2d c out=8 scale=1\nglobal_avgpool p\nbatchnorm bn\ndense fc out=2")
    shapes, layout, cins = infer(ops, dataset["inputShape"], 2)
    rng = np.random.default_rng(1)
    params = {p.name: rng.random(p.shape, dtype=np.float32) + 0.5 for p in layout if p.tensor == "params"}
    bits = {"c.w": np.zeros((8, 3, 3, 1), dtype=np.uint8)}
    return Model(2, {**BASELINE_V2, "dataset": dataset["name"]}, dataset, None, ops, shapes, params, bits, None, cins)


class RulesTest(unittest.TestCase):
    def test_padding_bits_must_be_zero(self):
        m = tiny_model(3)
        load_model(write_model(m))
        m.bits["c.w"][5, 1, 2, 0] = 0b1000  # channel 3 of 3: a padding bit
        with self.assertRaises(ModelFileError) as c:
            load_model(write_model_unchecked(m))
        self.assertEqual(c.exception.code, "padding_bits")

    def test_the_logits_must_be_one_per_class(self):
        m = tiny_model(1)
        m.dataset["classNames"] = ["a", "b", "c"]
        with self.assertRaises(ModelFileError) as c:
            write_model(m)
        self.assertEqual(c.exception.code, "architecture")
        self.assertIn("one per class name", str(c.exception))

    def test_react_ops_take_their_parameters_in_op_order(self):
        dataset = {"name": "mnist", "inputShape": [28, 28, 1], "mean": [0.5], "std": [0.25], "classNames": ["a", "b"]}
        ops = parse_ops("rsign r\nbconv2d c out=8 scale=1\nrprelu a\nglobal_avgpool p\nbatchnorm bn\ndense fc out=2")
        shapes, layout, cins = infer(ops, dataset["inputShape"], 2)
        self.assertEqual(
            [(p.name, p.tensor, p.shape) for p in layout][:6],
            [("r.threshold", "params", (1,)), ("c.w", "bits", (8, 3, 3, 1)), ("c.scale", "params", (8,)), ("a.shift_in", "params", (8,)), ("a.slope", "params", (8,)), ("a.shift_out", "params", (8,))],
        )
        rng = np.random.default_rng(2)
        params = {p.name: rng.random(p.shape, dtype=np.float32) for p in layout if p.tensor == "params"}
        config = {**BASELINE_V2, "dataset": "mnist", "rsign": True, "blockActivation": "rprelu"}
        m = Model(2, config, dataset, None, ops, shapes, params, {"c.w": np.zeros((8, 3, 3, 1), dtype=np.uint8)}, None, cins)
        data = write_model(m)
        again = load_model(data)
        self.assertEqual((again.config["rsign"], again.config["blockActivation"]), (True, "rprelu"))
        for name, value in params.items():
            np.testing.assert_array_equal(again.params[name], value, err_msg=name)
        meta, _, _ = read_safetensors(data)
        self.assertEqual(meta["config"], '{"rsign":true,"blockActivation":"rprelu"}')  # in the app's key order

    def test_shapes_must_fit(self):
        for text, message in [
            ("global_avgpool p\nbconv2d c out=8", "needs a feature map"),
            ("conv2d a out=4\nconv2d b in=input out=8\nadd s in=a,b\nglobal_avgpool p\ndense fc out=2", "which differ"),
            ("avgpool a size=40\nglobal_avgpool p\ndense fc out=2", "does not fit"),
            ("conv2d a out=4\nslice_channels s count=5\nglobal_avgpool p\ndense fc out=2", "keeps 5 channels of 4"),
            ("conv2d a out=4\ndense fc out=2", "dense needs a vector"),
        ]:
            with self.subTest(text):
                with self.assertRaises(ModelFileError) as c:
                    infer(parse_ops(text), (28, 28, 1), 2)
                self.assertIn(message, str(c.exception))


def write_model_unchecked(m: Model) -> bytes:
    """write_model without reading the result back (to make a bad file on purpose)."""
    import bnn_playground.model_file as mf

    saved = mf.load_model
    mf.load_model = lambda data: None
    try:
        return mf.write_model(m)
    finally:
        mf.load_model = saved
