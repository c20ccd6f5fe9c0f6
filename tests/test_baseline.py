from __future__ import annotations

import json

import pytest

from ovperf import baseline as bl

FINGERPRINT = {
    "machine": {"cpu_model": "AMD EPYC", "logical_cores": 2, "os": "Linux", "arch": "x86_64", "devices": {"CPU": "AMD EPYC"}},
    "software": {"python": "3.11.7", "openvino": "2026.4.1-22982", "torch": "2.14.1"},
}


def baseline_json(fps_rounds=(15.0, 15.2, 14.9), **ovperf):
    return {
        "machine_info": {}, "commit_info": {}, "datetime": "2026-11-23T00:00:00", "version": "5.3.1",
        "benchmarks": [{"name": "test_openvino[CPU-none-b1-sync]", "extra_info": {"fps_rounds": list(fps_rounds)}}],
        "ovperf": {"schema": bl.SCHEMA_VERSION, "fingerprint": FINGERPRINT, **ovperf},
    }


def test_default_name_is_the_short_openvino_version():
    assert bl.default_name("2026.4.1-22982-e213a147257-releases/2026/4") == "openvino-2026.4.1"


def test_write_then_load_round_trips(tmp_path):
    path = tmp_path / "openvino-2026.4.1.json"
    bl.write_new(path, baseline_json())
    loaded = bl.load(path)
    assert loaded.name == "openvino-2026.4.1"
    assert loaded.cells["test_openvino[CPU-none-b1-sync]"]["fps_rounds"] == [15.0, 15.2, 14.9]
    assert not list(tmp_path.glob(".*.tmp"))


def test_saving_never_overwrites_without_force(tmp_path):
    path = tmp_path / "nightly.json"
    bl.write_new(path, baseline_json(fps_rounds=(1.0,)))
    with pytest.raises(bl.BaselineError, match="nightly.json exists; pass --ov-save-baseline-force"):
        bl.write_new(path, baseline_json(fps_rounds=(2.0,)))
    assert bl.load(path).cells["test_openvino[CPU-none-b1-sync]"]["fps_rounds"] == [1.0]
    bl.write_new(path, baseline_json(fps_rounds=(2.0,)), force=True)
    assert bl.load(path).cells["test_openvino[CPU-none-b1-sync]"]["fps_rounds"] == [2.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nightly.json"]


def _with(change):
    """A valid baseline's JSON after ``change(data)``."""
    data = baseline_json()
    change(data)
    return json.dumps(data)


def _set(path, value):
    def change(data):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return change


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"benchmarks": [{"name": "x", "ext', "is not valid JSON"),
        ("[]", "has no 'benchmarks' list"),
        ('{"benchmarks": []}', "has no 'ovperf' section"),
        (json.dumps({**baseline_json(), "ovperf": {"schema": 99, "fingerprint": {}}}), "uses schema 99"),
        (json.dumps(baseline_json(fps_rounds=())), r"benchmarks\[0\]\.extra_info\.fps_rounds: \[\] should be non-empty"),
        (json.dumps(baseline_json(fps_rounds=(-1.0,))), r"benchmarks\[0\]\.extra_info\.fps_rounds\[0\]: -1.0 is less than"),
        (_with(_set(("benchmarks", 0), None)), r"benchmarks\[0\]: None is not of type 'object'"),
        (_with(_set(("benchmarks", 0, "extra_info", "fps_rounds"), [10.0, float("inf")])),
         r"benchmarks\[0\]\.extra_info\.fps_rounds\[1\]: 'Infinity \(not a JSON number\)' is not of type 'number'"),
        (_with(_set(("benchmarks", 0, "extra_info", "fps"), float("nan"))), r"extra_info\.fps: 'NaN \(not a JSON number\)'"),
        (_with(_set(("ovperf", "outputs"), {"CPU-none-b1-sync": {"ok": "yes"}})),
         r"ovperf\.outputs\.CPU-none-b1-sync\.ok: 'yes' is not of type 'boolean'"),
        (_with(_set(("ovperf", "outputs"), {"CPU-none-b1-sync": {"ok": True, "fingerprint": {"detections": [[1, 0.5]]}}})),
         r"ovperf\.outputs\.CPU-none-b1-sync\.fingerprint\.detections\[0\]"),
        (_with(_set(("benchmarks", 0, "extra_info", "perf_counters"), [{"name": "conv"}])),
         r"benchmarks\[0\]\.extra_info\.perf_counters\[0\]: 'type' is a required property"),
        (_with(_set(("ovperf", "fingerprint"), [])), r"ovperf\.fingerprint: \[\] is not of type 'object'"),
        (_with(lambda d: d["benchmarks"].append(d["benchmarks"][0])), "cell test_openvino\\[CPU-none-b1-sync\\] appears twice"),
    ],
)
def test_a_corrupt_baseline_names_the_file_and_the_field(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content)
    with pytest.raises(bl.BaselineError, match=message) as info:
        bl.load(path)
    assert str(info.value).startswith(f"baseline {path}") and "\n" not in str(info.value)


def test_a_binary_file_is_not_a_baseline(tmp_path):
    path = tmp_path / "chart.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(bl.BaselineError, match=f"baseline {path} is not a text file"):
        bl.load(path)


def test_latest_skips_what_is_not_a_baseline(tmp_path):
    bl.write_new(tmp_path / "nightly.json", baseline_json())
    (tmp_path / "stray.json").write_text("1")
    (tmp_path / "list.json").write_text("[]")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00")
    assert bl.resolve_ref("latest", tmp_path).name == "nightly.json"


def test_references_resolve_by_name_version_path_and_latest(tmp_path):
    bl.write_new(tmp_path / "openvino-2025.4.1.json", {**baseline_json(), "datetime": "2026-01-01"})
    bl.write_new(tmp_path / "nightly.json", {**baseline_json(), "datetime": "2026-11-01"})
    (tmp_path / "notes.json").write_text("{}")
    assert bl.resolve_ref("2025.4.1", tmp_path).name == "openvino-2025.4.1.json"
    assert bl.resolve_ref("nightly", tmp_path).name == "nightly.json"
    assert bl.resolve_ref(str(tmp_path / "nightly.json"), tmp_path).name == "nightly.json"
    assert bl.resolve_ref("latest", tmp_path).name == "nightly.json"
    with pytest.raises(bl.BaselineError, match="--ov-baseline 2024.6.0: no such baseline file.*saved: nightly, notes, openvino-2025.4.1"):
        bl.resolve_ref("2024.6.0", tmp_path)


def test_machine_differences_ignore_software():
    other_release = {**FINGERPRINT, "software": {**FINGERPRINT["software"], "openvino": "2025.4.1"}}
    assert bl.machine_differences(FINGERPRINT, other_release) == []
    other_cpu = {**FINGERPRINT, "machine": {**FINGERPRINT["machine"], "logical_cores": 4}}
    assert bl.machine_differences(FINGERPRINT, other_cpu) == ["logical_cores: 2 != 4"]


def test_appending_a_run_adds_its_processes_run_by_run():
    old = baseline_json(fps_rounds=(10.0, 10.2, 9.8))  # schema 1: one run of one process
    old["benchmarks"].append({"name": "test_pytorch[b1]", "extra_info": {"fps_rounds": [5.0]}})
    old["ovperf"]["outputs"] = {"CPU-none-b1-sync": {"ok": True}}
    new = baseline_json(fps_rounds=(12.0, 12.4, 11.0))
    new["benchmarks"][0]["extra_info"]["fps_processes"] = [[12.0, 12.4], [11.0]]
    merged = bl.merge_runs(old, new)
    cell = {b["name"]: b for b in merged["benchmarks"]}["test_openvino[CPU-none-b1-sync]"]["extra_info"]
    assert cell["fps_runs"] == [[[10.0, 10.2, 9.8]], [[12.0, 12.4], [11.0]]]
    assert cell["processes"] == 3 and cell["fps"] == 11.0  # median of the process medians 10.0, 12.2, 11.0
    assert "test_pytorch[b1]" in {b["name"] for b in merged["benchmarks"]}  # kept though not re-run
    assert merged["ovperf"]["outputs"] == {"CPU-none-b1-sync": {"ok": True}}  # the new run had none: kept
    assert merged["ovperf"]["runs"] == 2
    third = bl.merge_runs(merged, baseline_json(fps_rounds=(11.0,)))
    cell = {b["name"]: b for b in third["benchmarks"]}["test_openvino[CPU-none-b1-sync]"]["extra_info"]
    assert len(cell["fps_runs"]) == 3 and third["ovperf"]["runs"] == 3
    from ovperf.measure import baseline_processes

    assert baseline_processes(cell) == [[10.0, 10.2, 9.8], [12.0, 12.4], [11.0], [11.0]]


def _saved_at(stamp):
    run = baseline_json()
    run["datetime"] = stamp
    return run


def test_a_baseline_records_when_each_run_was_saved_and_says_when_they_span_little(tmp_path):
    one = bl.merge_runs({"benchmarks": [], "ovperf": {"runs": 0}}, _saved_at("2026-11-30T14:02:00+00:00"))
    two = bl.merge_runs(one, _saved_at("2026-11-30T14:12:00+00:00"))
    assert bl.run_times(two) == ["2026-11-30T14:02:00+00:00", "2026-11-30T14:12:00+00:00"]
    bl.write_new(tmp_path / "two.json", two)
    note = bl.load(tmp_path / "two.json").span_note()
    assert note.startswith("the baseline's 2 runs were saved within 10 min (2026-11-30 14:02 to 14:12)")
    assert note.endswith("append runs saved on other days (--ov-save-baseline-append)")
    three = bl.merge_runs(two, _saved_at("2026-12-02T03:00:00+00:00"))
    assert bl.Baseline(path=tmp_path / "three.json", data=three, cells={}).span_note() is None  # over a day
    # A file saved before run times were kept: unknown, and an append does not invent them.
    legacy = {**two, "ovperf": {k: v for k, v in two["ovperf"].items() if k != "run_times"}}
    assert bl.run_times(legacy) == [] and "run_times" not in bl.merge_runs(legacy, _saved_at("2026-12-02T03:00:00"))["ovperf"]
    assert bl.Baseline(path=tmp_path / "legacy.json", data=legacy, cells={}).span_note() is None


def test_a_baseline_keeps_speeds_only_while_every_run_has_them_from_one_kernel():
    from ovperf.measure import baseline_processes, baseline_speed

    def run(fps, speed, kernel="k1"):
        data = baseline_json(fps_rounds=tuple(fps))
        info = data["benchmarks"][0]["extra_info"]
        info.update(fps_processes=[list(fps)], speed_processes=[list(speed)], speed_kernel=kernel)
        return data

    def cell(data):
        return data["benchmarks"][0]["extra_info"]

    two = bl.merge_runs(bl.merge_runs({"benchmarks": [], "ovperf": {"runs": 0}}, run([10, 11], [400, 410])),
                        run([9, 10], [380, 390]))
    speeds = baseline_speed(cell(two))
    assert speeds.kernel == "k1" and speeds.processes == [[400, 410], [380, 390]]
    assert len(speeds.processes) == len(baseline_processes(cell(two)))
    assert baseline_speed(cell(bl.merge_runs(two, run([9, 10], [380, 390], kernel="k2")))) is None
    no_speed = run([9, 10], [1, 1])
    del cell(no_speed)["speed_processes"]
    after = bl.merge_runs(two, no_speed)
    assert baseline_speed(cell(after)) is None and "speed_runs" not in cell(after)
    # once a run lacked them, later runs with speeds do not make the cell's speeds look whole
    assert baseline_speed(cell(bl.merge_runs(after, run([9, 10], [380, 390])))) is None


def test_the_units_kernels_speeds_are_kept_per_run_beside_the_numpy_kernels_and_apart_from_them():
    from ovperf.measure import baseline_speed

    def run(speed, units=None, units_kernel="openvino 1 units"):
        data = baseline_json(fps_rounds=(10.0, 11.0))
        info = data["benchmarks"][0]["extra_info"]
        info.update(fps_processes=[[10.0, 11.0]], speed_processes=[list(speed)], speed_kernel="k1")
        if units is not None:
            info.update(units_speed_processes=[list(units)], units_speed_kernel=units_kernel)
        return data

    def cell(data):
        return data["benchmarks"][0]["extra_info"]

    empty = {"benchmarks": [], "ovperf": {"runs": 0}}
    two = bl.merge_runs(bl.merge_runs(empty, run([400, 410], [500, 505])), run([380, 390], [490, 495]))
    units = baseline_speed(cell(two), "units_")
    assert units.kernel == "openvino 1 units" and units.processes == [[500, 505], [490, 495]]
    assert baseline_speed(cell(two)).processes == [[400, 410], [380, 390]]
    # a run of another OpenVINO build (another units kernel), or of a checkout without it, drops
    # the units kernel's speeds and keeps the numpy kernel's
    for other in (run([380, 390], [300, 301], "openvino 2 units"), run([380, 390])):
        after = bl.merge_runs(two, other)
        assert baseline_speed(cell(after), "units_") is None and "units_speed_runs" not in cell(after)
        assert len(baseline_speed(cell(after)).processes) == 3


@pytest.mark.parametrize("bad", [[float("inf")], [True], [[1.0], "x"], []])
def test_malformed_process_rounds_name_the_field(tmp_path, bad):
    data = baseline_json()
    data["benchmarks"][0]["extra_info"]["fps_runs"] = bad
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data))
    with pytest.raises(bl.BaselineError, match="fps_runs"):
        bl.load(path)


def test_a_second_writer_of_one_baseline_is_refused_until_the_first_is_done(tmp_path):
    first, second = bl.SaveLock(tmp_path / "nightly.json"), bl.SaveLock(tmp_path / "nightly.json")
    first.acquire()
    with pytest.raises(bl.BaselineError, match="another run is saving nightly.json in .*; run the two one after the other"):
        second.acquire()
    first.release()
    second.acquire()  # free again once the first run ended
    second.release()
    bl.SaveLock(tmp_path / "other.json").acquire()  # another name is another lock


def test_left_out_keeps_the_matrix_order():
    from ovperf.baseline import left_out

    assert left_out(["a", "b", "c", "d"], ["c", "a"]) == ["b", "d"]
    assert left_out(["a"], ["a"]) == []


def _plan(directory, ref=None, save=None, **kw):
    options = {"force": False, "append": False, "allow_foreign": False, "frames": 48, "version": "2026.4.1-1",
               "fingerprint": FINGERPRINT, **kw}
    return bl.plan(directory, ref, save, **options)


def test_the_baseline_plan_resolves_names_and_refuses_conflicts_before_measuring(tmp_path):
    bl.write_new(tmp_path / "nightly.json", baseline_json(workload={"frames": 48}))
    assert _plan(tmp_path, save="").save_path == tmp_path / "openvino-2026.4.1.json"
    compare = _plan(tmp_path, ref="nightly")
    assert compare.baseline.name == "nightly" and not compare.cross_machine and compare.save_path is None
    assert _plan(tmp_path, save="nightly", append=True).append_to.name == "nightly"
    refusals = [
        (dict(ref="nightly", save="x"), "a comparison run never writes a baseline"),
        (dict(force=True), "--ov-save-baseline-force only goes with --ov-save-baseline"),
        (dict(save="x", force=True, append=True), "give one"),
        (dict(save="sub/x"), "give a plain name"),
        (dict(save="nightly"), "nightly.json exists; pass --ov-save-baseline-append"),
        (dict(save="new", append=True), "new.json does not exist; save it first"),
        (dict(save="nightly", append=True, frames=16), "measured with 48 frames a round, this run would use 16"),
    ]
    for kw, message in refusals:
        with pytest.raises(bl.BaselineError, match=message):
            _plan(tmp_path, **kw)


def test_a_foreign_baseline_is_refused_unless_allowed_and_then_marked(tmp_path):
    bl.write_new(tmp_path / "nightly.json", baseline_json())
    other = {**FINGERPRINT, "machine": {**FINGERPRINT["machine"], "cpu_model": "Other"}}
    with pytest.raises(bl.BaselineError, match="measured on another machine .*cpu_model"):
        _plan(tmp_path, ref="nightly", fingerprint=other)
    assert _plan(tmp_path, ref="nightly", fingerprint=other, allow_foreign=True).cross_machine


def test_a_baseline_too_small_to_decide_says_how_many_processes_it_needs(tmp_path):
    data = baseline_json()
    data["benchmarks"][0]["extra_info"]["fps_runs"] = [[[15.0, 15.1]]]  # one process
    bl.write_new(tmp_path / "one.json", data)
    why = bl.undecidable(bl.load(tmp_path / "one.json"), processes=2, alpha=0.01)
    assert "test_openvino[CPU-none-b1-sync] has 1 process(es)" in why and "Save it with at least" in why
    data["benchmarks"][0]["extra_info"]["fps_runs"] = [[[15.0]] * 6]
    bl.write_new(tmp_path / "six.json", data)
    assert bl.undecidable(bl.load(tmp_path / "six.json"), processes=5, alpha=0.01) is None


def test_a_run_is_saved_new_or_appended_and_a_mismatch_writes_nothing(tmp_path):
    run = baseline_json(frames=48)
    path = tmp_path / "nightly.json"
    assert bl.save_run(path, run) == 1
    with pytest.raises(bl.BaselineError, match="^not saved: .*nightly.json exists"):
        bl.save_run(path, run)
    assert bl.save_run(path, run, append_to=bl.load(path)) == 2
    before = path.read_bytes()
    with pytest.raises(bl.BaselineError, match="not appended to .*measured with 48 frames a round, this run with 16"):
        bl.save_run(path, baseline_json(frames=16), append_to=bl.load(path))
    assert path.read_bytes() == before and bl.load(path).data["ovperf"]["runs"] == 2
