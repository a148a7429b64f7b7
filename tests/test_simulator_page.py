"""The simulator page in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from skill.config import PROJECT_ROOT
from tests.helpers import local_app

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = PROJECT_ROOT / "test-artifacts" / "simulator.png"
TIMEOUT_MS = 15_000


@pytest.fixture
def base_url(tmp_path):
    app = local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@contextlib.contextmanager
def browser_page(base_url: str, **context_options):
    """A page in Debian's headless Chromium, at ``base_url``; skips when there is none."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is missing (pip install playwright)"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(base_url=base_url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        yield context.new_page()
        browser.close()


@pytest.fixture
def page(base_url):
    with browser_page(base_url, viewport={"width": 1400, "height": 1000}) as opened:
        yield opened


def exchanges(page) -> int:
    return int(page.get_by_test_id("conversation").get_attribute("data-exchanges"))


def after_reply(page, act) -> None:
    """Do ``act`` and wait until the page has shown the skill's answer."""
    before = exchanges(page)
    act()
    page.wait_for_selector(f'[data-testid=conversation][data-exchanges="{before + 1}"]')


def type_and_send(page, text: str) -> None:
    def act():
        page.get_by_test_id("utterance").fill(text)
        page.get_by_test_id("utterance").press("Enter")

    after_reply(page, act)


def test_a_conversation_and_a_workout_in_the_browser(page):
    from playwright.sync_api import expect

    page.goto("/simulator")
    starter = page.get_by_test_id("suggestion").filter(has_text=re.compile(r"^open bone builder$"))
    after_reply(page, starter.click)
    expect(page.get_by_test_id("mic")).to_have_attribute("data-open", "true")

    type_and_send(page, "how heavy should i lift")
    expect(page.get_by_test_id("conversation")).to_contain_text(
        re.compile("eight to twelve|8 to 12")
    )
    expect(page.get_by_test_id("tier").last).to_have_text("exact match")
    expect(page.get_by_test_id("card-title")).not_to_be_empty()
    expect(page.get_by_test_id("progress")).to_be_hidden()

    type_and_send(page, "what weight dumbbells would suit a beginner like me")
    expect(page.get_by_test_id("tier").last).to_contain_text(re.compile(r"^statistical \d+%$"))
    page.get_by_test_id("strict").check()
    type_and_send(page, "what weight dumbbells would suit a beginner like me")
    expect(page.get_by_test_id("tier").last).to_have_text("exact match")
    expect(page.get_by_test_id("conversation")).to_contain_text("AMAZON.FallbackIntent")
    page.get_by_test_id("strict").uncheck()

    type_and_send(page, "start the beginner workout")
    progress = page.get_by_test_id("progress")
    expect(progress).to_be_visible()
    expect(progress).to_contain_text(re.compile("set 1 of", re.I))
    expect(progress).to_contain_text("sit to stand")

    type_and_send(page, "yes")
    type_and_send(page, "count for me")
    type_and_send(page, "twelve")
    expect(page.get_by_test_id("conversation")).to_contain_text("pause 30 s")
    type_and_send(page, "yes")
    expect(progress).to_contain_text(re.compile("set 2 of", re.I))
    expect(page.get_by_test_id("attributes")).to_contain_text('"workout"')

    raw = page.get_by_test_id("raw-turn").last
    raw.locator("summary").click()
    expect(raw).to_contain_text("IntentRequest")

    page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


PHONE_SCREENSHOT = PROJECT_ROOT / "test-artifacts" / "simulator-390.png"


@pytest.fixture
def phone(base_url):
    """The page on a 390 px wide phone screen."""
    with browser_page(base_url, viewport={"width": 390, "height": 844}, is_mobile=True) as opened:
        yield opened


def overflowing(page) -> list[str]:
    """Elements whose right edge is past the screen's (nothing may be cut off)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > width + 0.5)
            .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
        }"""
    )


def chips(page) -> list[str]:
    return page.get_by_test_id("suggestions").get_by_test_id("suggestion").all_inner_texts()


def test_on_a_phone_nothing_is_cut_off_and_the_chips_follow_the_workout(phone):
    from playwright.sync_api import expect

    phone.goto("/")
    expect(phone).to_have_url(re.compile("/simulator$"))
    expect(phone.get_by_test_id("suggestion").first).to_be_visible()
    assert "done" not in chips(phone)

    type_and_send(phone, "open bone builder")
    type_and_send(phone, "start the beginner workout")
    type_and_send(phone, "yes")
    type_and_send(phone, "count for me")
    expect(phone.get_by_test_id("progress")).to_be_visible()
    assert "done" in chips(phone) and "open bone builder" not in chips(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert overflowing(phone) == []

    chip = phone.get_by_test_id("suggestions").get_by_test_id("suggestion")
    after_reply(phone, chip.filter(has_text=re.compile("^done$")).click)
    assert "yes" in chips(phone) and "done" not in chips(phone)
    assert overflowing(phone) == []

    phone.evaluate("window.scrollTo(0, 0)")
    PHONE_SCREENSHOT.parent.mkdir(exist_ok=True)
    phone.screenshot(path=str(PHONE_SCREENSHOT), full_page=True)
