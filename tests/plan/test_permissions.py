"""The plan's endpoints against the truth table of tests/permissions/test_matrix.py:
every role × every endpoint. Refused roles change nothing; allowed roles see the effect.
Endorsing belongs to whoever represents a non-governmental actor, whatever their role."""

import io

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.plan import services
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan, Endorsement, PlanAttachment, PlanCommitment
from coplat.plan.permissions import PlanAction as P
from tests.conftest import english
from tests.permissions.conftest import check_endpoint, fill, for_every_role
from tests.permissions.test_matrix import ALLOWED
from tests.plan.conftest import ADMINISTRATION_ENDS, PLAN_ENDS, PLAN_STARTS

PLAN = "/e/valle/plan"
STRATEGY = {"es": "Estrategia local", "en": "Local strategy"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan_ids(build_plan):
    """ "valle": a draft plan holding one approved commitment, a second approved one not
    in the plan, the vision saved; no endorsement, so it cannot be submitted yet."""
    desk = build_plan()
    candidate = desk.approved()
    attachment = services.add_attachment(desk.plan, desk.document("estrategia.pdf"), STRATEGY)
    db.session.commit()
    return {
        "exercise": desk.exercise.id,
        "held": desk.commitments[0].id,
        "candidate": candidate.id,
        "academia": desk.actors[Sector.ACADEMIA].id,
        "attachment": attachment.id,
    }


def state() -> dict:
    # The fixture's app context is the one requests run in: end its transaction so the
    # reading sees what the last request committed.
    db.session.commit()
    plan = db.session.scalar(sa.select(ActionPlan))
    return {
        "status": plan.status,
        "foreword": plan.foreword,
        "entries": db.session.scalars(sa.select(PlanCommitment.commitment_id)).all(),
        "attachments": db.session.scalar(sa.select(sa.func.count()).select_from(PlanAttachment)),
        "endorsements": db.session.scalar(sa.select(sa.func.count()).select_from(Endorsement)),
    }


VISION = {
    "administration_ends": ADMINISTRATION_ENDS.isoformat(),
    "plan_starts_on": PLAN_STARTS.isoformat(),
    "plan_ends_on": PLAN_ENDS.isoformat(),
    "foreword-es": "Un plan escrito en el barrio.",
    "foreword-en": "A plan written in the neighbourhood.",
}


def file(name: str = "firma.pdf"):
    return (io.BytesIO(PDF), name)


# (label, method, path, form data, action, status when allowed, effect seen when allowed)
PLAN_ENDPOINTS = [
    ("plan page", "GET", PLAN, None, P.VIEW, 200, None),
    ("vision page", "GET", PLAN + "/vision", None, P.VIEW, 200, None),
    ("readiness", "GET", PLAN + "/readiness", None, P.VIEW, 200, None),
    ("export", "GET", PLAN + "/export.json", None, P.VIEW, 200, None),
    (
        "add a commitment",
        "POST",
        PLAN + "/commitments",
        {"commitment_id": "{candidate}"},
        P.EDIT,
        303,
        lambda: len(state()["entries"]) == 2,
    ),
    (
        "remove a commitment",
        "POST",
        PLAN + "/commitments/{held}/remove",
        {},
        P.EDIT,
        303,
        lambda: state()["entries"] == [],
    ),
    (
        "save the vision",
        "POST",
        PLAN + "/vision",
        VISION,
        P.EDIT,
        303,
        lambda: state()["foreword"]["en"] == "A plan written in the neighbourhood.",
    ),
    (
        "save the vision (period too late)",
        "POST",
        PLAN + "/vision",
        {**VISION, "plan_ends_on": ADMINISTRATION_ENDS.isoformat()},
        P.EDIT,
        422,
        None,
    ),
    (
        "attach a document",
        "POST",
        PLAN + "/attachments",
        {"title-es": "Estrategia local", "title-en": "Local strategy", "document": "FILE"},
        P.EDIT,
        303,
        lambda: state()["attachments"] == 2,
    ),
    (
        "remove an attachment",
        "POST",
        PLAN + "/attachments/{attachment}/delete",
        {},
        P.EDIT,
        303,
        lambda: state()["attachments"] == 0,
    ),
    (
        "record a signed endorsement",
        "POST",
        PLAN + "/endorsements",
        {"actor_id": "{academia}", "representative": "Dra. Inés Ramos", "document": "FILE"},
        P.RECORD_ENDORSEMENT,
        303,
        lambda: state()["endorsements"] == 1,
    ),
    # Allowed, but the plan lacks its endorsement: refused with 409, nothing changes.
    ("submit (not ready)", "POST", PLAN + "/submit", {}, P.SUBMIT, 409, None),
]


def with_files(data: dict | None) -> dict | None:
    if data is None:
        return None
    return {k: (file() if v == "FILE" else v) for k, v in data.items()}


@for_every_role(PLAN_ENDPOINTS)
def test_plan_http_matrix(client, plan_ids, user_with_role, login, role, endpoint):
    db.session.commit()
    login(client, user_with_role(role, plan_ids["exercise"]))
    english(client)
    check_endpoint(client, role, ALLOWED[role], endpoint, plan_ids, files=with_files, state=state)


def test_the_matrix_exercises_every_plan_endpoint(app):
    """A new route must join PLAN_ENDPOINTS; endorsing has its own tests below."""
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("plan.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    adapter = app.url_map.bind("coplat.test")
    ids = {"held": 1, "candidate": 2, "academia": 3, "attachment": 4}
    called = {
        (adapter.match(fill(path, ids).split("?")[0], method=method)[0], method)
        for _label, method, path, *_rest in PLAN_ENDPOINTS
    }
    assert routes - called == {("plan.endorse", "POST")}


@pytest.mark.parametrize(
    ("sector", "allowed"),
    [
        (Sector.CIVIL_SOCIETY, True),
        (Sector.ACADEMIA, True),
        (Sector.GOVERNMENT, False),
        (Sector.GUARANTOR, False),
    ],
)
def test_representatives_of_non_governmental_actors_endorse_from_their_account(
    client, build_plan, login, sector, allowed
):
    desk = build_plan()
    actor = desk.actors[sector]
    user = desk.person(f"rep-{sector.value}@example.mx", actor=actor, role=Role.IMPLEMENTER)
    db.session.commit()
    login(client, user.id)
    english(client)
    response = client.post(PLAN + "/endorse", data={"position": "Coordinación"})
    if allowed:
        assert response.status_code == 303
        endorsement = db.session.scalar(sa.select(Endorsement))
        assert (endorsement.actor.name, endorsement.user_id) == (actor.name, user.id)
    else:
        assert response.status_code == 403
        assert state()["endorsements"] == 0


# Requests run in the fixture's app context, whose `g` remembers who logged in: one
# account per test.
def test_the_facilitator_does_not_submit_a_ready_plan(client, ready_plan, login):
    db.session.commit()
    login(client, ready_plan.facilitator.id)
    assert client.post(PLAN + "/submit").status_code == 403
    assert state()["status"] == PlanStatus.DRAFT


def test_the_point_of_contact_submits_a_ready_plan(client, ready_plan, login):
    db.session.commit()
    login(client, ready_plan.point_of_contact.id)
    english(client)
    response = client.post(PLAN + "/submit")
    assert response.status_code == 303
    assert state()["status"] == PlanStatus.SUBMITTED
    page = client.get(PLAN).get_data(as_text=True)
    assert "Submitted to OGP" in page
