import json
import struct
import unittest

import numpy as np

from bnn_playground.safetensors import SafetensorsError, read_safetensors, write_safetensors

from .support import fixtures


def assemble(header: str, data: bytes = b"") -> bytes:
    h = header.encode()
    return struct.pack("<Q", len(h)) + h + data


class MalformedFilesOfTheAppTest(unittest.TestCase):
    """The safetensors reader's malformed files (src/io/safetensors/malformed-cases.ts), each refused
    with the app's reason."""

    def test_every_case(self):
        folder = fixtures("malformed", "safetensors")
        cases = json.loads((folder / "manifest.json").read_text())
        self.assertGreaterEqual(len(cases), 30)
        for case in cases:
            options = case["options"]
            with self.subTest(case["what"]):
                with self.assertRaises(SafetensorsError) as c:
                    read_safetensors(
                        (folder / case["file"]).read_bytes(),
                        max_bytes=options.get("maxBytes", 256 * 1024 * 1024),
                        reject_non_finite=options.get("rejectNonFinite", False),
                    )
                self.assertEqual(c.exception.code, case["code"], str(c.exception))
                self.assertTrue(str(c.exception).startswith("safetensors: "))


class ContainerTest(unittest.TestCase):
    def test_reads_tensors_by_offsets_in_any_order(self):
        data = np.array([1.5, -2], dtype="<f4").tobytes() + bytes([7, 8, 9])
        header = json.dumps({"b": {"dtype": "U8", "shape": [3], "data_offsets": [8, 11]}, "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": {"k": "v"}})
        meta, tensors, dtypes = read_safetensors(assemble(header, data))
        self.assertEqual(meta, {"k": "v"})
        np.testing.assert_array_equal(tensors["a"], [1.5, -2])
        np.testing.assert_array_equal(tensors["b"], [7, 8, 9])
        self.assertEqual(dtypes, {"a": "F32", "b": "U8"})

    def test_writer_is_canonical_and_padded(self):
        tensors = {"z": np.arange(3, dtype=np.uint8), "a": np.ones((2, 2), dtype=np.float32)}
        data = write_safetensors(tensors, {"b": "2", "a": "1"})
        (n,) = struct.unpack_from("<Q", data)
        self.assertEqual(n % 8, 0)
        header = data[8 : 8 + n].decode()
        self.assertTrue(header.startswith('{"__metadata__":{"a":"1","b":"2"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"z":'))
        self.assertEqual(header.rstrip(" ")[-1], "}")
        meta, back, _ = read_safetensors(data)
        np.testing.assert_array_equal(back["a"], tensors["a"])
        np.testing.assert_array_equal(back["z"], tensors["z"])

    def test_finiteness_check_of_half_floats(self):
        header = json.dumps({"h": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}})
        with self.assertRaises(SafetensorsError) as c:
            read_safetensors(assemble(header, struct.pack("<HH", 0x3C00, 0x7E00)), reject_non_finite=True)
        self.assertEqual(c.exception.code, "non_finite")
        self.assertIn("NaN at element 1", str(c.exception))
