import math
import unittest

from bnn_playground.schedules import dte_schedule, ede_schedule, estimator_tk, progress_for, warmup_cosine_lr


class SchedulesTest(unittest.TestCase):
    def test_ede(self):
        for p in (0, 0.25, 0.5, 1, 1.5):
            t, k = ede_schedule(p, 0.1, 10)
            q = min(1, p)
            self.assertAlmostEqual(t, 0.1 * 100**q, places=12)
            self.assertAlmostEqual(k, max(1 / t, 1), places=12)

    def test_dte_two_stages(self):
        t, k = dte_schedule(0.25, 0.1, 10, 0.5)  # half-way through stage 1: t = 0.1^(1 − 0.5)
        self.assertAlmostEqual(t, 0.1**0.5, places=12)
        self.assertAlmostEqual(k * t, 1, places=12)
        t, k = dte_schedule(0.75, 0.1, 10, 0.5)  # half-way through stage 2: t = 10^0.5, k = 1
        self.assertAlmostEqual(t, 10**0.5, places=12)
        self.assertEqual(k, 1)
        self.assertEqual(dte_schedule(0.5, 0.1, 10, 0.5), (1.0, 1.0))

    def test_unscheduled_estimators(self):
        self.assertEqual(estimator_tk("ste", 0.3, {}), (1.0, 1.0))
        self.assertEqual(estimator_tk("approxsign", 0.3, {}), (1.0, 1.0))

    def test_progress(self):
        self.assertEqual(progress_for(50, 200, 30, False), 0.25)
        self.assertEqual(progress_for(65, 200, 30, True), 2 / 7)  # epoch 2 of ceil(200/30) = 7

    def test_learning_rate(self):
        self.assertEqual(warmup_cosine_lr(1.0, 0, 100, 10), 0.1)
        self.assertEqual(warmup_cosine_lr(1.0, 10, 100, 10), 1.0)
        self.assertAlmostEqual(warmup_cosine_lr(1.0, 55, 100, 10), (1 + math.cos(math.pi * 0.5)) / 2, places=12)
        self.assertEqual(warmup_cosine_lr(2.0, 0, 100, 0), 2.0)
