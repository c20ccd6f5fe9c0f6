"""Root conftest: registers the suite's options and loads its plugin modules. Nothing else."""
from __future__ import annotations

import pytest

from fixtures.options import add_options

pytest_plugins = ("fixtures.plugin", "fixtures.session", "pytester")


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)
