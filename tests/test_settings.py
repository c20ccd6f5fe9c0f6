from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ovperf import defaults
from ovperf import settings as s


def test_batches_parse_and_deduplicate():
    assert s.parse_batches("1,4") == (1, 4)
    assert s.parse_batches("8, 1,8") == (8, 1)


@pytest.mark.parametrize("bad", ["0", "-2", "two", "1,,4", "", "1.5"])
def test_bad_batches_are_refused_with_the_value(bad):
    with pytest.raises(argparse.ArgumentTypeError) as info:
        s.parse_batches(bad)
    assert repr(bad) in str(info.value) or "list" in str(info.value)


def test_hints_and_modes_are_canonicalised():
    assert s.parse_hints("throughput,none,cumulative-throughput") == ("THROUGHPUT", "none", "CUMULATIVE_THROUGHPUT")
    assert s.parse_modes("ASYNC") == ("async",)


def test_unknown_hint_lists_the_choices():
    with pytest.raises(argparse.ArgumentTypeError, match="unknown hint 'FAST'; choose from none, LATENCY"):
        s.parse_hints("FAST")


def test_devices_split_except_inside_a_virtual_device():
    assert s.parse_devices("cpu,auto") == ("CPU", "AUTO")
    assert s.parse_devices("MULTI:CPU,GPU") == ("MULTI:CPU,GPU",)


def test_config_items():
    assert s.parse_config_item("INFERENCE_NUM_THREADS=1") == ("INFERENCE_NUM_THREADS", "1")
    with pytest.raises(argparse.ArgumentTypeError, match="KEY=VALUE"):
        s.parse_config_item("INFERENCE_NUM_THREADS")


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(argparse.ArgumentTypeError, match=f"no such file: {tmp_path / 'nope.jpg'}"):
        s.existing_file(str(tmp_path / "nope.jpg"))


def test_default_devices_are_the_available_ones_plus_auto():
    settings = s.make_settings(devices=None, available_devices=["CPU", "GPU.0"])
    assert settings.devices == ("CPU", "GPU.0", "AUTO")


def test_unknown_device_lists_the_available_ones():
    with pytest.raises(s.SettingsError, match=r"unknown device 'FOO' in --ov-devices; available devices: CPU, AUTO"):
        s.make_settings(devices=[("FOO",)], available_devices=["CPU"])


def test_known_but_absent_devices_are_accepted():
    settings = s.make_settings(devices=[("CPU", "GPU"), ("MULTI:CPU,NPU",)], available_devices=["CPU"])
    assert settings.devices == ("CPU", "GPU", "MULTI:CPU,NPU")


def test_frames_must_split_into_every_batch():
    with pytest.raises(s.SettingsError, match="--ov-frames 10 is not a multiple of every batch.*multiple of 4"):
        s.make_settings(devices=None, available_devices=["CPU"], batches=(1, 4), frames=10)
    assert s.make_settings(devices=None, available_devices=["CPU"], batches=(1, 4), frames=12).frames == 12


def test_an_ab_run_defaults_to_more_and_shorter_rounds_and_every_default_splits_into_the_batches():
    ab = Path("/usr/bin/python3")
    plain = s.make_settings(devices=None, available_devices=["CPU"])
    paired = s.make_settings(devices=None, available_devices=["CPU"], ab_python=ab)
    assert (plain.rounds, plain.frames) == (s.DEFAULT_ROUNDS, s.DEFAULT_FRAMES) == (2, 48)
    # As many frames a process, cut into more rounds that alternate between the two sides.
    assert (paired.rounds, paired.frames) == (s.DEFAULT_AB_ROUNDS, s.DEFAULT_AB_FRAMES) == (6, 16)
    assert s.make_settings(devices=None, available_devices=["CPU"], ab_python=ab, rounds=2, frames=48).frames == 48
    # An A/B cell has the time for a second look of pairs; a given --ov-max-time is kept.
    assert (plain.max_time, paired.max_time) == (s.DEFAULT_MAX_TIME, s.DEFAULT_AB_MAX_TIME) == (60, 100)
    assert s.make_settings(devices=None, available_devices=["CPU"], ab_python=ab, max_time=30.0).max_time == 30
    # ... and, where a look is slower, room for two looks at its pace; a given budget is the budget.
    assert (plain.min_looks, paired.min_looks) == (1, defaults.AB_MIN_LOOKS) == (1, 2)
    assert s.make_settings(devices=None, available_devices=["CPU"], ab_python=ab, max_time=30.0).min_looks == 1
    # A default that would not split into the batches is rounded up, not refused: it was never given.
    assert s.make_settings(devices=None, available_devices=["CPU"], batches=(5,)).frames == 50
    assert s.make_settings(devices=None, available_devices=["CPU"], batches=(1, 3), ab_python=ab).frames == 18


def test_config_may_not_override_a_matrix_dimension():
    with pytest.raises(s.SettingsError, match="use --ov-hints"):
        s.make_settings(devices=None, available_devices=["CPU"], extra_config=[("PERFORMANCE_HINT", "LATENCY")])


def test_settings_are_frozen():
    settings = s.make_settings(devices=None, available_devices=["CPU"])
    with pytest.raises(AttributeError):
        settings.frames = 1


def test_onnx_and_weights_exclude_each_other(tmp_path):
    with pytest.raises(s.SettingsError, match="--ov-onnx and --ov-weights both name the model"):
        s.make_settings(devices=None, available_devices=["CPU"], onnx=tmp_path / "a.onnx", weights=tmp_path / "b.pt")


@pytest.mark.parametrize("key, says", [
    ("performance_hint", "use --ov-hints"),  # OpenVINO's names are upper case; a lower-case one must not slip past
    ("Inference_Precision_Hint", "use --ov-precisions"),
    ("NUM_STREAMS", "without the id saying so"),
    ("PERF_COUNT", "use --ov-perf-counters"),
])
def test_config_may_not_set_what_the_matrix_or_the_suite_owns(key, says):
    with pytest.raises(s.SettingsError, match=f"--ov-config {key}=... .*{says}"):
        s.make_settings(devices=None, available_devices=["CPU"], extra_config=[(key, "1")])


def test_frames_that_would_not_fit_in_memory_are_refused(monkeypatch):
    monkeypatch.setattr(s, "available_memory_mib", lambda: 800.0)
    with pytest.raises(s.SettingsError, match=r"--ov-frames 48: .* 450 MiB .*held by 2 processes.*800 MiB"):
        s.make_settings(devices=None, available_devices=["CPU"], frames=48)
    assert s.make_settings(devices=None, available_devices=["CPU"], frames=8).frames == 8
    with pytest.raises(s.SettingsError, match="held by 3 processes"):
        s.make_settings(devices=None, available_devices=["CPU"], frames=32, ab_python=Path("/usr/bin/python3"))


def test_weights_must_be_a_pt_file(tmp_path):
    onnx = tmp_path / "model.onnx"
    onnx.write_bytes(b"")
    with pytest.raises(argparse.ArgumentTypeError, match="is an ONNX file; give it with --ov-onnx"):
        s.weights_file(str(onnx))
    other = tmp_path / "model.bin"
    other.write_bytes(b"")
    with pytest.raises(argparse.ArgumentTypeError, match="expected an ultralytics .pt file"):
        s.weights_file(str(other))


def test_what_a_run_counts_as_is_best_unless_the_speed_adjustment_needs_the_mean():
    from ovperf.baseline import Baseline

    plain = s.make_settings(devices=None, available_devices=["CPU"])
    assert plain.run_statistic == "best"
    assert s.make_settings(devices=None, available_devices=["CPU"], speed_adjust=True).run_statistic == "mean"
    with pytest.raises(s.SettingsError, match="--ov-speed-adjust adjusts each process's median FPS; it goes with "
                       "--ov-run-statistic mean, not best"):
        s.make_settings(devices=None, available_devices=["CPU"], speed_adjust=True, run_statistic="best")
    runs = [[[10.0, 10.2]] * 4, [[9.0, 9.1]] * 4]
    baseline = Baseline(path=Path("b.json"), data={}, cells={"test_openvino[CPU-none-b1-sync]": {"fps_runs": runs}})
    chosen = s.make_settings(devices=None, available_devices=["CPU"], baseline=baseline, run_statistic="mean")
    assert chosen.baseline.statistic == "mean" and chosen.drift.statistic == "mean"
    assert s.make_settings(devices=None, available_devices=["CPU"], baseline=baseline).drift.statistic == "best"
