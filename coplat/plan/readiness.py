"""Everything that keeps the plan from being complete, computed from the record, and
submission, which waits until nothing is missing."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_date, lazy_ngettext
from flask_babel import lazy_gettext as _l

from coplat.accounts.models import Role, RoleAssignment
from coplat.commitments.enums import CommitmentStatus
from coplat.commitments.models import Commitment
from coplat.commitments.services import (
    commitments_of,
    fields,
    quality,
    untranslated,
    value_of,
)
from coplat.core.i18n import pick
from coplat.core.models import utcnow
from coplat.exercises.enums import STL_SECTORS, Sector
from coplat.exercises.forms import plan_period_error
from coplat.exercises.steps import Requirement
from coplat.extensions import db
from coplat.feedback.log import PENDING, pending_count
from coplat.plan.enums import NON_GOVERNMENTAL, PlanStatus
from coplat.plan.models import ActionPlan
from coplat.plan.services import (
    EndorsementState,
    Named,
    PlanError,
    check_draft,
    current_revision,
    endorsements_of,
    is_approved,
    limit_message,
    limit_of,
    named_in,
)
from coplat.plan.vision import FIELDS, OPTIONAL_KEYS, TEXT_KEYS
from coplat.tables.models import Attendance, TableSession, WorkingTable


@dataclass
class Group:
    title: object
    items: list[Requirement] = field(default_factory=list)

    @property
    def missing(self) -> list[Requirement]:
        return [item for item in self.items if not item.met]


@dataclass
class Readiness:
    requirements: Group  # OGP's four minimum requirements, always listed
    groups: list[Group]  # only what is missing
    # Each actor's latest endorsement, which the plan's page lists too: judging them
    # means fingerprinting the whole plan, done once.
    endorsements: list[EndorsementState]

    @property
    def missing(self) -> list[Requirement]:
        return [item for g in (self.requirements, *self.groups) for item in g.missing]

    @property
    def ready(self) -> bool:
        return not self.missing


def _title(commitment: Commitment) -> str:
    return pick(commitment.approved_title)[0] or f"#{commitment.id}"


# ----- OGP Local §3.3.1 ------------------------------------------------------------


def _stl_sectors(plan: ActionPlan) -> set[Sector]:
    return set(
        db.session.scalars(
            sa.select(RoleAssignment.sector).where(
                RoleAssignment.exercise_id == plan.exercise_id,
                RoleAssignment.role == Role.STL_MEMBER,
            )
        )
    )


def minimum_requirements(
    plan: ActionPlan, now: datetime, endorsements: list[EndorsementState] | None = None
) -> Group:
    exercise = plan.exercise
    sectors = _stl_sectors(plan)
    charter = exercise.stl_charter
    forum = bool(sectors) or charter is not None
    meetings = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(TableSession.id)))
        .join(WorkingTable)
        .join(Attendance, Attendance.session_id == TableSession.id)
        .where(
            WorkingTable.exercise_id == exercise.id,
            TableSession.starts_at <= now,
            Attendance.sector.in_(NON_GOVERNMENTAL),
        )
    )
    if sectors:
        forum_evidence = _l(
            "The STL: %(sectors)s",
            sectors=", ".join(s.label for s in STL_SECTORS if s in sectors),
        )
    elif charter is not None:
        forum_evidence = _l("The STL's rules of operation")
    else:
        forum_evidence = _l("No STL member yet")
    if endorsements is None:
        endorsements = endorsements_of(plan)
    endorsed = [s.endorsement for s in endorsements if not s.needs_renewal]
    return Group(
        _l("OGP's minimum co-creation requirements (OGP Local §3.3.1)"),
        [
            Requirement(
                _l("Forum: a space for co-creation exists (the STL or an equivalent)"),
                forum,
                forum_evidence,
                "exercises.step",
                {"number": 3},
            ),
            Requirement(
                _l("Regularity: at least one meeting with civil society during co-creation"),
                meetings > 0,
                lazy_ngettext(
                    "%(num)s session attended by non-governmental actors",
                    "%(num)s sessions attended by non-governmental actors",
                    meetings,
                ),
                "tables.index",
            ),
            Requirement(
                _l("Multi-stakeholder: government and non-governmental members in the space"),
                Sector.GOVERNMENT in sectors and bool(sectors & set(NON_GOVERNMENTAL)),
                ", ".join(s.label for s in Sector if s in sectors) or _l("No STL member yet"),
                "exercises.step",
                {"number": 3},
            ),
            Requirement(
                _l("Endorsement: non-governmental actors endorse the final plan"),
                bool(endorsed),
                ", ".join(e.actor.name for e in endorsed) or _l("No current endorsement"),
                "plan.show",
                {"_anchor": "endorsements"},
            ),
        ],
    )


# ----- the rest, listed only when missing ------------------------------------------


def _dates(plan: ActionPlan) -> Group:
    """The plan's period, then each held commitment's dates against it: the period may
    have moved since the STL approved a commitment (OGP Local §3.2.1.2)."""
    exercise = plan.exercise
    group = Group(_l("Dates"))
    start, end = exercise.plan_starts_on, exercise.plan_ends_on
    if start is None or end is None:
        problem = _l("Set the start and the end (1.2) of the plan's period.")
    else:
        error = plan_period_error(start, end, exercise.administration_ends)
        problem = error[1] if error else None
    if problem is not None:
        group.items.append(
            Requirement(problem, False, "", "plan.vision", {"_anchor": "field-plan_ends_on"})
        )
        return group
    for commitment in plan.commitments:
        if commitment.approved_revision is None:
            continue
        checks = quality(commitment.approved_revision.content, exercise)
        time_bound = next(c for c in checks if c.key == "time_bound")
        group.items += [
            Requirement(
                _l("“%(title)s”: %(problem)s", title=_title(commitment), problem=problem),
                False,
                "",
                "commitments.show",
                {"commitment_id": commitment.id},
            )
            for problem in time_bound.missing
        ]
    return group


def _commitments(plan: ActionPlan) -> Group:
    group = Group(_l("Commitments"))
    held = plan.commitments
    if not held:
        group.items.append(
            Requirement(_l("The plan holds no commitment yet."), False, "", "plan.show")
        )
    if len(held) > limit_of(plan):
        group.items.append(
            Requirement(
                _l("Too many commitments: %(rule)s", rule=limit_message(plan)),
                False,
                "",
                "plan.show",
            )
        )
    for commitment in held:
        args = {"commitment_id": commitment.id}
        if not is_approved(commitment):
            group.items.append(
                Requirement(
                    _l(
                        "“%(title)s” is no longer approved: remove it from the plan.",
                        title=_title(commitment),
                    ),
                    False,
                    "",
                    "commitments.show",
                    args,
                )
            )
        elif commitment.status != CommitmentStatus.APPROVED:
            group.items.append(
                Requirement(
                    _l(
                        "“%(title)s” has a change waiting for the STL: submit the plan once"
                        " the STL has decided on it.",
                        title=_title(commitment),
                    ),
                    False,
                    "",
                    "commitments.show",
                    args,
                )
            )
    held_ids = {c.id for c in held}
    for commitment in commitments_of(plan.exercise):
        if commitment.id in held_ids or commitment.status not in (
            CommitmentStatus.DRAFT,
            CommitmentStatus.IN_REVIEW,
        ):
            continue
        if commitment.approved_revision is None:
            group.items.append(
                Requirement(
                    _l(
                        "“%(title)s” is not approved: finish its review or withdraw it.",
                        title=_title(commitment),
                    ),
                    False,
                    commitment.status.label,
                    "commitments.show",
                    {"commitment_id": commitment.id},
                )
            )
    return group


def _vision(plan: ActionPlan) -> Group:
    group = Group(_l("Strategic vision (Annex 1): empty fields"))
    for vision_field in FIELDS:
        key = vision_field.key
        if key in OPTIONAL_KEYS or vision_field.kind in ("endorsements", "period"):
            continue
        if _empty(getattr(plan, key)):
            group.items.append(
                Requirement(
                    f"{vision_field.number}. {vision_field.label}",
                    False,
                    "",
                    "plan.vision",
                    {"_anchor": f"field-{key}"},
                )
            )
    return group


# The Annex 2 fields a commitment must fill; 4 (non-governmental implementers), 5 (other
# actors) and 16 (additional information) are optional in the template.
ANNEX_2_REQUIRED = (
    "title",
    "dates",
    "government",
    "problem",
    "status_quo",
    "action",
    "contribution",
    "vision_objective",
    "policy_areas",
    "policy_sectors",
    "ogp_values",
    "resources",
    "resources_available",
    "milestones",
)
MILESTONE_REQUIRED = ("output", "starts_on", "ends_on", "institution")
RESOURCES = ("budget_amount", "staff", "months", "other_resources")


def _empty(value) -> bool:
    """No text in any language, no choice, no row; dates and resources are empty when
    any date, or every resource, is."""
    if isinstance(value, dict) and "starts_on" in value:
        return not (value["starts_on"] and value["ends_on"])
    if isinstance(value, dict) and "budget_amount" in value:
        # A currency alone is no resource.
        return all(_empty(value[key]) for key in RESOURCES)
    if isinstance(value, dict):
        return not any((t or "").strip() for t in value.values() if isinstance(t, str))
    return value in (None, "", [])


def _annex_2(plan: ActionPlan) -> Group:
    group = Group(_l("Commitments (Annex 2): empty fields"))
    for commitment in plan.commitments:
        if commitment.approved_revision is None:
            continue
        content = commitment.approved_revision.content
        empty = [
            f"{f.number}. {f.label}"
            for f in fields()
            if f.key in ANNEX_2_REQUIRED and _empty(value_of(content, f.key))
        ]
        for number, row in enumerate(content.get("milestones") or [], start=1):
            if any(_empty(row.get(key)) for key in MILESTONE_REQUIRED):
                empty.append(str(_l("17. Milestone %(number)s", number=number)))
        if empty:
            group.items.append(
                Requirement(
                    _l(
                        "“%(title)s”: %(fields)s", title=_title(commitment), fields="; ".join(empty)
                    ),
                    False,
                    "",
                    "commitments.edit",
                    {"commitment_id": commitment.id},
                )
            )
    return group


def _translations(plan: ActionPlan) -> Group:
    exercise = plan.exercise
    group = Group(_l("Missing English translations"))
    if "en" not in exercise.languages:
        # OGP Local §3.2: the plan reaches OGP in English.
        group.items.append(
            Requirement(
                _l("English is not a content language of the exercise: add it in the settings."),
                False,
                "",
                "exercises.edit",
            )
        )
        return group
    for vision_field in FIELDS:
        if vision_field.key not in TEXT_KEYS:
            continue
        if not _lacks_english(getattr(plan, vision_field.key)):
            continue
        group.items.append(
            Requirement(
                _l(
                    "Strategic vision, %(field)s",
                    field=f"{vision_field.number}. {vision_field.label}",
                ),
                False,
                "",
                "plan.vision",
                {"_anchor": f"field-{vision_field.key}"},
            )
        )
    for attachment in plan.attachments:
        if _lacks_english(attachment.title):
            group.items.append(
                Requirement(
                    _l("8. Title of the attachment “%(title)s”", title=pick(attachment.title)[0]),
                    False,
                    "",
                    "plan.vision",
                    {"_anchor": "field-attachments"},
                )
            )
    if _lacks_english(exercise.name):
        group.items.append(Requirement(_l("The name of the exercise"), False, "", "exercises.edit"))
    commitments = plan.commitments
    named = named_in(commitments)
    for commitment in commitments:
        if commitment.approved_revision is None:
            continue
        group.items += _named_elsewhere(commitment, named)
        for name in untranslated(commitment.approved_revision.content, exercise):
            group.items.append(
                Requirement(
                    _l("“%(title)s”: %(field)s", title=_title(commitment), field=name),
                    False,
                    "",
                    "commitments.edit",
                    {"commitment_id": commitment.id},
                )
            )
    return group


def _lacks_english(value: dict | None) -> bool:
    return not _empty(value) and not ((value or {}).get("en") or "").strip()


def _named_elsewhere(commitment: Commitment, named: Named) -> list[Requirement]:
    """The topic and the strategic causes a commitment names print with it; their texts
    are written at the consultation and in the problem tree."""
    content = commitment.approved_revision.content
    items = []
    topic = named.topic(content)
    if topic is not None and _lacks_english(topic.title):
        items.append(
            Requirement(
                _l("The title of the topic “%(title)s”", title=pick(topic.title)[0]),
                False,
                "",
                "consultation.edit_topic",
                {"topic_id": topic.id},
            )
        )
    for node in named.causes(content):
        if _lacks_english(node.text):
            items.append(
                Requirement(
                    _l("The strategic cause “%(text)s”", text=pick(node.text)[0]),
                    False,
                    "",
                    "tables.tree",
                    {"table_id": node.table_id},
                )
            )
    return items


def _log(plan: ActionPlan) -> Group:
    group = Group(_l("Feedback log"))
    waiting = pending_count(plan.exercise)
    if waiting:
        group.items.append(
            Requirement(
                lazy_ngettext(
                    "%(num)s citizen input waits for its decision in the feedback log",
                    "%(num)s citizen inputs wait for their decision in the feedback log",
                    waiting,
                ),
                False,
                "",
                "feedback.index",
                {"decision": PENDING},
            )
        )
    return group


def _renewals(plan: ActionPlan, endorsements: list[EndorsementState]) -> Group:
    group = Group(_l("Endorsements to renew"))
    for state in endorsements:
        if state.needs_renewal:
            endorsement = state.endorsement
            group.items.append(
                Requirement(
                    _l(
                        "%(actor)s endorsed revision %(number)s on %(date)s; the plan changed"
                        " since, so the endorsement needs renewing.",
                        actor=endorsement.actor.name,
                        number=endorsement.revision.number,
                        date=format_date(
                            plan.exercise.to_local(endorsement.endorsed_at).date(), "medium"
                        ),
                    ),
                    False,
                    "",
                    "plan.show",
                    {"_anchor": "endorsements"},
                )
            )
    return group


def readiness(plan: ActionPlan, now: datetime | None = None) -> Readiness:
    now = now or utcnow()
    endorsements = endorsements_of(plan)
    groups = [
        _dates(plan),
        _commitments(plan),
        _vision(plan),
        _annex_2(plan),
        _translations(plan),
        _log(plan),
        _renewals(plan, endorsements),
    ]
    return Readiness(
        minimum_requirements(plan, now, endorsements),
        [g for g in groups if g.items],
        endorsements,
    )


def submit(plan: ActionPlan, user, now: datetime | None = None) -> None:
    """Send the plan to OGP: refused while the readiness check finds anything missing.
    The commitments' six-month window for changes starts here (OGP Local §3.2.1.3)."""
    check_draft(plan)
    now = now or utcnow()
    if not readiness(plan, now).ready:
        raise PlanError(
            _l("The plan cannot be submitted yet: the readiness check lists what is missing.")
        )
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = now
    plan.submitted_by = user
    plan.submitted_revision = current_revision(plan, user, now)
    for commitment in plan.commitments:
        commitment.submitted_at = commitment.submitted_at or now
