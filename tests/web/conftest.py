"""Browser tests: the four services and the gateway as real processes (one stack per module),
Debian's chromium driven by Playwright, a screenshot of each page kept under artifacts/."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import free_port, new_stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def site(tmp_path_factory, amqp_uri):
    """The stack behind one site: pages and /api/<service>/ on the gateway's port."""
    stack, clock = new_stack(tmp_path_factory.mktemp("site"), amqp_uri)
    stack.clock = clock
    stack.gateway_port = free_port()
    stack.start()
    try:
        stack.start_gateway()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visitors:
    """Browser tabs on the site, each as one party (its token in the site's cookie) or the public."""

    def __init__(self, site, browser):
        self.site, self.browser, self.contexts = site, browser, []

    def open(self, role: str | None = None, scope: str | None = None, lang: str = "zh"):
        context = self.browser.new_context(base_url=self.site.site_url, locale="zh-CN",
                                           viewport={"width": 1200, "height": 900})
        self.contexts.append(context)
        if role is not None:
            context.add_cookies([{"name": "shifan_token", "value": self.site.token(role, scope),
                                  "url": self.site.site_url, "httpOnly": True, "sameSite": "Strict"}])
        if lang != "zh":
            context.add_cookies([{"name": "shifan_lang", "value": lang, "url": self.site.site_url}])
        return context.new_page()

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def visitors(site, browser):
    tabs = Visitors(site, browser)
    yield tabs
    tabs.close()


def shot(page, name: str) -> Path:
    """Keeps what the page looked like: tests/web/artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
