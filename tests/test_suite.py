"""The run's state (ovperf.suite.SuiteRun): what it writes into the JSON and the history, without pytest."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ovperf.baseline import SCHEMA_VERSION
from ovperf.noise import UsualSpeed
from ovperf.settings import Settings
from ovperf.suite import SuiteRun
from ovperf.verdicts import CellVerdict


@dataclass
class Stats:  # what pytest-benchmark hands the JSON hook: a name and the test's extra_info
    name: str
    extra_info: dict = field(default_factory=dict)


OV = Stats("test_openvino[CPU-none-b1-sync]", {"model_key": "k", "onnx_sha256": "o", "ir_precision": "fp16",
                                               "image_sha256": "i", "inference_precision": "f32"})
TORCH = Stats("test_pytorch[b1]", {"inference_precision": "f32"})


def test_the_json_section_names_the_model_from_an_openvino_cell_and_the_workload():
    run = SuiteRun(settings=Settings(devices=("CPU",), frames=16, processes=3, extra_config=(("A", "1"),)),
                   fingerprint={"machine": {"cpu_model": "x"}}, outputs={"CPU-none-b1-sync": {"ok": True}})
    section = run.json_section([TORCH, OV])
    assert section["schema"] == SCHEMA_VERSION and section["fingerprint"] == {"machine": {"cpu_model": "x"}}
    assert section["model"] == {"model_key": "k", "onnx_sha256": "o", "ir_precision": "fp16"}
    assert section["workload"] == {"frames": 16, "onnx_sha256": "o", "ir_precision": "fp16", "image_sha256": "i",
                                   "ov_config": {"A": "1"}}
    assert section["precisions"] == {TORCH.name: "f32", OV.name: "f32"} and section["processes"] == 3
    assert section["outputs"] == {"CPU-none-b1-sync": {"ok": True}} and "subset" not in section
    run.planned, run.left_out = [OV.name, "test_openvino[CPU-none-b4-sync]"], ["test_openvino[CPU-none-b4-sync]"]
    assert run.json_section([OV])["subset"] == {"left_out": ["test_openvino[CPU-none-b4-sync]"], "planned": 2}


def test_the_history_gets_the_kind_the_options_and_the_verdicts():
    plain = SuiteRun(settings=Settings(devices=("CPU",), inject_slowdown=0.05))
    assert plain.kind == "run"
    assert plain.history_options()["inject_slowdown"] == 0.05 and plain.history_options()["devices"] == ["CPU"]
    assert SuiteRun(settings=Settings(devices=("CPU",), save_baseline=Path("b.json"))).kind == "baseline"
    assert SuiteRun(settings=Settings(devices=("CPU",), baseline=object())).kind == "compare"
    assert SuiteRun(settings=Settings(devices=("CPU",), ab_python=Path("python"))).kind == "ab"
    judged = SuiteRun(settings=Settings(devices=("CPU",)), verdicts=[CellVerdict(id=OV.name, verdict="slower")])
    data = {"benchmarks": [{"name": OV.name, "extra_info": {}}, {"name": TORCH.name, "extra_info": {}}]}
    assert [b["extra_info"].get("verdict") for b in judged.with_verdicts(data)["benchmarks"]] == ["slower", None]


def _baseline(runs=1):
    from ovperf.baseline import Baseline

    data = {"ovperf": {"runs": runs, "fingerprint": {"software": {"openvino": "2025.4.1-1"}, "machine": {}}}}
    return Baseline(path=Path("baselines/nightly.json"), data=data,
                    cells={OV.name: {"fps": 10.0}, "test_openvino[CPU-none-b4-sync]": {"fps": 5.0}})


def test_a_comparison_report_says_what_was_compared_how_and_lists_missing_cells():
    run = SuiteRun(settings=Settings(devices=("CPU",), baseline=_baseline(), processes=5),
                   fingerprint={"software": {"openvino": "2026.4.1-2"}, "machine": {}},
                   verdicts=[CellVerdict(id=OV.name, verdict="new", current_fps=9.0)],
                   results=[{"machine_share": {"own": 0.9, "other": 0.05, "steal": 0.0}}])
    run.add_missing()
    assert [(v.id, v.verdict) for v in run.verdicts][-1] == ("test_openvino[CPU-none-b4-sync]", "missing")
    text = run.report_text()
    assert text.startswith("# OpenVINO throughput verdicts\n")
    assert "- baseline: nightly (baselines/nightly.json), OpenVINO 2025.4.1-1, 1 run(s); from one run" in text
    assert "- this run: OpenVINO 2026.4.1-2, 5 processes a look" in text
    assert "permutation test on per-process medians" in text and "threshold 5%" in text
    assert "other processes 5%" in text and "| test_openvino[CPU-none-b4-sync] |" in text
    assert run.comparison_title == "verdicts against nightly"
    run.settings = Settings(devices=("CPU",), baseline=_baseline(runs=3))
    assert "3 run(s)" in run.report_context()[0] and "from one run" not in run.report_context()[0]


def test_a_baseline_of_runs_saved_close_together_is_named_as_such():
    from ovperf.baseline import Baseline

    runs = [[[10.0, 10.1], [10.2, 10.0]], [[11.0, 11.1], [10.9, 11.2]]]
    data = {"ovperf": {"runs": 2, "run_times": ["2026-11-30T14:02:00+00:00", "2026-11-30T14:12:00+00:00"],
                       "fingerprint": {"software": {"openvino": "2025.4.1-1"}, "machine": {}}}}
    baseline = Baseline(path=Path("baselines/nightly.json"), data=data, cells={OV.name: {"fps_runs": runs}})
    run = SuiteRun(settings=Settings(devices=("CPU",), baseline=baseline, processes=5),
                   fingerprint={"software": {"openvino": "2026.4.1-2"}, "machine": {}})
    context = run.report_context()
    assert context[2].startswith("unit: the run;")
    assert "a run's number being the best round to expect from 4 of its processes" in context[2]
    assert ("only those that ran at the machine's usual speed this session (by the units kernel where the baseline "
            "measured the same one, else by the numpy kernel) count, for up to 600 s more, once a slow "
            "period and not in a session below 90% of the baseline's speed") in context[2]
    assert context[3].startswith("NOTE: the baseline's 2 runs were saved within 10 min (2026-11-30 14:02 to 14:12)")
    assert context[4].startswith("what one run can catch: ") and "2 baseline runs" in context[4]
    assert not any("cells faster" in line for line in context)
    from ovperf.stats import compare

    run.verdicts = [CellVerdict(id=f"c{i}", verdict="improved", comparison=compare([[10.0], [10.2], [9.8]], [[13.0], [13.2]]))
                    for i in range(4)]
    assert context != run.report_context() and run.report_context()[-1].startswith("NOTE: all 4 cells faster")


def test_an_ab_report_names_both_sides_and_a_plain_report_shouts_an_injection():
    ab = SuiteRun(settings=Settings(devices=("CPU",), ab_python=Path("/opt/ov25/bin/python"), processes=8),
                  fingerprint={"software": {"openvino": "2026.4.1-2"}}, ab_info={"openvino": "2025.4.1-1", "python": "3.11.7"})
    context = ab.ab_context()
    assert context[0].startswith("A (processes of this Python): OpenVINO 2026.4.1-2")
    assert context[1] == "B (processes of /opt/ov25/bin/python): OpenVINO 2025.4.1-1, Python 3.11.7"
    assert "8 pairs of processes a look" in context[2] and "sign-flip permutation test" in context[3]
    assert ab.comparison_title == "interleaved A/B verdicts (B against A)"
    plain = SuiteRun(settings=Settings(devices=("CPU",), inject_slowdown=0.05), results=[])
    text = plain.report_text()
    assert text.startswith("# OpenVINO throughput\n") and "**INJECTED SLOWDOWN 5%**" in text


def _keep_environment(monkeypatch, tmp_path):
    """start() sets ultralytics' variables only where unset: set them here, so they are restored."""
    for name in ("YOLO_OFFLINE", "YOLO_AUTOINSTALL", "YOLO_VERBOSE", "YOLO_CONFIG_DIR"):
        monkeypatch.setenv(name, __import__("os").environ.get(name, str(tmp_path / "ultralytics")))


def _options(pytestconfig, **given):
    """The suite's options at their defaults, as this pytest parsed them, with ``given`` set."""
    values = {f"--ov-{k.replace('_', '-')}": v for k, v in given.items()}
    return lambda name: values.get(name, pytestconfig.getoption(name))


def test_a_run_that_cannot_start_says_why_in_one_line(pytestconfig, tmp_path, monkeypatch):
    import pytest

    _keep_environment(monkeypatch, tmp_path)
    from ovperf.suite import StartError, start

    with pytest.raises(StartError) as caught:
        start(_options(pytestconfig, frames=7), lambda name: None, baseline_dir=tmp_path, cache_dir=tmp_path,
              history_url=None)
    assert "\n" not in str(caught.value) and "7" in str(caught.value)


def test_a_run_refused_after_taking_the_save_lock_releases_it(pytestconfig, tmp_path, monkeypatch):
    import pytest

    _keep_environment(monkeypatch, tmp_path)
    from ovperf.baseline import SaveLock
    from ovperf.suite import StartError, start

    corrupt = tmp_path / "history.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StartError, match="--ov-history"):
        start(_options(pytestconfig, save_baseline="nightly"), lambda name: None, baseline_dir=tmp_path,
              cache_dir=tmp_path, history_url=str(corrupt))
    lock = SaveLock(tmp_path / "nightly.json")
    lock.acquire()  # free again: the refused run did not keep it
    lock.release()
    assert not (tmp_path / "nightly.json").exists()


def test_a_measured_row_is_kept_for_the_tables_the_json_and_the_verdicts():
    run = SuiteRun()
    verdict = CellVerdict(id="c", verdict="unchanged")
    run.add({"id": "c"}, OV, verdict)
    run.add({"id": "torch"}, None)  # --benchmark-disable: no stats object
    assert [r["id"] for r in run.results] == ["c", "torch"] and run.benches == [OV] and run.verdicts == [verdict]


def _run_json():
    from tests.test_baseline import baseline_json

    data = baseline_json()
    data["benchmarks"][0]["extra_info"].update(fps_processes=[[15.0, 15.2], [14.9]], id="CPU-none-b1-sync")
    return data


def test_a_baseline_is_saved_whole_or_not_at_all_and_the_run_ends_accordingly(tmp_path):
    from ovperf.suite import FAILED, INTERRUPTED

    target = tmp_path / "nightly.json"
    run = SuiteRun(settings=Settings(devices=("CPU",), save_baseline=target, processes=2), benches=[OV])
    assert run.save(_run_json, interrupted=True, tests_failed=0) == INTERRUPTED and not target.exists()
    assert run.save(_run_json, interrupted=False, tests_failed=2) is None and not target.exists()
    assert "2 test(s) failed" in run.notices[-1]
    assert SuiteRun(settings=run.settings).save(_run_json, False, 0) == FAILED and not target.exists()
    assert run.save(_run_json, interrupted=False, tests_failed=0) is None and target.exists()
    assert run.notices[-1] == f"saved baseline {target} (1 cells, 2 processes a cell this run, 1 run)"
    from ovperf.baseline import load

    appending = SuiteRun(settings=Settings(devices=("CPU",), save_baseline=target, processes=2, append_to=load(target)),
                         benches=[OV])
    assert appending.save(_run_json, interrupted=False, tests_failed=0) is None
    saved, reach = appending.notices[-1].split("; against it, ")
    assert saved == f"saved baseline {target} (1 cells, 2 processes a cell this run, 2 runs)"
    assert reach.startswith("what one run can catch: ") and "2 baseline runs" in reach
    assert SuiteRun(settings=Settings(devices=("CPU",))).save(_run_json, False, 0) is None  # nothing asked


def test_the_history_records_a_measured_run_and_says_why_it_did_not(tmp_path):
    import sqlite3

    from ovperf.history import open_store

    url = str(tmp_path / "h.sqlite")
    run = SuiteRun(settings=Settings(devices=("CPU",), processes=2), history=open_store(url), benches=[OV])
    assert run.record_history(_run_json, interrupted=True) is None and "interrupted" in run.notices[-1]
    assert run.record_history(_run_json, interrupted=False) is None and run.notices[-1].startswith("recorded run 1")
    with sqlite3.connect(url) as db:
        assert db.execute("select count(*) from runs").fetchone() == (1,)


def test_the_summary_warns_of_an_injection_first_and_shows_verdicts_only_for_a_comparison():
    results = [{"id": "CPU-none-b1-sync", "fps": 10.0, "inference_precision": "f32", "processes": 2,
                "machine_share": {"own": 0.9, "other": 0.05, "steal": 0.0}}]
    plain = SuiteRun(settings=Settings(devices=("CPU",), inject_slowdown=0.05), results=results,
                     verdicts=[CellVerdict(id="x", verdict="new", current_fps=9.0)])
    sections = plain.summary_sections()
    assert sections[0].title.startswith("INJECTED SLOWDOWN 5%") and sections[0].loud and sections[0].sep == "!"
    assert sections[1].title.startswith("throughput by configuration")
    assert "CPU-none-b1-sync" in sections[1].lines[0] and any("other processes 5%" in x for x in sections[1].lines)
    assert len(sections) == 2  # a plain run has no verdict section, whatever it holds
    compared = SuiteRun(settings=Settings(devices=("CPU",), baseline=_baseline()), results=results,
                        fingerprint={"software": {"openvino": "2026.4.1-2"}, "machine": {}},
                        verdicts=[CellVerdict(id="x", verdict="new", current_fps=9.0)],
                        outputs={"CPU-none-b1-sync": {"ok": False, "problems": ["boxes moved"]}})
    titles = [s.title for s in compared.summary_sections()]
    assert titles[1] == "outputs against PyTorch FP32: 0 within tolerance, 1 outside"
    assert titles[2].startswith("verdicts against nightly: ")


def test_a_one_run_baseline_takes_the_drift_between_runs_from_the_history(pytestconfig, tmp_path, monkeypatch):
    """A baseline of one run holds no drift between runs; with --ov-history, the history's runs
    of this machine give it, the verdict's unit becomes the run, and the report says whence."""
    import json

    import numpy as np
    import openvino

    from ovperf import baseline as bl
    from ovperf import history as h
    from ovperf.machine import machine_info
    from ovperf.suite import start
    from tests.history_data import bench_json

    _keep_environment(monkeypatch, tmp_path)
    fingerprint = bl.machine_fingerprint(machine_info(openvino.Core()), openvino.get_version())
    name, other = "test_openvino[CPU-none-b1-sync]", "test_openvino[CPU-none-b1-async]"
    saved = {"fps_rounds": [15.0] * 12, "fps_runs": [[[15.0 + 0.1 * i, 15.0] for i in range(6)]]}
    data = {"machine_info": {}, "commit_info": {}, "datetime": "2026-11-23T00:00:00", "version": "5.3.1",
            "benchmarks": [{"name": n, "extra_info": saved} for n in (name, other)],
            "ovperf": {"schema": bl.SCHEMA_VERSION, "fingerprint": fingerprint, "workload": {"frames": 48}}}
    (tmp_path / "nightly.json").write_text(json.dumps(data))
    url = str(tmp_path / "history.sqlite")
    here = {k: fingerprint["machine"][k] for k in ("cpu_model", "logical_cores")}

    def started():
        return start(_options(pytestconfig, baseline="nightly", frames=48), lambda name: None,
                     baseline_dir=tmp_path, cache_dir=tmp_path, history_url=url)

    run = started()  # an empty history: the process stays the unit, and the report says what would help
    assert run.settings.history_drift is None and run.settings.drift is None and run.settings.drift_parts is None
    assert "keep a history with --ov-history" in run.report_context()[0]
    store = h.open_store(url)
    for day, level in enumerate(15.0 * np.exp(np.random.default_rng(3).normal(0, 0.04, 5)), 1):
        store.append(*h.run_from_json(bench_json({name: [[level, level]] * 3, other: [[level / 2, level / 2]] * 3},
                                                 when=f"2026-11-{day:02d}T00:00:00", **here),
                                      kind="run", options={"frames": 48}))
    run = started()
    assert run.settings.drift is run.settings.history_drift and run.settings.drift.source == "history"
    assert run.settings.drift.df == 8 and run.settings.drift_parts.df_common == 4  # 2 cells x 4, 5 runs of 2 cells
    assert "the drift between runs is the history's (5 runs of a cell at most)" in run.report_context()[0]
    assert "from the history's runs of this machine" in run.method()


def test_cells_left_unjudged_in_a_slow_period_are_named_under_the_verdicts():
    from dataclasses import replace

    from ovperf.stats import INCONCLUSIVE, compare

    judged = compare([[10.0], [10.2], [9.8]], [[8.0], [8.1]])
    unjudged = replace(judged, verdict=INCONCLUSIVE, unjudged=True, note="the confirming look met only a slow period")
    run = SuiteRun(settings=Settings(devices=("CPU",), baseline=_baseline()), results=[],
                   fingerprint={"software": {"openvino": "2026.4.1-2"}, "machine": {}},
                   verdicts=[CellVerdict(id="slow", verdict=INCONCLUSIVE, comparison=unjudged),
                             CellVerdict(id="judged", verdict=judged.verdict, comparison=judged)])
    lines = run.summary_sections()[-1].lines
    at = next(i for i, line in enumerate(lines) if line.startswith("NOT JUDGED (1 cell): "))
    assert lines[at + 1:] == ["  slow"]
    assert "inconclusive (not judged), the confirming look met only a slow period" in "\n".join(lines)
    run.usual.seed("k", [[100.0]] * 10)
    run.usual.add("k", [[91.0]] * 10)  # a session slower than its baseline, not far below it
    assert run.summary_sections()[-1].lines[at + 1:] == ["  slow"]
    run.usual = UsualSpeed()
    run.usual.seed("k", [[100.0]] * 10)
    run.usual.add("k", [[80.0]] * 10)  # far below it: the line says what to do about the baseline
    lines = run.summary_sections()[-1].lines
    assert lines[at + 1:] == [
        "  slow",
        "this whole session ran far below the baseline's machine speed (its fastest processes at 80% of the baseline's, "
        "by the reference kernel): the baseline no longer fits it; if the machine stays so, append runs saved now "
        "(--ov-save-baseline-append), or judge a release with the interleaved A/B (--ov-ab-python), whose sides share "
        "the machine's moods"], lines


def test_a_session_faster_than_its_baselines_machine_says_a_slowdown_can_hide_in_it():
    from ovperf.stats import compare

    judged = compare([[10.0], [10.2], [9.8]], [[10.1], [10.0]])
    run = SuiteRun(settings=Settings(devices=("CPU",), baseline=_baseline()), results=[],
                   fingerprint={"software": {"openvino": "2026.4.1-2"}, "machine": {}},
                   verdicts=[CellVerdict(id="judged", verdict=judged.verdict, comparison=judged)])
    run.usual.seed("k", [[100.0]] * 10)
    run.usual.add("k", [[104.0]] * 10)  # within the usual margin: nothing to say
    assert not any("this whole session" in line for line in run.summary_sections()[-1].lines)
    run.usual.add("k", [[112.0]] * 10)
    assert run.summary_sections()[-1].lines[-1].startswith(
        "this whole session ran faster than the baseline's machine (its fastest processes at 112% of the baseline's, "
        "by the reference kernel): a slowdown can hide in that, and read unchanged, unstable or inconclusive; if the "
        "machine stays so, append runs saved now (--ov-save-baseline-append)")


def test_a_comparison_at_the_baselines_machine_speed_says_by_how_much_and_a_faster_machine_hides_nothing():
    """Where the verdicts took the machine's speed out (--ov-machine-adjust), the report says by
    which kernel and by how much, and the faster-session warning, whose slowdown that hid is now
    taken out, is not given; where this session measured no such kernel, it says FPS as measured."""
    from dataclasses import replace

    from ovperf.noise import MachineLevel
    from ovperf.stats import compare

    kernel = "openvino 2026.4.1-2 16x 4 conv3x3 64ch 80x80 bfloat16"
    # the baseline's three runs, log speed, and its processes' FPS following the kernel at half its move
    level = MachineLevel(kernel, (6.20, 6.21, 6.22), slope=0.5)
    judged = compare([[10.0], [10.2], [9.8]], [[10.1], [10.0]])
    run = SuiteRun(settings=Settings(devices=("CPU",), baseline=replace(_baseline(runs=3), machine_level=level)),
                   results=[], fingerprint={"software": {"openvino": "2026.4.1-2"}, "machine": {}},
                   verdicts=[CellVerdict(id="judged", verdict=judged.verdict, comparison=judged)])
    assert run.machine_line() == (
        f"FPS as measured: this session's processes did not measure the baseline's units kernel ({kernel}), so its "
        "machine speed could not be taken out")
    run.usual.add(kernel, [[float(np.exp(6.21)) * 1.04]] * 10)
    line = run.machine_line()
    assert line.startswith("FPS at the baseline's machine speed (--ov-machine-adjust auto): each run's FPS, the "
                           "baseline's and this one's, divided by how fast its units kernel ran, to the power of the "
                           "slope at which FPS follows it; this session's units kernel ran at 104.0% of the baseline "
                           "runs' speed (its 3 runs at 99.0-101.0%); FPS follows it at a slope of 0.50 (the "
                           "baseline's processes, inside their runs), so this run's FPS counts x0.981 (the drift "
                           "above"), line
    assert line in run.report_context()
    run.usual.seed("k", [[100.0]] * 10)
    run.usual.add("k", [[112.0]] * 10)  # faster than the baseline by the numpy kernel too
    run.results = [{"id": "judged", "fps": 10.0}]  # a verdict judged as measured: the warning stands
    assert any("this whole session ran faster" in line for line in run.summary_sections()[-1].lines)
    run.results = [{"id": "judged", "fps": 10.0, "machine_factor": 0.981}]  # at the baseline's machine speed
    assert not any("this whole session" in line for line in run.summary_sections()[-1].lines)
    assert SuiteRun(settings=Settings(devices=("CPU",), baseline=_baseline(runs=3))).machine_line() is None
    # the factors the cells' verdicts used, where they differ (each cell judged by the session so far)
    run.results = [{"machine_factor": 0.95}, {"machine_factor": 0.97}, {"machine_factor": 0.96}, {}]
    assert ("this session's units kernel ran at 108.5% of the baseline runs' speed (its 3 runs at 99.0-101.0%); FPS "
            "follows it at a slope of 0.50 (the baseline's processes, inside their runs), so this run's FPS counts "
            "x0.950-x0.970, by the session's processes when each cell was judged" in run.machine_line()), run.machine_line()


def test_a_session_far_below_its_baseline_says_the_baseline_no_longer_fits_only_where_fps_is_read_as_measured():
    """A cell left not judged in a session at 80% of its baseline's speed: with FPS as measured the
    summary says the baseline no longer fits the machine; where the verdicts read FPS at the
    baseline's machine speed (--ov-machine-adjust), the session's distance from it is taken out,
    so the line is not given, and the unit line says the confirmation judges such a session. A
    baseline with a machine level does not take the line out by itself: a session whose cells
    measured no level of their own was judged as measured, and gets it."""
    from dataclasses import replace

    from ovperf.noise import MachineLevel
    from ovperf.stats import compare

    from ovperf.baseline import Baseline

    judged = replace(compare([[10.0], [10.2], [9.8]], [[10.1], [10.0]]), unjudged=True)
    runs = [[[10.0, 10.1], [10.2, 10.0]], [[11.0, 11.1], [10.9, 11.2]]]  # the run as the unit, a run its best
    data = {"ovperf": {"runs": 2, "fingerprint": {"software": {"openvino": "2025.4.1-1"}, "machine": {}}}}
    saved = Baseline(path=Path("baselines/nightly.json"), data=data, cells={OV.name: {"fps_runs": runs}})
    leveled = replace(saved, machine_level=MachineLevel("u", (6.2, 6.2)))
    lines = {}
    cell = {"id": "slow", "fps": 10.0}
    for adjust, baseline, results in (("off", saved, []), ("auto", leveled, [{**cell, "machine_factor": 1.25}]),
                                      ("auto, no level this session", leveled, [cell])):
        run = SuiteRun(settings=Settings(devices=("CPU",), baseline=baseline, processes=5), results=results,
                       fingerprint={"software": {"openvino": "2026.4.1-2"}, "machine": {}},
                       verdicts=[CellVerdict(id="slow", verdict=judged.verdict, comparison=judged)])
        run.usual.seed("k", [[100.0]] * 10)
        run.usual.add("k", [[80.0]] * 10)
        lines[adjust] = run.summary_sections()[-1].lines + run.report_context()
    far = "this whole session ran far below the baseline's machine speed"
    assert any(line.startswith(far) for line in lines["off"]), lines["off"]
    assert not any(line.startswith(far) for line in lines["auto"]), lines["auto"]
    unleveled = lines["auto, no level this session"]
    assert any(line.startswith(far) for line in unleveled), unleveled
    judges = "with FPS read at the baseline's machine speed, by this session's own usual speed"
    assert any(judges in line for line in lines["auto"]) and not any(judges in line for line in lines["off"]), lines["auto"]
