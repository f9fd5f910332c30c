"""The demo's plan in the open: submitted to OGP and launched early in the quarter two
before today's, so two quarters of implementation have ended whatever day the demo is
loaded (tests/test_demo_timeline.py loads it on chosen days); milestones in every
status, quarterly reports, evidence of several Annex 5 types, one flagged commitment,
public comments in every state of moderation, follow-up meetings with civil society and
the monitoring body's initial assessment, published on time."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import escape

from coplat.accounts.models import Role, User
from coplat.commitments.enums import MilestoneStatus
from coplat.commitments.services import add_months
from coplat.core.models import utcnow
from coplat.demo import DEMO_SLUG
from coplat.demo_commitments import LIGHTS_COMMITMENT, WORKS_COMMITMENT
from coplat.exercises import steps
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.plan.enums import NON_GOVERNMENTAL, PlanStatus
from coplat.plan.services import find_plan
from coplat.tables.enums import SessionKind
from coplat.tables.models import TableSession, WorkingTable
from coplat.tables.services import upcoming_sessions
from coplat.tracking import rules
from coplat.tracking.enums import AssessmentKind, CommentStatus, EvidenceType
from coplat.tracking.models import Evidence, MilestoneUpdate, ProgressComment, ProgressReport
from coplat.tracking.permissions import TrackingAction, policy
from coplat.tracking.rules import Quarter
from tests.conftest import english

POINT_OF_CONTACT = "enlace@demo.coplat.mx"
IMPLEMENTER = "implementadora@demo.coplat.mx"
FACILITATOR = "facilitadora@demo.coplat.mx"


@pytest.fixture
def exercise(app, shared_demo):
    with app.app_context(), force_locale("en"):
        yield db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))


@pytest.fixture
def plan(exercise):
    return find_plan(exercise)


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def titled(plan, text: dict):
    [found] = [c for c in rules.plan_commitments(plan) if c.title["es"] == text["title"]["es"]]
    return found


def local_day(exercise, moment):
    return rules.local_day(exercise, moment)


def updates(plan) -> list[MilestoneUpdate]:
    ids = [c.id for c in rules.plan_commitments(plan)]
    return list(
        db.session.scalars(
            sa.select(MilestoneUpdate)
            .where(MilestoneUpdate.commitment_id.in_(ids))
            .order_by(MilestoneUpdate.created_at)
        )
    )


def reports(commitment) -> list[ProgressReport]:
    return list(
        db.session.scalars(
            sa.select(ProgressReport)
            .where(ProgressReport.commitment_id == commitment.id)
            .order_by(ProgressReport.year, ProgressReport.quarter)
        )
    )


def ended_quarters(plan) -> list[Quarter]:
    today = rules.today_of(plan.exercise)
    return [q for q in rules.implementation_quarters(plan, today) if q.ends_on < today]


def test_launched_early_in_the_quarter_two_before_todays(exercise, plan):
    today = rules.today_of(exercise)
    assert plan.status == PlanStatus.LAUNCHED
    launched = Quarter.of(plan.launched_on)
    assert launched == Quarter.of(today).previous.previous
    assert timedelta(0) < plan.launched_on - launched.starts_on <= timedelta(days=21)
    # Two whole quarters of implementation have ended; the third is under way.
    assert ended_quarters(plan) == [launched, launched.next]
    # The plan's period starts with the launch quarter and lasts a year, ending at least
    # two months before the administration does.
    assert exercise.plan_starts_on == launched.starts_on
    assert exercise.plan_ends_on == launched.next.next.next.ends_on
    assert exercise.plan_ends_on <= exercise.administration_ends - timedelta(days=60)
    # The point of contact submitted it, then recorded the public event with its place,
    # link and notes in both languages.
    contact = user(POINT_OF_CONTACT)
    assert plan.submitted_by == plan.launched_by == contact
    assert local_day(exercise, plan.submitted_at) < plan.launched_on
    assert plan.launched_on == local_day(exercise, plan.launched_at)
    assert plan.launch_place and plan.launch_link.startswith("https://")
    assert plan.launch_notes["es"] and plan.launch_notes["en"]
    # Co-creation came before: the last approval, the endorsements, the submission.
    last_approval = max(c.approved_at for c in plan.commitments)
    assert exercise.consultation.closes_at < last_approval < plan.submitted_at
    assert all(e.endorsed_at < plan.submitted_at for e in plan.endorsements)


def test_steps_one_to_five_are_closed_and_six_is_under_way(exercise, plan):
    closed = [s for s in exercise.steps if s.is_closed]
    assert [s.number for s in closed] == [1, 2, 3, 4, 5]
    assert [s.closed_at for s in closed] == sorted(s.closed_at for s in closed)
    assert exercise.step(4).closed_at < plan.submitted_at
    assert plan.launched_at < exercise.step(5).closed_at < utcnow()
    assert all(r.met for r in steps.requirements(exercise, 5))
    board, initial, final = steps.requirements(exercise, 6)
    assert board.met and initial.met and not final.met


def test_milestones_in_every_status_through_dated_updates(exercise, plan):
    commitments = rules.plan_commitments(plan)
    milestones = [m for c in commitments for m in c.milestones]
    assert {m.status for m in milestones} == set(MilestoneStatus)
    found = updates(plan)
    assert {u.status for u in found} == set(MilestoneStatus)
    roles = {POINT_OF_CONTACT: Role.POINT_OF_CONTACT, IMPLEMENTER: Role.IMPLEMENTER}
    started = Quarter.of(rules.today_of(exercise)).starts_on
    for update in found:
        assert update.progress["es"] and update.progress["en"]
        assert update.author_role == roles[update.author.email]
        # Made during the two quarters that have ended, never in the future.
        assert plan.launched_on <= local_day(exercise, update.created_at) < started
    # Each milestone keeps its latest update's status; each update the status before it.
    latest = {}
    for update in found:
        assert update.previous_status == latest.get(
            update.milestone_id, MilestoneStatus.NOT_STARTED
        )
        latest[update.milestone_id] = update.status
    assert all(m.status == latest.get(m.id, MilestoneStatus.NOT_STARTED) for m in milestones)
    # Some milestones are already due, others still ahead.
    today = rules.today_of(exercise)
    assert any(m.ends_on < today for m in milestones)
    assert any(m.ends_on > today for m in milestones)


def test_the_implementer_answers_for_the_public_works_commitment(exercise, plan):
    implementer = user(IMPLEMENTER)
    works = titled(plan, WORKS_COMMITMENT)
    assert implementer.assignment(exercise.id, Role.IMPLEMENTER).commitment == works
    mine = [u for u in updates(plan) if u.author == implementer]
    assert mine and all(u.commitment == works for u in mine)
    others = [c for c in rules.plan_commitments(plan) if c != works]
    # The views ask about the milestone's commitment.
    assert policy.allows(implementer, TrackingAction.UPDATE_MILESTONE, works)
    assert not policy.allows(implementer, TrackingAction.UPDATE_MILESTONE, others[0])


def test_quarterly_reports_for_both_ended_quarters_but_on_one_commitment(exercise, plan):
    quarters = ended_quarters(plan)
    lights = titled(plan, LIGHTS_COMMITMENT)
    for commitment in rules.plan_commitments(plan):
        found = reports(commitment)
        if commitment == lights:
            assert found == []
            continue
        assert [Quarter(r.year, r.quarter) for r in found] == quarters
        for report, quarter in zip(found, quarters, strict=True):
            assert report.author == user(POINT_OF_CONTACT)
            # Posted in the last days of the quarter it reports on.
            assert quarter.ends_on - timedelta(days=7) <= local_day(exercise, report.created_at)
            assert local_day(exercise, report.created_at) <= quarter.ends_on
            for text in (report.progress, report.delays, report.next_steps):
                assert text["es"] and text["en"]


def test_exactly_one_commitment_is_flagged(exercise, plan):
    board = rules.board(plan)
    lights = titled(plan, LIGHTS_COMMITMENT)
    [flagged] = board.flagged
    assert flagged.commitment == lights
    # It recorded nothing at all: no update, no report; its first milestone is overdue.
    assert not [u for u in updates(plan) if u.commitment == lights]
    assert flagged.latest_report is None and flagged.complete == 0
    assert flagged.status == MilestoneStatus.NOT_STARTED
    assert flagged.overdue == [lights.milestones[0]]
    for row in board.rows:
        if row is not flagged:
            assert row.latest_report is not None
            assert (
                Quarter(row.latest_report.year, row.latest_report.quarter)
                == (ended_quarters(plan)[-1])
            )
            assert row.next_milestone is not None
    assert 0 < board.complete < board.total
    # The overall timeline counts activity in both ended quarters.
    first, second = ended_quarters(plan)
    assert board.activity[first] and board.activity[second]


def test_the_exercise_is_active_and_meets_with_civil_society(exercise, plan):
    state = rules.inactivity(plan)
    assert state.window == tuple(ended_quarters(plan))
    assert not state.inactive and not state.no_progress and not state.no_update
    assert state.last_update <= utcnow()
    [year] = rules.regularity(plan)
    assert not year.behind and year.held >= 1 and year.upcoming >= 1


def test_one_follow_up_meeting_held_with_civil_society_and_one_coming_up(exercise, plan):
    sessions = list(
        db.session.scalars(
            sa.select(TableSession)
            .join(WorkingTable)
            .where(
                WorkingTable.exercise_id == exercise.id,
                TableSession.kind == SessionKind.FOLLOW_UP,
            )
            .order_by(TableSession.starts_at)
        )
    )
    held, coming = sessions
    held_on = local_day(exercise, held.starts_at)
    assert plan.launched_on < held_on < plan.launched_on + timedelta(days=182)
    assert held.has_minutes and held.minutes["es"] and held.minutes["en"]
    assert any(a.sector in NON_GOVERNMENTAL for a in held.attendances)
    # The current participation opportunity: called, not held yet.
    assert upcoming_sessions(exercise) == [coming]
    assert coming.starts_at > utcnow() and coming.created_at < utcnow()
    assert coming.invitations and not coming.attendances and not coming.has_minutes
    assert any(i.sector in NON_GOVERNMENTAL for i in coming.invitations)
    assert coming.agenda["es"] and coming.agenda["en"] and coming.place
    # No working table takes proposals any more: their calls closed during co-creation.
    tables = db.session.scalars(
        sa.select(WorkingTable).where(WorkingTable.exercise_id == exercise.id)
    )
    assert not any(t.accepts_proposals() for t in tables)


def test_evidence_of_several_types_on_the_process_commitments_and_milestones(exercise, plan):
    found = list(db.session.scalars(sa.select(Evidence).where(Evidence.exercise_id == exercise.id)))
    assert {e.kind for e in found} == {
        EvidenceType.FORUM_TERMS,
        EvidenceType.DECISION_RECORDS,
        EvidenceType.PHOTOS,
        EvidenceType.PARTICIPANT_LIST,
        EvidenceType.MINUTES,
        EvidenceType.USER_STATISTICS,
        EvidenceType.BUDGET_DECISIONS,
        EvidenceType.THIRD_PARTY_ANALYSIS,
        EvidenceType.AUDIT_REPORTS,
        EvidenceType.TECHNICAL_DOCUMENTS,
    }
    assert {e.step_number for e in found if e.step_number} == {3, 4, 5}
    assert any(e.session and e.session.kind == SessionKind.FOLLOW_UP for e in found)
    assert any(e.commitment and not e.milestone for e in found)
    on_milestones = [e for e in found if e.milestone]
    assert len({e.commitment for e in on_milestones}) == 3
    assert all(e.milestone.commitment == e.commitment for e in on_milestones)
    headers = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n"}
    for evidence in found:
        assert evidence.title["es"] and evidence.title["en"]
        assert evidence.dated_on and evidence.author_role is not None
        assert evidence.created_at < utcnow()
        if evidence.upload is None:
            assert evidence.link.startswith("https://")
            continue
        upload = evidence.upload
        assert upload.is_public and upload.created_at == evidence.created_at
        assert upload.path.read_bytes().startswith(headers[upload.content_type])
    # The implementer filed evidence on her own commitment only.
    works = titled(plan, WORKS_COMMITMENT)
    hers = [e for e in found if e.author == user(IMPLEMENTER)]
    assert hers and all(e.commitment == works for e in hers)
    assert {upload.content_type for e in found if (upload := e.upload)} == set(headers)


def test_public_comments_in_every_state_of_moderation(exercise, plan):
    comments = list(
        db.session.scalars(
            sa.select(ProgressComment)
            .join(ProgressReport)
            .where(ProgressReport.commitment_id.in_([c.id for c in plan.commitments]))
        )
    )
    by_status = {c.status: c for c in comments}
    assert len(comments) == len(by_status) == 3 and set(by_status) == set(CommentStatus)
    facilitator = user(FACILITATOR)
    published = by_status[CommentStatus.PUBLISHED]
    assert published.moderated_by_id == facilitator.id
    assert published in published.report.published_comments
    rejected = by_status[CommentStatus.REJECTED]
    assert rejected.moderated_by_id == facilitator.id and rejected.moderation_note
    assert rejected not in rejected.report.published_comments
    waiting = by_status[CommentStatus.PENDING]
    assert waiting.moderated_at is None and waiting.moderation_note == ""
    for comment in comments:
        assert comment.author and comment.author_name == comment.author.name
        assert not comment.author.roles_in(exercise.id)
        assert comment.report.created_at < comment.created_at < utcnow()
        if comment.moderated_at:
            assert comment.created_at < comment.moderated_at < utcnow()


def test_the_initial_assessment_is_published_within_its_deadline(exercise, plan):
    initial, *per_commitment, final = rules.deadlines(plan)
    assert initial.kind == AssessmentKind.INITIAL
    assessment = initial.assessment
    assert assessment.is_published and not initial.late
    assert local_day(exercise, plan.submitted_at) < initial.published_on <= initial.due_on
    assert initial.due_on == add_months(local_day(exercise, plan.submitted_at), 2)
    assert assessment.author.email == "monitoreo@demo.coplat.mx"
    assert assessment.created_at < assessment.published_at
    for text in (assessment.summary, assessment.co_creation):
        assert text["es"] and text["en"]
    rated = {r.commitment for r in assessment.ratings}
    assert rated == set(rules.plan_commitments(plan))
    for rating in assessment.ratings:
        assert rating.relevant_values and rating.verifiable and rating.note["en"]
    assert len({r.potential_impact for r in assessment.ratings}) >= 3
    # Nothing else is due yet, so nothing is late.
    assert not any(d.late or d.assessment for d in [*per_commitment, final])


def test_the_public_contact_details_are_set(plan):
    assert plan.contact_institution.startswith("H. Ayuntamiento de Santa Lucía del Valle")
    assert plan.contact_name == "Daniel Torres Aguilar"
    assert plan.contact_email.endswith("@santalucia.example.mx") and plan.contact_phone


def test_the_tracking_pages_show_it(app, client, shared_demo):
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))
        plan = find_plan(exercise)
        lights = titled(plan, LIGHTS_COMMITMENT)
        titles = [c.title["en"] for c in rules.plan_commitments(plan)]
        published = db.session.scalar(
            sa.select(ProgressComment).where(ProgressComment.status == CommentStatus.PUBLISHED)
        )
        report_id, comment = published.report_id, published.body
        hidden = [
            c.body
            for c in db.session.scalars(
                sa.select(ProgressComment).where(ProgressComment.status != CommentStatus.PUBLISHED)
            )
        ]
        evidence_title = db.session.scalar(sa.select(Evidence.title).limit(1))["en"]
    english(client)
    board = client.get("/e/demo/tracking")
    assert board.status_code == 200
    text = board.get_data(as_text=True)
    for title in titles:
        assert escape(title) in text
    page = client.get(f"/e/demo/tracking/commitments/{lights.id}")
    assert page.status_code == 200
    report = client.get(f"/e/demo/tracking/reports/{report_id}").get_data(as_text=True)
    assert escape(comment) in report and not any(escape(body) in report for body in hidden)
    assert escape(evidence_title) in client.get("/e/demo/evidence").get_data(as_text=True)
    assert client.get("/e/demo/assessments").status_code == 200
