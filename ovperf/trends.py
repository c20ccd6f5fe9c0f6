"""Trend plots of the history: one PNG per device and hint, and one self-contained HTML page.

Each panel is one cell's series, one run per x position (runs are evenly spaced, so a week
without runs does not squeeze the nights around it):

- grey dots: each process's median FPS in that run (the spread the verdicts see);
- the line: the run's value, the median of its processes (what ``detect`` segments);
- red (slower) or green (faster) vertical lines: the change points ``detect`` kept, with their
  magnitude, and the two segments' levels drawn as dashed horizontal lines;
- grey dotted vertical lines: a recorded change between two runs (an OpenVINO build, another
  package, the model, the machine, an injected slowdown), labelled at the top;
- orange markers: runs made with ``--ov-inject-slowdown``.

The HTML page embeds the PNG files as data URIs and carries no script or stylesheet from
elsewhere, so it opens offline, from a CI artifact or a mail attachment.
"""
from __future__ import annotations

import base64
import html
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ovperf.history import HistoryError, Point, Shift, run_changes
from ovperf.matrix import HINTS

_CELL = re.compile(r"^(?P<test>\w+)\[(?P<params>[^\]]*)\](?: @ (?P<machine>.+))?$")


def slug(text: str) -> str:
    """A file-name-safe form of a cell or group name: ``test-openvino-cpu-throughput-b1-sync``."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


@dataclass(frozen=True)
class Group:
    """The cells drawn in one figure: one device and hint (on one machine, in a fleet's store)."""

    device: str
    hint: str
    machine: str | None = None

    @property
    def title(self) -> str:
        hint = "device default (no hint)" if self.hint == "none" else self.hint
        text = f"{self.device}, {hint}" if self.device != "PyTorch" else "PyTorch (reference, not gated)"
        return f"{text} @ {self.machine}" if self.machine else text

    @property
    def slug(self) -> str:
        return slug(self.title)


def group_of(name: str) -> tuple[Group, str]:
    """``test_openvino[CPU-THROUGHPUT-b1-sync]`` -> (CPU, THROUGHPUT), ``b1-sync``."""
    match = _CELL.match(name)
    if not match:
        return Group("other", "none"), name
    params, machine = match["params"], match["machine"]
    if match["test"] != "test_openvino":
        return Group("PyTorch" if "pytorch" in match["test"] else match["test"], "none", machine), params
    for hint in HINTS:  # "-THROUGHPUT-" is not found inside "-CUMULATIVE_THROUGHPUT-"
        device, sep, rest = params.partition(f"-{hint}-")
        if sep:
            return Group(device, hint, machine), rest
    return Group("other", "none", machine), params


def _pyplot():
    try:
        import matplotlib
    except ModuleNotFoundError:
        raise HistoryError("plotting needs matplotlib: pip install 'ovperf[report]'") from None
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    return plt


def draw(group: Group, cells: Mapping[str, Sequence[Point]], shifts: Sequence[Shift], path: Path) -> None:
    """One PNG: a panel per cell of the group, sharing the run axis."""
    plt = _pyplot()
    names = sorted(cells, key=lambda n: group_of(n)[1])
    fig, axes = plt.subplots(len(names), 1, figsize=(10, 2.6 * len(names) + 0.6), squeeze=False, sharex=False)
    for ax, name in zip(axes[:, 0], names):
        points = cells[name]
        x = np.arange(len(points))
        for i, point in enumerate(points):
            medians = point.process_medians
            ax.scatter([i] * len(medians), medians, s=10, color="0.55", zorder=2,
                       label="process medians" if i == 0 else None)
        values = np.array([p.fps for p in points])
        ax.plot(x, values, "-o", color="tab:blue", markersize=4, zorder=3, label="run (median of processes)")
        injected = [i for i, p in enumerate(points) if p.injected]
        if injected:
            ax.scatter(injected, values[injected], s=40, color="tab:orange", zorder=4, label="INJECTED slowdown")
        for i in range(1, len(points)):
            labels = [short for short, _ in run_changes(points[i - 1], points[i]) if short]
            if labels:
                ax.axvline(i - 0.5, color="0.4", linestyle=":", linewidth=1)
                ax.annotate(", ".join(labels), (i - 0.5, 1.0), xycoords=("data", "axes fraction"),
                            rotation=90, fontsize=7, va="top", ha="right", color="0.3")
        edges = [0] + [s.index for s in shifts if s.cell == name] + [len(points)]
        for lo, hi in zip(edges, edges[1:]):  # each segment's level
            level = float(np.exp(np.mean(np.log(values[lo:hi]))))
            ax.hlines(level, lo - 0.3, hi - 0.7, colors="tab:blue", linestyles="--", linewidth=1, alpha=0.6)
        for shift in (s for s in shifts if s.cell == name):
            color = "tab:red" if shift.regression else "tab:green"
            ax.axvline(shift.index - 0.5, color=color, linewidth=2)
            ax.annotate(f"{shift.magnitude:+.1%}", (shift.index - 0.4, 0.04), xycoords=("data", "axes fraction"),
                        color=color, fontsize=9, fontweight="bold")
        ax.set_title(group_of(name)[1], fontsize=10, loc="left")
        ax.set_ylabel("FPS")
        ax.grid(alpha=0.3)
        ax.set_xlim(-0.7, len(points) - 0.3)
        step = max(1, len(points) // 12)
        ax.set_xticks(x[::step])
        one_day = len({p.time[:10] for p in points}) == 1
        ax.set_xticklabels([f"{p.run_id}\n{p.time[11:16] if one_day else p.time[5:10]}" for p in points[::step]],
                           fontsize=7)
    axes[0, 0].legend(fontsize=7, loc="lower left")
    axes[-1, 0].set_xlabel("run (id, and its day, or its UTC time when all ran on one day), oldest first")
    fig.suptitle(group.title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot(series: Mapping[str, Sequence[Point]], shifts: Sequence[Shift], out: Path,
         title: str = "OpenVINO throughput history") -> list[Path]:
    """Write ``out/<group>.png`` for every device and hint, and ``out/index.html``; returns the files."""
    groups: dict[Group, dict[str, Sequence[Point]]] = defaultdict(dict)
    for name, points in series.items():
        groups[group_of(name)[0]][name] = points
    if not groups:
        raise HistoryError("the history holds no runs to plot")
    written, sections = [], []
    order = sorted(groups, key=lambda g: (g.machine or "", g.device == "PyTorch", g.device,
                                          HINTS.index(g.hint) if g.hint in HINTS else 9))
    for group in order:
        path = out / f"{group.slug}.png"
        draw(group, groups[group], shifts, path)
        written.append(path)
        sections.append((group, path))
    page = out / "index.html"
    from ovperf.atomic import write_atomic

    write_atomic(page, html_page(title, sections, series, shifts))
    return written + [page]


def html_page(title: str, sections: Sequence[tuple[Group, Path]], series: Mapping[str, Sequence[Point]],
              shifts: Sequence[Shift]) -> str:
    """The page: the change points first, then every figure, grouped by device; images inline."""
    esc = html.escape
    runs = max((len(p) for p in series.values()), default=0)
    rows = "".join(
        f"<tr class=\"{'slower' if s.regression else 'faster'}\"><td>{esc(s.cell)}</td><td>{s.magnitude:+.1%}</td>"
        f"<td>{s.run_id} ({esc(s.time)})</td><td>{s.p_value:.3g}</td><td>{esc(s.attribution)}</td></tr>"
        for s in sorted(shifts, key=lambda s: (not s.regression, s.magnitude)))
    table = (f"<table><tr><th>cell</th><th>change</th><th>from run</th><th>p</th><th>attribution</th></tr>{rows}</table>"
             if shifts else "<p>No change point.</p>")
    body, device = [], None
    for group, path in sections:
        if group.device != device:
            device = group.device
            body.append(f"<h2>{esc(device)}</h2>")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        body.append(f"<h3 id=\"{group.slug}\">{esc(group.title)}</h3>"
                    f"<img alt=\"{esc(group.title)}\" src=\"data:image/png;base64,{data}\">")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; background: #fff; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }}
td, th {{ border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; font-size: 90%; }}
tr.slower td:nth-child(2) {{ color: #b00; font-weight: bold; }}
tr.faster td:nth-child(2) {{ color: #070; font-weight: bold; }}
img {{ max-width: 100%; border: 1px solid #ddd; }}
</style></head>
<body>
<h1>{esc(title)}</h1>
<p>{len(series)} cells, up to {runs} runs each. Grey dots: each process's median FPS;
blue line: the run's value (median of its processes); red / green vertical line: a change point
(slower / faster) with its size, dashed: each segment's level; dotted grey line: something the runs
recorded changed (OpenVINO build, package, model, machine, injected slowdown); orange: an INJECTED run.</p>
<h2>Change points ({len(shifts)})</h2>
{table}
{"".join(body)}
</body></html>
"""
