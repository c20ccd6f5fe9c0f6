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


def test_the_librarys_own_tests_start_no_openvino(tmp_path):
    """`pytest tests/...` collects no benchmark, so the plugin imports no OpenVINO, builds no
    Core and writes no consent file; `pytest perf/` (collect-only here) does all three."""
    from tests.helpers import ROOT

    (tmp_path / "probe.py").write_text(
        "import sys\n"
        "def pytest_sessionfinish(session):\n"
        "    print('openvino imported:', 'openvino' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TF_BUILD", "JENKINS_URL")}
    env |= {"HOME": str(tmp_path), "PYTHONPATH": f"{tmp_path}{os.pathsep}{env.get('PYTHONPATH', '')}"}

    def pytest_(*args):
        return subprocess.run(
            [sys.executable, "-m", "pytest", *args, "-p", "probe", "-p", "no:cacheprovider", "-s", "-q",
             "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml")],
            env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
        )

    unit = pytest_(str(ROOT / "tests" / "test_power.py"))
    assert unit.returncode == 0, unit.stdout[-2000:]
    assert "openvino imported: False" in unit.stdout
    assert not (tmp_path / "intel").exists()
    bench = pytest_(str(ROOT / "perf"), "--collect-only")
    assert bench.returncode == 0, bench.stdout[-2000:]
    assert "openvino imported: True" in bench.stdout
    assert (tmp_path / "intel" / "openvino_telemetry").read_text() == "0"
