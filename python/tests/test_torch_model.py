import unittest

import numpy as np

from bnn_playground import load_model, predict, read_data_file, write_model
from bnn_playground.predictions import compare

from .support import app_logits, fixture_models, fixtures, require_torch


def setUpModule():
    require_torch()


def app_rows(folder):
    indices, _, predicted, logits = app_logits(folder)
    return [{"index": int(i), "predicted": int(p), "logits": list(r)} for i, p, r in zip(indices, predicted, logits)]


class AppLogitsTest(unittest.TestCase):
    """The PyTorch module gives the app's logits on the whole MNIST-small test split."""

    def test_every_preset_from_the_bits_and_from_the_latent_weights(self):
        from bnn_playground.torch import predict_torch

        data = read_data_file(fixtures("data", "mnist-small-test.safetensors"))
        for name, folder in fixture_models():
            model = load_model(folder / "model.safetensors")
            for use_latent in (False, True):
                with self.subTest(f"{name}, {'latent weights' if use_latent else 'bits'}"):
                    logits, margins = predict_torch(model, data.images, use_latent=use_latent)
                    a = compare(data.indices, logits, margins, app_rows(folder), 1e-4)
                    # Every image within 1e-4, or one of its sign inputs within 1e-6 of 0 (recomputing
                    # an XNOR or IMB scale in another summation order moves it by an ulp).
                    self.assertTrue(a.explained(), f"{a.disagreements[:3]} {a.far[:3]}")
                    self.assertLess(a.max_relative_clear, 1e-4)
                    print(f"torch  {name:22s} {'latent' if use_latent else 'bits  '} classes {a.same_class}/{a.images}, largest logit difference {a.max_relative:.1e} ({len(a.far)} images beyond 1e-4, each explained)")

    def test_latent_weights_give_the_file_bits_and_scales(self):
        """The claim of the format: the bits are sign(transformed latent), the scales the transform's."""
        from bnn_playground.torch import BnnNet

        for name, folder in fixture_models():
            model = load_model(folder / "model.safetensors")
            if model.latent is None:
                continue
            with self.subTest(name):
                again = BnnNet(model).to_model(model.test_accuracy)
                for key, bits in model.bits.items():
                    np.testing.assert_array_equal(again.bits[key], bits, err_msg=key)
                for key, value in model.params.items():
                    np.testing.assert_allclose(again.params[key], value, rtol=1e-6, err_msg=key)
                if model.config["weightTransform"] in ("none", "librapb"):  # no float scale, or a power of two: exact
                    self.assertEqual(write_model(again), (folder / "model.safetensors").read_bytes())


class TrainingTest(unittest.TestCase):
    def test_a_few_steps_change_the_weights_and_export_a_file_that_runs_the_same(self):
        import torch

        from bnn_playground.torch import BnnNet
        from bnn_playground.torch.train import batch_indices, evaluate, make_optimizer, set_learning_rates, train_step

        torch.manual_seed(0)
        train = read_data_file(fixtures("data", "mnist-small-train.safetensors"))
        test = read_data_file(fixtures("data", "mnist-small-test.safetensors"))
        for name in ("irnet", "dirnet", "ir2net", "reactnet"):
            with self.subTest(name):
                source = load_model(fixtures("models", name, "model.safetensors"))
                net = BnnNet(source)
                optimizer = make_optimizer(net)
                net.set_progress(0.5)
                before = {k: v.clone() for k, v in net.state_dict().items()}
                for step in range(4):
                    set_learning_rates(optimizer, step, 4)
                    idx = batch_indices(len(train.labels), 16, step, 1)
                    loss, _ = train_step(net, optimizer, net.prepare(train.images[idx]), torch.from_numpy(train.labels[idx].astype("int64")))
                    self.assertTrue(np.isfinite(loss))
                after = net.state_dict()
                self.assertTrue(any(not torch.equal(before[k], after[k]) for k in before if k.endswith("conv1.weight")))
                self.assertFalse(torch.equal(before["stem.bn.running_mean"], after["stem.bn.running_mean"]))
                if name == "reactnet":  # RSign's thresholds and RPReLU's shifts and slopes learn too
                    for key in ("s1.b0.rsign1.threshold", "s1.b0.act1.shift_in", "s1.b0.act1.slope", "s1.b0.act1.shift_out"):
                        self.assertFalse(torch.equal(before[key], after[key]), key)
                accuracy, logits = evaluate(net, test.images, test.labels)
                exported = load_model(write_model(net.to_model(accuracy)))
                self.assertEqual(exported.test_accuracy, accuracy)
                ours, margins = predict(exported, test.images)
                a = compare(test.indices, ours, margins, [{"index": int(i), "predicted": int(p), "logits": list(r)} for i, p, r in zip(test.indices, logits.argmax(1).numpy(), logits.double().numpy())], 1e-4)
                self.assertTrue(a.explained(), f"{a.disagreements[:3]} {a.far[:3]}")
