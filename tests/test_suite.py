"""The run's state (ovperf.suite.SuiteRun): what it writes into the JSON and the history, without pytest."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ovperf.baseline import SCHEMA_VERSION
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
