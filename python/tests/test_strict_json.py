import unittest

from bnn_playground.strict_json import StrictJsonError, loads


class StrictJsonTest(unittest.TestCase):
    def assertRefused(self, text, kind):
        with self.assertRaises(StrictJsonError) as c:
            loads(text)
        self.assertEqual(c.exception.kind, kind, str(c.exception))

    def test_accepts_plain_json(self):
        self.assertEqual(loads(' {"a": [1, 2.5, -3e2, true, null, "x"]} \n'), {"a": [1, 2.5, -300.0, True, None, "x"]})

    def test_refuses_duplicate_keys_at_any_depth(self):
        self.assertRefused('{"a": 1, "a": 1}', "duplicate_key")
        self.assertRefused('{"x": {"b": 1, "b": 2}}', "duplicate_key")

    def test_refuses_prototype_keys(self):
        for key in ("__proto__", "constructor", "prototype"):
            self.assertRefused('{"%s": 1}' % key, "forbidden_key")
        self.assertRefused('{"\\u005f_proto__": 1}', "forbidden_key")

    def test_refuses_what_json_loads_lets_through(self):
        for text in ("NaN", "[Infinity]", "-Infinity", "1e400", "1" + "0" * 400, '"\\ud800"', '{"\\udc00": 1}'):
            self.assertRefused(text, "syntax")

    def test_nesting_limit_is_64_levels(self):
        loads("[" * 64 + "]" * 64)
        self.assertRefused("[" * 65 + "]" * 65, "too_deep")
        self.assertRefused('{"a":' * 65 + "1" + "}" * 65, "too_deep")
        self.assertRefused("[" * 5000 + "]" * 5000, "too_deep")

    def test_refuses_syntax_errors(self):
        for text in ("{a: 1}", '{"a": 1} x', "", "[1,]", "'a'"):
            self.assertRefused(text, "syntax")
