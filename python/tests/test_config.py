import json
import re
import unittest

from bnn_playground.config import BASELINE_V2, ConfigError, check_config, config_diff, config_from_diff

from .support import REPO


def doc_baseline() -> dict:
    text = (REPO / "docs" / "EXPORT_FORMAT.md").read_text()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S) if '"latentInitScale"' in b]
    if len(blocks) != 1:
        raise AssertionError("docs/EXPORT_FORMAT.md should hold the config baseline as one JSON block")
    return blocks[0]


class ConfigTest(unittest.TestCase):
    def test_baseline_is_the_documented_one(self):
        self.assertEqual(BASELINE_V2, doc_baseline())

    def test_baseline_is_valid(self):
        check_config(dict(BASELINE_V2))

    def test_merge_and_difference(self):
        config = config_from_diff({"width": 8, "weightTransform": "xnor", "seed": 3}, "shapes")
        self.assertEqual(config["dataset"], "shapes")
        self.assertEqual(config["depth"], 8)
        self.assertEqual(config_diff(config), {"width": 8, "weightTransform": "xnor", "seed": 3})
        self.assertEqual(config_diff(dict(BASELINE_V2)), {})

    def test_keys_of_newer_app_versions_pass_through(self):
        config = config_from_diff({"futureKey": [1]}, "mnist")
        self.assertEqual(config["futureKey"], [1])
        self.assertEqual(config_diff(config), {"futureKey": [1]})

    def test_rejections(self):
        bad = [
            ({"dataset": "mnist"}, "must not hold 'dataset'"),
            ({"depth": 9}, "depth: must be one of 8, 14, 20"),
            ({"depth": True}, "depth"),
            ({"width": "16"}, "width"),
            ({"tMin": 0}, "tMin"),
            ({"pSwitch": 1}, "pSwitch"),
            ({"batchSize": 1.5}, "batchSize"),
            ({"activationEstimator": "sign"}, "activationEstimator"),
            ({"teacherRunId": 4}, "teacherRunId"),
            ({"precision": "full", "distill": True}, "distillation needs a binary student"),
        ]
        for diff, message in bad:
            with self.subTest(diff):
                with self.assertRaises(ConfigError) as c:
                    config_from_diff(diff, "mnist")
                self.assertIn(message, str(c.exception))
        with self.assertRaises(ConfigError):
            config_from_diff([1], "mnist")
