"""Fixtures of the browser tests: one headless Chromium per test process, a fresh context per test.

Use them from any test under ``tests/browser/`` (put tests that need a browser here):

- ``browser``: the session's Playwright ``Browser`` (Debian's Chromium, headless). Started on first use,
  closed at the end of the run. A browser that cannot start FAILS the test (no skip).
- ``browser_context``: a new ``BrowserContext`` for one test (its own cookies and storage), closed after
  it; Playwright's waits time out after ``TIMEOUT_MS`` so a stuck page fails quickly.
- ``page``: a new ``Page`` in that context. ``page.goto(emulator.endpoint_url + ...)``, then
  ``page.get_by_label("Username").fill(...)``, ``page.keyboard.press("Enter")``,
  ``page.screenshot(path=tmp_path / "x.png")`` for a picture of what a person sees.
- ``test_app``: the ``AppServer`` of ``browser_support``: the pages of ``app/`` on another origin
  (``test_app.origin`` is ``http://localhost:<port>``), configured per test with ``test_app.configure``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from browser_support import CHROMIUM_FLAGS, AppServer, BrowserUnavailable, chromium_executable
from playwright.sync_api import Browser, BrowserContext, Error, Page, Playwright, sync_playwright

TIMEOUT_MS = 15_000


@contextmanager
def _driving(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """Mark Playwright's event loop as running while Playwright is used, and unmark it after.

    Playwright's sync API leaves its loop marked as the thread's running loop between calls, which makes
    every later ``asyncio.run()`` in this process fail ("cannot be called from a running event loop"), and
    tests of other files share the process (pytest-xdist). So the mark is set only around the browser
    tests and the browser's start and stop.
    """
    asyncio._set_running_loop(loop)
    try:
        yield
    finally:
        asyncio._set_running_loop(None)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[tuple[Playwright, asyncio.AbstractEventLoop]]:
    manager = sync_playwright()
    driver = manager.start()
    loop = asyncio.get_running_loop()
    asyncio._set_running_loop(None)
    yield driver, loop
    with _driving(loop):
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver: tuple[Playwright, asyncio.AbstractEventLoop]) -> Iterator[Browser]:
    driver, loop = playwright_driver
    with _driving(loop):
        try:
            # Playwright starts Chromium with a fresh temporary profile (--user-data-dir) of its own.
            launched = driver.chromium.launch(
                executable_path=chromium_executable(), headless=True, args=CHROMIUM_FLAGS
            )
        except (BrowserUnavailable, Error) as exc:
            pytest.fail(f"the browser tests cannot run: {exc}")
    yield launched
    with _driving(loop):
        launched.close()


@pytest.fixture(autouse=True)
def _playwright_loop(playwright_driver: tuple[Playwright, asyncio.AbstractEventLoop]) -> Iterator[None]:
    with _driving(playwright_driver[1]):
        yield


@pytest.fixture
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()


@pytest.fixture(scope="session")
def test_app() -> Iterator[AppServer]:
    server = AppServer()
    yield server
    server.stop()
