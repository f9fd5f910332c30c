"""The interface language: the browser's preference on a first visit, and the
header's language switch, which sticks while the person browses."""

import pytest

pytestmark = pytest.mark.browser

HEADING = "Co-create the open-government action plan"


def test_spanish_browser_switches_to_english_and_stays(page, translate):
    spanish, english = translate("es", HEADING), translate("en", HEADING)
    assert spanish != english, "the Spanish catalogue has no translation of the home heading"

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == spanish
    switch = page.locator("header form.language-switch")
    assert switch.get_by_role("button", name="Español").get_attribute("aria-pressed") == "true"

    with page.expect_navigation():
        switch.get_by_role("button", name="English").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == english
    assert switch.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    assert page.url.rstrip("?").endswith("/")

    # Another page, reached by following a link, is still in English.
    with page.expect_navigation():
        page.locator("main a[href='/e/demo']").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#steps-title").inner_text() == translate(
        "en", "The six steps of the exercise"
    )
    page.goto("/account/login")
    assert page.locator("h1").inner_text() == translate("en", "Log in")

    # And back to Spanish.
    with page.expect_navigation():
        switch.get_by_role("button", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == translate("es", "Log in")


def test_english_browser_sees_english_on_first_visit(new_context, translate):
    page = new_context(locale="en-US").new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == translate("en", HEADING)
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
