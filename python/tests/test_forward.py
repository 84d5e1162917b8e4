import unittest

import numpy as np

from bnn_playground import load_model, predict, read_data_file
from bnn_playground.forward import conv2d, dwconv2d, rprelu, rsign, run, sign
from bnn_playground.predictions import compare

from .support import app_logits, fixture_models, fixtures


def conv_loop(x, w, stride, pad):
    """y[n, oy, ox, o] = Σ x[n, oy·s + ky − p, ox·s + kx − p, c] · w[ky, kx, c, o], zero outside."""
    n, h, wd, c = x.shape
    k, _, _, o = w.shape
    ho, wo = (h + 2 * pad - k) // stride + 1, (wd + 2 * pad - k) // stride + 1
    y = np.zeros((n, ho, wo, o))
    for b in range(n):
        for oy in range(ho):
            for ox in range(wo):
                for ky in range(k):
                    for kx in range(k):
                        iy, ix = oy * stride + ky - pad, ox * stride + kx - pad
                        if 0 <= iy < h and 0 <= ix < wd:
                            y[b, oy, ox] += x[b, iy, ix] @ w[ky, kx]
    return y


class OpsTest(unittest.TestCase):
    rng = np.random.default_rng(3)

    def test_conv2d_is_the_closed_form(self):
        for k, stride, pad, h in [(3, 1, 1, 6), (3, 2, 1, 7), (1, 1, 0, 5), (5, 2, 2, 9)]:
            x = self.rng.normal(size=(2, h, h + 1, 3))
            w = self.rng.normal(size=(k, k, 3, 4))
            np.testing.assert_allclose(conv2d(x, w, stride, pad), conv_loop(x, w, stride, pad), rtol=1e-12, atol=1e-12)

    def test_depthwise_conv_output_channel_is_c_times_m_plus_m(self):
        x = self.rng.normal(size=(1, 5, 5, 2))
        w = self.rng.normal(size=(3, 3, 2, 3))
        y = dwconv2d(x, w, 1)
        for c in range(2):
            for m in range(3):
                expected = conv_loop(x[..., c : c + 1], w[:, :, c : c + 1, m : m + 1], 1, 1)[..., 0]
                np.testing.assert_allclose(y[..., c * 3 + m], expected, rtol=1e-12, atol=1e-12)

    def test_rsign_and_rprelu_act_per_channel_on_the_last_axis(self):
        x = self.rng.normal(size=(2, 3, 3, 4))
        t, g, b, z = (self.rng.normal(size=4) for _ in range(4))
        y, r = rsign(x, t), rprelu(x, g, b, z)
        for c in range(4):
            np.testing.assert_array_equal(y[..., c], x[..., c] - t[c])
            s = x[..., c] - g[c]
            np.testing.assert_array_equal(r[..., c], np.array([v if v > 0 else b[c] * v for v in s.ravel()]).reshape(s.shape) + z[c])
        self.assertEqual(rprelu(np.array([0.5]), np.array([0.5]), np.array([3.0]), np.array([0.25]))[0], 0.25)  # s = 0: slope · 0
        np.testing.assert_array_equal(rsign(np.ones((3, 2)), np.array([1.0, -1.0])), [[0, 2]] * 3)  # vectors too

    def test_sign_of_zero_is_plus_one(self):
        np.testing.assert_array_equal(sign(np.array([-1e-30, 0.0, -0.0, 2.0])), [-1, 1, 1, 1])


class AppLogitsTest(unittest.TestCase):
    """numpy float64 against the app's float32 logits on the whole MNIST-small test split."""

    def test_every_preset(self):
        data = read_data_file(fixtures("data", "mnist-small-test.safetensors"))
        for name, folder in fixture_models():
            with self.subTest(name):
                model = load_model(folder / "model.safetensors")
                indices, labels, predicted, logits = app_logits(folder)
                np.testing.assert_array_equal(indices, data.indices)
                np.testing.assert_array_equal(labels, data.labels)
                ours, margins = predict(model, data.images)
                a = compare(data.indices, ours, margins, [{"index": int(i), "predicted": int(p), "logits": list(r)} for i, p, r in zip(indices, predicted, logits)], 1e-4)
                # every image within 1e-4, or one of its sign inputs within 1e-6 of 0
                self.assertTrue(a.explained(), f"{name}: {a.disagreements[:3]} {a.far[:3]}")
                self.assertLess(a.max_relative_clear, 1e-4)
                self.assertEqual(a.same_class, a.images - len(a.disagreements))
                print(f"numpy  {name:22s} classes {a.same_class}/{a.images}, largest logit difference {a.max_relative:.1e}")

    def test_binarisation_before_zero_padding(self):
        """A binary conv of an all-negative input: padded taps contribute 0, not −1."""
        model = load_model(fixtures("models", "vanilla", "model.safetensors"))
        first = next(op for op in model.ops if op.kind == "bconv2d")
        x = -np.ones((1, 28, 28, model.cin[first.name]))
        w = model.binary_weight(first.name)
        y = conv2d(sign(x), w, 1, 1)
        corner = -w[1:, 1:].sum(axis=(0, 1, 2))  # only the 2×2 taps inside the image
        np.testing.assert_allclose(y[0, 0, 0], corner)
        np.testing.assert_allclose(y[0, 5, 5], -w.sum(axis=(0, 1, 2)))
        self.assertEqual(run(model, np.zeros((2, 28, 28, 1))).shape, (2, 10))
