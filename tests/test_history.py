"""The nightly history: the store (SQLite and a real PostgreSQL), ingest, change points, the CLI."""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import socket
import subprocess
from pathlib import Path

import numpy as np
import pytest

from ovperf import history as h
from tests.history_data import CELL, bench_json, nightly, noisy


def test_a_run_round_trips_with_its_cells(tmp_path):
    store = h.open_store(tmp_path / "history.sqlite")
    run, cells = h.run_from_json(bench_json({CELL: 12.5, "test_pytorch[b1]": 5.0}), kind="run", options={"frames": 48})
    assert store.append(run, cells) == 1
    series = store.series()
    assert set(series) == {CELL, "test_pytorch[b1]"}
    point = series[CELL][0]
    assert point.fps == 12.5 and point.processes == [[12.5, 12.5]] and point.software["openvino_version"] == "2026.3.0-1"
    assert store.count() == (1, 2)


def test_a_store_of_a_newer_schema_is_refused_with_one_line(tmp_path):
    store = h.open_store(tmp_path / "history.sqlite")
    from sqlalchemy import update

    with store.engine.begin() as conn:
        conn.execute(update(store.version).values(version=h.SCHEMA_VERSION + 1))
    with pytest.raises(h.HistoryError, match=f"has schema {h.SCHEMA_VERSION + 1}; this ovperf reads up to"):
        h.open_store(tmp_path / "history.sqlite")


def test_ingesting_a_file_twice_adds_it_once_and_keeps_an_injected_slowdown(tmp_path):
    path = tmp_path / "nightly.json"
    data = bench_json({CELL: 12.0})
    data["benchmarks"][0]["extra_info"]["inject_slowdown"] = 0.05
    path.write_text(json.dumps(data))
    store = h.open_store(tmp_path / "history.sqlite")
    assert h.ingest(store, [path]) == [f"{path}: run 1, 1 cells"]
    assert h.ingest(store, [path]) == [f"{path}: already in the history"]
    assert store.series()[CELL][0].injected == 0.05
    (tmp_path / "bad.json").write_text('{"benchmarks": [{"name": "x"}]}')
    with pytest.raises(h.HistoryError, match="bad.json: no benchmark in it has the suite's FPS"):
        h.ingest(store, [tmp_path / "bad.json"])
    assert store.count() == (1, 1)


def test_a_persistent_step_is_found_where_it_starts_and_attributed(tmp_path):
    """20 nights at 2% noise; from night 13 OpenVINO changes and the cell is 6% slower."""
    store = h.open_store(tmp_path / "history.sqlite")
    values = np.concatenate([noisy(12, 12.0, 0.02, 1), noisy(8, 12.0 * 0.94, 0.02, 2)])
    nightly(store, values, changes={12: {"openvino": "2026.4.1-1"}})
    shifts, series = h.detect_all(store)
    assert len(shifts) == 1
    shift = shifts[0]
    assert shift.index == 12 and shift.regression and -0.09 < shift.magnitude < -0.03 and shift.p_value < 0.01
    assert shift.attribution == "changed: OpenVINO 2026.3.0-1 -> 2026.4.1-1"
    assert not h.recent(shift, series, window=3)


def test_synthetic_steps_are_found_where_they_start_and_flat_series_stay_quiet():
    """200 series of 30 runs with a 3% step at a random run, and 200 without (seeded).

    At 1% noise the step is found within one run in 98%, as often as the best single
    split told there is one step. At 2% the location itself is uncertain: even that
    oracle is within one run in 67% (see the issue note); detect finds 44%. Step-free
    series stay at or below 2% at both noise levels.
    """
    quiet = h.simulate(noise=0.01, step=0.03, series=200, seed=0)
    assert quiet.found >= 190 and quiet.false <= 4
    noisy_ = h.simulate(noise=0.02, step=0.03, series=200, seed=0)
    assert noisy_.false <= 4 and noisy_.oracle >= noisy_.found >= 0.5 * noisy_.oracle


def test_flat_series_give_no_shift(tmp_path):
    """Twenty A/A histories of 20 nights at 3% noise (seeded): no shift is reported."""
    found = 0
    for seed in range(20):
        points = [h.Point(run_id=i, time=str(i), fps=float(v)) for i, v in enumerate(noisy(20, 12.0, 0.03, 100 + seed))]
        found += len(h.detect(CELL, points))
    assert found == 0


def test_a_shift_below_the_minimum_magnitude_is_not_reported():
    values = np.concatenate([np.full(10, 12.0), np.full(10, 12.0 * 0.99)]) * np.exp(np.random.default_rng(3).normal(0, 0.001, 20))
    points = [h.Point(run_id=i, time=str(i), fps=float(v)) for i, v in enumerate(values)]
    assert h.detect(CELL, points, min_magnitude=0.02) == []
    assert len(h.detect(CELL, points, min_magnitude=0.005)) == 1


def test_nothing_recorded_is_attributed_to_the_machine():
    a = h.Point(run_id=1, time="1", fps=1.0, software={"openvino_version": "x"}, model="m", commit="c")
    assert h.attribute(a, a) == "nothing recorded changed (the machine itself?)"
    b = h.Point(run_id=2, time="2", fps=1.0, software={"openvino_version": "x"}, model="m", commit="d",
                machine={"cpu_model": "other"})
    assert h.attribute(a, b) == "changed: commit c -> d; machine (cpu_model)"
    c = h.Point(run_id=3, time="3", fps=1.0, software={"openvino_version": "x"}, model="m", commit="c", injected=0.05)
    assert h.attribute(a, c) == "changed: INJECTED slowdown 0% -> 5% (--ov-inject-slowdown)"


def test_the_cli_gates_on_a_regression_in_the_newest_runs_and_reports_it(tmp_path, capsys):
    url = str(tmp_path / "history.sqlite")
    store = h.open_store(url)
    values = np.concatenate([noisy(15, 12.0, 0.01, 5), noisy(3, 12.0 * 0.9, 0.01, 6)])
    nightly(store, values, changes={15: {"commit": "b" * 40}})
    assert h.main(["--history", url, "detect", "--window", "3"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"NEW {CELL}: ") and "slower from run 16" in out and "commit aaaaaaaa -> bbbbbbbb" in out
    assert h.main(["--history", url, "detect", "--window", "2"]) == 0  # it started 3 runs ago
    report = tmp_path / "history.md"
    assert h.main(["--history", url, "report", "--out", str(report)]) == 0
    text = report.read_text()
    assert text.index("## New change points (1)") < text.index(CELL) < text.index("## Earlier change points (0)")


def test_an_empty_history_a_short_cell_and_a_corrupt_file_are_one_line_and_change_nothing(tmp_path, capsys):
    url = str(tmp_path / "history.sqlite")
    assert h.main(["--history", url, "detect"]) == 2
    assert capsys.readouterr().err == (f"ov-perf-history: history sqlite:///{url} holds no runs; a change point "
                                       "needs 6 runs of a cell (record runs with --ov-history, or ingest files)\n")
    store = h.open_store(url)
    nightly(store, [12.0])
    assert h.main(["--history", url, "detect"]) == 2
    assert "holds at most 1 run(s) a cell" in capsys.readouterr().err
    run, cells = h.run_from_json(bench_json({"test_openvino[CPU-none-b1-sync]": 10.0}), kind="run")
    for _ in range(6):
        store.append(run, cells)
    assert h.main(["--history", url, "detect"]) == 0
    assert capsys.readouterr().err == f"ov-perf-history: {CELL} has 1 run(s); a change point needs 6\n"
    before = (tmp_path / "history.sqlite").read_bytes()
    assert h.main(["--history", url, "report"]) == 0 and (tmp_path / "history.sqlite").read_bytes() == before
    capsys.readouterr()

    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"not a database, just bytes" * 100)
    kept = corrupt.read_bytes()
    assert h.main(["--history", str(corrupt), "detect"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ov-perf-history: history sqlite:///{corrupt}: ") and err.count("\n") == 1
    assert "not a database" in err and corrupt.read_bytes() == kept


def test_the_simulation_is_a_command(capsys):
    assert h.main(["simulate", "--noise", "1%", "--step", "3%", "--series", "20"]) == 0
    assert capsys.readouterr().out.startswith("20 series of 30 runs, 1.0% noise (Gaussian, on log FPS), a 3.0% step")


def test_the_cli_says_what_is_wrong_in_one_line(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    assert h.main(["--history", str(tmp_path / "h.sqlite"), "ingest", str(tmp_path / "notes.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ov-perf-history: ") and "notes.txt: not readable JSON" in err and err.count("\n") == 1
    assert h.main(["--history", "postgresql://nobody@127.0.0.1:1/none", "detect"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ov-perf-history: history postgresql+psycopg2://nobody@127.0.0.1:1/none: ")
    assert err.count("\n") == 1


# --- concurrent writers on both back ends ---

def _writer(url, worker, runs):
    store = h.open_store(url)
    for i in range(runs):
        run, cells = h.run_from_json(
            bench_json({f"{CELL}-{n}": 10.0 + worker for n in range(4)}, when=f"2026-11-{i + 1:02d}T0{worker}:00:00"),
            kind="run", options={"worker": worker})
        store.append(run, cells)


def _concurrent_appends(url, writers=4, runs=5):
    h.open_store(url)  # created once, as the first nightly run would
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_writer, args=(url, w, runs)) for w in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    store = h.open_store(url)
    assert store.count() == (writers * runs, writers * runs * 4)
    assert all(len(points) == writers * runs for points in store.series().values())


def test_concurrent_writers_lose_nothing_on_sqlite(tmp_path):
    _concurrent_appends(str(tmp_path / "history.sqlite"))


@pytest.fixture
def postgres():
    """A real PostgreSQL server on localhost, started for the test and stopped after it."""
    import tempfile

    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL's initdb/pg_ctl are not installed")
    # Outside pytest's tmp_path (0700, root's): the server runs as its own user.
    root = Path(tempfile.mkdtemp(prefix="ovperf-pg-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, user="postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    try:
        subprocess.run([*as_user, initdb, "-D", str(data), "-U", "ovperf", "--auth=trust"], check=True,
                       capture_output=True, timeout=120)
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-o", f"-p {port} -k {root} -h 127.0.0.1",
                        "-l", str(root / "pg.log"), "-w", "start"], check=True, capture_output=True, timeout=120)
        yield f"postgresql://ovperf@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)


def test_concurrent_writers_lose_nothing_on_postgresql(postgres):
    _concurrent_appends(postgres)
    store = h.open_store(postgres)
    assert store.url.startswith("postgresql+psycopg2://")


def test_a_failed_append_writes_nothing(tmp_path):
    store = h.open_store(tmp_path / "history.sqlite")
    run, cells = h.run_from_json(bench_json({CELL: 12.0}), kind="run")
    with pytest.raises(h.HistoryError, match="cannot append"):
        store.append(run, cells + [{**cells[0]}])  # the same cell twice breaks the unique key mid-way
    assert store.count() == (0, 0)


def test_a_fleet_gets_one_series_per_machine(tmp_path):
    store = h.open_store(tmp_path / "history.sqlite")
    for cpu in ("Xeon", "EPYC"):
        store.append(*h.run_from_json(bench_json({CELL: 10.0}, cpu_model=cpu), kind="run"))
    assert sorted(store.series()) == [f"{CELL} @ EPYC, 2 cores", f"{CELL} @ Xeon, 2 cores"]


def test_a_shift_placed_one_run_off_a_recorded_change_is_attributed_to_it():
    """At a few percent of noise a step's place is uncertain by a run; the change beside it is named."""
    base = dict(software={"openvino_version": "x"}, model="m", commit="c")
    points = [h.Point(run_id=i + 1, time=str(i), fps=1.0, injected=0.05 if i >= 8 else 0.0, **base) for i in range(16)]
    assert h.attribute_near(points, 9) == ("one run earlier (run 9): changed: INJECTED slowdown 0% -> 5% "
                                           "(--ov-inject-slowdown)")
    assert h.attribute_near(points, 7) == ("one run later (run 9): changed: INJECTED slowdown 0% -> 5% "
                                           "(--ov-inject-slowdown)")
    assert h.attribute_near(points, 8).startswith("changed: INJECTED")
    assert h.attribute_near(points, 12) == "nothing recorded changed (the machine itself?)"


def test_a_comparison_runs_verdict_is_recorded_as_its_word(tmp_path):
    """A comparison's extra_info["verdict"] is the whole comparison; the cell row keeps "regressed"."""
    from sqlalchemy import select

    data = bench_json({CELL: 10.0, "test_openvino[CPU-none-b1-sync]": 9.0})
    data["benchmarks"][0]["extra_info"]["verdict"] = {"verdict": "regressed", "ratio": 0.9, "ci_low": 0.85}
    data["benchmarks"][1]["extra_info"]["ab"] = {"verdict": "slower", "ratio": 0.97}
    store = h.open_store(tmp_path / "history.sqlite")
    run, cells = h.run_from_json(data, kind="compare")
    assert store.append(run, cells) == 1
    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(store.cells.c.name, store.cells.c.verdict)).all())
    assert rows == {CELL: "regressed", "test_openvino[CPU-none-b1-sync]": "slower"}


def _timed_night(store, fps, speed, kernel, day, **changes):
    """One night whose cell ran at ``fps`` while the speed kernel ran at ``speed``."""
    data = bench_json({CELL: [[fps, fps], [fps, fps]]}, when=f"2026-11-{day:02d}T02:00:00", **changes)
    data["benchmarks"][0]["extra_info"].update(speed_processes=[[speed, speed], [speed, speed]], speed_kernel=kernel)
    store.append(*h.run_from_json(data, kind="run"))


def test_speed_adjust_reads_each_night_at_the_machines_usual_speed(tmp_path, capsys):
    """24 nights whose FPS follows the machine's speed (SD 12%), 1% of their own noise, and a
    5% slowdown from night 13 with a new OpenVINO. From night 7 a new numpy times the speed
    kernel 30% faster, which is not the machine changing. Raw, the step is lost in the
    machine's moods; adjusted, it is found where it starts. Across the kernel change the
    adjusted levels differ by the machine's mean mood on each side, which reads as a shift
    in this seed unless it is judged on raw FPS, as it is."""
    rng = np.random.default_rng(0)
    speed = np.exp(rng.normal(0, 0.12, 24))
    own = np.exp(rng.normal(0, 0.01, 24))
    url = str(tmp_path / "history.sqlite")
    store = h.open_store(url)
    for i in range(24):
        numpy_kernel = "numpy 2.4.6 openblas" if i >= 6 else "numpy 2.3.5 openblas"
        _timed_night(store, 12.0 * speed[i] * own[i] * (0.95 if i >= 12 else 1.0),
                     100.0 * speed[i] * (1.3 if i >= 6 else 1.0), numpy_kernel, i + 1,
                     **({"openvino": "2026.4.1-1"} if i >= 12 else {}))
    assert h.detect_all(store)[0] == []
    series, notes = h.adjust_for_speed(store.series())
    assert len(notes) == 1 and notes[0].startswith(f"{CELL}: at the machine's usual speed (slope ")
    shifts, _ = h.detect_all(store, series=series)
    assert len(shifts) == 1 and abs(shifts[0].index - 12) <= 1 and -0.08 < shifts[0].magnitude < -0.03
    assert h.main(["--history", url, "detect", "--speed-adjust"]) == 0
    out = capsys.readouterr().out
    assert "run-to-run SD" in out and "slower from run" in out and "OpenVINO 2026.3.0-1 -> 2026.4.1-1" in out
    assert h.main(["--history", url, "report", "--speed-adjust", "--out", str(tmp_path / "h.md")]) == 0
    text = (tmp_path / "h.md").read_text()
    assert f"- {CELL}: at the machine's usual speed" in text and "## Earlier change points (1)" in text


def test_speed_adjust_leaves_a_cell_without_speeds_raw_and_says_so(tmp_path):
    store = h.open_store(tmp_path / "history.sqlite")
    nightly(store, noisy(8, 12.0, 0.02, 4))
    series, notes = h.adjust_for_speed(store.series())
    assert series == store.series()
    assert notes == [f"{CELL}: not adjusted: 8 of 8 runs recorded no machine speed"]


def test_a_store_of_the_older_schema_is_migrated_and_keeps_its_runs(tmp_path):
    from sqlalchemy import text, update

    path = tmp_path / "history.sqlite"
    store = h.open_store(path)
    nightly(store, [12.0, 11.0])
    with store.engine.begin() as conn:  # make it what schema 1 wrote
        for name in h.MIGRATIONS[1]["cells"]:
            conn.execute(text(f"ALTER TABLE cells DROP COLUMN {name}"))
        conn.execute(update(store.version).values(version=1))
    store.engine.dispose()
    migrated = h.open_store(path)
    assert [p.fps for p in migrated.series()[CELL]] == [12.0, 11.0] and migrated.series()[CELL][0].speeds == []
    _timed_night(migrated, 10.0, 100.0, "k", 3)
    assert migrated.series()[CELL][-1].speeds == [[100.0, 100.0], [100.0, 100.0]]
    with migrated.engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM ovperf_history_schema")).scalar() == h.SCHEMA_VERSION


def test_the_drift_between_runs_comes_from_this_machines_plain_runs_of_one_build(tmp_path):
    """What a one-run baseline borrows (``--ov-history``): the between-run spread of this
    machine's runs of the cells, within each OpenVINO build; A/B runs, runs with an injected
    slowdown, runs of another machine or frame count, and a release change stay out of it."""
    rng = np.random.default_rng(7)
    store = h.open_store(tmp_path / "history.sqlite")

    def night(level, day, kind="run", frames=48, **machine):
        moods = level * np.exp(rng.normal(0, 0.002, (3, 2)))  # 3 processes of 2 rounds, 0.2% apart
        data = bench_json({CELL: moods.tolist()}, when=f"2026-11-{day:02d}T02:00:00", **machine)
        store.append(*h.run_from_json(data, kind=kind, options={"frames": frames}))

    here = {"cpu_model": "AMD EPYC", "logical_cores": 2}
    assert store.drift([CELL], here, 48) is None  # an empty history
    levels = 40.0 * np.exp(rng.normal(0, 0.05, 6))  # six nights drifting 5%
    for day, level in enumerate(levels, 1):
        night(level, day)
    found = store.drift([CELL], here, 48)
    assert found.source == "history" and found.df == 5 and found.runs == 6
    assert 0.02 < found.sd < 0.10, found.sd
    assert "from the history's runs of this machine" in found.describe()
    # none of these moves it: far-off runs that are not plain runs of this machine and workload
    night(20.0, 10, kind="ab")
    night(20.0, 11, frames=16)
    night(20.0, 12, cpu_model="Xeon")
    data = bench_json({CELL: [[20.0, 20.0]] * 3}, when="2026-11-13T02:00:00")
    data["benchmarks"][0]["extra_info"]["inject_slowdown"] = 0.5
    store.append(*h.run_from_json(data, kind="run", options={"frames": 48}))
    # a new release 50% slower is a change, not drift: its two runs add a group of their own
    night(20.0, 14, openvino="2026.4.1-1")
    night(20.0, 15, openvino="2026.4.1-1")
    again = store.drift([CELL], here, 48)
    assert again.df == 6 and again.sd < found.sd * 1.5, (again, found)
    assert store.drift(["test_openvino[GPU-none-b1-sync]"], here, 48) is None
    assert store.drift([CELL], {"cpu_model": "Xeon", "logical_cores": 2}, 48) is None
    # a run counts as its best processes unless asked otherwise; its parts are counted alike
    mean, parts = store.drifts([CELL, "test_openvino[CPU-none-b1-async]"], here, 48, statistic="mean")
    assert again.statistic == "best" and mean.statistic == "mean" and mean.df == again.df
    assert parts is None  # one cell: no table of cells


def test_the_drift_splits_into_what_a_runs_cells_share_and_what_each_has(tmp_path):
    """``Store.drift_parts``: the same runs as ``drift`` (this machine's plain runs), as a runs
    x cells table within each build; a run all of whose cells ran 10% slow is common drift."""
    other = "test_openvino[CPU-none-b1-sync]"
    store = h.open_store(tmp_path / "history.sqlite")
    here = {"cpu_model": "AMD EPYC", "logical_cores": 2}
    for day, (mood, own) in enumerate([(1.0, 1.0), (0.9, 1.0), (1.0, 1.02), (0.9, 0.98)], 1):
        data = bench_json({CELL: [[40.0 * mood * own] * 2] * 2, other: [[20.0 * mood / own] * 2] * 2,
                           "test_pytorch[b1]": [[9.0 * day] * 2] * 2}, when=f"2026-11-{day:02d}T02:00:00")
        store.append(*h.run_from_json(data, kind="run", options={"frames": 48}))
    injected = bench_json({CELL: [[4.0] * 2] * 2, other: [[2.0] * 2] * 2}, when="2026-11-05T02:00:00")
    store.append(*h.run_from_json(injected, kind="run", options={"frames": 48, "inject_slowdown": 0.9}))
    parts = store.drift_parts([CELL, other, "test_pytorch[b1]"], here, 48)  # the PyTorch row is no OpenVINO cell
    assert (parts.runs, parts.cells, parts.df_common, parts.df_cell) == (4, 2, 3, 3)
    assert store.drifts([CELL, other], here, 48) == (store.drift([CELL, other], here, 48), parts)
    assert 0.04 < np.sqrt(parts.common) < 0.07 and 0.005 < np.sqrt(parts.cell) < 0.03, parts.describe()
    assert store.drift_parts([CELL], here, 48) is None  # one cell: nothing to split


def test_the_drifts_parts_take_full_size_runs_when_there_are_any(tmp_path):
    """As the cells' drift does: a plain run's 2 processes give the best of 2, another number
    that spreads more; with runs of 4 processes or more in the history, those alone count."""
    other = "test_openvino[CPU-none-b1-sync]"
    here = {"cpu_model": "AMD EPYC", "logical_cores": 2}

    def store_of(nights):
        store = h.open_store(tmp_path / f"history-{len(nights)}.sqlite")
        for day, (processes, mood, own) in enumerate(nights, 1):
            data = bench_json({CELL: [[40.0 * mood * own] * 2] * processes, other: [[20.0 * mood / own] * 2] * processes},
                              when=f"2026-11-{day:02d}T02:00:00")
            store.append(*h.run_from_json(data, kind="run", options={"frames": 48}))
        return store

    full = [(4, 1.0, 1.0), (4, 0.97, 1.01), (4, 1.0, 0.99), (4, 0.98, 1.0)]
    small = [(2, 0.7, 1.2), (2, 1.0, 0.8), (2, 0.8, 1.0)]
    alone = store_of(full).drift_parts([CELL, other], here, 48)
    mixed = store_of(full + small).drift_parts([CELL, other], here, 48)
    assert alone is not None and mixed == alone, (alone, mixed)
    only_small = store_of(small).drift_parts([CELL, other], here, 48)
    assert only_small is not None and only_small.runs == 3  # nothing better there: the small runs count
