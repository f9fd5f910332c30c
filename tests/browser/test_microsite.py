"""The demo's open-government micro-site and tracking board on a phone (360 CSS px):
the home's Annex 4 sections, from the home to the board, the board's cards and
quarters, its download agreeing with the page, the evidence repository filtered in
place, and a search typed without accents."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_accessibility import blocking_violations
from .test_phone import WIDTH, overflow
from .test_tables import SLUG, htmx_request, mark_page, still_marked

pytestmark = pytest.mark.browser

HOME = f"/e/{SLUG}"


@pytest.fixture
def phone(new_context):
    return new_context(locale="en-US", viewport={"width": WIDTH, "height": 740}).new_page()


def fits(page) -> None:
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url}: scrollWidth {scroll_width}; {overflow(page)}"


def test_the_home_leads_to_the_board_on_a_phone(phone):
    phone.goto(HOME)
    fits(phone)
    for section in ("#contact", "#tracking", "#participate", "#news", "#timeline"):
        expect(phone.locator(section)).to_be_visible()
    expect(phone.locator(".last-update")).to_contain_text("Last updated:")
    expect(phone.locator("#contact dd").first).not_to_be_empty()
    summary = phone.locator("#plan-progress-text")
    expect(summary).to_contain_text("milestones complete")
    with phone.expect_navigation():
        phone.locator("#tracking a.button").click()
    assert phone.url.endswith(f"{HOME}/tracking")
    fits(phone)
    cards = phone.locator(".board-card")
    count = cards.count()
    assert count >= 1
    for n in range(count):
        card = cards.nth(n)
        expect(card.locator("progress")).to_have_count(1)
        expect(card.locator(".progress span")).to_contain_text("complete")
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    # Two quarters into implementation: the current quarter is marked.
    expect(phone.locator(".quarter.current")).to_have_count(1)
    expect(phone.locator('.quarter[aria-current="date"]')).to_have_count(1)


def test_the_board_download_agrees_with_the_page(phone):
    phone.goto(f"{HOME}/tracking")
    cards = phone.locator(".board-card")
    flagged = phone.locator(".board-card.flagged").count()
    response = phone.request.get(f"{HOME}/tracking.json")
    assert response.ok
    document = json.loads(response.text())
    assert len(document["commitments"]) == cards.count()
    assert document["plan"]["flagged_commitments"] == flagged
    overall = phone.locator("#overall-progress")
    assert int(overall.get_attribute("value")) == document["plan"]["milestones_complete"]
    assert int(overall.get_attribute("max")) == document["plan"]["milestones_total"]


def test_the_repository_filters_in_place_on_a_phone(phone):
    phone.goto(f"{HOME}/evidence")
    fits(phone)
    mark_page(phone)
    kind = phone.locator("#results .evidence-type").first.inner_text().strip()
    htmx_request(
        phone,
        lambda: phone.locator("#type").select_option(label=kind),
        f"{HOME}/evidence",
        method="GET",
    )
    badges = phone.locator("#results .evidence-type")
    expect(badges.first).to_have_text(kind)
    assert set(t.strip() for t in badges.all_inner_texts()) == {kind}
    phone.wait_for_url(lambda url: "type=" in url)
    assert still_marked(phone), "filtering must not reload the page"
    fits(phone)


def test_a_search_without_accents_finds_accented_text(new_context):
    # In Spanish, so the titles found show as written.
    phone = new_context(viewport={"width": WIDTH, "height": 740}).new_page()
    phone.goto(HOME)
    box = phone.locator("#site-search")
    box.fill("REPARACION")
    with phone.expect_navigation():
        box.press("Enter")
    assert "/search?q=REPARACION" in phone.url
    expect(phone.locator("#site-search")).to_have_value("REPARACION")
    # The demo's commitments promise repairs ("reparación") in their titles.
    commitments = phone.locator("#results-commitments + ul.search-hits a")
    assert commitments.count() >= 1
    assert any("reparación" in t.lower() for t in commitments.all_inner_texts())
    fits(phone)


MICROSITE_PAGES = [
    HOME,
    f"{HOME}/tracking",
    f"{HOME}/evidence",
    f"{HOME}/news",
    f"{HOME}/search?q=agua",
]


@pytest.mark.parametrize("path", MICROSITE_PAGES)
def test_the_micro_site_has_no_serious_accessibility_violation(new_context, path):
    page = new_context().new_page()
    page.goto(path)
    violations = blocking_violations(Axe(), page)
    assert not violations, "\n".join(violations)


def test_the_evidence_form_has_no_serious_accessibility_violation(new_context, sign_in):
    page = new_context().new_page()
    sign_in(page, "facilitadora@demo.coplat.mx")
    for path in (f"{HOME}/evidence/new", f"{HOME}/evidence"):
        page.goto(path)
        violations = blocking_violations(Axe(), page)
        assert not violations, f"{path}:\n" + "\n".join(violations)
