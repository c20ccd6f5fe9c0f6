"""The history's trend plots, the offline HTML page in a real headless Chromium, and the exports."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess

import numpy as np
import pytest

from ovperf import history as h
from ovperf import interop
from ovperf.trends import group_of
from tests.history_data import bench_json

SYNC = "test_openvino[CPU-THROUGHPUT-b1-sync]"
ASYNC = "test_openvino[CPU-THROUGHPUT-b1-async]"
DEFAULT = "test_openvino[CPU-none-b4-sync]"
TORCH = "test_pytorch[b1]"
#: matplotlib's tab:red and tab:green, the colours of a slower and a faster change point.
RED, GREEN = (214, 39, 40), (44, 160, 44)


def history(path, nights=16, step_at=8, openvino_at=8, injected_from=None):
    """Nights of 3 processes x 2 rounds; SYNC is 8% slower from ``step_at`` on, the others flat (seeded)."""
    store = h.open_store(path)
    rng = np.random.default_rng(7)
    for night in range(nights):
        cells = {}
        for name, level in ((SYNC, 14.0), (ASYNC, 15.0), (DEFAULT, 9.0), (TORCH, 6.0)):
            level *= 0.92 if name == SYNC and step_at is not None and night >= step_at else 1.0
            cells[name] = [[float(level * np.exp(rng.normal(0, 0.01))) for _ in range(2)] for _ in range(3)]
        data = bench_json(cells, when=f"2026-11-{night + 1:02d}T02:00:00",
                          openvino="2025.4.1-18" if night < openvino_at else "2026.4.1-22982")
        if injected_from is not None and night >= injected_from:
            for bench in data["benchmarks"]:
                bench["extra_info"]["inject_slowdown"] = 0.05
        run, rows = h.run_from_json(data, kind="run")
        store.append(run, rows)
    return store


@pytest.fixture
def plotted(tmp_path, capsys):
    """A 16-night history with one 8% step, plotted by the CLI into ``tmp_path/plots``."""
    url = str(tmp_path / "history.sqlite")
    history(url)
    out = tmp_path / "plots"
    assert h.main(["--history", url, "plot", "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == str(out / "index.html")
    return out


def pixels(path):
    from matplotlib import image

    rgb = image.imread(str(path))[..., :3]
    return np.rint(rgb * 255).astype(int) if rgb.dtype != np.uint8 else rgb.astype(int)


def has_colour(rgb, colour, tolerance=12):
    return bool((np.abs(rgb - np.array(colour)).max(axis=-1) <= tolerance).sum() > 50)


def test_cells_are_grouped_by_device_and_hint():
    assert group_of(SYNC)[0].title == "CPU, THROUGHPUT" and group_of(SYNC)[1] == "b1-sync"
    assert group_of("test_openvino[AUTO-CUMULATIVE_THROUGHPUT-b4-async-f32]")[0].hint == "CUMULATIVE_THROUGHPUT"
    assert group_of(DEFAULT)[0].title == "CPU, device default (no hint)"
    assert group_of(TORCH)[0].device == "PyTorch"
    assert group_of(f"{SYNC} @ AMD EPYC, 2 cores")[0].machine == "AMD EPYC, 2 cores"


def test_plot_writes_a_figure_per_device_and_hint_and_marks_the_shift_in_red(plotted):
    out = plotted
    files = sorted(p.name for p in out.iterdir())
    assert files == ["cpu-device-default-no-hint.png", "cpu-throughput.png", "index.html",
                     "pytorch-reference-not-gated.png"]
    throughput, flat = pixels(out / "cpu-throughput.png"), pixels(out / "cpu-device-default-no-hint.png")
    assert throughput.std() > 10 and flat.std() > 10  # drawn, not blank
    assert has_colour(throughput, RED) and not has_colour(throughput, GREEN)  # the 8% step, a slowdown
    assert not has_colour(flat, RED) and not has_colour(flat, GREEN)  # no change point in a flat series


def test_the_page_is_self_contained_and_lists_the_shift_first(plotted):
    page = (plotted / "index.html").read_text()
    assert "http://" not in page and "https://" not in page and "<script" not in page  # nothing fetched
    assert page.count('src="data:image/png;base64,') == 3
    assert page.index("Change points (1)") < page.index(SYNC) < page.index("<h2>CPU</h2>") < page.index("<h2>PyTorch</h2>")
    assert "changed: OpenVINO 2025.4.1-18 -&gt; 2026.4.1-22982" in page


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if path := shutil.which(name):
            return path
    pytest.skip("no headless Chromium here (Debian: apt-get install chromium); .ci/run installs it")


def test_the_page_renders_in_headless_chromium(tmp_path, plotted):
    """A real browser opens the page from disk, offline, and the screenshot shows the table and a plot."""
    browser = _chromium()
    shot = tmp_path / "shot.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", f"--user-data-dir={tmp_path / 'profile'}",
         "--hide-scrollbars", "--window-size=1100,1400", f"--screenshot={shot}", (plotted / "index.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    rgb = pixels(shot)
    assert rgb.shape[:2] == (1400, 1100)
    assert rgb.std() > 20  # not a blank page
    dark = (rgb.max(axis=-1) < 80).mean()
    assert 0.001 < dark < 0.5  # text and lines on a white page
    assert has_colour(rgb, (187, 0, 0), tolerance=25)  # the slower shift's size in the table (#b00)
    assert has_colour(rgb, (31, 119, 180), tolerance=20)  # the first plot's series (tab:blue), so images load


def test_otava_gets_a_csv_per_cell_that_parses_as_otava_parses_it(tmp_path):
    store = history(tmp_path / "history.sqlite")
    files = interop.export("otava", store.series(), tmp_path)
    assert {f.name for f in files} == {"test-openvino-cpu-throughput-b1-sync.csv", "test-openvino-cpu-throughput-b1-async.csv",
                                       "test-openvino-cpu-none-b4-sync.csv", "test-pytorch-b1.csv", "otava.yaml"}
    with open(tmp_path / "test-openvino-cpu-throughput-b1-sync.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["time", "run", "commit", "openvino", "fps"] and len(rows) == 17
    assert all(len(row) == 5 for row in rows) and [float(row[4]) for row in rows[1:]]  # Otava: every metric a number
    assert rows[1][0] == "2026-11-01 02:00:00 +0000" and rows[9][3] == "2026.4.1-22982"
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((tmp_path / "otava.yaml").read_text())
    test = config["tests"]["test-openvino-cpu-throughput-b1-sync"]
    assert test["type"] == "csv" and test["metrics"] == {"fps": {"direction": 1}}
    assert test["file"] == str((tmp_path / "test-openvino-cpu-throughput-b1-sync.csv").resolve())


def test_bencher_and_github_action_benchmark_get_the_newest_run_or_the_one_asked(tmp_path):
    import jsonschema

    store = history(tmp_path / "history.sqlite", injected_from=15)
    series = store.series()
    bmf = tmp_path / "bmf.json"
    interop.export("bencher", series, bmf)
    data = json.loads(bmf.read_text())
    # Bencher's published schema for its metric format (bencher.dev/docs/reference/bencher-metric-format).
    metric = {"type": "object", "required": ["value"],
              "properties": {k: {"type": "number"} for k in ("value", "lower_value", "upper_value")}}
    jsonschema.validate(data, {"type": "object", "patternProperties": {
        ".+": {"type": "object", "patternProperties": {".+": metric}}}})
    newest = series[SYNC][-1]
    assert data[SYNC]["throughput"]["value"] == pytest.approx(newest.fps)
    assert data[SYNC]["throughput"]["lower_value"] <= newest.fps <= data[SYNC]["throughput"]["upper_value"]

    gab = tmp_path / "gab.json"
    interop.export("github-action-benchmark", series, gab, run_id=series[SYNC][0].run_id)
    entries = {e["name"]: e for e in json.loads(gab.read_text())}
    assert set(entries) == {SYNC, ASYNC, DEFAULT, TORCH}
    first = entries[SYNC]
    assert first["unit"] == "FPS" and first["value"] == pytest.approx(series[SYNC][0].fps, abs=1e-4)
    assert "OpenVINO 2025.4.1-18" in first["extra"] and "INJECTED" not in first["extra"]
    interop.export("github-action-benchmark", series, gab)
    assert "INJECTED slowdown 5%" in json.loads(gab.read_text())[0]["extra"]


def test_plot_and_export_refuse_bad_input_with_one_line(tmp_path, capsys):
    url = str(tmp_path / "history.sqlite")
    h.open_store(url)
    assert h.main(["--history", url, "export", "--format", "bencher", "--out", str(tmp_path / "b.json")]) == 2
    assert capsys.readouterr().err == "ov-perf-history: the history holds no runs to export\n"
    assert h.main(["--history", url, "plot", "--out", str(tmp_path / "p")]) == 2
    assert "holds no runs" in capsys.readouterr().err and not (tmp_path / "p").exists()
    history(url)
    before = (tmp_path / "history.sqlite").read_bytes()
    assert h.main(["--history", url, "export", "--format", "bencher", "--run", "999", "--out", str(tmp_path / "b.json")]) == 2
    assert capsys.readouterr().err == "ov-perf-history: the history has no run 999\n"
    a_file = tmp_path / "a-file"
    a_file.write_text("keep")
    assert h.main(["--history", url, "plot", "--out", str(a_file)]) == 2
    assert capsys.readouterr().err == f"ov-perf-history: {a_file} is not a folder\n" and a_file.read_text() == "keep"
    assert h.main(["--history", url, "export", "--format", "bencher", "--out", str(tmp_path / "no" / "b.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ov-perf-history: cannot write ") and err.count("\n") == 1
    assert (tmp_path / "history.sqlite").read_bytes() == before and not (tmp_path / "b.json").exists()
