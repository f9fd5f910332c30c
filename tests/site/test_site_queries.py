"""The micro-site's pages cost the same number of SQL statements whatever the record's
size: a small exercise ("chico": one commitment, a handful of records) and a busy one
("grande": three commitments, dozens of updates, reports, evidence, sessions and
attachments) are read with as many queries, page by page."""

import uuid
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coplat.commitments.enums import MilestoneStatus
from coplat.core.uploads import Upload
from coplat.extensions import db
from coplat.tables.enums import AttachmentKind
from coplat.tables.models import SessionAttachment
from coplat.tracking import services
from coplat.tracking.enums import AssessmentKind, EvidenceType
from coplat.tracking.rules import Quarter
from tests.conftest import english
from tests.site.conftest import follow_up
from tests.tracking.conftest import at

TODAY = date(2027, 8, 2)
TYPES = list(EvidenceType)


@contextmanager
def counted(app):
    """Count the SQL statements sent while the block runs."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def document(desk, name: str) -> Upload:
    upload = Upload(
        exercise=desk.exercise,
        original_name=name,
        stored_name=uuid.uuid4().hex,
        content_type="application/pdf",
        size=1024,
    )
    db.session.add(upload)
    return upload


def fill(desk, size: int) -> None:
    """Records of every kind the pages read, `size` times over (at least once)."""
    statuses = list(MilestoneStatus)
    for n in range(size):
        for commitment in desk.commitments:
            milestone = commitment.milestones[n % 2]
            day = date(2027, 1, 20) + timedelta(days=(n * 7) % 150)
            desk.update(day, statuses[(n + 1) % len(statuses)], milestone=milestone)
    for commitment in desk.commitments:
        for number, day in ((1, date(2027, 4, 3)), (2, date(2027, 7, 3))):
            desk.report(day, Quarter(2027, number), commitment)
    sessions = [follow_up(desk, date(2027, 2, 1) + timedelta(days=9 * n)) for n in range(size)]
    sessions += [follow_up(desk, date(2027, 9, 1) + timedelta(days=7 * n)) for n in range(size)]
    with at(date(2027, 6, 1)):
        for n in range(3 * size):
            services.add_evidence(
                desk.exercise,
                desk.facilitator,
                kind=TYPES[n % len(TYPES)],
                title={"es": f"Evidencia {n}", "en": f"Evidence {n}"},
                upload=document(desk, f"evidencia-{n}.pdf") if n % 2 else None,
                link="" if n % 2 else f"https://valle.example/{n}",
                dated_on=date(2027, 1, 1) + timedelta(days=n),
                step_number=(n % 6) + 1,
                session=sessions[n % len(sessions)] if n % 3 == 0 else None,
            )
            commitment = desk.commitments[n % len(desk.commitments)]
            services.add_evidence(
                desk.exercise,
                desk.point_of_contact,
                kind=TYPES[(n + 5) % len(TYPES)],
                title={"es": f"Avance {n}"},
                upload=document(desk, f"avance-{n}.pdf"),
                commitment=commitment,
                milestone=commitment.milestones[n % 2] if n % 2 else None,
            )
        for n, session in enumerate(sessions[:size]):
            db.session.add(
                SessionAttachment(
                    session=session,
                    upload=document(desk, f"foto-{n}.pdf"),
                    kind=AttachmentKind.PHOTO,
                    caption=f"Foto {n}",
                )
            )
        services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.INITIAL,
            values={"summary": {"es": "Bien."}, "co_creation": {"es": "Cumple."}},
            ratings={c.id: {"potential_impact": "minor"} for c in desk.commitments},
            publish=True,
        )
    db.session.commit()


@pytest.fixture
def exercises(launched_plan):
    small = launched_plan(slug="chico", commitments=1)
    fill(small, 1)
    big = launched_plan(slug="grande", commitments=3)
    fill(big, 12)
    return {"chico": small, "grande": big}


PAGES = [
    "",
    "/tracking",
    "/tracking.json",
    "/evidence",
    "/evidence?q=evidencia",
    "/evidence?type=photos",
    "/evidence/commitments/{commitment}",
    "/news",
    "/search?q=avance",
]


def test_the_micro_site_costs_the_same_queries_whatever_its_size(app, exercises):
    costs = {}
    for slug, desk in exercises.items():
        for page in PAGES:
            url = f"/e/{slug}" + page.format(commitment=desk.commitment.id)
            with at(TODAY):
                # A fresh app context per request, as a server has: nothing cached.
                with app.app_context():
                    app.test_client().get(url)  # anything done once per process
                with app.app_context(), counted(app) as statements:
                    response = app.test_client().get(url)
            assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
            costs[slug, page] = len(statements)
    for page in PAGES:
        assert costs["grande", page] == costs["chico", page], (page, costs)
    # The busy exercise's records are on its pages.
    with at(TODAY), app.app_context():
        client = english(app.test_client())
        board = client.get("/e/grande/tracking").get_data(as_text=True)
        evidence = client.get("/e/grande/evidence").get_data(as_text=True)
    assert board.count('class="card board-card') == 3
    assert "48 documents" in evidence and "page 1 of 2" in evidence
