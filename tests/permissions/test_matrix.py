"""Who may do what: every role × every action, written out as a truth table, checked
against the policies (`can`) and against the HTTP endpoints that enforce them."""

from enum import StrEnum
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from coplat.accounts.models import User
from coplat.accounts.permissions import AccountAction
from coplat.core.permissions import Policy, anyone, can, is_admin
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, AgendaItem, Declaration, Exercise, Step, StlCharter
from coplat.exercises.permissions import ExerciseAction
from coplat.extensions import db
from tests.conftest import ALL_ROLES, english

A, E = AccountAction, ExerciseAction
STAFF = {E.RECORD_STEP_EVIDENCE, E.READ_PRIVATE}
ANY_ACCOUNT = {A.MANAGE_OWN_ACCOUNT, E.VIEW}

# The truth table (DESIGN §2): role -> every action it is allowed, nothing else.
ALLOWED = {
    "anonymous": {A.REGISTER, E.VIEW},
    "citizen": ANY_ACCOUNT,
    "facilitator": ANY_ACCOUNT | STAFF,
    "stl_member": ANY_ACCOUNT | STAFF | {E.CLOSE_STEP},
    "point_of_contact": ANY_ACCOUNT,
    "implementer": ANY_ACCOUNT,
    "monitoring": ANY_ACCOUNT,
    "admin": ANY_ACCOUNT | STAFF | {A.LIST_USERS, E.CREATE, E.EDIT, E.MANAGE_ROLES, E.CLOSE_STEP},
}
ALL_ACTIONS = [*AccountAction, *ExerciseAction]


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


@pytest.mark.parametrize("actions", [AccountAction, ExerciseAction], ids=lambda a: a.__name__)
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


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("method", "path", "data", "action", "allowed_status", "effect"),
    [pytest.param(*e[1:], id=e[0]) for e in ENDPOINTS],
)
def test_http_matrix(
    app,
    client,
    make_exercise,
    user_with_role,
    login,
    role,
    method,
    path,
    data,
    action,
    allowed_status,
    effect,
):
    exercise_id = make_exercise()
    login(client, user_with_role(role, exercise_id))
    english(client)
    response = client.open(path, method=method, data=data)
    text = response.get_data(as_text=True)
    allowed = action in ALLOWED[role]
    if allowed:
        assert response.status_code == allowed_status, text
    elif role == "anonymous":
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/account/login"
        if method == "GET":  # and back here after logging in
            assert parse_qs(location.query)["next"] == [path]
    else:
        assert response.status_code == 403
        assert "Not allowed" in text
        assert "Your account does not have permission to do this." in text
    if effect is not None:
        with app.app_context():
            assert bool(effect()) == allowed
    with app.app_context():
        # Nothing closes a step here: its requirements are not met.
        assert closed_steps() == 0


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
