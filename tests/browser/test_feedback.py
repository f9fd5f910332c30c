"""The public feedback log as a citizen reads it on the demo exercise: filtering in
place (htmx) with a shareable address, the same without JavaScript, and the summary
by category agreeing with the list."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .test_tables import SLUG, htmx_request, mark_page, still_marked

pytestmark = pytest.mark.browser

LOG = f"/e/{SLUG}/feedback"


def query_of(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def shown_total(page) -> int:
    return int(re.match(r"\d+", page.locator("#results > p strong").inner_text()).group(0))


def summary_total(page, column: int) -> int:
    """A cell of the summary's "all inputs" row (0: adopted … 4: pending, 5: total)."""
    return int(page.locator("table.summary tfoot td").nth(column).inner_text())


def test_filtering_in_place_keeps_a_shareable_address(new_context, translate):
    page = new_context().new_page()
    page.goto(LOG)
    mark_page(page)
    everything = shown_total(page)
    assert everything == summary_total(page, 5)

    htmx_request(
        page,
        lambda: page.get_by_label(translate("es", "Decision")).select_option("rejected"),
        LOG,
        method="GET",
    )
    badges = page.locator("#results .log-item .log-title .badge")
    expect(badges.first).to_have_text(translate("es", "Rejected"))
    assert set(badges.all_inner_texts()) == {translate("es", "Rejected")}
    assert shown_total(page) == summary_total(page, 2)
    page.wait_for_url(lambda url: query_of(url) == {"decision": "rejected"})

    search = page.get_by_label(translate("es", "Words in the title"))
    search.fill("agua")
    htmx_request(page, lambda: search.press("Enter"), LOG, method="GET")
    page.wait_for_url(lambda url: query_of(url) == {"decision": "rejected", "q": "agua"})
    titles = page.locator("#results .log-title a").all_inner_texts()
    assert titles, "the demo has rejected inputs about water"
    assert all("agua" in title.lower() for title in titles)
    assert still_marked(page), "filtering must not reload the page"

    # The address is the filter: opened afresh, it shows the same list.
    shared = new_context().new_page()
    shared.goto(page.url)
    expect(shared.get_by_label(translate("es", "Decision"))).to_have_value("rejected")
    assert shared.locator("#results").inner_text() == page.locator("#results").inner_text()


def test_filtering_without_javascript(new_context, translate):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(LOG)
    page.get_by_label(translate("es", "Decision")).select_option("modified")
    with page.expect_navigation():
        page.get_by_role("button", name=translate("es", "Filter")).click()
    assert query_of(page.url).get("decision") == "modified"
    assert shown_total(page) == summary_total(page, 1)
    modified = page.locator("#results .log-item .log-title .badge")
    expect(modified.first).to_have_text(translate("es", "Modified"))
    assert set(modified.all_inner_texts()) == {translate("es", "Modified")}


def test_a_category_of_the_summary_opens_its_inputs(new_context):
    page = new_context().new_page()
    page.goto(LOG)
    first = page.locator("table.summary tbody tr").filter(has=page.locator("th a")).first
    expected = int(first.locator("td").nth(5).inner_text())
    with page.expect_navigation():
        first.locator("th a").click()
    assert "category" in query_of(page.url)
    assert shown_total(page) == expected


def test_the_log_verifies_intact(new_context, translate):
    page = new_context().new_page()
    page.goto(f"{LOG}/verify")
    expect(page.locator(".alert-success")).to_be_visible()
