"""The demo's action plan as its readers use it: the point of contact downloads the
English plan in the OGP Local format and opens it; a civil-society member reads, on a
phone, the readiness check with OGP's four requirements and their evidence."""

import pytest
from docx import Document

from .test_tables import SLUG

pytestmark = pytest.mark.browser

PLAN = f"/e/{SLUG}/plan"


def test_the_point_of_contact_downloads_the_english_plan(page, sign_in, live_app):
    from coplat.exercises.services import get_exercise
    from coplat.plan.services import plan_of

    with live_app.test_request_context():
        plan = plan_of(get_exercise(SLUG))
        titles = [c.approved_revision.content["title"]["en"] for c in plan.commitments]
        name = plan.exercise.name["en"]
    assert titles, "the demo plan holds approved commitments"

    sign_in(page, "enlace@demo.coplat.mx")
    page.goto(PLAN)
    english = page.locator("#export li").filter(has_text="English")
    with page.expect_download() as download:
        english.get_by_role("link", name="DOCX").click()
    assert download.value.suggested_filename.endswith("-en.docx")
    document = Document(str(download.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert name in text
    for title in titles:
        assert title in text
    assert "Hitos" not in text, "the English plan has no Spanish labels"


def test_the_readiness_check_on_a_phone(new_context, translate):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{PLAN}/readiness")
    requirements = page.locator("section").first.locator("li")
    assert requirements.count() == 4
    forum = translate("es", "Forum: a space for co-creation exists (the STL or an equivalent)")
    assert forum in requirements.first.inner_text()
    # Each requirement names what the record holds towards it, with the page that shows it.
    for item in requirements.all():
        assert item.locator("a").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the readiness check fits a phone without sideways scrolling"
