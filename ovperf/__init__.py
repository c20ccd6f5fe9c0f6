"""ovperf: the pytest-free core of the OpenVINO YOLO throughput suite.

Everything here can be imported and unit-tested without pytest: option parsing,
the configuration matrix, model export and its disk cache, frame preprocessing,
the sync/async runners and the summary table. The pytest plugin in ``fixtures/``
only wires these into fixtures, hooks and benchmark calls.
"""
from __future__ import annotations

__version__ = "0.1.0"
