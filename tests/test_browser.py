"""The page in a real browser: Debian's headless Chromium, driven by Playwright, types a question
into the running app and sees the quote and its citation; the viewer opens the judgment at the
passage. Screenshots are saved in the test's temporary folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_app import CHROMIUM_FLAGS, chromium_path, running_app

from assistant.page_render import copy_text
from assistant.service import Assistant
from assistant.settings import Settings

pytest_plugins = ["fixtures_store"]
pytestmark = pytest.mark.slow

QUESTION = "Le prestataire informatique est-il responsable des pannes du site internet ?"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make install-test` installs it")
        pytest.skip("chromium is not installed (`make install-test` installs it)")
    return path


def test_a_lawyer_asks_and_sees_quotes_with_citations(
    app_env: dict[str, str], chromium: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    expected = Assistant.from_settings(Settings.from_env()).ask(QUESTION)
    assert expected.passages and not expected.no_answer
    first = expected.passages[0]

    with running_app(app_env, tmp_path / "streamlit.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page.goto(url)
        box = page.get_by_test_id("stChatInputTextArea")
        expect(box).to_be_visible(timeout=120_000)
        box.fill(QUESTION)
        box.press("Enter")
        cards = page.locator(".la-card")
        expect(cards.first).to_be_visible(timeout=120_000)
        expect(cards).to_have_count(len(expected.passages), timeout=30_000)

        card_text = _squash(cards.first.inner_text())
        assert _squash(first.text) in card_text
        # the code block (the citation with its copy button) is loaded lazily: wait for it too
        expect(page.get_by_test_id("stCode")).to_have_count(len(expected.passages), timeout=30_000)
        codes = [_squash(c) for c in page.get_by_test_id("stCode").all_inner_texts()]
        assert _squash(copy_text(first)) in codes  # the citation, then the ECLI when known
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

        page.get_by_role("button", name="Voir dans la décision").first.click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=30_000)
        mark = dialog.frame_locator("iframe").locator("mark#passage")
        expect(mark).to_be_visible(timeout=30_000)
        assert _squash(mark.inner_text()) == _squash(first.text)
        expect(mark).to_be_in_viewport(timeout=10_000)  # scrolled to the passage
        page.screenshot(path=str(tmp_path / "viewer.png"))
        browser.close()
    assert (tmp_path / "answer.png").stat().st_size > 10_000


def test_a_lawyer_opens_the_damages_table_and_a_sum_in_its_judgment(
    app_env: dict[str, str], chromium: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    rows = Assistant.from_settings(Settings.from_env()).amounts()
    assert rows
    with running_app(app_env, tmp_path / "streamlit.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page.goto(url)
        montants = page.get_by_text("Montants", exact=True)
        expect(montants).to_be_visible(timeout=120_000)
        montants.click()
        table = page.get_by_test_id("stDataFrame")
        expect(table).to_be_visible(timeout=60_000)
        expect(page.get_by_text(f"{len(rows)} montant(s)", exact=False)).to_be_visible()
        page.screenshot(path=str(tmp_path / "amounts.png"), full_page=True)
        page.get_by_role("button", name="Voir dans la décision").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=30_000)
        mark = dialog.frame_locator("iframe").locator("mark#passage")
        expect(mark).to_be_visible(timeout=30_000)
        assert _squash(mark.inner_text()) == _squash(rows[0].quote)  # the first row's span
        expect(mark).to_be_in_viewport(timeout=10_000)
        browser.close()
    assert (tmp_path / "amounts.png").stat().st_size > 10_000
