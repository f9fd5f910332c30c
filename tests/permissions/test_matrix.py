"""Who may do what: every role × every action, written out as a truth table, checked
against the policies (`can`) and against the HTTP endpoints that enforce them."""

from datetime import date, timedelta
from enum import StrEnum

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from coplat.accounts.models import User
from coplat.accounts.permissions import AccountAction
from coplat.commitments.permissions import CommitmentAction
from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import (
    Consultation,
    OfflineInput,
    OfflineTally,
    Topic,
    TopicCategory,
    Vote,
)
from coplat.consultation.permissions import ConsultationAction
from coplat.core.models import utcnow
from coplat.core.permissions import Policy, anyone, can, is_admin
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, AgendaItem, Declaration, Exercise, Step, StlCharter
from coplat.exercises.permissions import ExerciseAction
from coplat.extensions import db
from coplat.feedback.permissions import FeedbackAction
from coplat.plan.permissions import PlanAction
from coplat.tables.permissions import TableAction
from coplat.tracking.permissions import TrackingAction
from tests.conftest import ALL_ROLES, english

# check_answer and fill as themselves: test_decisions.py imports them from here.
from tests.permissions.conftest import check_answer as check_answer
from tests.permissions.conftest import check_endpoint, for_every_role
from tests.permissions.conftest import fill as fill

A, E, C, T, K, F, P, TR = (
    AccountAction,
    ExerciseAction,
    ConsultationAction,
    TableAction,
    CommitmentAction,
    FeedbackAction,
    PlanAction,
    TrackingAction,
)
STAFF = {E.RECORD_STEP_EVIDENCE, E.READ_PRIVATE, T.READ_HISTORY, K.COMMENT}
ANY_ACCOUNT = {
    A.MANAGE_OWN_ACCOUNT,
    E.VIEW,
    C.VIEW,
    C.TAKE_PART,
    T.VIEW,
    T.PROPOSE,
    K.VIEW,
    F.VIEW,
    P.VIEW,
    TR.VIEW,
    TR.COMMENT,
}
# The facilitator runs the consultation and the working tables; the STL prioritises
# the topics; both read the tree's history and comment on the revisions of commitments.
RUN_CONSULTATION = {C.CONFIGURE, C.RECORD_OFFLINE}
RUN_TABLES = {T.MANAGE, T.RUN_SESSION, T.EDIT_TREE, T.ENTER_PROPOSAL}
# Whatever writes the public feedback log is a decision, and only the facilitator and
# the STL record decisions (OGP Local §3.3.2): the facilitator moderates the topics
# (rejects, merges), the STL prioritises them, both decide on proposals (a commitment
# taking one decides it too) and correct a decision. The administrator decides nothing.
DECISIONS = {T.DECIDE_PROPOSAL, K.TAKE_PROPOSAL, F.CORRECT}
# Implementation (INAI steps 5–6): whoever organised the launch event records it and
# keeps the public contact details; both file evidence of the process and take it down.
# An implementer updates milestones and files evidence for their own commitment only,
# so the exercise as a whole grants them nothing (tests/tracking/test_http_matrix.py).
RUN_IMPLEMENTATION = {TR.LAUNCH, TR.SET_CONTACT, TR.ADD_EVIDENCE, TR.REMOVE_EVIDENCE}

# The truth table (DESIGN §2): role -> every action it is allowed, nothing else. No role
# endorses the plan as such: a representative of a non-governmental actor does, whatever
# their role (tests/plan/test_permissions.py).
ALLOWED = {
    "anonymous": {A.REGISTER, E.VIEW, C.VIEW, T.VIEW, K.VIEW, F.VIEW, P.VIEW, TR.VIEW},
    "citizen": ANY_ACCOUNT,
    # The facilitator drafts the commitments; only an STL member approves them, for a
    # sector (an administrator holds none).
    "facilitator": ANY_ACCOUNT
    | STAFF
    | DECISIONS
    | RUN_CONSULTATION
    | RUN_TABLES
    | RUN_IMPLEMENTATION
    | {C.MODERATE, K.DRAFT, P.EDIT, P.RECORD_ENDORSEMENT, TR.MODERATE},
    "stl_member": ANY_ACCOUNT | STAFF | DECISIONS | {E.CLOSE_STEP, C.PRIORITISE, K.REVIEW},
    # The point of contact edits the strategic vision and alone submits the plan; then
    # answers to OGP for its implementation: updates any milestone and reports every
    # quarter (OGP Local §3.5).
    "point_of_contact": ANY_ACCOUNT
    | RUN_IMPLEMENTATION
    | {P.EDIT, P.SUBMIT, TR.UPDATE_MILESTONE, TR.REPORT_PROGRESS},
    "implementer": ANY_ACCOUNT,
    # OGP Local §3.5: the monitoring body alone writes the assessments.
    "monitoring": ANY_ACCOUNT | {TR.ASSESS},
    "admin": ANY_ACCOUNT
    | STAFF
    | RUN_CONSULTATION
    | RUN_TABLES
    | {A.LIST_USERS, E.CREATE, E.EDIT, E.MANAGE_ROLES, E.CLOSE_STEP, K.DRAFT, P.EDIT}
    | {TR.SET_CONTACT, TR.REMOVE_EVIDENCE},
}
AREAS = [
    AccountAction,
    ExerciseAction,
    ConsultationAction,
    TableAction,
    CommitmentAction,
    FeedbackAction,
    PlanAction,
    TrackingAction,
]
ALL_ACTIONS = [action for area in AREAS for action in area]


def test_the_table_covers_every_role_and_only_known_actions():
    assert set(ALLOWED) == set(ALL_ROLES)
    for actions in ALLOWED.values():
        assert actions <= set(ALL_ACTIONS)


def load_user(user_id):
    return AnonymousUserMixin() if user_id is None else db.session.get(User, user_id)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", ALL_ACTIONS, ids=str)
def test_policy_matrix(app, make_exercise, user_with_role, role, action):
    exercise_id = make_exercise()
    user_id = user_with_role(role, exercise_id)
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        allowed = can(action, exercise, user=load_user(user_id))
    assert allowed == (action in ALLOWED[role])


@pytest.mark.parametrize("role", ["facilitator", "stl_member"])
def test_rules_reach_the_exercise_through_its_records(app, make_exercise, user_with_role, role):
    """A subject inside the exercise (an actor) is judged by the exercise's roles."""
    exercise_id = make_exercise()
    user_id = user_with_role(role, exercise_id)
    with app.app_context():
        actor = Actor(exercise_id=exercise_id, name="Colectivo", sector=Sector.CIVIL_SOCIETY)
        db.session.add(actor)
        db.session.flush()
        db.session.refresh(actor)
        assert can(E.READ_PRIVATE, actor, user=load_user(user_id))
        assert can(E.CLOSE_STEP, actor, user=load_user(user_id)) == (role == "stl_member")


@pytest.mark.parametrize("role", ["facilitator", "stl_member"])
def test_rules_reach_the_exercise_through_a_consultations_topics(
    app, make_exercise, user_with_role, role
):
    """A topic is judged by the roles in the exercise of its consultation."""
    exercise_id = make_exercise()
    user_id = user_with_role(role, exercise_id)
    with app.app_context():
        consultation = Consultation(
            exercise_id=exercise_id, question={"es": "¿Qué?"}, opens_at=utcnow(), closes_at=utcnow()
        )
        topic = Topic(consultation=consultation, title={"es": "Baches"})
        db.session.add(topic)
        db.session.flush()
        db.session.refresh(topic)
        user = load_user(user_id)
        assert can(C.MODERATE, topic, user=user) == (role == "facilitator")
        assert can(C.PRIORITISE, topic, user=user) == (role == "stl_member")


@pytest.mark.parametrize("role", ["facilitator", "stl_member", "point_of_contact"])
def test_a_role_in_another_exercise_grants_nothing_here(app, make_exercise, user_with_role, role):
    mine = make_exercise(slug="otro")
    here = make_exercise(slug="valle")
    user_id = user_with_role(role, mine)
    with app.app_context():
        user = load_user(user_id)
        exercise = db.session.get(Exercise, here)
        allowed_here = {action for action in ALL_ACTIONS if can(action, exercise, user=user)}
        allowed_there = {
            action
            for action in ALL_ACTIONS
            if can(action, db.session.get(Exercise, mine), user=user)
        }
    assert allowed_here == ALLOWED["citizen"]
    assert allowed_there == ALLOWED[role]


def test_a_policy_refuses_an_action_without_a_rule():
    class Chore(StrEnum):
        SWEEP = "sweep"
        MOP = "mop"

    with pytest.raises(ValueError, match="MOP"):
        Policy(Chore, {Chore.SWEEP: anyone})
    # With every rule present it builds, and answers from its table.
    policy = Policy(Chore, {Chore.SWEEP: anyone, Chore.MOP: is_admin})
    assert policy.allows(AnonymousUserMixin(), Chore.SWEEP)
    assert not policy.allows(AnonymousUserMixin(), Chore.MOP)


@pytest.mark.parametrize("actions", AREAS, ids=lambda a: a.__name__)
def test_every_action_of_the_areas_has_a_rule(actions):
    from coplat.core.permissions import _POLICIES

    assert set(_POLICIES[actions].rules) == set(actions)


# ----- the same table, over HTTP ---------------------------------------------


def count(model, **where):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(model)
        .where(*[getattr(model, k) == v for k, v in where.items()])
    )


def closed_steps():
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Step).where(Step.closed_at.is_not(None))
    )


AGENDA = {"agenda-title-es": "Sesión de instalación", "agenda-starts_on": "2026-07-01"}
ACTOR = {"actors-name": "Colectivo Ciudadano", "actors-sector": "civil_society"}
EXERCISE = {
    "name-es": "Ejercicio Sierra",
    "name-en": "Sierra exercise",
    "slug": "sierra",
    "kind": "municipal",
    "administration_ends": "2027-09-04",
    "jurisdictions-0-name": "Sierra Alta",
    "content_languages": ["es", "en"],
}
EDIT = {**EXERCISE, "slug": "valle", "name-es": "Ejercicio renombrado"}


def renamed():
    return db.session.scalar(sa.select(Exercise.name))["es"] == "Ejercicio renombrado"


# (label, method, path, form data, action, status when allowed, effect seen when allowed)
ENDPOINTS = [
    ("show", "GET", "/e/valle", None, E.VIEW, 200, None),
    ("step page", "GET", "/e/valle/steps/3", None, E.VIEW, 200, None),
    ("new exercise form", "GET", "/exercises/new", None, E.CREATE, 200, None),
    (
        "create exercise",
        "POST",
        "/exercises/new",
        EXERCISE,
        E.CREATE,
        303,
        lambda: count(Exercise) == 2,
    ),
    ("edit form", "GET", "/e/valle/edit", None, E.EDIT, 200, None),
    ("save exercise", "POST", "/e/valle/edit", EDIT, E.EDIT, 303, renamed),
    ("roles page", "GET", "/e/valle/roles", None, E.MANAGE_ROLES, 200, None),
    ("assign role (invalid)", "POST", "/e/valle/roles", {}, E.MANAGE_ROLES, 422, None),
    (
        "save declaration",
        "POST",
        "/e/valle/declaration",
        {"declaration-signed_on": "2026-03-10"},
        E.RECORD_STEP_EVIDENCE,
        303,
        lambda: count(Declaration) == 1,
    ),
    (
        "add signatory (invalid)",
        "POST",
        "/e/valle/declaration/signatories",
        {},
        E.RECORD_STEP_EVIDENCE,
        422,
        None,
    ),
    ("add event (invalid)", "POST", "/e/valle/events", {}, E.RECORD_STEP_EVIDENCE, 422, None),
    (
        "add actor",
        "POST",
        "/e/valle/actors",
        ACTOR,
        E.RECORD_STEP_EVIDENCE,
        303,
        lambda: count(Actor) == 1,
    ),
    (
        "save charter",
        "POST",
        "/e/valle/stl/charter",
        {"charter-rules-es": "Sesiones mensuales."},
        E.RECORD_STEP_EVIDENCE,
        303,
        lambda: count(StlCharter) == 1,
    ),
    (
        "add agenda item",
        "POST",
        "/e/valle/stl/agenda",
        AGENDA,
        E.RECORD_STEP_EVIDENCE,
        303,
        lambda: count(AgendaItem) == 1,
    ),
    # Allowed, but the requirements of step 1 are not met: refused with 409, not 403.
    ("close step 1", "POST", "/e/valle/steps/1/close", {}, E.CLOSE_STEP, 409, None),
    ("own account", "GET", "/account/", None, A.MANAGE_OWN_ACCOUNT, 200, None),
]


@for_every_role(ENDPOINTS)
def test_http_matrix(app, client, make_exercise, user_with_role, login, role, endpoint):
    exercise_id = make_exercise()
    login(client, user_with_role(role, exercise_id))
    english(client)
    check_endpoint(client, role, ALLOWED[role], endpoint, reading=app.app_context)
    with app.app_context():
        # Nothing closes a step here: its requirements are not met.
        assert closed_steps() == 0


# ----- the consultation, over HTTP ----------------------------------------------

CONSULTATION = "/e/valle/consultation"
SETTINGS = {
    "question-es": "¿Qué problemas debemos resolver?",
    "question-en": "Which problems should we solve?",
    "opens_at": "2026-01-12T09:00",
    "closes_at": "2030-01-12T09:00",
    "accepts_topics": "y",
}
OFFLINE = {
    "offline-channel": "assembly",
    "offline-place": "Plaza de San Juan",
    "offline-held_on": "2026-03-09",
}


@pytest.fixture
def consultation_ids(app, make_exercise, make_user):
    """An open consultation in "valle": two published topics, one awaiting
    moderation (someone else's), an unused category and an offline record."""
    exercise_id = make_exercise()
    author_id = make_user(email="autora@example.mx", name="Autora")
    now = utcnow()
    with app.app_context():
        consultation = Consultation(
            exercise_id=exercise_id,
            question={"es": "¿Qué temas importan?"},
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
        )
        published, other = (
            Topic(consultation=consultation, title={"es": t}, state=TopicState.PUBLISHED)
            for t in ("Fugas de agua", "Baches")
        )
        pending = Topic(consultation=consultation, title={"es": "Parques"}, author_id=author_id)
        category = TopicCategory(consultation=consultation, name={"es": "Agua"})
        record = OfflineInput(
            consultation=consultation,
            channel=Channel.SUGGESTION_BOX,
            place="Presidencia",
            held_on=date(2026, 3, 1),
        )
        db.session.add_all([published, other, pending, category, record])
        db.session.commit()
        return {
            "exercise": exercise_id,
            "published": published.id,
            "other": other.id,
            "pending": pending.id,
            "category": category.id,
            "record": record.id,
        }


def question_saved():
    return db.session.scalar(sa.select(Consultation.question))["es"] == SETTINGS["question-es"]


T = f"{CONSULTATION}/topics"
# (label, method, path, form data, action, status when allowed, effect seen when allowed);
# {published}, {other}, {pending}, {category} and {record} are the fixture's ids.
CONSULTATION_ENDPOINTS = [
    ("consultation", "GET", CONSULTATION, None, C.VIEW, 200, None),
    ("topic page", "GET", T + "/{published}", None, C.VIEW, 200, None),
    ("results", "GET", f"{CONSULTATION}/results", None, C.VIEW, 200, None),
    ("open data", "GET", f"{CONSULTATION}/topics.csv", None, C.VIEW, 200, None),
    (
        "propose a topic",
        "POST",
        T,
        {"topic-title": "Más parques"},
        C.TAKE_PART,
        303,
        lambda: count(Topic, state=TopicState.PENDING) == 2,
    ),
    ("vote", "POST", T + "/{published}/vote", {}, C.TAKE_PART, 303, lambda: count(Vote) == 1),
    ("profile", "GET", f"{CONSULTATION}/profile", None, C.TAKE_PART, 200, None),
    ("settings page", "GET", f"{CONSULTATION}/settings", None, C.CONFIGURE, 200, None),
    (
        "save settings",
        "POST",
        f"{CONSULTATION}/settings",
        SETTINGS,
        C.CONFIGURE,
        303,
        question_saved,
    ),
    (
        "add category",
        "POST",
        f"{CONSULTATION}/categories",
        {"category-name-es": "Salud"},
        C.CONFIGURE,
        303,
        lambda: count(TopicCategory) == 2,
    ),
    (
        "remove category",
        "POST",
        f"{CONSULTATION}/categories/{{category}}/delete",
        {},
        C.CONFIGURE,
        303,
        lambda: count(TopicCategory) == 0,
    ),
    ("moderation page", "GET", f"{CONSULTATION}/moderation", None, C.MODERATE, 200, None),
    (
        "publish",
        "POST",
        T + "/{pending}/publish",
        {},
        C.MODERATE,
        303,
        lambda: count(Topic, state=TopicState.PENDING) == 0,
    ),
    (
        "reject",
        "POST",
        T + "/{other}/reject",
        {"reject-{other}-reason-es": "Es competencia estatal."},
        C.MODERATE,
        303,
        lambda: count(Topic, state=TopicState.REJECTED) == 1,
    ),
    (
        "merge",
        "POST",
        T + "/{other}/merge",
        {"merge-{other}-target": "{published}"},
        C.MODERATE,
        303,
        lambda: count(Topic, state=TopicState.MERGED) == 1,
    ),
    ("edit topic", "GET", T + "/{published}/edit", None, C.MODERATE, 200, None),
    ("offline page", "GET", f"{CONSULTATION}/offline", None, C.RECORD_OFFLINE, 200, None),
    (
        "record offline input",
        "POST",
        f"{CONSULTATION}/offline",
        OFFLINE,
        C.RECORD_OFFLINE,
        303,
        lambda: count(OfflineInput) == 2,
    ),
    (
        "offline record",
        "GET",
        f"{CONSULTATION}/offline/{{record}}",
        None,
        C.RECORD_OFFLINE,
        200,
        None,
    ),
    (
        "offline tally",
        "POST",
        f"{CONSULTATION}/offline/{{record}}/tallies",
        {"tally-topic": "{published}", "tally-votes": "5"},
        C.RECORD_OFFLINE,
        303,
        lambda: count(OfflineTally) == 1,
    ),
    ("prioritise page", "GET", f"{CONSULTATION}/prioritise", None, C.PRIORITISE, 200, None),
    # Allowed, but the consultation is still open: refused with 409, not 403.
    (
        "prioritise while open",
        "POST",
        f"{CONSULTATION}/prioritise",
        {"topics": "{published}", "reason-es": "Menos votos."},
        C.PRIORITISE,
        409,
        None,
    ),
]


@for_every_role(CONSULTATION_ENDPOINTS)
def test_consultation_http_matrix(
    app, client, consultation_ids, user_with_role, login, role, endpoint
):
    login(client, user_with_role(role, consultation_ids["exercise"]))
    english(client)
    check_endpoint(client, role, ALLOWED[role], endpoint, consultation_ids, reading=app.app_context)
    with app.app_context():
        # Nothing prioritises an open consultation.
        assert db.session.scalar(sa.select(Consultation.prioritised_at)) is None


def test_the_author_of_a_pending_topic_and_its_moderators_see_it(
    app, client, consultation_ids, user_with_role, login
):
    """Everyone else is told it does not exist, whatever their role."""
    url = f"{T}/{consultation_ids['pending']}"
    for role in ALL_ROLES:
        reader = login(app.test_client(), user_with_role(role, consultation_ids["exercise"]))
        expected = 200 if role == "facilitator" else 404
        assert reader.get(url).status_code == expected, role
    author = db_user_id(app, "autora@example.mx")
    assert login(app.test_client(), author).get(url).status_code == 200


def db_user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


@pytest.mark.parametrize("role", ["facilitator", "stl_member"])
def test_consultation_staff_of_another_exercise_is_refused_here(
    app, client, consultation_ids, make_exercise, user_with_role, login, role
):
    other = make_exercise(slug="otro")
    login(client, user_with_role(role, other))
    assert client.get(f"{CONSULTATION}/moderation").status_code == 403
    assert client.post(f"{T}/{consultation_ids['pending']}/publish").status_code == 403
    assert client.post(f"{CONSULTATION}/offline", data=OFFLINE).status_code == 403
    assert client.post(f"{CONSULTATION}/prioritise", data={"topics": "1"}).status_code == 403
    with app.app_context():
        assert count(Topic, state=TopicState.PENDING) == 1
        assert count(OfflineInput) == 1


@pytest.mark.parametrize("role", ["facilitator", "stl_member"])
def test_staff_of_another_exercise_is_refused_here(
    app, client, make_exercise, user_with_role, login, role
):
    make_exercise(slug="valle")
    other = make_exercise(slug="otro")
    login(client, user_with_role(role, other))
    assert client.post("/e/valle/stl/agenda", data=AGENDA).status_code == 403
    assert client.post("/e/valle/steps/1/close").status_code == 403
    assert client.post("/e/otro/stl/agenda", data=AGENDA).status_code == 303
    with app.app_context():
        assert count(AgendaItem, exercise_id=other) == 1
        assert count(AgendaItem) == 1


def test_the_refusal_page_is_in_the_readers_language(
    app, client, make_exercise, user_with_role, login
):
    """A Spanish reader gets the 403 page through the Spanish catalogue."""
    exercise_id = make_exercise()
    login(client, user_with_role("citizen", exercise_id))
    response = client.get("/e/valle/edit")
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert '<html lang="es">' in text
    with app.test_request_context(), force_locale("es"):
        title = _("Not allowed")
        message = _("Your account does not have permission to do this.")
    assert title in text
    assert message in text


def test_an_administrator_needs_no_role_to_close(app, client, make_exercise, user_with_role, login):
    """The administrator may act for the STL: the close is refused only by the rules."""
    exercise_id = make_exercise()
    login(client, user_with_role("admin", exercise_id))
    english(client)
    text = client.post("/e/valle/steps/1/close").get_data(as_text=True)
    assert "This step cannot close yet: some requirements are missing." in text
    with app.app_context():
        assert db.session.get(Exercise, exercise_id).step(1).closed_at is None
