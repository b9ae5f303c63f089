"""The browser side of the web tests. Playwright's sync client and eventlet's monkey patching
(tests/conftest.py) share one greenlet machinery and deadlock now and then, so the browser runs in
an interpreter of its own (driver.py) without eventlet: a test sends it one scenario — a function of
its own module taking a `BrowserSite` — and gets back the scenario's outcome, a failed assertion
with its traceback included."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
RESULT = "@@result "


@dataclass
class BrowserSite:
    """What a scenario sees: the site's address, tokens of its parties, its clock, browser tabs."""

    url: str
    signing_key: str
    clock_file: str
    browser: object = None
    contexts: list = field(default_factory=list)

    def token(self, role: str, scope: str | None = None) -> str:
        from shared.auth import issue_token

        return issue_token(self.signing_key, role, scope)

    def headers(self, role: str, scope: str | None = None) -> dict:
        return {"Authorization": f"Bearer {self.token(role, scope)}"}

    @property
    def clock(self):
        from shared.clock import FileClock

        return FileClock(self.clock_file)

    def open(self, role: str | None = None, scope: str | None = None, lang: str | None = None, script: bool = True):
        """A new tab as one party (its token in the site's cookie, as signing in leaves it) or the
        public; `script=False` browses with JavaScript off."""
        context = self.browser.new_context(base_url=self.url, locale="zh-CN", viewport={"width": 1200, "height": 900},
                                           java_script_enabled=script)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        if role is not None:
            context.add_cookies([{"name": "shifan_token", "value": self.token(role, scope), "url": self.url,
                                  "httpOnly": True, "sameSite": "Strict"}])
        if lang is not None:
            context.add_cookies([{"name": "shifan_lang", "value": lang, "url": self.url}])
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


def shot(page, name: str) -> Path:
    """Keeps what the page looked like: tests/web/artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class BrowserDriver:
    """The test process's end of driver.py: one chromium for the session, restarted after a crash."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="browser-driver-", suffix=".log", delete=False)

    def run(self, scenario, site, **kwargs) -> None:
        """Plays `scenario(BrowserSite, **kwargs)` in the browser; a failure fails the calling test."""
        import pytest

        job = {"module": scenario.__code__.co_filename, "function": scenario.__name__, "kwargs": kwargs,
               "site": {"url": site.site_url, "signing_key": str(site.keys.signing_key),
                        "clock_file": str(site.clock.path)}}
        process = self._process()
        process.stdin.write(json.dumps(job) + "\n")
        process.stdin.flush()
        for line in process.stdout:
            if line.startswith(RESULT):
                result = json.loads(line[len(RESULT):])
                if not result["ok"]:
                    pytest.fail(f"in the browser, {scenario.__name__} failed:\n{result['error']}", pytrace=False)
                return
            print(line, end="")  # the scenario's own prints
        self.process = None
        pytest.fail(f"the browser driver exited with {process.wait()} during {scenario.__name__}:\n"
                    + Path(self.log.name).read_text(errors="replace")[-4000:], pytrace=False)

    def _process(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            root = HERE.parent.parent
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(HERE.parent), str(HERE)])}
            self.process = subprocess.Popen([sys.executable, str(HERE / "driver.py")], cwd=root, env=env, text=True,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        return self.process

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(30)
