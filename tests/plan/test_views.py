"""The plan's pages as their users see them: the readiness check linking each gap to
the form that fills it, the Annex 1 form keeping what was typed when it is refused, the
export refusing a missing translation and offering the marked draft, and pages that
only read storing nothing."""

import re

import sqlalchemy as sa

from coplat.extensions import db
from coplat.plan.models import ActionPlan
from tests.conftest import english
from tests.plan.conftest import ADMINISTRATION_ENDS, PLAN_STARTS

PLAN = "/e/valle/plan"


def links(html: str) -> dict[str, str]:
    """Each link's text (tags stripped) -> its address."""
    return {
        re.sub(r"<[^>]+>", "", text).strip(): href
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', html, re.S)
    }


def test_each_gap_on_the_readiness_page_links_to_its_form(client, build_plan):
    desk = build_plan(commitments=0)
    [commitment] = desk.held(1, problem={"es": "Fugas."})
    desk.save_vision(achievements={})
    db.session.commit()

    page = english(client).get(PLAN + "/readiness").get_data(as_text=True)

    found = links(page)
    assert found[
        "4.2. What open government achievements have there been to date (for example,"
        " recent open government reforms)?"
    ] == ("/e/valle/plan/vision#field-achievements")
    assert (
        found["“A water network without leaks”: 6. Problem"]
        == f"/e/valle/commitments/{commitment.id}/edit"
    )
    assert "Record the plan as submitted to OGP" not in page, "only the point of contact submits"


def test_a_refused_vision_keeps_what_was_typed(client, build_plan, login):
    desk = build_plan()
    db.session.commit()
    login(client, desk.point_of_contact.id)
    english(client)

    response = client.post(
        PLAN + "/vision",
        data={
            "administration_ends": ADMINISTRATION_ENDS.isoformat(),
            "plan_starts_on": PLAN_STARTS.isoformat(),
            "plan_ends_on": ADMINISTRATION_ENDS.isoformat(),
            "foreword-es": "Un prólogo nuevo, escrito con cuidado.",
        },
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Un prólogo nuevo, escrito con cuidado." in page
    error = re.search(r'<p class="error" id="plan_ends_on-error">(.*?)</p>', page).group(1)
    assert "at least two months before the administration" in error
    db.session.commit()
    assert desk.plan.foreword["es"] == "Un plan hecho con la gente."


def test_the_export_refuses_a_missing_translation_and_offers_the_marked_draft(client, build_plan):
    desk = build_plan()
    desk.save_vision(foreword={"es": "Sólo en español."})
    db.session.commit()

    response = english(client).get(PLAN + "/export.docx")

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Strategic vision, 2. Foreword" in page
    assert links(page)["Export with the gaps marked"] == (
        "/e/valle/plan/export.docx?lang=en&amp;mark=1"
    )
    marked = client.get(PLAN + "/export.docx?lang=en&mark=1")
    assert marked.status_code == 200
    assert marked.headers["Content-Disposition"].endswith('-action-plan-en.docx"')


def test_reading_the_plan_pages_stores_no_plan(client, build_plan):
    desk = build_plan(commitments=0, vision=False)
    db.session.delete(desk.plan)
    db.session.commit()

    for path in ("", "/vision", "/readiness", "/export.json"):
        assert english(client).get(PLAN + path).status_code == 200, path

    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionPlan)) == 0
