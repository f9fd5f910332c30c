"""Only the facilitator and the STL record decisions (OGP Local §3.3.2): every endpoint
that writes the public feedback log, against every role. The deciders write exactly one
entry, which names their role; everyone else, the platform administrator included, is
refused (anonymous visitors are sent to log in) and the log stays as it was."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role, User
from coplat.commitments.permissions import CommitmentAction as K
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.consultation.permissions import ConsultationAction as C
from coplat.core.models import utcnow
from coplat.exercises.enums import Seat, Sector
from coplat.exercises.models import Exercise
from coplat.exercises.services import assign_role
from coplat.extensions import db
from coplat.feedback.models import FeedbackEntry
from coplat.feedback.permissions import FeedbackAction as F
from coplat.tables import services as tables
from coplat.tables.models import Proposal
from coplat.tables.permissions import TableAction as T
from tests.conftest import ALL_ROLES, english
from tests.permissions import test_commitments_matrix, test_matrix, test_tables_matrix
from tests.permissions.test_matrix import ALLOWED, check_answer, count, fill

# The matrix tests' fixtures, reused here.
consultation_ids = test_matrix.consultation_ids
table_ids = test_tables_matrix.table_ids
commitment_ids = test_commitments_matrix.commitment_ids

FACILITATOR, STL = {"facilitator"}, {"stl_member"}
BOTH = FACILITATOR | STL


@pytest.fixture
def closed_consultation_ids(app, make_exercise):
    """In "valle": a consultation that has closed, with one published topic and nothing
    awaiting moderation, ready to be prioritised."""
    exercise_id = make_exercise()
    now = utcnow()
    with app.app_context():
        consultation = Consultation(
            exercise_id=exercise_id,
            question={"es": "¿Qué temas importan?"},
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=1),
        )
        topic = Topic(
            consultation=consultation, title={"es": "Fugas de agua"}, state=TopicState.PUBLISHED
        )
        db.session.add(topic)
        db.session.commit()
        return {"exercise": exercise_id, "topic": topic.id}


@pytest.fixture
def decided_ids(app, table_ids):
    """The tables' fixture with its proposal already rejected: one entry to correct."""
    with app.app_context():
        clerk = db.session.scalar(sa.select(User).where(User.email == "relatora@example.mx"))
        proposal = db.session.get(Proposal, table_ids["proposal"])
        entry = tables.reject_proposal(proposal, clerk, {"es": "Ya existe un programa."})
        db.session.commit()
        return {**table_ids, "entry": entry.id}


TOPICS = "/e/valle/consultation/topics"
# (label, fixture, path, form data, action, the roles that decide)
DECISION_ENDPOINTS = [
    (
        "reject a topic",
        "consultation_ids",
        TOPICS + "/{other}/reject",
        {"reject-{other}-reason-es": "Es competencia estatal."},
        C.MODERATE,
        FACILITATOR,
    ),
    (
        "merge a topic",
        "consultation_ids",
        TOPICS + "/{other}/merge",
        {"merge-{other}-target": "{published}"},
        C.MODERATE,
        FACILITATOR,
    ),
    (
        "prioritise",
        "closed_consultation_ids",
        "/e/valle/consultation/prioritise",
        {"topics": "{topic}", "reason-es": "Menos votos."},
        C.PRIORITISE,
        STL,
    ),
    (
        "reject a proposal",
        "table_ids",
        "/e/valle/tables/{table}/proposals/{proposal}/reject",
        {"reject-reason-es": "Ya existe un programa estatal."},
        T.DECIDE_PROPOSAL,
        BOTH,
    ),
    (
        "take a proposal into a commitment",
        "commitment_ids",
        "/e/valle/commitments/{review}/proposals",
        {"proposal": "{proposal}", "decision": "adopted"},
        K.TAKE_PROPOSAL,
        BOTH,
    ),
    (
        "correct a decision",
        "decided_ids",
        "/e/valle/feedback/entries/{entry}/correct",
        {
            "decision": "rejected",
            "reason-es": "No es competencia municipal.",
            "correction_reason-es": "La mesa lo aclaró.",
        },
        F.CORRECT,
        BOTH,
    ),
]
PARAMS = [pytest.param(*e[1:], id=e[0]) for e in DECISION_ENDPOINTS]


def entries() -> list[tuple[int, Role | None]]:
    return db.session.execute(
        sa.select(FeedbackEntry.id, FeedbackEntry.decided_role).order_by(FeedbackEntry.id)
    ).all()


@pytest.mark.parametrize(("fixture", "path", "data", "action", "deciders"), PARAMS)
def test_the_truth_table_lets_only_the_facilitator_and_the_stl_decide(
    fixture, path, data, action, deciders
):
    assert {role for role in ALL_ROLES if action in ALLOWED[role]} == deciders
    assert deciders <= BOTH


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("fixture", "path", "data", "action", "deciders"), PARAMS)
def test_only_the_facilitator_and_the_stl_write_the_log(
    app, client, request, user_with_role, login, role, fixture, path, data, action, deciders
):
    ids = request.getfixturevalue(fixture)
    login(client, user_with_role(role, ids["exercise"]))
    english(client)
    path, data = fill(path, ids), fill(data, ids)
    with app.app_context():
        before = entries()
    response = client.post(path, data=data)
    allowed = role in deciders
    check_answer(response, role, "POST", path, allowed, 303)
    with app.app_context():
        after = entries()
    if allowed:
        assert after[: len(before)] == before
        assert [decided_role for _id, decided_role in after[len(before) :]] == [Role(role)]
    else:
        assert after == before


def test_the_administrator_decides_once_given_a_role(app, client, table_ids, user_with_role, login):
    """The platform administrator who must act gives themselves the role first."""
    path = fill("/e/valle/tables/{table}/proposals/{proposal}/reject", table_ids)
    data = {"reject-reason-es": "Ya existe un programa estatal."}
    admin_id = user_with_role("admin", table_ids["exercise"])
    login(client, admin_id)
    assert client.post(path, data=data).status_code == 403
    with app.app_context():
        assert count(FeedbackEntry) == 0
        assign_role(
            db.session.get(Exercise, table_ids["exercise"]),
            db.session.get(User, admin_id),
            Role.STL_MEMBER,
            sector=Sector.CIVIL_SOCIETY,
            seat=Seat.TITULAR,
        )
        db.session.commit()
    assert client.post(path, data=data).status_code == 303
    with app.app_context():
        assert [role for _id, role in entries()] == [Role.STL_MEMBER]
