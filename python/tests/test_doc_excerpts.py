import re
import textwrap
import unittest

from .support import REPO

EXCERPT = re.compile(r"<!-- excerpt: (\S+) (\S+) -->\n```python\n(.*?)```", re.S)


def region(path, name) -> str:
    text = (REPO / path).read_text()
    m = re.search(rf"^[ \t]*# doc:begin {re.escape(name)}\n(.*?)^[ \t]*# doc:end {re.escape(name)}\n", text, re.S | re.M)
    if not m:
        raise AssertionError(f"{path} has no region '{name}'")
    return textwrap.dedent(m.group(1)).strip() + "\n"


class DocExcerptsTest(unittest.TestCase):
    """The numpy code in docs/EXPORT_FORMAT.md is the package's own code, line for line."""

    def test_every_excerpt_is_the_package_code(self):
        doc = (REPO / "docs" / "EXPORT_FORMAT.md").read_text()
        excerpts = EXCERPT.findall(doc)
        self.assertGreaterEqual(len(excerpts), 7)
        for path, name, code in excerpts:
            with self.subTest(f"{path} {name}"):
                self.assertEqual(code, region(path, name))

    def test_every_python_block_of_the_numpy_section_is_an_excerpt(self):
        doc = (REPO / "docs" / "EXPORT_FORMAT.md").read_text()
        section = doc[doc.index("## 6. numpy") : doc.index("## Appendix")]
        self.assertEqual(section.count("```python"), len(EXCERPT.findall(section)))
