"""Nothing leaves the machine: OpenVINO's telemetry is declined before openvino is imported."""
from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = (
    "from ovperf.offline import decline_openvino_telemetry\n"
    "print(decline_openvino_telemetry())\n"
    "import openvino_telemetry as tm, openvino\n"
    "print('consent', tm.Telemetry().consent)\n"
)


def run_in_home(home):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TF_BUILD", "JENKINS_URL")}
    env["HOME"] = str(home)
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)


def test_no_decision_on_file_is_recorded_as_declined(tmp_path):
    result = run_in_home(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "intel" / "openvino_telemetry").read_text() == "0"
    assert result.stdout.splitlines() == ["None", "consent False"]


def test_an_explicit_opt_in_is_left_alone_and_reported(tmp_path):
    (tmp_path / "intel").mkdir()
    (tmp_path / "intel" / "openvino_telemetry").write_text("1")
    result = run_in_home(tmp_path)
    assert (tmp_path / "intel" / "openvino_telemetry").read_text() == "1"
    assert "OpenVINO telemetry is on" in result.stdout.splitlines()[0]
