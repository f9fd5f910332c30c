"""The news of each step, written by the record itself (OGP Local Annex 4): steps
closed, the consultation opened and closed, sessions held, commitments approved, the
plan submitted and launched, progress reports posted, assessments published and
evidence filed. One query gathers every kind, newest first, and pages them; one more
reads the approved titles of the commitments they name."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from coplat.commitments.models import Commitment
from coplat.consultation.models import Consultation
from coplat.core.enums import LabelledEnum
from coplat.core.models import utcnow
from coplat.core.paging import Page, page_number
from coplat.core.sql import typed_null
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


class NewsKind(LabelledEnum):
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

    @classmethod
    def _labels(cls):
        return {
            cls.STEP_CLOSED: _l("Step closed"),
            cls.CONSULTATION_OPENED: _l("The consultation opened"),
            cls.CONSULTATION_CLOSED: _l("The consultation closed"),
            cls.SESSION_HELD: _l("Session held"),
            cls.COMMITMENT_APPROVED: _l("Commitment approved by the STL"),
            cls.PLAN_SUBMITTED: _l("Action plan submitted to OGP"),
            cls.PLAN_LAUNCHED: _l("Action plan launched"),
            cls.REPORT_POSTED: _l("Progress report posted"),
            cls.ASSESSMENT_PUBLISHED: _l("Assessment published"),
            cls.EVIDENCE_FILED: _l("Evidence filed"),
        }


# The step each kind of news belongs to (the rest are step 6's, or a closed step's own).
STEPS = {
    NewsKind.CONSULTATION_OPENED: 4,
    NewsKind.CONSULTATION_CLOSED: 4,
    NewsKind.SESSION_HELD: 4,
    NewsKind.COMMITMENT_APPROVED: 4,
    NewsKind.PLAN_SUBMITTED: 5,
    NewsKind.PLAN_LAUNCHED: 5,
    NewsKind.REPORT_POSTED: 6,
    NewsKind.ASSESSMENT_PUBLISHED: 6,
}
# The kinds whose title is a commitment's (its id: the news' ref, or its parent).
COMMITMENT_TITLED = (
    NewsKind.COMMITMENT_APPROVED,
    NewsKind.REPORT_POSTED,
    NewsKind.ASSESSMENT_PUBLISHED,
)


def _kind(kind: NewsKind):
    return sa.literal(kind.value)


def _text(value):
    return sa.cast(value, sa.String)


def news_of(exercise: Exercise, now: datetime | None = None):
    """Every piece of news of the exercise, as rows of one subquery: kind, ref (the
    record's id, a step's number), moment, title (translated), parent (a session's
    table, a report's or evidence's commitment) and extra (a coded detail)."""
    now = now or utcnow()
    ex = exercise.id
    steps = sa.select(
        _kind(NewsKind.STEP_CLOSED).label("kind"),
        Step.number.label("ref"),
        Step.closed_at.label("moment"),
        typed_null(sa.JSON).label("title"),
        typed_null(sa.Integer).label("parent"),
        sa.literal("").label("extra"),
    ).where(Step.exercise_id == ex, Step.closed_at.is_not(None))
    opened = sa.select(
        _kind(NewsKind.CONSULTATION_OPENED),
        Consultation.id,
        Consultation.opens_at,
        Consultation.question,
        typed_null(sa.Integer),
        sa.literal(""),
    ).where(Consultation.exercise_id == ex, Consultation.opens_at <= now)
    closed = sa.select(
        _kind(NewsKind.CONSULTATION_CLOSED),
        Consultation.id,
        Consultation.closes_at,
        Consultation.question,
        typed_null(sa.Integer),
        sa.literal(""),
    ).where(Consultation.exercise_id == ex, Consultation.closes_at <= now)
    sessions = (
        sa.select(
            _kind(NewsKind.SESSION_HELD),
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
        _kind(NewsKind.COMMITMENT_APPROVED),
        Commitment.id,
        Commitment.approved_at,
        typed_null(sa.JSON),
        typed_null(sa.Integer),
        sa.literal(""),
    ).where(Commitment.exercise_id == ex, Commitment.approved_at.is_not(None))
    submitted = sa.select(
        _kind(NewsKind.PLAN_SUBMITTED),
        ActionPlan.id,
        ActionPlan.submitted_at,
        typed_null(sa.JSON),
        typed_null(sa.Integer),
        sa.literal(""),
    ).where(ActionPlan.exercise_id == ex, ActionPlan.submitted_at.is_not(None))
    launched = sa.select(
        _kind(NewsKind.PLAN_LAUNCHED),
        ActionPlan.id,
        ActionPlan.launched_at,
        typed_null(sa.JSON),
        typed_null(sa.Integer),
        sa.literal(""),
    ).where(ActionPlan.exercise_id == ex, ActionPlan.launched_at.is_not(None))
    reports = (
        sa.select(
            _kind(NewsKind.REPORT_POSTED),
            ProgressReport.id,
            ProgressReport.created_at,
            typed_null(sa.JSON),
            ProgressReport.commitment_id,
            _text(ProgressReport.year) + "-Q" + _text(ProgressReport.quarter),
        )
        .join(Commitment, Commitment.id == ProgressReport.commitment_id)
        .where(Commitment.exercise_id == ex)
    )
    assessments = sa.select(
        _kind(NewsKind.ASSESSMENT_PUBLISHED),
        Assessment.id,
        Assessment.published_at,
        typed_null(sa.JSON),
        Assessment.commitment_id,
        _text(Assessment.kind),
    ).where(Assessment.exercise_id == ex, Assessment.published_at.is_not(None))
    evidence = sa.select(
        _kind(NewsKind.EVIDENCE_FILED),
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
    kind: NewsKind
    ref: int
    moment: datetime
    title: dict | None
    parent: int | None
    extra: str

    @property
    def headline(self) -> str:
        if self.kind == NewsKind.STEP_CLOSED:
            return str(
                _l(
                    "Step %(number)s closed: %(title)s",
                    number=self.ref,
                    title=STEP_TITLES[self.ref],
                )
            )
        if self.kind == NewsKind.SESSION_HELD and self.extra == SessionKind.FOLLOW_UP.value:
            return str(_l("Follow-up meeting held"))
        return self.kind.label

    @property
    def step(self) -> int:
        return self.ref if self.kind == NewsKind.STEP_CLOSED else STEPS.get(self.kind, 6)

    @property
    def commitment_id(self) -> int | None:
        """The commitment whose title the news shows, if any."""
        if self.kind == NewsKind.COMMITMENT_APPROVED:
            return self.ref
        if self.kind in COMMITMENT_TITLED:
            return self.parent
        return None

    @property
    def detail(self) -> str:
        """A coded detail in words: a report's quarter, an assessment's or evidence's
        kind."""
        if self.kind == NewsKind.REPORT_POSTED and "-Q" in self.extra:
            year, number = self.extra.split("-Q")
            return Quarter(int(year), int(number)).label
        if self.kind == NewsKind.ASSESSMENT_PUBLISHED and self.extra in set(AssessmentKind):
            return AssessmentKind(self.extra).label
        if self.kind == NewsKind.EVIDENCE_FILED and self.extra in set(EvidenceType):
            return EvidenceType(self.extra).label
        return ""

    def url(self, exercise: Exercise) -> str:
        slug = exercise.slug
        match self.kind:
            case NewsKind.STEP_CLOSED:
                return url_for("exercises.step", slug=slug, number=self.ref)
            case NewsKind.CONSULTATION_OPENED:
                return url_for("consultation.show", slug=slug)
            case NewsKind.CONSULTATION_CLOSED:
                return url_for("consultation.results", slug=slug)
            case NewsKind.SESSION_HELD:
                return url_for(
                    "tables.session", slug=slug, table_id=self.parent, session_id=self.ref
                )
            case NewsKind.COMMITMENT_APPROVED:
                return url_for("commitments.show", slug=slug, commitment_id=self.ref)
            case NewsKind.PLAN_SUBMITTED | NewsKind.PLAN_LAUNCHED:
                return url_for("plan.show", slug=slug)
            case NewsKind.REPORT_POSTED:
                return url_for("tracking.report", slug=slug, report_id=self.ref)
            case NewsKind.ASSESSMENT_PUBLISHED:
                return url_for("tracking.assessment", slug=slug, assessment_id=self.ref)
            case NewsKind.EVIDENCE_FILED:
                if self.parent:
                    return url_for("site.commitment_evidence", slug=slug, commitment_id=self.parent)
                return url_for("site.evidence", slug=slug)


def load(rows) -> list[News]:
    """Rows as news; a commitment's news carries the title the plan shows (its approved
    revision's), read in one query (and one for the revisions) whatever their number."""
    items = [News(NewsKind(row.kind), *row[1:]) for row in rows]
    ids = {item.commitment_id for item in items if item.commitment_id}
    if ids:
        titles = {
            c.id: c.approved_title
            for c in db.session.scalars(
                sa.select(Commitment)
                .where(Commitment.id.in_(ids))
                .options(selectinload(Commitment.approved_revision))
            )
        }
        for item in items:
            if item.commitment_id:
                item.title = titles.get(item.commitment_id)
    return items


def _ordered(news):
    return sa.select(news).order_by(news.c.moment.desc(), news.c.kind, news.c.ref.desc())


def latest(exercise: Exercise, count: int, now: datetime | None = None) -> list[News]:
    news = news_of(exercise, now)
    return load(db.session.execute(_ordered(news).limit(count)).all())


def page_of(exercise: Exercise, number: int, now: datetime | None = None) -> Page[News]:
    news = news_of(exercise, now)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(news))
    number = page_number(number, total, PER_PAGE)
    rows = db.session.execute(_ordered(news).limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
    return Page(load(rows), total, number, PER_PAGE)
