"""Shared fixtures. The PostgreSQL fixture lives in conftest_postgres (enabled by the URL)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

pytest_plugins = ["conftest_postgres"]
