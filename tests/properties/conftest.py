"""Hypothesis profiles for the property tests: a modest default so `make test` stays quick, and
`SHIFAN_HYPOTHESIS_PROFILE=long` for a deeper search."""
import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)

settings.register_profile("default", max_examples=30, stateful_step_count=50, **_COMMON)
settings.register_profile("long", max_examples=400, stateful_step_count=80, **_COMMON)
settings.load_profile(os.environ.get("SHIFAN_HYPOTHESIS_PROFILE", "default"))
