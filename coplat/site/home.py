"""The exercise's public home as its open-government micro-site (OGP Local Annex 4):
who answers for it, the co-creation timeline with its phases and dates, the current
opportunities to take part, the news of each step, the tracking board's summary, the
warnings of §4.1 (inactivity) and §3.3.1 (regularity), and when the record last
changed. Everything is read in a fixed number of queries, whatever the record's size."""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from coplat.accounts.models import RoleAssignment
from coplat.commitments.models import Commitment
from coplat.consultation.enums import ConsultationStatus
from coplat.core.i18n import translated_text
from coplat.core.models import utcnow
from coplat.exercises.models import AwarenessEvent, Declaration, Exercise, Signatory
from coplat.extensions import db
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan
from coplat.plan.services import find_plan
from coplat.site import news
from coplat.tables.enums import SessionKind
from coplat.tables.models import TableSession, WorkingTable
from coplat.tracking import rules
from coplat.tracking.enums import AssessmentKind
from coplat.tracking.models import ProgressReport

NEWS_ON_HOME = 8
UPCOMING_SESSIONS = 5
LATEST_REPORTS = 3


def load_exercise(slug: str) -> Exercise:
    """The exercise with what its home reads of steps 1–3, in a few queries."""
    return db.first_or_404(
        sa.select(Exercise)
        .where(Exercise.slug == slug)
        .options(
            selectinload(Exercise.steps),
            selectinload(Exercise.jurisdictions),
            selectinload(Exercise.declaration)
            .selectinload(Declaration.signatories)
            .selectinload(Signatory.actor),
            selectinload(Exercise.declaration).selectinload(Declaration.document),
            selectinload(Exercise.awareness_events).selectinload(AwarenessEvent.attendance),
            selectinload(Exercise.actors),
            selectinload(Exercise.assignments).selectinload(RoleAssignment.user),
            selectinload(Exercise.stl_charter),
            selectinload(Exercise.agenda_items),
        )
    )


# ----- the timeline -------------------------------------------------------------------


@dataclass
class Moment:
    """A dated point of the timeline."""

    day: date
    label: str
    detail: str = ""
    late: bool = False


@dataclass
class Phase:
    number: int  # the INAI step
    moments: list[Moment] = field(default_factory=list)


def local(exercise: Exercise, moment: datetime | None) -> date | None:
    return rules.local_day(exercise, moment) if moment else None


def timeline(exercise: Exercise, plan: ActionPlan, deadlines, today: date) -> list[Phase]:
    """The co-creation timeline, phase by phase (the six steps), each with its dates
    from the record, oldest first."""
    phases = {number: Phase(number) for number in range(1, 7)}

    def add(number: int, day: date | None, label, detail: str = "", late: bool = False):
        if day is not None:
            phases[number].moments.append(Moment(day, str(label), detail, late))

    declaration = exercise.declaration
    add(1, declaration and declaration.signed_on, _l("Joint declaration signed"))
    events = exercise.awareness_events
    if events:
        add(2, events[0].held_on, _l("First awareness event"), _tr(events[0].title))
        if len(events) > 1:
            add(2, events[-1].held_on, _l("Latest awareness event"), _tr(events[-1].title))
    charter = exercise.stl_charter
    add(3, charter and charter.installed_on, _l("STL installed"))
    consultation = exercise.consultation
    if consultation is not None:
        add(4, local(exercise, consultation.opens_at), _l("Topic consultation opens"))
        add(4, local(exercise, consultation.closes_at), _l("Topic consultation closes"))
        add(4, local(exercise, consultation.prioritised_at), _l("Topics prioritised by the STL"))
    first, last = db.session.execute(
        sa.select(sa.func.min(TableSession.starts_at), sa.func.max(TableSession.starts_at))
        .join(WorkingTable, WorkingTable.id == TableSession.table_id)
        .where(
            WorkingTable.exercise_id == exercise.id,
            TableSession.kind != SessionKind.FOLLOW_UP,
        )
    ).one()
    if first is not None:
        first, last = rules.as_utc(first), rules.as_utc(last)
        add(4, local(exercise, first), _l("First working-table session"))
        if last != first:
            add(4, local(exercise, last), _l("Latest working-table session"))
    add(5, local(exercise, plan.submitted_at), _l("Action plan submitted to OGP"))
    add(5, plan.launched_on, _l("Public launch of the plan"), plan.launch_place)
    add(5, exercise.plan_starts_on, _l("The action plan's period starts"))
    add(6, exercise.plan_ends_on, _l("The action plan's period ends"))
    for deadline in deadlines:
        if deadline.due_on is None:
            continue
        if deadline.kind == AssessmentKind.COMMITMENT:
            label = _l(
                "Implementation assessment due: %(commitment)s",
                commitment=_tr(deadline.commitment.approved_title),
            )
        else:
            label = _l("%(assessment)s due", assessment=deadline.kind.label)
        if deadline.published_on:
            detail = str(_l("published on %(day)s", day=_day(deadline.published_on)))
        else:
            detail = ""
        add(6, deadline.due_on, label, detail, deadline.late)
    for phase in phases.values():
        phase.moments.sort(key=lambda m: m.day)
    return list(phases.values())


def _tr(value: dict | None) -> str:
    return translated_text(value)


def _day(day: date) -> str:
    return format_date(day, "long")


# ----- opportunities to take part ---------------------------------------------------


@dataclass
class Opportunities:
    consultation_open: bool
    tables: list[WorkingTable]
    sessions: list[TableSession]
    reports: list[ProgressReport]

    def __bool__(self) -> bool:
        return bool(self.consultation_open or self.tables or self.sessions or self.reports)


def opportunities(exercise: Exercise, now: datetime) -> Opportunities:
    consultation = exercise.consultation
    tables = db.session.scalars(
        sa.select(WorkingTable)
        .where(WorkingTable.exercise_id == exercise.id, WorkingTable.proposals_close_at > now)
        .order_by(WorkingTable.proposals_close_at, WorkingTable.id)
    ).all()
    sessions = db.session.scalars(
        sa.select(TableSession)
        .join(WorkingTable, WorkingTable.id == TableSession.table_id)
        .where(WorkingTable.exercise_id == exercise.id, TableSession.starts_at > now)
        .order_by(TableSession.starts_at, TableSession.id)
        .limit(UPCOMING_SESSIONS)
        .options(selectinload(TableSession.table))
    ).all()
    reports = db.session.scalars(
        sa.select(ProgressReport)
        .join(Commitment, Commitment.id == ProgressReport.commitment_id)
        .where(Commitment.exercise_id == exercise.id)
        .order_by(ProgressReport.created_at.desc(), ProgressReport.id.desc())
        .limit(LATEST_REPORTS)
        .options(selectinload(ProgressReport.commitment).selectinload(Commitment.approved_revision))
    ).all()
    return Opportunities(
        consultation_open=consultation is not None
        and consultation.status(now) == ConsultationStatus.OPEN,
        tables=list(tables),
        sessions=list(sessions),
        reports=list(reports),
    )


# ----- the whole home -----------------------------------------------------------------


def year_behind(plan: ActionPlan, today: date) -> rules.MeetingYear | None:
    """The latest year of implementation whose meetings with civil society are behind
    (§3.3.1): the current one, or one that ended short of them. None when every year
    is on track, or the plan is not being implemented."""
    if plan.status != PlanStatus.LAUNCHED:
        return None
    return next((year for year in reversed(rules.regularity(plan, today)) if year.behind), None)


def context(exercise: Exercise) -> dict:
    now = utcnow()
    today = rules.today_of(exercise)
    plan = find_plan(exercise)
    launched = plan.is_launched
    # Read once for the whole page, the steps' requirements included.
    tracking = rules.tracking(plan, today)
    if plan.status != PlanStatus.DRAFT:
        tracking.load_titles()  # the timeline names each commitment's deadline
        deadlines = tracking.deadlines
    else:
        deadlines = []
    board = tracking.board if launched else None
    inactivity = tracking.inactivity if plan.status == PlanStatus.LAUNCHED else None
    return {
        "plan": plan,
        "launched": launched,
        "today": today,
        "timeline": timeline(exercise, plan, deadlines, today),
        "opportunities": opportunities(exercise, now),
        "news": news.latest(exercise, NEWS_ON_HOME, now),
        "board": board,
        "inactivity": inactivity,
        "meeting_year": year_behind(plan, today),
        "last_update": tracking.last_update,
        "Quarter": rules.Quarter,
    }
