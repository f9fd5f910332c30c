"""The six INAI steps: what each requires, its status, and closing it in order."""

from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import format_date, lazy_ngettext
from flask_babel import lazy_gettext as _l

from coplat.accounts.models import Role
from coplat.commitments.services import progress
from coplat.core.i18n import missing_languages
from coplat.core.models import utcnow
from coplat.exercises.enums import STL_SECTORS, Seat
from coplat.exercises.models import Exercise, Step
from coplat.feedback.log import PENDING, pending_count
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan
from coplat.plan.services import find_plan
from coplat.tables.services import tables_ready
from coplat.tracking import rules
from coplat.tracking.enums import AssessmentKind

STEP_TITLES = {
    1: _l("Launch"),
    2: _l("Awareness and outreach"),
    3: _l("Setting up the Local Technical Secretariat (STL)"),
    4: _l("Participatory working tables"),
    5: _l("Launch and implementation of the Local Action Plan"),
    6: _l("Follow-up, monitoring and evaluation"),
}

STEP_SUMMARIES = {
    1: _l(
        "Government, civil society and the guarantor body sign a joint declaration of "
        "political will to open the exercise."
    ),
    2: _l(
        "Awareness events explain what open government is and invite organisations and "
        "people to join the exercise."
    ),
    3: _l(
        "The three sectors install the STL with a titular (and optionally an alternate) "
        "each, agree its rules, elect a facilitator and set an annual work agenda."
    ),
    4: _l(
        "Working tables find the causes of each prioritised problem and turn solutions "
        "into commitments with activities, products and indicators."
    ),
    5: _l(
        "The action plan gathers every commitment, is presented at a public event and "
        "its implementation starts."
    ),
    6: _l(
        "A public micro-site with all evidence and a tracking board; monitoring at six "
        "months and an evaluation at the end of the plan."
    ),
}


class StepStatus(StrEnum):
    CLOSED = "closed"
    CURRENT = "current"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return str(
            {
                StepStatus.CLOSED: _l("Closed"),
                StepStatus.CURRENT: _l("In progress"),
                StepStatus.PENDING: _l("Not started"),
            }[self]
        )


@dataclass(frozen=True)
class Requirement:
    text: str
    met: bool
    # What the record holds towards it, and the page that shows it: an endpoint that
    # takes the exercise's slug.
    evidence: str = ""
    endpoint: str = ""
    # The endpoint's query: the filter that shows what is missing.
    args: dict = field(default_factory=dict)


class StepError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _declaration_requirements(exercise: Exercise) -> list[Requirement]:
    declaration = exercise.declaration
    signed = declaration.signed_sectors if declaration else set()
    found = [
        Requirement(
            _l("Signed by a representative of %(sector)s", sector=sector.label), sector in signed
        )
        for sector in STL_SECTORS
    ]
    return [
        *found,
        Requirement(_l("Date of signature"), bool(declaration and declaration.signed_on)),
        Requirement(
            _l("The signed document (PDF) or a link to it"),
            bool(declaration and (declaration.document_id or declaration.link)),
        ),
    ]


def _awareness_requirements(exercise: Exercise) -> list[Requirement]:
    return [
        Requirement(
            _l("At least one awareness event with its attendees counted by sector"),
            any(event.total_attendees > 0 for event in exercise.awareness_events),
        ),
        Requirement(
            _l("The actors (organisations or people) who joined the exercise, with their sector"),
            bool(exercise.actors),
        ),
    ]


def _stl_requirements(exercise: Exercise) -> list[Requirement]:
    titular_sectors = {
        a.sector
        for a in exercise.assignments
        if a.role == Role.STL_MEMBER and a.seat == Seat.TITULAR
    }
    charter = exercise.stl_charter
    return [
        *[
            Requirement(
                _l("A titular for %(sector)s", sector=sector.label), sector in titular_sectors
            )
            for sector in STL_SECTORS
        ],
        Requirement(
            _l("The STL's minimum rules of operation"),
            bool(charter and "es" not in missing_languages(charter.rules, ["es"])),
        ),
        Requirement(
            _l("The elected facilitator"),
            any(a.role == Role.FACILITATOR for a in exercise.assignments),
        ),
        Requirement(_l("The STL's annual work agenda"), bool(exercise.agenda_items)),
    ]


def _consultation_requirement(exercise: Exercise) -> Requirement:
    # NOSC stage 2: the public consultation decides which topics go to the tables.
    consultation = exercise.consultation
    return Requirement(
        _l("A public topic consultation, closed, whose topics the STL prioritised"),
        bool(consultation and consultation.prioritised_at),
    )


def _commitment_requirements(exercise: Exercise) -> list[Requirement]:
    # NOSC stages 6–7: the tables' proposals become commitments the three sectors approve.
    counts = progress(exercise)
    return [
        Requirement(
            _l("At least one commitment approved by the three sectors of the STL"),
            counts.approved > 0,
            lazy_ngettext(
                "%(num)s commitment approved", "%(num)s commitments approved", counts.approved
            ),
            "commitments.index",
        ),
        Requirement(
            _l("No commitment left in draft or in STL review"),
            counts.waiting == 0,
            lazy_ngettext(
                "%(num)s commitment in draft or in review",
                "%(num)s commitments in draft or in review",
                counts.waiting,
            ),
            "commitments.index",
        ),
    ]


def _inputs_decided_requirement(exercise: Exercise) -> Requirement:
    # OGP Local §3.3.2: every input gets its answer before the step closes.
    waiting = pending_count(exercise)
    return Requirement(
        _l("Every citizen input has its decision in the feedback log, with its reason"),
        waiting == 0,
        lazy_ngettext("%(num)s input waiting", "%(num)s inputs waiting", waiting),
        "feedback.index",
        {"decision": PENDING},
    )


def _plan_requirement(plan: ActionPlan) -> Requirement:
    # INAI step 5: one plan with every approved commitment, sent to OGP once the
    # readiness check finds nothing missing.
    status = plan.status
    return Requirement(
        _l("The action plan, complete and submitted to OGP"),
        status != PlanStatus.DRAFT,
        status.label,
        "plan.show",
    )


def _launch_requirement(plan: ActionPlan) -> Requirement:
    # INAI step 5: the plan presented at a public event, whose date starts implementation.
    return Requirement(
        _l("The public launch event that starts implementation"),
        plan.launched_on is not None,
        _l("Launched on %(day)s", day=format_date(plan.launched_on)) if plan.launched_on else "",
        "tracking.launch",
    )


def _monitoring_requirements(exercise: Exercise) -> list[Requirement]:
    # INAI step 6 and OGP Local §3.5, §4.1: a board kept up to date and the monitoring
    # body's assessments; the final learning exercise, published once the plan has ended,
    # is what closes the step (the per-commitment ones show on the assessments page).
    plan = find_plan(exercise)
    # Shared with the rest of the page (the micro-site's home reads the same).
    tracking = rules.tracking(plan)
    state = tracking.inactivity if plan.is_launched else None
    due = tracking.deadlines if plan.status != PlanStatus.DRAFT else []
    published = {d.kind for d in due if d.commitment is None and d.published_on}
    return [
        Requirement(
            _l("A public tracking board updated periodically"),
            state is not None and not state.inactive,
            _l(
                "Last update: %(day)s",
                day=format_date(rules.local_day(exercise, state.last_update)),
            )
            if state and state.last_update
            else "",
            "site.board",
        ),
        Requirement(
            _l("The monitoring body's initial assessment, published"),
            AssessmentKind.INITIAL in published,
            "",
            "tracking.assessments",
        ),
        Requirement(
            _l("The final learning exercise, published after the plan's end"),
            AssessmentKind.FINAL in published,
            "",
            "tracking.assessments",
        ),
    ]


def requirements(exercise: Exercise, number: int) -> list[Requirement]:
    match number:
        case 1:
            return _declaration_requirements(exercise)
        case 2:
            return _awareness_requirements(exercise)
        case 3:
            return _stl_requirements(exercise)
        case 4:
            readiness = tables_ready(exercise)
            return [
                _consultation_requirement(exercise),
                Requirement(
                    _l("Every prioritised topic worked at a table, with minutes of its sessions"),
                    readiness.with_minutes,
                ),
                Requirement(
                    _l("A problem tree with at least one strategic cause per topic"),
                    readiness.with_strategic_cause,
                ),
                _inputs_decided_requirement(exercise),
                *_commitment_requirements(exercise),
            ]
        case 5:
            plan = find_plan(exercise)
            return [_plan_requirement(plan), _launch_requirement(plan)]
        case 6:
            return _monitoring_requirements(exercise)
    raise ValueError(number)


def status(step: Step) -> StepStatus:
    if step.is_closed:
        return StepStatus.CLOSED
    earlier_open = any(not s.is_closed for s in step.exercise.steps if s.number < step.number)
    return StepStatus.PENDING if earlier_open else StepStatus.CURRENT


def close_step(exercise: Exercise, number: int, user) -> Step:
    """Close a step: only in order, only when its requirements hold. Caller commits."""
    step = exercise.step(number)
    if step.is_closed:
        raise StepError(_l("This step is already closed."))
    if status(step) != StepStatus.CURRENT:
        raise StepError(_l("Close the earlier steps first: steps close in order."))
    unmet = [r for r in requirements(exercise, number) if not r.met]
    if unmet:
        raise StepError(_l("This step cannot close yet: some requirements are missing."))
    step.closed_at = utcnow()
    step.closed_by = user
    return step
