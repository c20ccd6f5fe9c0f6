"""Tests marked ``slow`` (minutes, and package installs) run only when selected with ``-m slow``."""
from __future__ import annotations

import cv2  # noqa: F401  loaded once, before any pytester test: pytester drops the modules a
# test imports, and OpenCV's native module cannot be loaded a second time (cv2.dnn loses its
# functions), so the output checks would break in whatever test runs after one that loaded it
import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.option.markexpr:
        return  # the user chose with -m; pytest deselects by itself
    skip = pytest.mark.skip(reason="slow: run with `.venv/bin/pytest tests/ -m slow`")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory):
    """One model cache a test module, so that its runs of the real suite export the model once."""
    return tmp_path_factory.mktemp("model-cache")
