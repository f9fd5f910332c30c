"""The commitments' endpoints against the truth table of test_matrix.py: every role ×
every endpoint. Refused roles change nothing; allowed roles see the effect."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role, User
from coplat.commitments import services
from coplat.commitments.enums import CommitmentStatus, ReviewOutcome, Verdict
from coplat.commitments.models import (
    Commitment,
    CommitmentRevision,
    Review,
    RevisionComment,
    SectorDecision,
)
from coplat.commitments.permissions import CommitmentAction as K
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.exercises.models import Exercise
from coplat.exercises.services import assign_role
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.feedback.models import FeedbackEntry
from coplat.tables import services as tables
from coplat.tables.enums import NodeKind
from coplat.tables.models import Proposal
from tests.conftest import english
from tests.permissions.conftest import check_endpoint, fill, for_every_role
from tests.permissions.test_matrix import ALLOWED, count

COMMITMENTS = "/e/valle/commitments"
DRAFT = COMMITMENTS + "/{draft}"
IN_REVIEW = COMMITMENTS + "/{review}"


def content(topic_id: int, cause_id: int, title: str) -> dict:
    """Enough of a commitment to read: a title, its topic and strategic cause, dates."""
    return {
        "topic": topic_id,
        "causes": [cause_id],
        "title": {"es": title},
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "problem": {"es": "Se pierde el 40 % del agua."},
    }


@pytest.fixture
def commitment_ids(app, make_exercise, make_user):
    """In "valle": a prioritised topic whose table has a strategic cause and a pending
    proposal; a draft commitment saved twice (revisions 1 and 2) and a commitment the
    STL is reviewing, both for that topic, written by someone without a role."""
    exercise_id = make_exercise()
    author_id = make_user(email="relatora@example.mx", name="Relatora")
    now = utcnow()
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        exercise.plan_starts_on, exercise.plan_ends_on = date(2026, 9, 1), date(2028, 6, 30)
        author = db.session.get(User, author_id)
        consultation = Consultation(
            exercise=exercise,
            question={"es": "¿Qué temas importan?"},
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=10),
            prioritised_at=now - timedelta(days=9),
        )
        topic = Topic(
            consultation=consultation,
            title={"es": "Fugas de agua"},
            state=TopicState.PUBLISHED,
            prioritised=True,
        )
        db.session.add(topic)
        db.session.flush()
        table = tables.open_table(exercise, topic, None)
        cause = tables.add_node(
            table, tables.problem_of(table), NodeKind.CAUSE, {"es": "Tubos viejos"}, None
        )
        tables.set_strategic(cause, True, None)
        proposal = tables.enter_proposal(
            table,
            author,
            cause=cause,
            title={"es": "Sensores en la red"},
            description={},
            proposer_name="Vecinos del Centro",
            proposer_sector=Sector.CITIZEN,
        )
        draft = services.create(exercise, content(topic.id, cause.id, "Mapa de fugas"), author)
        services.save(draft, content(topic.id, cause.id, "Mapa abierto de fugas"), author)
        review = services.create(exercise, content(topic.id, cause.id, "Red medida"), author)
        services.submit_for_review(review, author)
        db.session.commit()
        return {
            "exercise": exercise_id,
            "topic": topic.id,
            "cause": cause.id,
            "proposal": proposal.id,
            "draft": draft.id,
            "review": review.id,
        }


def state() -> dict:
    """What any commitment endpoint may change."""
    return {
        "commitments": db.session.execute(
            sa.select(Commitment.id, Commitment.status).order_by(Commitment.id)
        ).all(),
        "revisions": count(CommitmentRevision),
        "reviews": db.session.execute(
            sa.select(Review.id, Review.outcome).order_by(Review.id)
        ).all(),
        "decisions": count(SectorDecision),
        "comments": count(RevisionComment),
        "feedback": count(FeedbackEntry),
        "proposals": db.session.execute(sa.select(Proposal.id, Proposal.commitment_id)).all(),
    }


def revisions_of(key: str) -> int:
    """The revisions of the fixture's commitment `key` ("draft" or "review")."""
    title = {"draft": "Mapa abierto de fugas", "review": "Red medida"}[key]
    commitment = next(
        c for c in db.session.scalars(sa.select(Commitment)) if c.title["es"] == title
    )
    return len(commitment.revisions)


def edited() -> bool:
    """The draft's third revision holds the typed title (and nothing else was touched)."""
    revision = db.session.scalar(
        sa.select(CommitmentRevision).where(CommitmentRevision.number == 3)
    )
    return revision is not None and revision.content["title"] == {"es": "Mapa de fugas en vivo"}


def withdrawn() -> bool:
    commitment = db.session.scalar(
        sa.select(Commitment).where(Commitment.status == CommitmentStatus.WITHDRAWN)
    )
    return commitment is not None and commitment.latest_revision.change_reason == {
        "es": "La Comisión ya lo hace."
    }


def decision_recorded() -> bool:
    decision = db.session.scalar(sa.select(SectorDecision))
    return (
        decision is not None
        and (decision.verdict, decision.sector) == (Verdict.APPROVE, Sector.CIVIL_SOCIETY)
        and decision.member_name == "Stl_Member"
    )


def proposal_taken() -> bool:
    entry = db.session.scalar(sa.select(FeedbackEntry))
    return (
        entry is not None
        and entry.decision == Decision.ADOPTED
        and entry.commitment_id is not None
        and db.session.scalar(sa.select(Proposal.decision)) == Decision.ADOPTED
    )


def comment_published() -> bool:
    comment = db.session.scalar(sa.select(RevisionComment))
    return comment is not None and comment.body == "Falta el presupuesto."


NEW = {"title-es": "Alumbrado con datos abiertos", "topic": "0"}
EDIT = {"title-es": "Mapa de fugas en vivo", "topic": "{topic}", "causes": "{cause}"}

# (label, method, path, form data, action, status when allowed, effect seen when allowed).
# Without an effect, the endpoint changes nothing, whoever asks.
COMMITMENT_ENDPOINTS = [
    ("list", "GET", COMMITMENTS, None, K.VIEW, 200, None),
    ("commitment page", "GET", IN_REVIEW, None, K.VIEW, 200, None),
    ("revisions", "GET", DRAFT + "/revisions", None, K.VIEW, 200, None),
    ("revision page", "GET", DRAFT + "/revisions/1", None, K.VIEW, 200, None),
    ("compare", "GET", DRAFT + "/revisions/compare?from=1&to=2", None, K.VIEW, 200, None),
    ("new form", "GET", COMMITMENTS + "/new", None, K.DRAFT, 200, None),
    (
        "create",
        "POST",
        COMMITMENTS + "/new",
        NEW,
        K.DRAFT,
        303,
        lambda: count(Commitment) == 3 and count(CommitmentRevision) == 4,
    ),
    ("create (invalid)", "POST", COMMITMENTS + "/new", {"topic": "0"}, K.DRAFT, 422, None),
    ("edit form", "GET", DRAFT + "/edit", None, K.DRAFT, 200, None),
    ("save a revision", "POST", DRAFT + "/edit", EDIT, K.DRAFT, 303, edited),
    (
        "add a row",
        "POST",
        DRAFT + "/edit",
        {**EDIT, "change": "add-milestones"},
        K.DRAFT,
        200,
        None,
    ),
    (
        "remove a row",
        "POST",
        DRAFT + "/edit",
        {**EDIT, "change": "remove-government-0"},
        K.DRAFT,
        200,
        None,
    ),
    ("quality check", "POST", DRAFT + "/edit", {**EDIT, "change": "check"}, K.DRAFT, 200, None),
    (
        "send to the STL",
        "POST",
        DRAFT + "/submit",
        {},
        K.DRAFT,
        303,
        lambda: count(Review) == 2 and count(Commitment, status=CommitmentStatus.IN_REVIEW) == 2,
    ),
    (
        "return to draft",
        "POST",
        IN_REVIEW + "/return",
        {"note": "Faltan hitos."},
        K.DRAFT,
        303,
        lambda: (
            count(Review, outcome=ReviewOutcome.RETURNED, note="Faltan hitos.") == 1
            and count(Commitment, status=CommitmentStatus.IN_REVIEW) == 0
        ),
    ),
    (
        "review",
        "POST",
        IN_REVIEW + "/review",
        {"verdict": "approve"},
        K.REVIEW,
        303,
        decision_recorded,
    ),
    # Allowed, but a rejection needs its reasons: refused with 422, not 403.
    (
        "reject without a comment",
        "POST",
        IN_REVIEW + "/review",
        {"verdict": "reject"},
        K.REVIEW,
        422,
        None,
    ),
    (
        "take a proposal",
        "POST",
        IN_REVIEW + "/proposals",
        {"proposal": "{proposal}", "decision": "adopted"},
        K.TAKE_PROPOSAL,
        303,
        proposal_taken,
    ),
    ("withdraw form", "GET", DRAFT + "/withdraw", None, K.DRAFT, 200, None),
    (
        "withdraw",
        "POST",
        DRAFT + "/withdraw",
        {"reason-es": "La Comisión ya lo hace."},
        K.DRAFT,
        303,
        withdrawn,
    ),
    (
        "comment on a revision",
        "POST",
        DRAFT + "/revisions/1/comments",
        {"body": "Falta el presupuesto."},
        K.COMMENT,
        303,
        comment_published,
    ),
]


@for_every_role(COMMITMENT_ENDPOINTS)
def test_commitments_http_matrix(
    app, client, commitment_ids, user_with_role, login, role, endpoint
):
    login(client, user_with_role(role, commitment_ids["exercise"]))
    english(client)
    check_endpoint(
        client, role, ALLOWED[role], endpoint, commitment_ids, state=state, reading=app.app_context
    )


def test_the_matrix_exercises_every_commitment_endpoint(app):
    """A new route must join COMMITMENT_ENDPOINTS."""
    rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("commitments.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = set()
    for _label, method, path, *_rest in COMMITMENT_ENDPOINTS:
        template = path.split("?")[0]
        template = template.replace("/e/valle/", "/e/<slug>/")
        template = template.replace("{draft}", "<int:commitment_id>")
        template = template.replace("{review}", "<int:commitment_id>")
        template = template.replace("/revisions/1/", "/revisions/<int:number>/")
        if template.endswith("/revisions/1"):
            template = template[: -len("1")] + "<int:number>"
        covered.add((template, method))
    assert rules == covered


# ----- refusals beyond the table ----------------------------------------------


def test_an_anonymous_save_sends_to_log_in_and_back_to_the_form(app, client, commitment_ids):
    edit = fill(DRAFT + "/edit", commitment_ids)
    data = fill(EDIT, commitment_ids)
    response = client.post(edit, data=data, headers={"Referer": f"http://coplat.test{edit}"})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/account/login"
    assert parse_qs(location.query)["next"] == [edit]

    # htmx follows a 204 with HX-Redirect instead of swapping the login page in.
    response = client.post(
        edit,
        data=data,
        headers={"HX-Request": "true", "HX-Current-URL": f"http://coplat.test{edit}"},
    )
    assert response.status_code == 204
    assert urlsplit(response.headers["HX-Redirect"]).path == "/account/login"
    with app.app_context():
        assert revisions_of("draft") == 2


@pytest.mark.parametrize("role", ["facilitator", "stl_member", "admin"])
def test_a_refused_htmx_request_gets_the_403_page(
    app, htmx, commitment_ids, user_with_role, login, role
):
    """Whoever may not review is refused the same way when htmx asks."""
    login(htmx, user_with_role(role, commitment_ids["exercise"]))
    english(htmx)
    response = htmx.post(fill(IN_REVIEW + "/review", commitment_ids), data={"verdict": "approve"})
    if role == "stl_member":
        assert response.status_code == 204
        assert response.headers["HX-Redirect"].endswith(f"/{commitment_ids['review']}#review")
    else:
        assert response.status_code == 403
    with app.app_context():
        assert count(SectorDecision) == (1 if role == "stl_member" else 0)


def test_an_stl_member_without_a_sector_is_allowed_but_cannot_decide(
    app, client, commitment_ids, make_user, login
):
    """The permission lets every STL member in; the service wants a sector and a seat."""
    user_id = make_user(email="sin.sector@example.mx", name="Sin Sector")
    with app.app_context():
        assign_role(
            db.session.get(Exercise, commitment_ids["exercise"]),
            db.session.get(User, user_id),
            Role.STL_MEMBER,
        )
        db.session.commit()
    login(client, user_id)
    english(client)
    page = fill(IN_REVIEW, commitment_ids)
    notice = "Your STL assignment has no sector or seat, so you cannot decide for a sector."
    shown = client.get(page).get_data(as_text=True)
    assert notice in shown
    assert "Record my decision" not in shown

    response = client.post(page + "/review", data={"verdict": "approve"})
    assert response.status_code == 422
    assert notice in response.get_data(as_text=True)
    with app.app_context():
        assert count(SectorDecision) == 0
        assert count(Commitment, status=CommitmentStatus.IN_REVIEW) == 1


@pytest.mark.parametrize("role", ["facilitator", "stl_member"])
def test_staff_of_another_exercise_cannot_touch_these_commitments(
    app, client, commitment_ids, make_exercise, user_with_role, login, role
):
    other = make_exercise(slug="sierra")
    login(client, user_with_role(role, other))
    draft, review = fill(DRAFT, commitment_ids), fill(IN_REVIEW, commitment_ids)
    assert client.post(draft + "/edit", data=fill(EDIT, commitment_ids)).status_code == 403
    assert client.post(draft + "/submit").status_code == 403
    assert client.post(review + "/review", data={"verdict": "approve"}).status_code == 403
    assert client.post(draft + "/revisions/1/comments", data={"body": "Hola"}).status_code == 403
    proposal = {"proposal": commitment_ids["proposal"], "decision": "adopted"}
    assert client.post(review + "/proposals", data=proposal).status_code == 403
    # Reading stays public.
    assert client.get(draft).status_code == 200
    with app.app_context():
        assert count(CommitmentRevision) == 3
        assert count(Review) == 1
        assert count(SectorDecision) == count(RevisionComment) == count(FeedbackEntry) == 0


def test_a_commitment_is_reached_only_through_its_own_exercise(
    app, client, commitment_ids, make_exercise, user_with_role, login
):
    """The facilitator of "sierra" asks for valle's commitment under sierra's address."""
    other = make_exercise(slug="sierra")
    login(client, user_with_role("facilitator", other))
    draft = commitment_ids["draft"]
    assert client.get(f"/e/sierra/commitments/{draft}").status_code == 404
    assert client.post(f"/e/sierra/commitments/{draft}/submit").status_code == 404
    response = client.post(f"/e/sierra/commitments/{draft}/edit", data=fill(EDIT, commitment_ids))
    assert response.status_code == 404
    with app.app_context():
        assert count(CommitmentRevision) == 3 and count(Review) == 1
