import unittest

from bnn_playground.ops import Op, OpsError, encode_ops, parse_ops

RESNET8_HEAD = "conv2d stem.conv out=8\nbatchnorm stem.bn\nhardtanh stem.act\nbconv2d s1.b0.conv1 out=8 scale=1\nbatchnorm s1.b0.bn1\nadd s1.b0.add1 in=s1.b0.bn1,stem.act"


class OpListTest(unittest.TestCase):
    def test_defaults_and_implicit_inputs(self):
        ops = parse_ops(RESNET8_HEAD)
        self.assertEqual(ops[0], Op("conv2d", "stem.conv", ["input"], {"out": 8, "k": 3, "stride": 1, "pad": 1}))
        self.assertEqual(ops[1].attrs, {"eps": 1e-5})
        self.assertEqual(ops[3], Op("bconv2d", "s1.b0.conv1", ["stem.act"], {"out": 8, "k": 3, "stride": 1, "pad": 1, "scale": 1}))
        self.assertEqual(ops[5].inputs, ["s1.b0.bn1", "stem.act"])
        self.assertEqual(encode_ops(ops), RESNET8_HEAD)

    def test_pad_defaults_to_half_the_kernel(self):
        conv, dw = parse_ops("conv2d a out=4 k=1\ndwconv2d b mult=3 k=5")
        self.assertEqual(conv.attrs["pad"], 0)
        self.assertEqual(dw.attrs, {"mult": 3, "k": 5, "pad": 2})

    def test_explicit_defaults_read_the_same_and_are_not_written(self):
        ops = parse_ops("conv2d a out=4 k=3 stride=1 pad=1\nbatchnorm b eps=0.00001\nshortcut_a c in=a stride=1 before=0 after=0")
        self.assertEqual(encode_ops(ops), "conv2d a out=4\nbatchnorm b\nshortcut_a c in=a")

    def test_epsilon_round_trip(self):
        for eps in (1e-5, 1e-3, 2.5e-7, 0.1):
            op = Op("batchnorm", "bn", ["input"], {"eps": eps})
            self.assertEqual(parse_ops(encode_ops([op]))[0].attrs["eps"], eps)

    def test_react_ops_have_no_attributes(self):
        ops = parse_ops("rsign s1.b0.rsign1\nbconv2d s1.b0.conv1 out=8 scale=1\nrprelu s1.b0.act1")
        self.assertEqual(ops[0], Op("rsign", "s1.b0.rsign1", ["input"], {}))
        self.assertEqual(ops[2], Op("rprelu", "s1.b0.act1", ["s1.b0.conv1"], {}))
        self.assertEqual(encode_ops(ops), "rsign s1.b0.rsign1\nbconv2d s1.b0.conv1 out=8 scale=1\nrprelu s1.b0.act1")

    def test_rejections(self):
        bad = {
            "": "the op list is empty",
            "hardtanh a\n": "line 2 is empty",
            "hardtanh  a": "single spaces",
            "relu a": "unknown op 'relu'",
            "hardtanh a/b": "not a valid op name",
            "hardtanh a\nhardtanh a": "used twice",
            "hardtanh input": "reserved for the network input",
            "conv2d a 8": "not key=value",
            "conv2d a out=8 dilation=2": "has no attribute 'dilation'",
            "rsign a channels=8": "rsign has no attribute 'channels' (it takes in)",
            "hardtanh a\nrprelu b in=a,input": "takes one input, found 2",
            "conv2d a out=8 k=3 k=3": "'k' is given twice",
            "conv2d a k=3": "needs 'out'",
            "conv2d a out=0": "at least 1",
            "conv2d a out=08": "non-negative integer",
            "conv2d a out=8 pad=-1": "non-negative integer",
            "bconv2d a out=8 scale=2": "0 or 1",
            "batchnorm a eps=0": "(0, 1]",
            "batchnorm a eps=nan": "(0, 1]",
            "hardtanh a\nadd b in=a": "takes two inputs",
            "add b": "needs its inputs",
            "add b in=input,x": "input 'x' is not the output of an earlier op",
            "hardtanh a in=b\nhardtanh b": "input 'b' is not the output of an earlier op",
            "concat c in=input,": "not a valid input name",
        }
        for text, message in bad.items():
            with self.subTest(text):
                with self.assertRaises(OpsError) as c:
                    parse_ops(text)
                self.assertIn(message, str(c.exception))
