"""The README's matching example runs and prints exactly the output the README shows."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_matching_example_prints_what_the_readme_says():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Example") : text.index("### In the app")]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    expected = re.search(r"Output:\n\n```\n(.*?)```", section, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    assert out.getvalue() == expected
