import json
import struct
import unittest

import numpy as np

from bnn_playground import DataFileError, read_data_file
from bnn_playground.safetensors import write_safetensors

from .support import app_logits, fixtures


class DataFileTest(unittest.TestCase):
    def test_the_app_test_split(self):
        d = read_data_file(fixtures("data", "mnist-small-test.safetensors"))
        self.assertEqual((d.split, d.dataset["name"], d.images.shape, d.images.dtype), ("test", "mnist-small", (1424, 28, 28, 1), np.uint8))
        self.assertEqual(len(d.labels), 1424)
        # the test split in canonical order, ascending: the images and labels of the app's predictions.json
        self.assertTrue((np.diff(d.indices) > 0).all())
        indices, labels, _, _ = app_logits(fixtures("models", "irnet"))
        np.testing.assert_array_equal(d.indices, indices)
        np.testing.assert_array_equal(d.labels, labels)
        self.assertEqual(d.dataset["classNames"], [str(i) for i in range(10)])

    def test_refuses_other_files(self):
        good = {"images": np.zeros((2, 28, 28, 1), np.uint8), "labels": np.zeros(2, np.uint8), "indices": np.arange(2, dtype=np.int32)}
        meta = {"format": "bnn-playground-data", "format_version": "1", "split": "test", "dataset": json.dumps({"name": "mnist", "inputShape": [28, 28, 1], "classNames": ["a", "b"]})}
        read_data_file(write_safetensors(good, meta))
        for change, message in [
            ({"format_version": "2"}, "version 1"),
            ({"split": "validation"}, "split"),
            ({"dataset": '{"name": "mnist", "name": "x"}'}, "duplicate key"),
        ]:
            with self.subTest(message):
                with self.assertRaises(DataFileError) as c:
                    read_data_file(write_safetensors(good, {**meta, **change}))
                self.assertIn(message, str(c.exception))
        for tensors, message in [
            ({**good, "labels": np.zeros(3, np.uint8)}, "labels must be U8 [2]"),
            ({**good, "images": np.zeros((2, 28, 28, 3), np.uint8)}, "images must be U8"),
            ({**good, "labels": np.array([0, 5], np.uint8)}, "outside the class names"),
            ({"images": good["images"]}, "holds images, labels and indices"),
        ]:
            with self.subTest(message):
                with self.assertRaises(DataFileError) as c:
                    read_data_file(write_safetensors(tensors, meta))
                self.assertIn(message, str(c.exception))
        with self.assertRaises(DataFileError):
            read_data_file(struct.pack("<Q", 100) + b"{}")
