"""Per-layer timings of a regressed cell, without OpenVINO: what a record gains from profiling."""
from __future__ import annotations

from ovperf.counters import describe, grown, profile


def layer(name, ms):
    return {"name": name, "type": "Convolution", "exec_type": "jit_avx2_FP32", "real_time_ms": ms}


def test_layers_that_grew_most_come_first_and_a_new_layer_grew_from_zero():
    before = [layer("conv1", 2.0), layer("conv2", 1.0)]
    after = [layer("conv1", 2.1), layer("conv2", 3.0), layer("extra", 0.5)]
    names = [d["name"] for d in grown(before, after)]
    assert names == ["conv2", "extra", "conv1"]
    assert describe(grown(before, after, count=1)) == "conv2 (Convolution, jit_avx2_FP32) 1.00->3.00 ms"


def test_profiling_adds_the_layers_and_against_a_baseline_what_grew():
    after = [layer("conv1", 3.0)]
    assert profile(lambda: after, None) == {"perf_counters": after}
    found = profile(lambda: after, [layer("conv1", 1.0)])
    assert found["perf_counters"] == after and found["perf_counters_grown"][0]["grew_ms"] == 2.0


def test_a_device_that_cannot_profile_keeps_the_verdict_and_says_why_in_one_line():
    def refuses():
        raise RuntimeError("Exception from src/inference/src/cpp/core.cpp:109:\nPERF_COUNT is not supported\n")

    found = profile(refuses, [layer("conv1", 1.0)])
    assert list(found) == ["perf_counters_error"] and "\n" not in found["perf_counters_error"]
