"""Plays browser scenarios for the web tests in an interpreter without eventlet (see browsing.py):
one job per line on stdin, one `@@result {...}` line per job on stdout."""
import importlib.util
import json
import sys

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from browsing import CHROMIUM, CHROMIUM_ARGS, RESULT, BrowserSite


def _scenario(path: str, name: str):
    spec = importlib.util.spec_from_file_location(f"scenarios_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for line in sys.stdin:
            job = json.loads(line)
            site = BrowserSite(browser=browser, **job["site"])
            try:
                _scenario(job["module"], job["function"])(site, **job["kwargs"])
                result = {"ok": True}
            except (AssertionError, PlaywrightError) as failure:  # the test's verdict, sent to the test
                import traceback

                result = {"ok": False, "error": "".join(traceback.format_exception(failure))}
            finally:
                site.close()
            print(RESULT + json.dumps(result), flush=True)
        browser.close()


if __name__ == "__main__":
    main()
