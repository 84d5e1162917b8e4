import json
import re
import unittest

from bnn_playground.config import BASELINE_V2, RULES, ConfigError, check_config, config_diff, config_from_diff

from .support import REPO, fixtures


def doc_baseline() -> dict:
    text = (REPO / "docs" / "EXPORT_FORMAT.md").read_text()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S) if '"latentInitScale"' in b]
    if len(blocks) != 1:
        raise AssertionError("docs/EXPORT_FORMAT.md should hold the config baseline as one JSON block")
    return blocks[0]


class ConfigTest(unittest.TestCase):
    def test_baseline_is_the_documented_one(self):
        self.assertEqual(BASELINE_V2, doc_baseline())

    def test_baseline_is_valid_and_every_key_has_a_rule(self):
        check_config(dict(BASELINE_V2))
        self.assertEqual(set(RULES), set(BASELINE_V2))

    def test_same_verdict_as_the_app_on_every_probe(self):
        probes = json.loads(fixtures("configs.json").read_text())
        self.assertGreater(len(probes), 1500)
        self.assertGreater(sum(p["valid"] for p in probes), 100)
        for probe in probes:
            try:
                config_from_diff(probe["diff"], "mnist")
                valid = True
            except ConfigError:
                valid = False
            self.assertEqual(valid, probe["valid"], f"{probe['diff']}: the app says {'valid' if probe['valid'] else 'invalid'}")

    def test_merge_and_difference(self):
        config = config_from_diff({"width": 8, "weightTransform": "xnor", "seed": 3}, "shapes")
        self.assertEqual(config["dataset"], "shapes")
        self.assertEqual(config["depth"], 8)
        self.assertEqual(config_diff(config), {"width": 8, "weightTransform": "xnor", "seed": 3})
        self.assertEqual(config_diff(dict(BASELINE_V2)), {})

    def test_react_keys_and_the_webgpu_backend(self):
        before = config_from_diff({"width": 8}, "mnist")  # a file written before rsign and blockActivation
        self.assertEqual((before["rsign"], before["blockActivation"]), (False, "hardtanh"))
        self.assertEqual(config_diff(before), {"width": 8})
        react = config_from_diff({"rsign": True, "blockActivation": "rprelu", "backend": "webgpu"}, "mnist")
        self.assertEqual(config_diff(react), {"rsign": True, "blockActivation": "rprelu", "backend": "webgpu"})

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
            ({"rsign": 1}, "rsign: must be true or false"),
            ({"blockActivation": "relu"}, "blockActivation: must be one of hardtanh, rprelu"),
            ({"precision": "full", "distill": True}, "distillation needs a binary student"),
        ]
        for diff, message in bad:
            with self.subTest(diff):
                with self.assertRaises(ConfigError) as c:
                    config_from_diff(diff, "mnist")
                self.assertIn(message, str(c.exception))
        with self.assertRaises(ConfigError):
            config_from_diff([1], "mnist")
