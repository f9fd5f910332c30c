"""The micro-site names a commitment as the plan does, by its approved revision's title:
a change the STL has not approved yet (here, a new title under review) stays out of the
board, its downloads, the repository, the home, the news and the search results, which
still find the commitment by either title."""

from datetime import date

import pytest

from coplat.extensions import db
from coplat.tracking import services
from coplat.tracking.enums import EvidenceType
from coplat.tracking.rules import Quarter
from tests.conftest import english
from tests.site.conftest import E, text
from tests.tracking.conftest import at

SPRING = date(2027, 5, 10)
APPROVED = "A water network without leaks"
UNDER_REVIEW = "Pipes renewed downtown"


@pytest.fixture
def desk(launched_plan):
    """A launched plan whose first commitment has a report, evidence and a new title
    under review."""
    desk = launched_plan()
    desk.report(date(2027, 4, 5), Quarter(2027, 1))
    with at(date(2027, 4, 20)):
        services.add_evidence(
            desk.exercise,
            desk.implementer,
            kind=EvidenceType.BUDGET_DECISIONS,
            title={"es": "Presupuesto asignado", "en": "Budget allocated"},
            link="https://valle.example/presupuesto",
            commitment=desk.commitment,
        )
        db.session.commit()
        desk.change(
            desk.commitment,
            approve=False,
            title={"es": "Tuberías renovadas en el centro", "en": UNDER_REVIEW},
        )
    assert desk.commitment.title["en"] == UNDER_REVIEW
    assert desk.commitment.approved_title["en"] == APPROVED
    return desk


def get(client, url: str):
    db.session.commit()
    with at(SPRING):
        response = english(client).get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize(
    "page",
    [
        "",
        "/tracking",
        "/tracking.csv",
        "/tracking.json",
        "/evidence",
        "/evidence/commitments/{commitment}",
        "/news",
    ],
)
def test_the_site_shows_the_approved_title(client, desk, page):
    body = text(get(client, E + page.format(commitment=desk.commitment.id)))
    assert APPROVED in body
    assert UNDER_REVIEW not in body


def test_the_home_names_the_approved_commitment_in_its_report_and_its_deadline(client, desk):
    page = text(get(client, E))
    assert f"Comment on the progress report of Q1 2027: {APPROVED}" in page
    assert f"Implementation assessment due: {APPROVED}" in page


def test_the_news_names_the_approved_commitment(client, desk):
    page = text(get(client, f"{E}/news"))
    assert f"<strong>Progress report posted</strong></a>: {APPROVED}" in page
    assert f"<strong>Commitment approved by the STL</strong></a>: {APPROVED}" in page


def test_the_filing_form_offers_the_approved_titles(client, desk, login):
    db.session.commit()
    login(client, desk.facilitator.id)
    page = text(get(client, f"{E}/evidence/new"))
    assert f">{APPROVED}</option>" in page
    assert f'<optgroup label="{APPROVED}">' in page
    assert UNDER_REVIEW not in page


@pytest.mark.parametrize("word", ["network", "renewed"])
def test_the_search_finds_either_title_and_shows_the_approved_one(client, desk, word):
    page = text(get(client, f"{E}/search?q={word}"))
    commitments = page[page.index('id="results-commitments"') :]
    commitments = commitments[: commitments.index("</section>")]
    assert f'href="{E}/commitments/{desk.commitment.id}">{APPROVED}</a>' in commitments
    assert UNDER_REVIEW not in page


def test_the_search_names_the_approved_commitment_of_a_report(client, desk):
    page = text(get(client, f"{E}/search?q=network+quarter"))
    reports = page[page.index('id="results-reports"') :]
    assert f">{APPROVED}</a>" in reports[: reports.index("</section>")]
