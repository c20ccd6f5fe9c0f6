from __future__ import annotations

import pytest

from ovperf.matrix import Cell, build_matrix, why_meaningless, why_unavailable


def test_ids_read_device_hint_batch_mode():
    assert Cell("CPU", "THROUGHPUT", 4, "async").id == "CPU-THROUGHPUT-b4-async"
    assert Cell("AUTO", "CUMULATIVE_THROUGHPUT", 1, "async").id == "AUTO-CUMULATIVE_THROUGHPUT-b1-async"
    assert Cell("CPU", "none", 1, "sync").id == "CPU-none-b1-sync"


def test_precision_suffix_only_when_pinned():
    assert Cell("CPU", "LATENCY", 1, "sync", "default").id == "CPU-LATENCY-b1-sync"
    assert Cell("CPU", "LATENCY", 1, "sync", "f32").id == "CPU-LATENCY-b1-sync-f32"


def test_matrix_is_the_full_product_in_a_stable_order():
    cells = build_matrix(["CPU", "AUTO"], ["none", "THROUGHPUT"], [1, 4], ["sync", "async"])
    assert len(cells) == 16
    assert cells[0].id == "CPU-none-b1-sync"
    assert cells[-1].id == "AUTO-THROUGHPUT-b4-async"
    assert build_matrix(["CPU", "AUTO"], ["none", "THROUGHPUT"], [1, 4], ["sync", "async"]) == cells


def test_unrunnable_combinations_stay_in_the_grid():
    cells = build_matrix(["CPU", "GPU"], ["CUMULATIVE_THROUGHPUT"], [1], ["async"])
    assert [c.id for c in cells] == ["CPU-CUMULATIVE_THROUGHPUT-b1-async", "GPU-CUMULATIVE_THROUGHPUT-b1-async"]


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate matrix ids: CPU-none-b1-sync"):
        build_matrix(["CPU", "CPU"], ["none"], [1], ["sync"])


def test_cumulative_throughput_is_meaningful_only_on_virtual_devices():
    assert "AUTO/MULTI" in why_meaningless(Cell("CPU", "CUMULATIVE_THROUGHPUT", 1, "async"))
    assert why_meaningless(Cell("AUTO", "CUMULATIVE_THROUGHPUT", 1, "async")) is None
    assert why_meaningless(Cell("MULTI:CPU,GPU", "CUMULATIVE_THROUGHPUT", 1, "async")) is None
    assert why_meaningless(Cell("CPU", "THROUGHPUT", 1, "sync")) is None


def test_compile_config_carries_hint_precision_and_extras():
    cell = Cell("CPU", "THROUGHPUT", 1, "async", "f32")
    assert cell.compile_config({"INFERENCE_NUM_THREADS": "1"}) == {
        "PERFORMANCE_HINT": "THROUGHPUT",
        "INFERENCE_PRECISION_HINT": "f32",
        "INFERENCE_NUM_THREADS": "1",
    }
    assert Cell("CPU", "none", 1, "sync").compile_config() == {}


@pytest.mark.parametrize(
    ("device", "available", "missing"),
    [
        ("CPU", ["CPU"], None),
        ("AUTO", ["CPU"], None),
        ("GPU", ["CPU"], "GPU not in available devices ['CPU']"),
        ("GPU", ["CPU", "GPU.0", "GPU.1"], None),
        ("GPU.1", ["CPU", "GPU.0"], "GPU.1 not in available devices ['CPU', 'GPU.0']"),
        ("MULTI:CPU,GPU", ["CPU"], "GPU not in available devices ['CPU']"),
        ("HETERO:GPU,CPU", ["CPU", "GPU"], None),
        ("NPU", ["CPU"], "NPU not in available devices ['CPU']"),
    ],
)
def test_device_availability(device, available, missing):
    assert why_unavailable(Cell(device, "none", 1, "sync"), available) == missing
