"""The rules the platform watches once the plan is launched, all reading "today" from
the platform's clock (`core.clock`) in the exercise's time zone:

- quarters are calendar quarters (OGP asks the government to report every quarter);
- a commitment with no progress recorded in two consecutive quarters is flagged, and
  an exercise with no progress on any commitment, or no update at all, in two
  consecutive quarters shows OGP Local's inactivity warning (§4.1);
- implementation needs two meetings a year with civil society (§3.3.1);
- the monitoring body's assessments have deadlines (§3.5)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coplat.commitments.enums import MilestoneStatus
from coplat.commitments.models import Commitment, CommitmentRevision, Milestone
from coplat.commitments.services import add_months
from coplat.core import clock
from coplat.core.models import UTCDateTime
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.models import FeedbackEntry
from coplat.plan.enums import NON_GOVERNMENTAL
from coplat.plan.models import ActionPlan, PlanCommitment, PlanRevision
from coplat.tables.models import Attendance, TableSession, WorkingTable
from coplat.tracking.enums import AssessmentKind
from coplat.tracking.models import (
    Assessment,
    Evidence,
    MilestoneUpdate,
    ProgressComment,
    ProgressReport,
)

# A milestone in one of these states expects no more progress.
FINISHED = (MilestoneStatus.COMPLETE, MilestoneStatus.INCOMPLETE)
# §3.3.1: meetings with civil society per year of implementation.
MEETINGS_PER_YEAR = 2


def today_of(exercise: Exercise) -> date:
    return clock.today(exercise.zone)


# ----- quarters ----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def starts_on(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def ends_on(self) -> date:
        return self.next.starts_on - timedelta(days=1)

    @property
    def next(self) -> "Quarter":
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    @property
    def label(self) -> str:
        return str(_l("Q%(number)s %(year)s", number=self.number, year=self.year))

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def quarters(first: Quarter, last: Quarter) -> list[Quarter]:
    found = []
    while first <= last:
        found.append(first)
        first = first.next
    return found


def local_day(exercise: Exercise, moment: datetime) -> date:
    return moment.astimezone(exercise.zone).date()


def implementation_quarters(plan: ActionPlan, today: date) -> list[Quarter]:
    """The quarters from the launch's to today's (or the plan's last, if it ended)."""
    if plan.launched_on is None or today < plan.launched_on:
        return []
    last = Quarter.of(today)
    if plan.exercise.plan_ends_on is not None:
        last = min(last, Quarter.of(plan.exercise.plan_ends_on))
    return quarters(Quarter.of(plan.launched_on), last)


def reportable_quarters(plan: ActionPlan, today: date) -> list[Quarter]:
    """The quarters a progress report may be posted for: implementation's, up to the
    current one."""
    return implementation_quarters(plan, today)


# ----- progress per commitment and quarter --------------------------------------------


def plan_commitments(plan: ActionPlan, *, titles: bool = True) -> list[Commitment]:
    """The plan's commitments with their milestones, in the plan's order, and (unless
    told not to) their approved revisions, whose content holds the title the plan shows
    (`Commitment.approved_title`). Two or three queries."""
    if plan.id is None:
        return []
    options = [selectinload(Commitment.milestones)]
    if titles:
        options.append(selectinload(Commitment.approved_revision))
    return list(
        db.session.scalars(
            sa.select(Commitment)
            .join(PlanCommitment, PlanCommitment.commitment_id == Commitment.id)
            .where(PlanCommitment.plan_id == plan.id, Commitment.withdrawn.is_(False))
            .order_by(PlanCommitment.position, PlanCommitment.id)
            .options(*options)
        )
    )


def load_titles(commitments: list[Commitment]) -> None:
    """Load the approved revisions of commitments read without them, in one query, so
    that reading their `approved_title` sends none."""
    unloaded = [c for c in commitments if "approved_revision" in sa.inspect(c).unloaded]
    wanted = {c.approved_revision_id for c in unloaded} - {None}
    found = (
        {
            revision.id: revision
            for revision in db.session.scalars(
                sa.select(CommitmentRevision).where(CommitmentRevision.id.in_(wanted))
            )
        }
        if wanted
        else {}
    )
    for commitment in unloaded:
        set_committed_value(
            commitment, "approved_revision", found.get(commitment.approved_revision_id)
        )


def day_starts_at(exercise: Exercise, day: date) -> datetime:
    """The moment a day starts as the exercise's people count days."""
    return datetime.combine(day, time(), tzinfo=exercise.zone)


def progress_counts(
    exercise: Exercise, commitment_ids: list[int], span: list[Quarter]
) -> Counter[tuple[int, Quarter]]:
    """The progress recorded in the consecutive quarters of `span`, counted per
    (commitment id, quarter): each milestone update in the quarter it was made (as the
    exercise's people count days), each progress report in the quarter it reports on.
    Two queries whose answers grow with the commitments and the quarters, not with the
    updates."""
    found: Counter[tuple[int, Quarter]] = Counter()
    if not commitment_ids or not span:
        return found
    bounds = [day_starts_at(exercise, q.starts_on) for q in span]
    bounds.append(day_starts_at(exercise, span[-1].next.starts_on))
    created_at = MilestoneUpdate.created_at
    updates = (
        sa.select(
            MilestoneUpdate.commitment_id,
            sa.case(*((created_at < bounds[n + 1], n) for n in range(len(span)))).label("n"),
        )
        .where(
            MilestoneUpdate.commitment_id.in_(commitment_ids),
            created_at >= bounds[0],
            created_at < bounds[-1],
        )
        .subquery()
    )
    for commitment_id, n, count in db.session.execute(
        sa.select(updates.c.commitment_id, updates.c.n, sa.func.count()).group_by(
            updates.c.commitment_id, updates.c.n
        )
    ):
        found[commitment_id, span[n]] += count
    # One report per commitment and quarter.
    number = ProgressReport.year * 4 + ProgressReport.quarter
    reports = db.session.execute(
        sa.select(ProgressReport.commitment_id, ProgressReport.year, ProgressReport.quarter).where(
            ProgressReport.commitment_id.in_(commitment_ids),
            number.between(span[0].year * 4 + span[0].number, span[-1].year * 4 + span[-1].number),
        )
    )
    for commitment_id, year, quarter in reports:
        found[commitment_id, Quarter(year, quarter)] += 1
    return found


def covers(start: date, quarter: Quarter) -> bool:
    """Work that starts by the end of a quarter's first month is judged on that quarter;
    a later start leaves it too short to count."""
    return start <= add_months(quarter.starts_on, 1)


def quiet_quarters(plan: ActionPlan, today: date) -> tuple[Quarter, Quarter] | None:
    """The two consecutive quarters the rules look at: the last two that have ended
    since the launch (a launch late in its quarter leaves that quarter out). None until
    two have ended, and once the plan's period is over (§4.1 watches the period)."""
    plan_ends_on = plan.exercise.plan_ends_on
    if plan_ends_on is not None and today > plan_ends_on:
        return None
    ended = [
        q
        for q in implementation_quarters(plan, today)
        if q.ends_on < today and covers(plan.launched_on, q)
    ]
    return (ended[-2], ended[-1]) if len(ended) >= 2 else None


def is_finished(commitment: Commitment) -> bool:
    return bool(commitment.milestones) and all(m.status in FINISHED for m in commitment.milestones)


def is_flagged(
    commitment: Commitment, recorded: set[Quarter], window: tuple[Quarter, Quarter] | None, today
) -> bool:
    """No progress in either of the window's quarters, nor since: flagged, unless every
    milestone is already finished or the commitment was not due to start before the
    window ended."""
    if window is None or is_finished(commitment):
        return False
    if commitment.starts_on is not None and not covers(commitment.starts_on, window[0]):
        return False
    return not any(q >= window[0] for q in recorded if q <= Quarter.of(today))


# ----- the tracking board ------------------------------------------------------------


@dataclass
class CommitmentProgress:
    commitment: Commitment
    status: MilestoneStatus
    complete: int
    total: int
    next_milestone: Milestone | None
    overdue: list[Milestone]
    latest_report: ProgressReport | None
    flagged: bool

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0


def overall_status(milestones: list[Milestone]) -> MilestoneStatus:
    """One status for a commitment, read from its milestones."""
    statuses = {m.status for m in milestones}
    if not statuses or statuses == {MilestoneStatus.NOT_STARTED}:
        return MilestoneStatus.NOT_STARTED
    if statuses <= set(FINISHED):
        return (
            MilestoneStatus.COMPLETE
            if statuses == {MilestoneStatus.COMPLETE}
            else MilestoneStatus.INCOMPLETE
        )
    if MilestoneStatus.STUCK in statuses:
        return MilestoneStatus.STUCK
    return MilestoneStatus.IN_PROGRESS


def is_overdue(milestone: Milestone, today: date) -> bool:
    return (
        milestone.ends_on is not None
        and milestone.ends_on < today
        and milestone.status not in FINISHED
    )


@dataclass
class Board:
    plan: ActionPlan
    today: date
    rows: list[CommitmentProgress]
    quarters: list[Quarter]
    # Per quarter: milestone updates and reports recorded, and milestones due.
    activity: dict[Quarter, int] = field(default_factory=dict)
    due: dict[Quarter, int] = field(default_factory=dict)

    @property
    def complete(self) -> int:
        return sum(row.complete for row in self.rows)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0

    @property
    def flagged(self) -> list[CommitmentProgress]:
        return [row for row in self.rows if row.flagged]


def board(plan: ActionPlan, today: date | None = None) -> Board:
    """The public tracking board, in a fixed number of queries."""
    return Tracking(plan, today).board


def latest_reports(commitment_ids: list[int]) -> dict[int, ProgressReport]:
    """Each commitment's report on its latest quarter (one query)."""
    if not commitment_ids:
        return {}
    number = ProgressReport.year * 4 + ProgressReport.quarter
    newest = (
        sa.select(ProgressReport.commitment_id, sa.func.max(number).label("number"))
        .where(ProgressReport.commitment_id.in_(commitment_ids))
        .group_by(ProgressReport.commitment_id)
        .subquery()
    )
    reports = db.session.scalars(
        sa.select(ProgressReport).join(
            newest,
            sa.and_(
                ProgressReport.commitment_id == newest.c.commitment_id,
                number == newest.c.number,
            ),
        )
    )
    return {report.commitment_id: report for report in reports}


def plan_quarters(plan: ActionPlan) -> list[Quarter]:
    """The plan's whole timeline, launch (or start) to end, quarter by quarter."""
    exercise = plan.exercise
    first = plan.launched_on or exercise.plan_starts_on
    if first is None or exercise.plan_ends_on is None:
        return []
    return quarters(Quarter.of(first), Quarter.of(exercise.plan_ends_on))


# ----- inactivity (§4.1) -------------------------------------------------------------


def last_update(exercise: Exercise) -> datetime | None:
    """When anything public last changed in the exercise's record (Annex 4 asks the
    site to show it). One query."""
    ex = exercise.id
    table_ids = sa.select(WorkingTable.id).where(WorkingTable.exercise_id == ex)
    plan_ids = sa.select(ActionPlan.id).where(ActionPlan.exercise_id == ex)
    commitment_ids = sa.select(Commitment.id).where(Commitment.exercise_id == ex)
    candidates = [
        sa.select(sa.func.max(MilestoneUpdate.created_at)).where(
            MilestoneUpdate.commitment_id.in_(commitment_ids)
        ),
        sa.select(sa.func.max(ProgressReport.created_at)).where(
            ProgressReport.commitment_id.in_(commitment_ids)
        ),
        sa.select(sa.func.max(ProgressComment.moderated_at)).where(
            ProgressComment.report_id.in_(
                sa.select(ProgressReport.id).where(ProgressReport.commitment_id.in_(commitment_ids))
            )
        ),
        sa.select(sa.func.max(Evidence.created_at)).where(Evidence.exercise_id == ex),
        sa.select(sa.func.max(Assessment.published_at)).where(Assessment.exercise_id == ex),
        sa.select(sa.func.max(TableSession.created_at)).where(TableSession.table_id.in_(table_ids)),
        sa.select(sa.func.max(FeedbackEntry.decided_at)).where(FeedbackEntry.exercise_id == ex),
        sa.select(sa.func.max(CommitmentRevision.created_at)).where(
            CommitmentRevision.commitment_id.in_(commitment_ids)
        ),
        sa.select(sa.func.max(PlanRevision.created_at)).where(PlanRevision.plan_id.in_(plan_ids)),
        sa.select(sa.func.max(ActionPlan.launched_at)).where(ActionPlan.exercise_id == ex),
    ]
    moments = db.session.execute(sa.select(*[c.scalar_subquery() for c in candidates])).one()
    found = [as_utc(m) for m in moments if m is not None]
    return max(found) if found else None


def as_utc(moment: datetime | str) -> datetime:
    """SQLite returns an aggregate's datetime as a naive value (or a string)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return UTCDateTime().process_result_value(moment, None)


@dataclass(frozen=True)
class Inactivity:
    # The two quarters looked at; None until two have ended since the launch.
    window: tuple[Quarter, Quarter] | None
    no_progress: bool
    no_update: bool
    last_update: datetime | None

    @property
    def inactive(self) -> bool:
        return self.no_progress or self.no_update


def inactivity(plan: ActionPlan, today: date | None = None) -> Inactivity:
    return Tracking(plan, today).inactivity


# ----- regularity during implementation (§3.3.1) -------------------------------------


@dataclass(frozen=True)
class MeetingYear:
    number: int
    starts_on: date
    ends_on: date
    held: int
    required_by_now: int
    upcoming: int

    @property
    def behind(self) -> bool:
        return self.held < self.required_by_now


def regularity(plan: ActionPlan, today: date | None = None) -> list[MeetingYear]:
    """Per year of implementation (counted from the launch): the sessions held that a
    non-governmental sector attended, and how many §3.3.1 asks for by now (one by
    the middle of the year, two by its end; a last year the plan's end cuts short asks
    for one if it lasts six months, none otherwise). One query."""
    exercise = plan.exercise
    today = today or today_of(exercise)
    if plan.launched_on is None or today < plan.launched_on:
        return []
    sessions = db.session.execute(
        sa.select(TableSession.starts_at, sa.func.count(Attendance.id))
        .join(WorkingTable, WorkingTable.id == TableSession.table_id)
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.session_id == TableSession.id,
                Attendance.sector.in_([s.value for s in NON_GOVERNMENTAL]),
            ),
        )
        .where(WorkingTable.exercise_id == exercise.id)
        .group_by(TableSession.id, TableSession.starts_at)
    ).all()
    end = exercise.plan_ends_on or today
    years = []
    number, start = 1, plan.launched_on
    while start <= min(today, end):
        whole_year_end = add_months(start, 12) - timedelta(days=1)
        year_end = min(whole_year_end, end)
        half_way = add_months(start, 6)
        inside = [
            (local_day(exercise, starts_at), attended)
            for starts_at, attended in sessions
            if start <= local_day(exercise, starts_at) <= year_end
        ]
        held = sum(1 for day, attended in inside if day <= today and attended)
        upcoming = sum(1 for day, _attended in inside if day > today)
        lasts_half_a_year = year_end >= half_way - timedelta(days=1)
        if today > year_end and year_end == whole_year_end:
            required = MEETINGS_PER_YEAR
        elif lasts_half_a_year and today >= half_way:
            required = 1
        else:
            required = 0
        years.append(MeetingYear(number, start, year_end, held, required, upcoming))
        number, start = number + 1, year_end + timedelta(days=1)
    return years


# ----- the monitoring body's deadlines (§3.5) ----------------------------------------


@dataclass(frozen=True)
class Deadline:
    kind: AssessmentKind
    commitment: Commitment | None
    due_on: date | None
    assessment: Assessment | None
    today: date

    @property
    def published_on(self) -> date | None:
        if self.assessment is None or self.assessment.published_at is None:
            return None
        return local_day(self.assessment.exercise, self.assessment.published_at)

    @property
    def late(self) -> bool:
        if self.due_on is None:
            return False
        published = self.published_on
        return published > self.due_on if published else self.today > self.due_on


def commitment_end(commitment: Commitment, plan_ends_on: date | None, finished_on) -> date | None:
    """§3.5.2: when the commitment is fully implemented or the plan ends, whichever
    comes first (its own end date counts as the planned end)."""
    ends = [d for d in (commitment.ends_on, plan_ends_on, finished_on) if d is not None]
    return min(ends) if ends else None


def deadlines(plan: ActionPlan, today: date | None = None) -> list[Deadline]:
    """The initial assessment (two months after submission), one per commitment (a
    month after it ends) and the final learning exercise (two months after the plan
    ends), each with the assessment written for it, if any; the commitments with their
    approved titles."""
    state = Tracking(plan, today)
    state.load_titles()
    return state.deadlines


def finished_dates(exercise: Exercise, commitments: list[Commitment]) -> dict[int, date]:
    """The day each finished commitment's last milestone was reported finished: its
    latest update that changed a status (a later note that leaves the status as it was
    does not move the end, nor the monitoring body's deadline)."""
    done = [c.id for c in commitments if is_finished(c)]
    if not done:
        return {}
    rows = db.session.execute(
        sa.select(MilestoneUpdate.commitment_id, sa.func.max(MilestoneUpdate.created_at))
        .where(
            MilestoneUpdate.commitment_id.in_(done),
            MilestoneUpdate.status != MilestoneUpdate.previous_status,
        )
        .group_by(MilestoneUpdate.commitment_id)
    )
    return {cid: local_day(exercise, as_utc(moment)) for cid, moment in rows if moment}


# ----- one plan's tracking, read once per page ----------------------------------------


class Tracking:
    """What the rules above read of a plan on a day, each read at most once: its
    commitments (without their approved revisions until `load_titles`), the progress
    recorded over the quarters the rules look at, the board, the inactivity warning and
    the assessment deadlines. A page that shows several of them reads one `tracking`."""

    def __init__(self, plan: ActionPlan, today: date | None = None):
        self.plan = plan
        self.exercise = plan.exercise
        self.today = today or today_of(self.exercise)

    @cached_property
    def commitments(self) -> list[Commitment]:
        return plan_commitments(self.plan, titles=False)

    def load_titles(self) -> None:
        """Make the commitments' `approved_title` readable without a query each."""
        load_titles(self.commitments)

    @cached_property
    def window(self) -> tuple[Quarter, Quarter] | None:
        return quiet_quarters(self.plan, self.today)

    @cached_property
    def timeline(self) -> list[Quarter]:
        return plan_quarters(self.plan)

    @cached_property
    def progress(self) -> Counter[tuple[int, Quarter]]:
        """The updates and reports per commitment and quarter, over the quarters the
        rules look at: the plan's timeline (the board's activity) and from the window's
        first quarter to today's (the flags and the warning)."""
        ends = [*self.timeline[:1], *self.timeline[-1:]]
        if self.window is not None:
            ends += [self.window[0], Quarter.of(self.today)]
        if not ends:
            return Counter()
        span = quarters(min(ends), max(ends))
        return progress_counts(self.exercise, [c.id for c in self.commitments], span)

    @cached_property
    def recorded(self) -> dict[int, set[Quarter]]:
        found: dict[int, set[Quarter]] = defaultdict(set)
        for commitment_id, quarter in self.progress:
            found[commitment_id].add(quarter)
        return found

    @cached_property
    def last_update(self) -> datetime | None:
        return last_update(self.exercise)

    @cached_property
    def board(self) -> Board:
        """The public tracking board, its commitments with their approved titles."""
        today, window, commitments = self.today, self.window, self.commitments
        self.load_titles()
        latest = latest_reports([c.id for c in commitments])
        rows = []
        for commitment in commitments:
            milestones = commitment.milestones
            waiting = sorted(
                (m for m in milestones if m.status not in FINISHED),
                key=lambda m: (m.ends_on or date.max, m.position),
            )
            rows.append(
                CommitmentProgress(
                    commitment=commitment,
                    status=overall_status(milestones),
                    complete=sum(m.status == MilestoneStatus.COMPLETE for m in milestones),
                    total=len(milestones),
                    next_milestone=waiting[0] if waiting else None,
                    overdue=[m for m in milestones if is_overdue(m, today)],
                    latest_report=latest.get(commitment.id),
                    flagged=is_flagged(commitment, self.recorded[commitment.id], window, today),
                )
            )
        activity = {q: 0 for q in self.timeline}
        for (_commitment_id, quarter), count in self.progress.items():
            if quarter in activity:
                activity[quarter] += count
        due = {q: 0 for q in self.timeline}
        for commitment in commitments:
            for milestone in commitment.milestones:
                if milestone.ends_on and Quarter.of(milestone.ends_on) in due:
                    due[Quarter.of(milestone.ends_on)] += 1
        return Board(self.plan, today, rows, self.timeline, activity, due)

    @cached_property
    def inactivity(self) -> Inactivity:
        exercise, window, updated = self.exercise, self.window, self.last_update
        if window is None:
            return Inactivity(None, False, False, updated)
        current = Quarter.of(self.today)
        progressed = any(
            window[0] <= q <= current for found in self.recorded.values() for q in found
        )
        unfinished = any(not is_finished(c) for c in self.commitments)
        no_update = updated is None or local_day(exercise, updated) < window[0].starts_on
        return Inactivity(window, unfinished and not progressed, no_update, updated)

    @cached_property
    def deadlines(self) -> list[Deadline]:
        """See `deadlines`; reading the commitments' titles needs `load_titles`."""
        plan, exercise, today = self.plan, self.exercise, self.today
        written = db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.exercise_id == exercise.id)
            .options(selectinload(Assessment.ratings))
        ).all()

        def find(kind, commitment_id=None):
            return next(
                (a for a in written if a.kind == kind and a.commitment_id == commitment_id),
                None,
            )

        submitted_on = local_day(exercise, plan.submitted_at) if plan.submitted_at else None
        found = [
            Deadline(
                AssessmentKind.INITIAL,
                None,
                add_months(submitted_on, 2) if submitted_on else None,
                find(AssessmentKind.INITIAL),
                today,
            )
        ]
        finished = finished_dates(exercise, self.commitments)
        for commitment in self.commitments:
            end = commitment_end(commitment, exercise.plan_ends_on, finished.get(commitment.id))
            found.append(
                Deadline(
                    AssessmentKind.COMMITMENT,
                    commitment,
                    add_months(end, 1) if end else None,
                    find(AssessmentKind.COMMITMENT, commitment.id),
                    today,
                )
            )
        plan_ends_on = exercise.plan_ends_on
        found.append(
            Deadline(
                AssessmentKind.FINAL,
                None,
                add_months(plan_ends_on, 2) if plan_ends_on else None,
                find(AssessmentKind.FINAL),
                today,
            )
        )
        return found


# The session's `Tracking` of each plan and day, until the session writes or its
# transaction ends.
SHARED = "coplat.tracking"


def tracking(plan: ActionPlan, today: date | None = None) -> Tracking:
    """The plan's `Tracking` on a day, shared by whatever reads it in the same session
    while nothing is written: the micro-site's home reads the commitments and their
    progress once for the six steps' requirements, the board and the warnings."""
    today = today or today_of(plan.exercise)
    if plan.id is None:
        return Tracking(plan, today)
    shared = db.session.info.setdefault(SHARED, {})
    if (plan.id, today) not in shared:
        shared[plan.id, today] = Tracking(plan, today)
    return shared[plan.id, today]


def _forget(session: Session) -> None:
    session.info.pop(SHARED, None)


@sa.event.listens_for(Session, "after_flush")
@sa.event.listens_for(Session, "after_transaction_end")
def _forget_after_writing(session: Session, *_context) -> None:
    _forget(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _forget_before_a_bulk_write(state) -> None:
    if not state.is_select:
        _forget(state.session)
