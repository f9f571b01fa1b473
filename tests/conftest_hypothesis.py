"""Hypothesis profiles (a pytest plugin module: `pytest_plugins = ["conftest_hypothesis"]`).

HYPOTHESIS_PROFILE picks one, `ci` by default:

- `ci`: 2000 generated drafts in all, shared between the tests by `examples(share)`;
  derandomized, so a CI run is reproducible and a failure is the same failure on a laptop.
- `dev`: a quick random run while editing (HYPOTHESIS_PROFILE=dev pytest ...).
- `long`: a long random hunt, for a nightly run or before a release.

No deadline anywhere: one draft with twenty 20 000-character fields takes a while to render into
DOCX, and that is not a bug. The example database is off in `ci` (a fresh clone has none).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: Total generated drafts per profile, across all tests that use `examples()`.
TOTAL = {"ci": 2000, "dev": 200, "long": 20000}

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "ci", max_examples=TOTAL["ci"], deadline=None, derandomize=True, database=None,
    print_blob=True, suppress_health_check=_SLOW_DATA,
)
settings.register_profile(
    "dev", max_examples=TOTAL["dev"], deadline=None, suppress_health_check=_SLOW_DATA,
)
settings.register_profile(
    "long", max_examples=TOTAL["long"], deadline=None, print_blob=True,
    suppress_health_check=_SLOW_DATA,
)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(share: float) -> settings:
    """Settings for a test that takes `share` of the profile's total examples (at least 10)."""
    total = TOTAL.get(PROFILE, settings.default.max_examples)
    return settings(max_examples=max(10, round(total * share)))
