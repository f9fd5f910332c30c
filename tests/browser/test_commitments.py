"""Drafting a commitment as the facilitator does: the Annex 2 form with milestones added
in place (htmx) and the quality check refreshing as fields change, then sending the
draft to the STL; and the same drafting without JavaScript.

It runs on the demo exercise, in the Spanish interface; every title a test types is
unique because the demo persists for the whole browser session."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_tables import FACILITATOR, SLUG, htmx_request, mark_page, path_of, still_marked, unique

pytestmark = pytest.mark.browser

NEW = f"/e/{SLUG}/commitments/new"
STL_MEMBER = "stl.sociedad@demo.coplat.mx"


def fill_header(page, title: str) -> None:
    page.locator("#title-es").fill(title)
    page.locator("#title-en").fill(title + " (EN)")
    page.locator("#starts_on").fill("2026-07-01")
    page.locator("#ends_on").fill("2027-06-30")
    page.locator("#government-0-institution").fill("Dirección de Obras Públicas")
    page.locator("#government-0-contact_name").fill("Ana Ruiz")
    page.locator("#government-0-email").fill("obras@santalucia.example.mx")


def fill_milestone(page, index: int, output: str, starts: str, ends: str) -> None:
    page.locator(f"#milestones-{index}-output-es").fill(output)
    page.locator(f"#milestones-{index}-starts_on").fill(starts)
    page.locator(f"#milestones-{index}-ends_on").fill(ends)


def test_facilitator_drafts_two_milestones_in_place_and_sends_to_the_stl(
    new_context, sign_in, translate
):
    page = new_context().new_page()
    sign_in(page, FACILITATOR)
    page.goto(NEW)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    mark_page(page)
    title = unique("Publicar las obras de agua como datos abiertos")
    fill_header(page, title)
    fill_milestone(page, 0, "Inventario de obras publicado", "2026-08-01", "2026-12-15")

    # The quality check follows the typing: with no OGP value chosen, "relevant" is
    # unmet; choosing one turns it met without saving.
    quality = page.locator("#quality")
    relevant = quality.locator("li", has_text=translate("es", "Relevant")).first
    expect(relevant).to_have_class("unmet")
    htmx_request(
        page,
        lambda: page.get_by_label(translate("es", "Civic participation")).check(),
        NEW,
    )
    expect(quality.locator("li", has_text=translate("es", "Relevant")).first).to_have_class("met")

    # "Add a milestone" adds a second row in place, focused, and keeps what was typed.
    htmx_request(
        page,
        lambda: page.get_by_role("button", name=translate("es", "Add a milestone")).click(),
        NEW,
    )
    expect(page.locator("#milestones-1-output-es")).to_be_focused()
    expect(page.locator("#milestones-0-output-es")).to_have_value("Inventario de obras publicado")
    expect(page.locator("#title-es")).to_have_value(title)
    assert still_marked(page), "adding a row must not reload the page"
    fill_milestone(page, 1, "Tablero de avance de obras en línea", "2027-01-10", "2027-06-15")

    # Saving creates revision 1 and leads to the commitment's page.
    with page.expect_navigation():
        page.get_by_role("button", name=translate("es", "Save this revision")).click()
    assert re.fullmatch(rf"/e/{SLUG}/commitments/\d+", path_of(page.url))
    expect(page.locator("h1")).to_have_text(title)
    milestones = page.locator("#field-milestones + dd tbody tr")
    expect(milestones).to_have_count(2)
    expect(milestones.nth(1)).to_contain_text("Tablero de avance de obras en línea")

    # Sending it to the STL opens the review: the three sectors are waiting.
    with page.expect_navigation():
        page.get_by_role(
            "button", name=translate("es", "Send revision %(number)s to the STL", number=1)
        ).click()
    expect(page.locator(".badge.status-in_review")).to_have_text(translate("es", "In STL review"))
    review = page.locator("#review")
    expect(review.locator("tbody tr", has_text=translate("es", "Waiting"))).to_have_count(3)


def test_drafting_works_without_javascript(new_context, sign_in, translate):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, FACILITATOR)
    page.goto(NEW)
    title = unique("Presupuesto participativo abierto")
    fill_header(page, title)
    fill_milestone(page, 0, "Reglas del presupuesto publicadas", "2026-09-01", "2026-10-30")

    # Without htmx the add button posts the form and the page comes back with a new,
    # empty row and everything typed still there.
    with page.expect_navigation():
        page.get_by_role("button", name=translate("es", "Add a milestone")).click()
    expect(page.locator("#milestones-1-output-es")).to_have_value("")
    expect(page.locator("#title-es")).to_have_value(title)

    # The quality check is a button here; nothing is saved by it.
    with page.expect_navigation():
        page.get_by_role("button", name=translate("es", "Check quality without saving")).click()
    expect(page.locator("#quality")).to_contain_text(
        translate("es", "(from what is typed, not saved yet)")
    )
    expect(page.locator("#title-es")).to_have_value(title)

    with page.expect_navigation():
        page.get_by_role("button", name=translate("es", "Save this revision")).click()
    expect(page.locator("h1")).to_have_text(title)
    # The blank second row was dropped, not saved as an empty milestone.
    expect(page.locator("#field-milestones + dd tbody tr")).to_have_count(1)


@pytest.fixture(scope="module")
def demo_commitment_paths(live_app) -> list[str]:
    """Each demo commitment's page, revisions, a comparison and its first revision."""
    from coplat.commitments.services import commitments_of
    from coplat.exercises.services import get_exercise
    from coplat.extensions import db

    with live_app.app_context():
        paths = []
        for commitment in commitments_of(get_exercise(SLUG)):
            base = f"/e/{SLUG}/commitments/{commitment.id}"
            paths += [base, f"{base}/revisions", f"{base}/revisions/compare", f"{base}/revisions/1"]
        db.session.remove()
    assert len(paths) >= 12, "the demo should have at least three commitments"
    return paths


def test_commitment_pages_pass_axe(new_context, sign_in, demo_commitment_paths):
    from .test_accessibility import check

    axe = Axe()
    check(axe, new_context().new_page(), demo_commitment_paths, "logged out")
    page = new_context().new_page()
    sign_in(page, FACILITATOR)
    check(
        axe, page, [demo_commitment_paths[0] + "/edit", *demo_commitment_paths[:4]], "facilitator"
    )
    member = new_context().new_page()
    sign_in(member, STL_MEMBER)
    check(axe, member, demo_commitment_paths[::4], "STL member")
