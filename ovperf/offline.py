"""Keep ultralytics and OpenVINO offline and quiet.

Both must be set up before they are first imported: ultralytics reads its
environment at import, and ``import openvino`` itself sends a telemetry event
unless a consent decision is on file (OpenVINO's telemetry is opt-out).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def configure_ultralytics(settings_dir: Path) -> None:
    """No network, no auto-install of packages, no settings file in the user's home, no banners."""
    os.environ.setdefault("YOLO_OFFLINE", "1")
    os.environ.setdefault("YOLO_AUTOINSTALL", "False")
    os.environ.setdefault("YOLO_VERBOSE", "False")
    os.environ.setdefault("YOLO_CONFIG_DIR", str(settings_dir))


def decline_openvino_telemetry() -> str | None:
    """Record 'declined' in OpenVINO's consent file when the user has made no decision.

    This is the file that OpenVINO's own ``opt_in_out --opt_out`` writes, but written
    directly: that command sends an opt-out event first. An explicit earlier opt-in
    is the user's choice and is left alone; the returned notice says so.
    """
    try:
        from openvino_telemetry.utils.opt_in_checker import ConsentCheckResult, OptInChecker
    except ImportError:  # no telemetry package: nothing can be sent
        return None
    checker = OptInChecker()
    if checker.consent_file_base_dir() is None or checker.consent_file_subdirectory() is None:
        return None
    consent = Path(checker.consent_file())
    if consent.exists():
        if consent.read_text().strip() == "1":
            return f"OpenVINO telemetry is on: {consent} records an opt-in (run `opt_in_out --opt_out`)"
        return None
    if "openvino" in sys.modules:
        return "openvino was imported before ovperf could decline its telemetry"
    checker.update_result(ConsentCheckResult.DECLINED)
    return None
