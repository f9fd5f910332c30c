"""Tracking's endpoints against the truth table of tests/permissions/test_matrix.py:
every role × every route of the `tracking` blueprint. Refused roles change nothing
(anonymous visitors are sent to log in, accounts get the 403 page); allowed roles see
the effect. The matrix's implementer answers for another commitment than the one whose
milestone is updated, so the table's exercise-wide answer (refused) holds for them;
the implementer of that commitment has a test of their own."""

from datetime import date

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role, User
from coplat.commitments.enums import MilestoneStatus
from coplat.extensions import db
from coplat.plan.models import ActionPlan
from coplat.tracking import services
from coplat.tracking.enums import AssessmentKind, CommentStatus
from coplat.tracking.models import Assessment, MilestoneUpdate, ProgressComment, ProgressReport
from coplat.tracking.permissions import TrackingAction as TR
from coplat.tracking.rules import Quarter
from tests.conftest import ALL_ROLES, english
from tests.permissions.conftest import check_endpoint, fill, for_every_role
from tests.permissions.test_matrix import ALLOWED
from tests.tracking.conftest import at

E = "/e/valle"
# In the second quarter of implementation: the first quarter's report is posted, the
# second's is open, and the initial assessment (due 1 February 2027) is late.
TODAY = date(2027, 5, 10)


@pytest.fixture
def tracking_ids(launched_plan):
    """ "valle" launched with two commitments: the first's report for Q1 2027 with one
    comment awaiting moderation, and the second's implementation assessment published."""
    desk = launched_plan(commitments=2)
    first, second = desk.commitments
    report = desk.report(date(2027, 4, 2), Quarter(2027, 1))
    with at(date(2027, 4, 3)):
        comment = services.comment_on(report, desk.citizen, "¿Y mi colonia?")
    # After the second commitment's end (31 December 2027).
    with at(date(2028, 1, 5)):
        published = services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.COMMITMENT,
            commitment=second,
            values={"summary": {"es": "Avanza poco."}, "completion": "limited"},
            publish=True,
        )
    db.session.commit()
    return {
        "exercise": desk.exercise.id,
        "commitment": first.id,
        "other": second.id,
        "milestone": desk.milestone(1).id,
        "report": report.id,
        "comment": comment.id,
        "published": published.id,
        "desk": desk,
    }


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def state() -> dict:
    # End the transaction, so the reading sees what the last request committed.
    db.session.commit()
    plan = db.session.scalar(sa.select(ActionPlan))
    return {
        "status": plan.status,
        "launched_on": plan.launched_on,
        "contact": plan.contact_institution,
        "updates": count(MilestoneUpdate),
        "reports": count(ProgressReport),
        "comments": count(ProgressComment),
        "published comments": count(
            ProgressComment, ProgressComment.status == CommentStatus.PUBLISHED
        ),
        "assessments": count(Assessment),
    }


CONTACT = {
    "institution": "Ayuntamiento de Valle Verde",
    "name": "Pablo Ortiz",
    "email": "abierto@valle.gob.mx",
}
MILESTONE = {
    "milestone-{milestone}-status": "in_progress",
    "milestone-{milestone}-progress-es": "Se levantó la mitad del mapa.",
}
REPORT = {"quarter": "2027-2", "progress-es": "Se publicó el mapa."}
NEW_REPORT = E + "/tracking/commitments/{commitment}/reports/new"

# (label, method, path, form data, action, status when allowed, effect seen when allowed)
TRACKING_ENDPOINTS = [
    ("launch page", "GET", E + "/plan/launch", None, TR.VIEW, 200, None),
    # Allowed, but the plan is already launched: refused with 422, nothing changes.
    (
        "record the launch again",
        "POST",
        E + "/plan/launch",
        {"launched_on": "2027-05-01", "place": "Plaza"},
        TR.LAUNCH,
        422,
        None,
    ),
    ("contact page", "GET", E + "/site/contact", None, TR.VIEW, 200, None),
    (
        "save the contact details",
        "POST",
        E + "/site/contact",
        CONTACT,
        TR.SET_CONTACT,
        303,
        lambda: state()["contact"] == "Ayuntamiento de Valle Verde",
    ),
    (
        "commitment progress",
        "GET",
        E + "/tracking/commitments/{commitment}",
        None,
        TR.VIEW,
        200,
        None,
    ),
    (
        "update a milestone",
        "POST",
        E + "/tracking/milestones/{milestone}",
        MILESTONE,
        TR.UPDATE_MILESTONE,
        303,
        lambda: state()["updates"] == 1,
    ),
    ("new report form", "GET", NEW_REPORT, None, TR.REPORT_PROGRESS, 200, None),
    (
        "post a report",
        "POST",
        NEW_REPORT,
        REPORT,
        TR.REPORT_PROGRESS,
        303,
        lambda: state()["reports"] == 2,
    ),
    ("report page", "GET", E + "/tracking/reports/{report}", None, TR.VIEW, 200, None),
    (
        "comment on a report",
        "POST",
        E + "/tracking/reports/{report}/comments",
        {"body": "¿Cuándo llega a mi colonia?"},
        TR.COMMENT,
        303,
        lambda: state()["comments"] == 2,
    ),
    ("moderation queue", "GET", E + "/tracking/comments", None, TR.MODERATE, 200, None),
    (
        "publish a comment",
        "POST",
        E + "/tracking/comments/{comment}",
        {"decision": "publish"},
        TR.MODERATE,
        303,
        lambda: state()["published comments"] == 1,
    ),
    ("assessments", "GET", E + "/assessments", None, TR.VIEW, 200, None),
    ("initial assessment form", "GET", E + "/assessments/initial", None, TR.ASSESS, 200, None),
    (
        "save a draft assessment",
        "POST",
        E + "/assessments/initial",
        {"summary-es": "Borrador.", "publish": "0"},
        TR.ASSESS,
        303,
        lambda: state()["assessments"] == 2,
    ),
    (
        "commitment assessment form",
        "GET",
        E + "/assessments/commitment/{commitment}",
        None,
        TR.ASSESS,
        200,
        None,
    ),
    ("published assessment", "GET", E + "/assessments/{published}", None, TR.VIEW, 200, None),
]


def log_in_as(client, login, user_with_role, role: str, ids: dict):
    """An account with `role` in the exercise; the implementer answers for the second
    commitment."""
    user_id = user_with_role(role, ids["exercise"])
    # The account was stored in another app context: end this one's transaction.
    db.session.commit()
    if role == "implementer":
        user = db.session.get(User, user_id)
        user.assignment(ids["exercise"], Role.IMPLEMENTER).commitment_id = ids["other"]
        db.session.commit()
    login(client, user_id)
    return english(client)


@for_every_role(TRACKING_ENDPOINTS)
def test_tracking_http_matrix(client, tracking_ids, user_with_role, login, role, endpoint):
    log_in_as(client, login, user_with_role, role, tracking_ids)
    check_endpoint(
        client,
        role,
        ALLOWED[role],
        endpoint,
        tracking_ids,
        state=state,
        requesting=lambda: at(TODAY),
    )


def test_the_matrix_exercises_every_tracking_route(app):
    """A new route of the blueprint must join TRACKING_ENDPOINTS (each of the two
    addresses of the assessment form counts)."""
    routes = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("tracking.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    adapter = app.url_map.bind("coplat.test")
    ids = {"commitment": 1, "milestone": 2, "report": 3, "comment": 4, "published": 5}
    called = {
        (adapter.match(fill(path, ids), method=method, return_rule=True)[0].rule, method)
        for _label, method, path, *_rest in TRACKING_ENDPOINTS
    }
    assert routes - called == {
        ("/e/<slug>/assessments/<kind>/<int:commitment_id>", "POST"),
    }


def test_the_implementer_of_the_commitment_updates_its_milestones(client, tracking_ids, login):
    desk = tracking_ids["desk"]
    db.session.commit()
    login(client, desk.implementer.id)
    english(client)
    data = fill(MILESTONE, tracking_ids)
    with at(TODAY):
        response = client.post(
            fill(E + "/tracking/milestones/{milestone}", tracking_ids), data=data
        )
    assert response.status_code == 303
    assert state()["updates"] == 1
    assert desk.milestone(1).status == MilestoneStatus.IN_PROGRESS


def test_the_implementer_of_another_commitment_may_not_post_its_report(client, tracking_ids, login):
    """Reporting is the point of contact's, even for the implementer's own commitment."""
    desk = tracking_ids["desk"]
    db.session.commit()
    login(client, desk.implementer.id)
    with at(TODAY):
        response = client.post(fill(NEW_REPORT, tracking_ids), data=REPORT)
    assert response.status_code == 403
    assert state()["reports"] == 1


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_draft_assessment_exists_only_for_the_monitoring_body(
    client, tracking_ids, user_with_role, login, role
):
    desk = tracking_ids["desk"]
    with at(TODAY):
        draft = services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.INITIAL,
            values={"summary": {"es": "Borrador."}},
        )
    db.session.commit()
    log_in_as(client, login, user_with_role, role, tracking_ids)
    with at(TODAY):
        response = client.get(f"{E}/assessments/{draft.id}")
    assert response.status_code == (200 if role == "monitoring" else 404)


def test_a_milestone_of_another_exercise_is_not_found_here(
    client, tracking_ids, launched_plan, login
):
    other = launched_plan(slug="otro")
    desk = tracking_ids["desk"]
    db.session.commit()
    login(client, desk.point_of_contact.id)
    milestone = other.milestone(1)
    with at(TODAY):
        response = client.post(
            f"{E}/tracking/milestones/{milestone.id}",
            data={f"milestone-{milestone.id}-status": "stuck"},
        )
    assert response.status_code == 404
    assert state()["updates"] == 0
