import math
import unittest

import numpy as np

from .support import require_torch


def setUpModule():
    require_torch()


class EstimatorsTest(unittest.TestCase):
    xs = [-3.0, -1.5, -1.0, -0.75, -0.5, -1e-7, 0.0, 1e-7, 0.25, 0.5, 1.0, 1.0001, 2.0]

    def grad(self, estimator, tk, xs=None):
        import torch

        from bnn_playground.torch import binarize

        x = torch.tensor(xs or self.xs, dtype=torch.float64, requires_grad=True)
        y = binarize(x, estimator, tk)
        y.sum().backward()
        return y.detach().numpy(), x.grad.numpy()

    def test_forward_is_sign_with_sign_of_zero_plus_one(self):
        for estimator in ("ste", "approxsign", "ede", "dte"):
            y, _ = self.grad(estimator, (2.0, 1.0))
            np.testing.assert_array_equal(y, [1.0 if x >= 0 else -1.0 for x in self.xs])

    def test_backward_is_the_closed_form(self):
        cases = [
            ("ste", (1, 1), lambda x: 1.0 if abs(x) <= 1 else 0.0),
            ("approxsign", (1, 1), lambda x: 2 - 2 * abs(x) if abs(x) <= 1 else 0.0),
            ("ede", (0.1, 10), lambda x: 10 * 0.1 * (1 - math.tanh(0.1 * x) ** 2)),
            ("ede", (10, 1), lambda x: 10 * (1 - math.tanh(10 * x) ** 2)),
        ]
        for estimator, tk, closed in cases:
            with self.subTest(f"{estimator} t={tk[0]} k={tk[1]}"):
                _, g = self.grad(estimator, tk)
                np.testing.assert_allclose(g, [closed(x) for x in self.xs], rtol=1e-12, atol=1e-12)

    def test_dte_measures_the_input_in_its_own_population_std(self):
        xs = [-2.0, -0.5, 0.1, 0.4, 1.2, 3.0]
        mean = sum(xs) / len(xs)
        sigma = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs)) + 1e-8
        for t, k in ((0.5, 2.0), (3.0, 1.0)):
            _, g = self.grad("dte", (t, k), xs)
            np.testing.assert_allclose(g, [k * t * (1 - math.tanh(t * x / sigma) ** 2) / sigma for x in xs], rtol=1e-10)


class WeightTransformsTest(unittest.TestCase):
    """On a [cout = 2, cin = 5, 1, 1] weight: channel 0 holds a, channel 1 holds b."""

    a = [0.3, -0.1, 0.5, 0.05, -0.2]
    b = [2.0, 4.0, -1.0, 3.0, 0.5]

    def weight(self, scale=1.0):
        import torch

        return torch.tensor([self.a, self.b], dtype=torch.float64).reshape(2, 5, 1, 1).mul(scale).requires_grad_(True)

    @staticmethod
    def standardised(v):
        m = sum(v) / len(v)
        c = [x - m for x in v]
        sd = math.sqrt(sum(x * x for x in c) / (len(v) - 1))
        return [x / sd for x in c]

    def bw(self, transform, w=None):
        from bnn_playground.torch import binary_weight

        return binary_weight(self.weight() if w is None else w, transform, "ste").detach().reshape(2, 5).numpy()

    def test_none_and_xnor(self):
        sgn = lambda v: [1.0 if x >= 0 else -1.0 for x in v]  # noqa: E731
        np.testing.assert_array_equal(self.bw("none"), [sgn(self.a), sgn(self.b)])
        mean_abs = lambda v: sum(abs(x) for x in v) / len(v)  # noqa: E731
        np.testing.assert_allclose(self.bw("xnor"), [[s * mean_abs(self.a) for s in sgn(self.a)], [s * mean_abs(self.b) for s in sgn(self.b)]], rtol=1e-12)

    def test_xnor_scale_is_not_detached(self):
        """d Σ c·Bw / dw_i = c_i·α·1[|w_i| ≤ 1] + sign(w_i)/n · Σ_j c_j sign(w_j) (STE, per channel)."""
        import torch

        from bnn_playground.torch import binary_weight

        c = torch.tensor([[1.0, -2.0, 0.5, 3.0, -1.0], [2.0, 0.3, -0.7, 1.5, 0.1]], dtype=torch.float64)
        w = self.weight(0.5)
        (binary_weight(w, "xnor", "ste") * c.reshape(2, 5, 1, 1)).sum().backward()
        for o, v in enumerate((self.a, self.b)):
            v = [0.5 * x for x in v]
            s = [1.0 if x >= 0 else -1.0 for x in v]
            alpha = sum(abs(x) for x in v) / 5
            cs = sum(float(c[o, j]) * s[j] for j in range(5))
            expected = [float(c[o, i]) * alpha * (abs(v[i]) <= 1) + s[i] / 5 * cs for i in range(5)]
            np.testing.assert_allclose(w.grad.reshape(2, 5)[o].numpy(), expected, rtol=1e-12)

    def test_librapb_standardises_and_scales_by_a_power_of_two(self):
        from bnn_playground.torch import weight_transform

        balanced, scale = weight_transform("librapb", self.weight())
        for o, v in enumerate((self.a, self.b)):
            st = self.standardised(v)
            np.testing.assert_allclose(balanced.detach().reshape(2, 5)[o].numpy(), st, rtol=1e-9)
            expected = 2.0 ** round(math.log2(sum(abs(x) for x in st) / 5))
            self.assertEqual(float(scale.reshape(2)[o]), expected)

    def test_libra_heavy_tailed_channel_rounds_down(self):
        import torch

        from bnn_playground.torch import weight_transform

        raw = [1.0, 1.0, 1.0, -3.0, 0.1, 0.2, -0.1, 5.0]
        _, scale = weight_transform("librapb", torch.tensor(raw, dtype=torch.float64).reshape(1, 8, 1, 1))
        self.assertEqual(float(scale), 0.5)
        self.assertEqual(float(scale), 2.0 ** round(math.log2(sum(abs(x) for x in self.standardised(raw)) / 8)))

    def test_imb_scale_is_the_mean_magnitude_not_rounded(self):
        bw = self.bw("imb")
        for o, v in enumerate((self.a, self.b)):
            st = self.standardised(v)
            alpha = sum(abs(x) for x in st) / 5
            np.testing.assert_allclose(bw[o], [(1 if x >= 0 else -1) * alpha for x in st], rtol=1e-9)

    def test_librapb_gradient_flows_through_mean_and_std(self):
        """A constant shift of a channel changes nothing after centring: its gradient sums to 0."""
        import torch

        from bnn_playground.torch import binary_weight

        c = torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0, 2.0, 0.3, -0.7, 1.5, 0.1], dtype=torch.float64).reshape(2, 5, 1, 1)
        w = self.weight(0.2)
        (binary_weight(w, "librapb", "ste") * c).sum().backward()
        g = w.grad.reshape(2, 5).numpy()
        np.testing.assert_allclose(g.sum(axis=1), [0, 0], atol=1e-12)
        self.assertGreater(np.abs(g).max(), 1e-3)


class BatchNormTest(unittest.TestCase):
    def test_training_uses_the_biased_batch_variance_for_both(self):
        import torch

        from bnn_playground.torch import BatchNorm

        x = torch.tensor(np.random.default_rng(0).normal(size=(4, 3, 2, 2)))
        bn = BatchNorm(3, 1e-5).double()
        y = bn.train()(x)
        mean = x.numpy().mean(axis=(0, 2, 3))
        var = x.numpy().var(axis=(0, 2, 3))  # biased
        np.testing.assert_allclose(y.detach().numpy(), (x.numpy() - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + 1e-5), rtol=1e-10)
        np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * mean, rtol=1e-12)
        np.testing.assert_allclose(bn.running_var.numpy(), 0.9 + 0.1 * var, rtol=1e-12)
        bn.eval()
        np.testing.assert_allclose(bn(x).detach().numpy(), (x.numpy() - 0.1 * mean[None, :, None, None]) / np.sqrt((0.9 + 0.1 * var)[None, :, None, None] + 1e-5), rtol=1e-10)


class CalibrationTest(unittest.TestCase):
    def test_each_batchnorm_takes_its_input_statistics_with_the_earlier_ones_calibrated(self):
        import torch

        from bnn_playground.graph import infer
        from bnn_playground.ops import parse_ops
        from bnn_playground.torch import BnnNet
        from bnn_playground.torch.train import calibrate_batchnorm
        from tests.test_model_file import tiny_model

        m = tiny_model(1)
        m.ops = parse_ops("conv2d a out=4\nbatchnorm b1\nhardtanh h\nbconv2d c out=8 scale=1\nbatchnorm b2\nglobal_avgpool p\nbatchnorm b3\ndense fc out=2")
        m.shapes, layout, m.cin = infer(m.ops, (28, 28, 1), 2)
        rng = np.random.default_rng(2)
        m.params = {p.name: (rng.random(p.shape) + 0.5).astype(np.float32) for p in layout if p.tensor == "params"}
        m.bits = {"c.w": rng.integers(0, 256, (8, 3, 3, 1), dtype=np.uint8)}
        net = BnnNet(m)
        images = rng.integers(0, 256, (40, 28, 28, 1), dtype=np.uint8)
        calibrate_batchnorm(net, images)
        x = net.prepare(images)
        with torch.no_grad():
            net.eval()
            a = net.layer("a")(x)
            np.testing.assert_allclose(net.layer("b1").running_mean.numpy(), a.mean(dim=(0, 2, 3)).numpy(), rtol=1e-5)
            np.testing.assert_allclose(net.layer("b1").running_var.numpy(), a.var(dim=(0, 2, 3), unbiased=False).numpy(), rtol=1e-5)
            c = net.layer("c")(torch.nn.functional.hardtanh(net.layer("b1")(a)))  # with b1 calibrated
            np.testing.assert_allclose(net.layer("b2").running_mean.numpy(), c.mean(dim=(0, 2, 3)).numpy(), rtol=1e-5)
            np.testing.assert_allclose(net.layer("b2").running_var.numpy(), c.var(dim=(0, 2, 3), unbiased=False).numpy(), rtol=1e-5)
            v = net.layer("b2")(c).mean(dim=(2, 3))
            np.testing.assert_allclose(net.layer("b3").running_mean.numpy(), v.mean(dim=0).numpy(), rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(net.layer("b3").running_var.numpy(), v.var(dim=0, unbiased=False).numpy(), rtol=1e-5)

    def test_the_calibration_sample_gives_every_class_its_share(self):
        from bnn_playground.torch.train import calibration_sample

        labels = np.repeat(np.arange(4), [50, 30, 30, 40])
        picked = calibration_sample(labels, 22, 1)
        self.assertEqual(len(set(picked.tolist())), 22)
        self.assertEqual(np.bincount(labels[picked]).tolist(), [6, 6, 5, 5])
        np.testing.assert_array_equal(picked, calibration_sample(labels, 22, 1))


class ReActLayersTest(unittest.TestCase):
    """RSign and RPReLU: the numpy forward pass's values, and the app's gradients."""

    def test_rsign_threshold_gets_minus_the_estimator_gradient(self):
        import torch

        from bnn_playground.forward import rsign
        from bnn_playground.torch import RSign, binarize

        layer = RSign(3).double()
        with torch.no_grad():
            layer.threshold.copy_(torch.tensor([0.5, -0.25, 0.0]))
        x = torch.randn(2, 3, 4, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
        y = layer(x)
        np.testing.assert_array_equal(y.detach().numpy().transpose(0, 2, 3, 1), rsign(x.numpy().transpose(0, 2, 3, 1), layer.threshold.detach().numpy()))
        binarize(y, "approxsign", (1.0, 1.0)).sum().backward()
        s = y.detach()
        expected = -torch.where(s.abs() <= 1, 2 - 2 * s.abs(), torch.zeros_like(s)).sum(dim=(0, 2, 3))
        np.testing.assert_allclose(layer.threshold.grad.numpy(), expected.numpy(), rtol=1e-12)

    def test_rprelu_values_and_gradients(self):
        import torch

        from bnn_playground.forward import rprelu
        from bnn_playground.torch import RPReLU

        layer = RPReLU(2).double()
        with torch.no_grad():
            layer.shift_in.copy_(torch.tensor([0.5, -1.0]))
            layer.slope.copy_(torch.tensor([0.25, -0.5]))
            layer.shift_out.copy_(torch.tensor([0.1, 0.2]))
        x = torch.tensor([[0.5, -1.0], [2.0, -3.0], [-1.0, 0.0]], dtype=torch.float64, requires_grad=True)  # s = 0 in row 0
        y = layer(x)
        p = [getattr(layer, k).detach().numpy() for k in ("shift_in", "slope", "shift_out")]
        np.testing.assert_array_equal(y.detach().numpy(), rprelu(x.detach().numpy(), *p))
        y.sum().backward()
        s = x.detach() - layer.shift_in.detach()
        # d/ds: 1 above 0, the slope below, 0 at s = 0 (tfjs's relu gradient, as the app trains)
        np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 0.0], [1.0, -0.5], [0.25, 1.0]])
        np.testing.assert_array_equal(layer.slope.grad.numpy(), torch.clamp(s, max=0).sum(dim=0).numpy())
        np.testing.assert_array_equal(layer.shift_out.grad.numpy(), [3.0, 3.0])
        np.testing.assert_array_equal(layer.shift_in.grad.numpy(), -x.grad.sum(dim=0).numpy())
