"""The documents' links: every relative link names a file that exists, and every ``#anchor`` a
heading of the file it points into, as GitHub renders it. The README sends readers to the
figures behind each claim, and those moved once already (to ``report/measured.md``)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "baselines/README.md", "report/README.md", "report/measured.md", "report/gate.md")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation other than ``-`` and ``_``
    dropped, spaces turned into hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.lstrip("#").strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings, leaving out ``#`` lines in code blocks."""
    found, fenced = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            found.add(anchor(line))
    return found


def broken_links(path: Path) -> list[str]:
    """The relative links of ``path`` whose file or heading is missing."""
    broken = []
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        name, _, fragment = target.partition("#")
        dest = (path.parent / name).resolve() if name else path
        if not dest.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            broken.append(f"{target} (no such heading)")
    return broken


def test_anchors_follow_githubs_rule():
    assert anchor("### The gate at 5-10%: issue 9's figures") == "the-gate-at-5-10-issue-9s-figures"
    assert anchor("## Where the A/B's noise lives, and what a cell's time buys (bf16 hosts)") == (
        "where-the-abs-noise-lives-and-what-a-cells-time-buys-bf16-hosts")


def test_a_missing_heading_or_file_is_found(tmp_path):
    (tmp_path / "other.md").write_text("# Warm-up\n\n```sh\n# not a heading\n```\n")
    doc = tmp_path / "doc.md"
    doc.write_text("[a](other.md#warm-up) [b](other.md#not-a-heading) [c](gone.md) [d](#here)\n\n## Here\n"
                   "[e](https://example.com/x#y)\n")
    assert broken_links(doc) == ["other.md#not-a-heading (no such heading)", "gone.md (no such file)"]


@pytest.mark.parametrize("doc", DOCS)
def test_every_link_of_the_documents_resolves(doc):
    assert broken_links(ROOT / doc) == []
