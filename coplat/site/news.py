"""The news of each step, written by the record itself (OGP Local Annex 4): steps
closed, the consultation opened and closed, sessions held, commitments approved, the
plan submitted and launched, progress reports posted, assessments published and
evidence filed. One query gathers every kind, newest first, and pages them."""

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from coplat.commitments.models import Commitment
from coplat.consultation.models import Consultation
from coplat.core.models import utcnow
from coplat.exercises.models import Exercise, Step
from coplat.exercises.steps import STEP_TITLES
from coplat.extensions import db
from coplat.plan.models import ActionPlan
from coplat.tables.enums import SessionKind
from coplat.tables.models import TableSession, WorkingTable
from coplat.tracking.enums import AssessmentKind, EvidenceType
from coplat.tracking.models import Assessment, Evidence, ProgressReport
from coplat.tracking.rules import Quarter

PER_PAGE = 20

STEP_CLOSED = "step_closed"
CONSULTATION_OPENED = "consultation_opened"
CONSULTATION_CLOSED = "consultation_closed"
SESSION_HELD = "session_held"
COMMITMENT_APPROVED = "commitment_approved"
PLAN_SUBMITTED = "plan_submitted"
PLAN_LAUNCHED = "plan_launched"
REPORT_POSTED = "report_posted"
ASSESSMENT_PUBLISHED = "assessment_published"
EVIDENCE_FILED = "evidence_filed"

HEADLINES = {
    STEP_CLOSED: _l("Step closed"),
    CONSULTATION_OPENED: _l("The consultation opened"),
    CONSULTATION_CLOSED: _l("The consultation closed"),
    SESSION_HELD: _l("Session held"),
    COMMITMENT_APPROVED: _l("Commitment approved by the STL"),
    PLAN_SUBMITTED: _l("Action plan submitted to OGP"),
    PLAN_LAUNCHED: _l("Action plan launched"),
    REPORT_POSTED: _l("Progress report posted"),
    ASSESSMENT_PUBLISHED: _l("Assessment published"),
    EVIDENCE_FILED: _l("Evidence filed"),
}
# The step each kind of news belongs to.
STEPS = {
    CONSULTATION_OPENED: 4,
    CONSULTATION_CLOSED: 4,
    SESSION_HELD: 4,
    COMMITMENT_APPROVED: 4,
    PLAN_SUBMITTED: 5,
    PLAN_LAUNCHED: 5,
    REPORT_POSTED: 6,
    ASSESSMENT_PUBLISHED: 6,
}


def _null(type_):
    return sa.cast(sa.null(), type_)


def _text(value):
    return sa.cast(value, sa.String)


def news_of(exercise: Exercise, now: datetime | None = None):
    """Every piece of news of the exercise, as rows of one subquery: kind, ref (the
    record's id, a step's number), moment, title (translated), parent (a session's
    table, a report's or evidence's commitment) and extra (a coded detail)."""
    now = now or utcnow()
    ex = exercise.id
    steps = sa.select(
        sa.literal(STEP_CLOSED).label("kind"),
        Step.number.label("ref"),
        Step.closed_at.label("moment"),
        _null(sa.JSON).label("title"),
        _null(sa.Integer).label("parent"),
        sa.literal("").label("extra"),
    ).where(Step.exercise_id == ex, Step.closed_at.is_not(None))
    opened = sa.select(
        sa.literal(CONSULTATION_OPENED),
        Consultation.id,
        Consultation.opens_at,
        Consultation.question,
        _null(sa.Integer),
        sa.literal(""),
    ).where(Consultation.exercise_id == ex, Consultation.opens_at <= now)
    closed = sa.select(
        sa.literal(CONSULTATION_CLOSED),
        Consultation.id,
        Consultation.closes_at,
        Consultation.question,
        _null(sa.Integer),
        sa.literal(""),
    ).where(Consultation.exercise_id == ex, Consultation.closes_at <= now)
    sessions = (
        sa.select(
            sa.literal(SESSION_HELD),
            TableSession.id,
            TableSession.starts_at,
            TableSession.title,
            TableSession.table_id,
            _text(TableSession.kind),
        )
        .join(WorkingTable, WorkingTable.id == TableSession.table_id)
        .where(WorkingTable.exercise_id == ex, TableSession.starts_at <= now)
    )
    approved = sa.select(
        sa.literal(COMMITMENT_APPROVED),
        Commitment.id,
        Commitment.approved_at,
        Commitment.title,
        _null(sa.Integer),
        sa.literal(""),
    ).where(Commitment.exercise_id == ex, Commitment.approved_at.is_not(None))
    submitted = sa.select(
        sa.literal(PLAN_SUBMITTED),
        ActionPlan.id,
        ActionPlan.submitted_at,
        _null(sa.JSON),
        _null(sa.Integer),
        sa.literal(""),
    ).where(ActionPlan.exercise_id == ex, ActionPlan.submitted_at.is_not(None))
    launched = sa.select(
        sa.literal(PLAN_LAUNCHED),
        ActionPlan.id,
        ActionPlan.launched_at,
        _null(sa.JSON),
        _null(sa.Integer),
        sa.literal(""),
    ).where(ActionPlan.exercise_id == ex, ActionPlan.launched_at.is_not(None))
    reports = (
        sa.select(
            sa.literal(REPORT_POSTED),
            ProgressReport.id,
            ProgressReport.created_at,
            Commitment.title,
            ProgressReport.commitment_id,
            _text(ProgressReport.year) + "-Q" + _text(ProgressReport.quarter),
        )
        .join(Commitment, Commitment.id == ProgressReport.commitment_id)
        .where(Commitment.exercise_id == ex)
    )
    assessments = (
        sa.select(
            sa.literal(ASSESSMENT_PUBLISHED),
            Assessment.id,
            Assessment.published_at,
            Commitment.title,
            Assessment.commitment_id,
            _text(Assessment.kind),
        )
        .outerjoin(Commitment, Commitment.id == Assessment.commitment_id)
        .where(Assessment.exercise_id == ex, Assessment.published_at.is_not(None))
    )
    evidence = sa.select(
        sa.literal(EVIDENCE_FILED),
        Evidence.id,
        Evidence.created_at,
        Evidence.title,
        Evidence.commitment_id,
        _text(Evidence.kind),
    ).where(Evidence.exercise_id == ex)
    return sa.union_all(
        steps,
        opened,
        closed,
        sessions,
        approved,
        submitted,
        launched,
        reports,
        assessments,
        evidence,
    ).subquery("news")


@dataclass
class News:
    kind: str
    ref: int
    moment: datetime
    title: dict | None
    parent: int | None
    extra: str

    @property
    def headline(self) -> str:
        if self.kind == STEP_CLOSED:
            return str(
                _l(
                    "Step %(number)s closed: %(title)s",
                    number=self.ref,
                    title=STEP_TITLES[self.ref],
                )
            )
        if self.kind == SESSION_HELD and self.extra == SessionKind.FOLLOW_UP.value:
            return str(_l("Follow-up meeting held"))
        return str(HEADLINES[self.kind])

    @property
    def step(self) -> int:
        return self.ref if self.kind == STEP_CLOSED else STEPS.get(self.kind, 6)

    @property
    def detail(self) -> str:
        """A coded detail in words: a report's quarter, an assessment's or evidence's
        kind."""
        if self.kind == REPORT_POSTED and "-Q" in self.extra:
            year, number = self.extra.split("-Q")
            return Quarter(int(year), int(number)).label
        if self.kind == ASSESSMENT_PUBLISHED and self.extra in set(AssessmentKind):
            return AssessmentKind(self.extra).label
        if self.kind == EVIDENCE_FILED and self.extra in set(EvidenceType):
            return EvidenceType(self.extra).label
        return ""

    def url(self, exercise: Exercise) -> str:
        slug = exercise.slug
        match self.kind:
            case "step_closed":
                return url_for("exercises.step", slug=slug, number=self.ref)
            case "consultation_opened":
                return url_for("consultation.show", slug=slug)
            case "consultation_closed":
                return url_for("consultation.results", slug=slug)
            case "session_held":
                return url_for(
                    "tables.session", slug=slug, table_id=self.parent, session_id=self.ref
                )
            case "commitment_approved":
                return url_for("commitments.show", slug=slug, commitment_id=self.ref)
            case "plan_submitted" | "plan_launched":
                return url_for("plan.show", slug=slug)
            case "report_posted":
                return url_for("tracking.report", slug=slug, report_id=self.ref)
            case "assessment_published":
                return url_for("tracking.assessment", slug=slug, assessment_id=self.ref)
            case _:
                if self.parent:
                    return url_for("site.commitment_evidence", slug=slug, commitment_id=self.parent)
                return url_for("site.evidence", slug=slug)


@dataclass
class Page:
    items: list[News]
    total: int
    number: int
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, ceil(self.total / PER_PAGE))


def latest(exercise: Exercise, count: int, now: datetime | None = None) -> list[News]:
    news = news_of(exercise, now)
    rows = db.session.execute(
        sa.select(news).order_by(news.c.moment.desc(), news.c.kind, news.c.ref.desc()).limit(count)
    ).all()
    return [News(*row) for row in rows]


def page_of(exercise: Exercise, number: int, now: datetime | None = None) -> Page:
    news = news_of(exercise, now)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(news))
    number = min(max(number, 1), max(1, ceil(total / PER_PAGE)))
    rows = db.session.execute(
        sa.select(news)
        .order_by(news.c.moment.desc(), news.c.kind, news.c.ref.desc())
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    ).all()
    return Page([News(*row) for row in rows], total, number)
