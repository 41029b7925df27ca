"""Browser tests drive Debian's Chromium through Playwright (it cannot download a browser here);
their users sign in through the login page with one password."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

# Sync Playwright runs an event loop in the test thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-pass-123"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def sign_in(page: Page, base_url: str, username: str, path: str) -> None:
    """Sign in as ``username`` (password PASSWORD) on the login page, landing on ``path``."""
    page.goto(f"{base_url}/accounts/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}{path}")


def run_node(page: Page, name: str):
    """A state's node in the run view's graph."""
    return page.locator(f'.react-flow__node [data-state-name="{name}"]')
