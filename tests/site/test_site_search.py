"""One search across the micro-site: published topics, proposals, commitments, the
feedback log's entries, evidence, progress reports and sessions, grouped by kind with
links; case and accents do not matter, on SQLite and PostgreSQL alike (the suite runs
on both: DATABASE_URL)."""

import re
from datetime import date

import pytest

from coplat.accounts.models import Role
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Topic
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.services import record_decision
from coplat.site import search
from coplat.tables.enums import ProposalChannel
from coplat.tables.models import Proposal
from coplat.tracking import services
from coplat.tracking.enums import EvidenceType
from coplat.tracking.rules import Quarter
from tests.conftest import english
from tests.site.conftest import E, follow_up, text
from tests.tracking.conftest import at

SPRING = date(2027, 5, 10)


def find(client, query: str) -> str:
    db.session.commit()
    with at(SPRING):
        response = english(client).get(f"{E}/search", query_string={"q": query})
    assert response.status_code == 200
    return text(response)


def group(page: str, kind: str) -> str:
    start = page.index(f'id="results-{kind}"')
    return page[start : page.index("</section>", start)]


def groups(page: str) -> list[str]:
    return re.findall(r'<h2 id="results-([a-z]+)"', page)


@pytest.fixture
def record(launched_plan):
    """The plan's record with "participación" (accented) written in each kind."""
    desk = launched_plan()
    consultation = desk.exercise.consultation
    public = Topic(
        consultation=consultation,
        title={"es": "Participación en el presupuesto"},
        state=TopicState.PUBLISHED,
        moderated_at=utcnow(),
    )
    waiting = Topic(
        consultation=consultation,
        title={"es": "Participación sin moderar"},
        state=TopicState.PENDING,
    )
    proposal = Proposal(
        table=desk.table,
        title={"es": "Mesas de PARTICIPACIÓN vecinal", "en": "Neighbourhood tables"},
        channel=ProposalChannel.ONLINE,
        proposer_name="Colectivo Año Nuevo",
        proposer_sector=Sector.CIVIL_SOCIETY,
    )
    db.session.add_all([public, waiting, proposal])
    db.session.flush()
    record_decision(
        desk.exercise,
        stage=Stage.WORKING_TABLE,
        decision=Decision.REJECTED,
        user=desk.facilitator,
        acting_as=(Role.FACILITATOR,),
        reason={"es": "Ya lo cubre la participación del cabildo abierto."},
        proposal=proposal,
    )
    desk.commitment.problem = {"es": "Poca participación en el cuidado del agua."}
    follow_up(desk, date(2027, 3, 1), title="Seguimiento con participación")
    desk.report(date(2027, 4, 5), Quarter(2027, 1))
    with at(SPRING):
        services.add_evidence(
            desk.exercise,
            desk.facilitator,
            kind=EvidenceType.PHOTOS,
            title={"es": "Fotos de la jornada de participación"},
            link="https://valle.example/fotos",
        )
    db.session.commit()
    desk.proposal, desk.public_topic = proposal, public
    return desk


def test_accented_text_is_found_without_accents_or_capitals(client, record):
    page = find(client, "participacion")
    assert groups(page) == [
        "topics",
        "proposals",
        "commitments",
        "feedback",
        "evidence",
        "sessions",
    ]
    assert "Participación en el presupuesto" in group(page, "topics")
    assert "Participación sin moderar" not in page
    # Found by its Spanish title, shown in the reader's English.
    assert "Neighbourhood tables" in group(page, "proposals")
    assert "A water network without leaks" in group(page, "commitments")
    assert "Entry 1: Rejected" in group(page, "feedback")
    assert "Fotos de la jornada de participación" in group(page, "evidence")
    assert "Seguimiento con participación" in group(page, "sessions")
    # The same with accents and capitals typed.
    assert groups(find(client, "PARTICIPACIÓN")) == groups(page)


def test_results_link_to_their_pages(client, record):
    desk = record
    page = find(client, "participacion")
    assert f'href="{E}/consultation/topics/{desk.public_topic.id}"' in group(page, "topics")
    proposal_url = f"{E}/tables/{desk.table.id}/proposals/{desk.proposal.id}"
    assert f'href="{proposal_url}"' in group(page, "proposals")
    assert f'href="{proposal_url}"' in group(page, "feedback")
    assert f'href="{E}/commitments/{desk.commitment.id}"' in group(page, "commitments")
    assert f'href="{E}/evidence?type=photos#evidence-' in group(page, "evidence")
    assert f'href="{E}/tables/{desk.table.id}/sessions/' in group(page, "sessions")


def test_every_word_must_match_somewhere(client, record):
    # "ano" finds "Año", in the proposer's name; both words in the same proposal.
    page = find(client, "ano vecinal")
    assert groups(page) == ["proposals"]
    assert "Nothing matches “ano cabildo”." in find(client, "ano cabildo")


def test_progress_reports_are_searched(client, record):
    page = find(client, "trimestre")
    assert groups(page) == ["reports"]
    assert "Q1 2027" in group(page, "reports")
    assert f'href="{E}/tracking/reports/' in group(page, "reports")


def test_the_query_stays_in_the_box(client, record):
    page = find(client, "participación 100%")
    assert 'value="participación 100%"' in page
    assert "Nothing matches" in page  # % is looked for as written, not as a wildcard
    empty = find(client, "")
    assert "Type a word or two" in empty


def test_each_kind_returns_a_few_results_at_most(client, record, monkeypatch):
    desk = record
    monkeypatch.setattr(search, "PER_KIND", 2)
    for n in range(3):
        db.session.add(
            Topic(
                consultation=desk.exercise.consultation,
                title={"es": f"Participación {n}"},
                state=TopicState.PUBLISHED,
                moderated_at=utcnow(),
            )
        )
    topics = group(find(client, "participacion"), "topics")
    assert len(re.findall(r"<li>", topics)) == 2
    assert "(2+)" in topics
    assert "add a word to narrow the search" in topics


def test_htmx_gets_the_results_alone(htmx, record):
    db.session.commit()
    with at(SPRING):
        fragment = text(htmx.get(f"{E}/search?q=participacion"))
    assert fragment.lstrip().startswith('<div id="search-results"')
    assert "<html" not in fragment
