"""The demo's action plan: the four approved commitments, its strategic vision in
Spanish and English, endorsed by two non-governmental actors, and submitted to OGP by
the point of contact once the readiness check found nothing missing; then launched
(tests/test_demo_tracking.py)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coplat.accounts.models import User
from coplat.commitments.services import commitments_of
from coplat.core.models import utcnow
from coplat.demo import DEMO_PASSWORD, DEMO_SLUG, load_demo
from coplat.exercises import steps
from coplat.exercises.enums import Sector
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.plan import services
from coplat.plan.enums import NON_GOVERNMENTAL, PlanStatus
from coplat.plan.permissions import PlanAction, policy
from coplat.plan.readiness import minimum_requirements, readiness
from coplat.plan.vision import FIELDS, OPTIONAL_KEYS, TEXT_KEYS
from tests.conftest import english, log_in

POINT_OF_CONTACT = "enlace@demo.coplat.mx"


@pytest.fixture
def exercise(app):
    with app.app_context(), force_locale("en"):
        load_demo()
        yield db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))


@pytest.fixture
def plan(exercise):
    return services.plan_of(exercise)


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_the_plan_was_complete_when_it_was_submitted(exercise, plan):
    assert plan.status == PlanStatus.LAUNCHED and plan.submitted_at is not None
    approved = [c for c in commitments_of(exercise) if services.is_approved(c)]
    assert plan.commitments == approved and len(approved) == 4
    assert len(plan.commitments) <= services.limit_of(plan) == 5
    assert services.candidates(plan) == []
    check = readiness(plan, plan.submitted_at)
    assert check.ready and check.missing == [] and check.groups == []
    assert plan.created_at < min(c.approved_at for c in plan.commitments[1:]) < utcnow()


def test_the_four_minimum_requirements_held_at_the_submission(exercise, plan):
    requirements = minimum_requirements(plan, plan.submitted_at).items
    forum, regularity, stakeholders, endorsement = requirements
    assert all(r.met for r in (forum, regularity, stakeholders, endorsement))
    # Forum and multi-stakeholder: the STL has its charter and all three sectors.
    assert exercise.stl_charter is not None
    assert str(forum.evidence) == "The STL: Government, Civil society, Guarantor body"
    # Regularity: every held session of the tables had non-governmental actors; the
    # health table's second round and the follow-up meeting came after.
    assert str(regularity.evidence) == "8 sessions attended by non-governmental actors"
    later = minimum_requirements(plan, utcnow()).items[1]
    assert str(later.evidence) == "10 sessions attended by non-governmental actors"
    assert str(endorsement.evidence) == (
        "Colectivo Ciudadano por la Transparencia, A.C., Colegio de Ingenieros Civiles del Valle, A.C."
    )


def test_every_annex_1_field_is_filled_in_spanish_and_english(exercise, plan):
    for key in TEXT_KEYS:
        value = getattr(plan, key)
        assert value["es"].strip() and value["en"].strip(), key
        assert value["es"] != value["en"], key
    # What the platform proposed when the plan was written and submitted.
    proposed = services.proposals(plan, plan.submitted_at)
    assert plan.participants == proposed["participants"].value
    assert plan.group_count == proposed["group_count"].value > 10
    assert plan.meeting_count == proposed["meeting_count"].value == 8
    assert plan.consultation_link == "http://coplat.test/e/demo/consultation"
    assert "Universidad Tecnológica del Valle" in plan.monitoring_body["es"]
    assert "vinculacion@utv.example.mx" in plan.monitoring_contact
    for field in FIELDS:
        if field.key in OPTIONAL_KEYS or field.kind in ("period", "endorsements"):
            continue
        assert getattr(plan, field.key) not in (None, "", {}), field.number
    # The plan's period (1.2), the exercise's, starts after the plan was submitted and
    # before it was launched.
    assert exercise.plan_starts_on and exercise.plan_ends_on
    submitted_on = exercise.to_local(plan.submitted_at).date()
    assert submitted_on < exercise.plan_starts_on < plan.launched_on


def test_two_current_endorsements_one_from_an_account_one_signed(exercise, plan):
    states = services.endorsements_of(plan)
    assert len(states) == 2 and not any(s.needs_renewal for s in states)
    latest = plan.latest_revision
    assert {s.endorsement.revision for s in states} == {latest}
    assert [c["id"] for c in latest.content["commitments"]] == [c.id for c in plan.commitments]
    [account] = [s.endorsement for s in states if s.endorsement.user_id]
    [signed] = [s.endorsement for s in states if s.endorsement.document_id]
    # Rosa Hernández endorses for the Colectivo, the actor of her STL seat.
    rosa = user("stl.sociedad@demo.coplat.mx")
    assert account.user == account.recorded_by == rosa and account.document is None
    assert account.actor == services.representing(rosa, exercise)
    assert account.actor.sector == Sector.CIVIL_SOCIETY and account.representative == rosa.name
    # The facilitator recorded the Colegio de Ingenieros' signed letter.
    assert signed.user is None
    assert signed.recorded_by == user("facilitadora@demo.coplat.mx")
    assert signed.actor.sector in set(NON_GOVERNMENTAL) - {Sector.CIVIL_SOCIETY}
    assert signed.representative and signed.position
    document = signed.document
    assert document.content_type == "application/pdf" and document.is_public
    assert document.path.read_bytes().startswith(b"%PDF-") and document.size > 500
    # Endorsed after the last approval, before now; the plan's first revision, the
    # point of contact's vision, held the water commitment alone.
    last_approval = max(c.approved_at for c in plan.commitments)
    assert last_approval < account.endorsed_at < signed.endorsed_at < utcnow()
    first, second = plan.revisions
    assert first.author == user(POINT_OF_CONTACT) and len(first.content["commitments"]) == 1
    assert second == latest and first.created_at < second.created_at


def test_the_point_of_contact_submitted_it(exercise, plan):
    contact = user(POINT_OF_CONTACT)
    assert plan.submitted_by == contact
    assert policy.allows(contact, PlanAction.SUBMIT, plan)
    assert not policy.allows(user("facilitadora@demo.coplat.mx"), PlanAction.SUBMIT, plan)
    # The endorsed revision is the one submitted: nothing changed in between.
    endorsed = {s.endorsement.revision for s in services.endorsements_of(plan)}
    assert endorsed == {plan.submitted_revision} and plan.submitted_revision == plan.latest_revision
    assert all(c.submitted_at == plan.submitted_at for c in plan.commitments)
    assert all(r.met for r in steps.requirements(exercise, 5))
    # The six-month window for changes started at the submission.
    assert all(c.submitted_at + timedelta(days=180) > plan.launched_at for c in plan.commitments)


def test_the_pages_show_the_plan_and_it_cannot_be_submitted_again(app, client):
    with app.app_context():
        exercise = load_demo()
        plan = services.plan_of(exercise)
        document = next(e.document for e in plan.endorsements if e.document_id)
        letter = f"/files/{document.id}/{document.original_name}"
        submitted_at = plan.submitted_at
    english(client)
    page = client.get("/e/demo/plan").get_data(as_text=True)
    assert "Date of the launch event" in page
    assert "Commitments in the plan (4 of at most 5)" in page
    assert client.get("/e/demo/plan/vision").status_code == 200
    download = client.get(letter)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    log_in(client, POINT_OF_CONTACT, DEMO_PASSWORD)
    assert client.post("/e/demo/plan/submit").status_code == 409
    with app.app_context():
        plan = services.plan_of(
            db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))
        )
        assert plan.status == PlanStatus.LAUNCHED and plan.submitted_at == submitted_at
