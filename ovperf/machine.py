"""What machine and software a measurement came from.

Only stable facts: a baseline from another machine must be told apart, but a
clock speed that drifts between runs must not make the same machine look foreign.
"""
from __future__ import annotations

import os
import platform
from importlib import metadata
from typing import Any


def package_version(name: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    """The CPU's brand string, from /proc/cpuinfo where there is one."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def physical_cores() -> int | None:
    import psutil

    return psutil.cpu_count(logical=False)


def machine_info(core: Any) -> dict[str, Any]:
    """Stable facts about this machine and the OpenVINO on it."""
    import openvino

    devices = {}
    for device in core.available_devices:
        try:
            devices[device] = core.get_property(device, "FULL_DEVICE_NAME")
        except RuntimeError:
            devices[device] = "unknown"
    return {
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        "physical_cores": physical_cores(),
        "openvino_version": openvino.get_version(),
        "openvino_devices": devices,
        "cpu_optimization_capabilities": list(core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"))
        if "CPU" in core.available_devices
        else [],
        "torch_version": package_version("torch"),
        "ultralytics_version": package_version("ultralytics"),
        # The speed kernel runs numpy: a history names a numpy change beside a shift.
        "numpy_version": package_version("numpy"),
    }
