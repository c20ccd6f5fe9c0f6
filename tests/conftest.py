"""Tests marked ``slow`` (minutes, and package installs) run only when selected with ``-m slow``."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.option.markexpr:
        return  # the user chose with -m; pytest deselects by itself
    skip = pytest.mark.skip(reason="slow: run with `.venv/bin/pytest tests/ -m slow`")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
