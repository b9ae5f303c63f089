"""Unit-test fixtures: each service's application on a fresh in-memory store."""
import pytest

from services.applications.app import ApplicationsApp
from services.notify.app import NotifyApp
from services.registry.app import RegistryApp
from services.review.app import ReviewApp


@pytest.fixture
def applications(memory_env) -> ApplicationsApp:
    return ApplicationsApp(env=memory_env)


@pytest.fixture
def review_app(memory_env) -> ReviewApp:
    return ReviewApp(env=memory_env)


@pytest.fixture
def registry(memory_env) -> RegistryApp:
    return RegistryApp(env=memory_env)


@pytest.fixture
def notify(memory_env) -> NotifyApp:
    return NotifyApp(env=memory_env)
