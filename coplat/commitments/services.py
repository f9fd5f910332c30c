"""The rules of commitments, free of requests. Callers commit.

A commitment's content travels as one plain dict (`content_of`): the form fills it, the
quality check reads it, each revision stores it, and two revisions are compared key by
key. Its keys are the form's field names."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from coplat.accounts.models import Role
from coplat.commitments.enums import (
    AmbitionLevel,
    Branch,
    CommitmentStatus,
    ImplementerKind,
    MilestoneStatus,
    OgpValue,
    PolicyArea,
    PolicySector,
    ResourcesAvailable,
    ReviewOutcome,
    Verdict,
    sdg_label,
)
from coplat.commitments.models import (
    Commitment,
    CommitmentRevision,
    Implementer,
    Milestone,
    Review,
    RevisionComment,
    SectorDecision,
)
from coplat.consultation.models import Topic
from coplat.core.forms import RefusedInput
from coplat.core.models import utcnow
from coplat.exercises.enums import STL_SECTORS, Seat, Sector
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.services import DECIDERS, record_decision
from coplat.tables.enums import NodeKind
from coplat.tables.models import Proposal, TreeNode, WorkingTable

# OGP Local §3.2.1.3: no change later than six months after the commitment's submission.
CHANGE_WINDOW_MONTHS = 6
MAX_ROWS = 30


class CommitmentError(RefusedInput):
    pass


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def commitments_of(exercise: Exercise) -> list[Commitment]:
    return db.session.scalars(
        sa.select(Commitment).where(Commitment.exercise_id == exercise.id).order_by(Commitment.id)
    ).all()


def topics_with_table(exercise: Exercise) -> list[tuple[Topic, WorkingTable]]:
    return db.session.execute(
        sa.select(Topic, WorkingTable)
        .join(WorkingTable, WorkingTable.topic_id == Topic.id)
        .where(WorkingTable.exercise_id == exercise.id)
        .order_by(WorkingTable.id)
    ).all()


def strategic_causes_by_topic(exercise: Exercise) -> dict[int, list[TreeNode]]:
    rows = db.session.execute(
        sa.select(WorkingTable.topic_id, TreeNode)
        .join(TreeNode, TreeNode.table_id == WorkingTable.id)
        .where(
            WorkingTable.exercise_id == exercise.id,
            TreeNode.kind == NodeKind.CAUSE,
            TreeNode.strategic.is_(True),
        )
        .order_by(TreeNode.id)
    ).all()
    causes: dict[int, list[TreeNode]] = {}
    for topic_id, node in rows:
        causes.setdefault(topic_id, []).append(node)
    return causes


# ----- content ------------------------------------------------------------------

TEXT_FIELDS = (
    "title",
    "problem",
    "status_quo",
    "action",
    "contribution",
    "vision_objective",
    "other_resources",
    "additional_information",
    "gender_perspective",
)
IMPLEMENTER_LISTS = {
    "government": ImplementerKind.GOVERNMENT,
    "non_governmental": ImplementerKind.NON_GOVERNMENTAL,
    "other": ImplementerKind.OTHER,
}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def content_of(commitment: Commitment) -> dict:
    content = {name: dict(getattr(commitment, name) or {}) for name in TEXT_FIELDS}
    content.update(
        topic=commitment.topic_id,
        causes=sorted(node.id for node in commitment.causes),
        starts_on=_iso(commitment.starts_on),
        ends_on=_iso(commitment.ends_on),
        policy_areas=list(commitment.policy_areas or []),
        policy_sectors=list(commitment.policy_sectors or []),
        ogp_values=list(commitment.ogp_values or []),
        budget_amount=str(commitment.budget_amount)
        if commitment.budget_amount is not None
        else None,
        budget_currency=commitment.budget_currency or "",
        staff=commitment.staff,
        months=commitment.months,
        resources_available=commitment.resources_available.value
        if commitment.resources_available
        else None,
        ambition=commitment.ambition.value if commitment.ambition else None,
        sdgs=sorted(commitment.sdgs or []),
        withdrawn=commitment.withdrawn,
        milestones=[
            {
                "output": dict(m.output or {}),
                "starts_on": _iso(m.starts_on),
                "ends_on": _iso(m.ends_on),
                "institution": m.institution,
                "contact": m.contact,
                "status": m.status.value,
                "indicator": dict(m.indicator or {}),
            }
            for m in commitment.milestones
        ],
    )
    for name, kind in IMPLEMENTER_LISTS.items():
        content[name] = [
            {
                "institution": i.institution,
                "branch": i.branch.value if i.branch else None,
                "contact_name": i.contact_name,
                "contact_title": dict(i.contact_title or {}),
                "email": i.email,
                "role": dict(i.role or {}),
            }
            for i in commitment.implementers_of(kind)
        ]
    return content


def apply_content(commitment: Commitment, content: dict) -> None:
    """Write a content dict (as `content_of` returns it; a milestone row may carry its
    milestone's `id`, see `form_content`) to the commitment's columns."""
    for name in TEXT_FIELDS:
        setattr(commitment, name, dict(content.get(name) or {}))
    topic_id = content.get("topic")
    topics = {topic.id: topic for topic, _table in topics_with_table(commitment.exercise)}
    if topic_id and topic_id not in topics:
        raise CommitmentError(_l("Choose a topic that has a working table."), field="topic")
    commitment.topic = topics.get(topic_id)
    allowed = {
        node.id: node
        for node in strategic_causes_by_topic(commitment.exercise).get(topic_id or 0, [])
    }
    unknown = set(content.get("causes") or []) - set(allowed)
    if unknown:
        raise CommitmentError(
            _l("Choose strategic causes of the chosen topic's table."), field="causes"
        )
    commitment.causes = [allowed[i] for i in sorted(content.get("causes") or [])]
    commitment.starts_on = _day(content.get("starts_on"))
    commitment.ends_on = _day(content.get("ends_on"))
    commitment.policy_areas = list(content.get("policy_areas") or [])
    commitment.policy_sectors = list(content.get("policy_sectors") or [])
    commitment.ogp_values = list(content.get("ogp_values") or [])
    amount = content.get("budget_amount")
    commitment.budget_amount = Decimal(amount) if amount not in (None, "") else None
    commitment.budget_currency = (content.get("budget_currency") or "").upper()
    commitment.staff = content.get("staff")
    commitment.months = content.get("months")
    available = content.get("resources_available")
    commitment.resources_available = ResourcesAvailable(available) if available else None
    ambition = content.get("ambition")
    commitment.ambition = AmbitionLevel(ambition) if ambition else None
    commitment.sdgs = sorted(content.get("sdgs") or [])
    commitment.withdrawn = bool(content.get("withdrawn"))
    commitment.milestones = _milestones(commitment, content.get("milestones") or [])
    commitment.implementers = [
        Implementer(
            kind=kind,
            position=position,
            institution=row.get("institution") or "",
            branch=Branch(row["branch"]) if row.get("branch") else None,
            contact_name=row.get("contact_name") or "",
            contact_title=dict(row.get("contact_title") or {}),
            email=row.get("email") or "",
            role=dict(row.get("role") or {}),
        )
        for name, kind in IMPLEMENTER_LISTS.items()
        for position, row in enumerate(content.get(name) or [])
    ]


def _row_id(row: dict) -> int | None:
    value = row.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isascii() and text.isdigit() else None


def _milestones(commitment: Commitment, rows: list[dict]) -> list[Milestone]:
    """The milestone rows the content's rows become. A milestone keeps its row, and so
    the updates and evidence that name it, through an edit: a row carrying the id of one
    of this commitment's milestones (the edit form does) takes that milestone, a row
    without one the milestone whose output it repeats word for word (the demo, tests);
    any other row is a new milestone. Milestones left unmatched are dropped.

    Once the commitment is submitted with the plan, implementers report each milestone's
    status on the tracking page (with its date, author and history), so an edit keeps the
    stored status and a new milestone starts "not started"."""
    unmatched = list(commitment.milestones)
    by_id = {m.id: m for m in unmatched if m.id is not None}
    kept: dict[int, Milestone] = {}
    for position, row in enumerate(rows):
        same = by_id.get(_row_id(row))
        if same is not None and same in unmatched:
            kept[position] = same
            unmatched.remove(same)
    for position, row in enumerate(rows):
        if position in kept:
            continue
        same = next((m for m in unmatched if m.output == row.get("output")), None)
        if same is not None:
            kept[position] = same
            unmatched.remove(same)
    tracked = commitment.submitted_at is not None
    milestones = []
    for position, row in enumerate(rows):
        milestone = kept.get(position) or Milestone()
        milestone.position = position
        milestone.output = dict(row.get("output") or {})
        milestone.starts_on = _day(row.get("starts_on"))
        milestone.ends_on = _day(row.get("ends_on"))
        milestone.institution = row.get("institution") or ""
        milestone.contact = row.get("contact") or ""
        if not tracked:
            milestone.status = MilestoneStatus(row.get("status") or MilestoneStatus.NOT_STARTED)
        elif position not in kept:
            milestone.status = MilestoneStatus.NOT_STARTED
        milestone.indicator = dict(row.get("indicator") or {})
        milestones.append(milestone)
    return milestones


def form_content(commitment: Commitment) -> dict:
    """`content_of` with each milestone's id in its row, as the edit form carries it so
    that `apply_content` gives every milestone back its own row. Revisions store
    `content_of`, free of ids."""
    content = content_of(commitment)
    for row, milestone in zip(content["milestones"], commitment.milestones, strict=True):
        row["id"] = milestone.id
    return content


# ----- how content is shown and compared ----------------------------------------


@dataclass(frozen=True)
class Field:
    """A field as pages show it: `number` is the Annex 2 numbering ("" beyond it)."""

    key: str
    number: str
    label: str
    kind: str  # text, dates, choices, money, implementers, milestones, causes, flag


def fields() -> list[Field]:
    return [
        Field("topic", "", str(_l("Topic")), "topic"),
        Field("causes", "", str(_l("Strategic causes it attacks")), "causes"),
        Field("title", "1", str(_l("Title")), "text"),
        Field("dates", "2", str(_l("Start and end date")), "dates"),
        Field("government", "3", str(_l("Implementing government institutions")), "rows"),
        Field("non_governmental", "4", str(_l("Non-governmental implementing actors")), "rows"),
        Field("other", "5", str(_l("Other actors involved in implementation")), "rows"),
        Field("problem", "6", str(_l("Problem")), "text"),
        Field("status_quo", "7", str(_l("Status quo")), "text"),
        Field("action", "8", str(_l("Action")), "text"),
        Field("contribution", "9", str(_l("How it contributes to solving the problem")), "text"),
        Field(
            "vision_objective",
            "10",
            str(_l("Long-term objective of the strategic vision it relates to")),
            "text",
        ),
        Field("policy_areas", "11", str(_l("Policy areas")), "choices"),
        Field("policy_sectors", "12", str(_l("Sectors")), "choices"),
        Field("ogp_values", "13", str(_l("OGP values it is relevant to")), "choices"),
        Field("resources", "14", str(_l("Resources needed")), "resources"),
        Field("resources_available", "15", str(_l("Resources available")), "choices"),
        Field("additional_information", "16", str(_l("Additional information")), "text"),
        Field("milestones", "17", str(_l("Milestones")), "milestones"),
        Field("ambition", "", str(_l("Ambition level")), "choices"),
        Field("sdgs", "", str(_l("2030 Agenda goals")), "choices"),
        Field("gender_perspective", "", str(_l("Gender perspective")), "text"),
        Field("withdrawn", "", str(_l("Withdrawn from the plan")), "flag"),
    ]


def value_of(content: dict, key: str):
    """The part of a content dict one field shows."""
    if key == "dates":
        return {"starts_on": content.get("starts_on"), "ends_on": content.get("ends_on")}
    if key == "resources":
        return {
            name: content.get(name)
            for name in ("budget_amount", "budget_currency", "staff", "months", "other_resources")
        }
    return content.get(key)


CHOICE_LABELS = {
    "branch": Branch,
    "milestone_status": MilestoneStatus,
    "policy_areas": PolicyArea,
    "policy_sectors": PolicySector,
    "ogp_values": OgpValue,
    "resources_available": ResourcesAvailable,
    "ambition": AmbitionLevel,
}


def labels_of(key: str, value) -> list[str]:
    """A closed-list field's values as their labels, in the reader's language."""
    values = value if isinstance(value, list) else ([value] if value else [])
    if key == "sdgs":
        return [f"{n}. {sdg_label(n)}" for n in values]
    enum = CHOICE_LABELS[key]
    return [enum(v).label for v in values]


@dataclass(frozen=True)
class Change:
    field: Field
    before: object
    after: object


def compare(before: dict, after: dict) -> list[Change]:
    """The fields whose value differs between two contents, in the template's order."""
    return [
        Change(f, value_of(before, f.key), value_of(after, f.key))
        for f in fields()
        if value_of(before, f.key) != value_of(after, f.key)
    ]


# ----- quality check --------------------------------------------------------------


@dataclass
class Characteristic:
    """One of the five characteristics OGP Local §3.2.1.2 asks of every commitment."""

    key: str
    label: str
    missing: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.missing


def _has_text(value: dict | None) -> bool:
    return any((text or "").strip() for text in (value or {}).values())


def quality(content: dict, exercise: Exercise) -> list[Characteristic]:
    """Computed from a content dict, saved or just typed; it never blocks saving."""
    relevant = Characteristic("relevant", str(_l("Relevant")))
    if not content.get("ogp_values"):
        relevant.missing.append(str(_l("Choose at least one OGP value (13).")))

    specific = Characteristic("specific", str(_l("Specific")))
    for key, message in (
        ("problem", _l("Describe the problem (6).")),
        ("status_quo", _l("Describe the status quo (7).")),
        ("action", _l("Describe the action (8).")),
    ):
        if not _has_text(content.get(key)):
            specific.missing.append(str(message))

    verifiable = Characteristic("verifiable", str(_l("Verifiable")))
    milestones = content.get("milestones") or []
    if not milestones:
        verifiable.missing.append(str(_l("Add at least one milestone (17).")))
    for number, row in enumerate(milestones, start=1):
        if not _has_text(row.get("output")):
            verifiable.missing.append(
                str(_l("Milestone %(number)s: describe its output.", number=number))
            )
        if not (row.get("starts_on") and row.get("ends_on")):
            verifiable.missing.append(
                str(_l("Milestone %(number)s: give its start and end dates.", number=number))
            )

    responsible = Characteristic("responsible", str(_l("Responsible")))
    if not any(
        (row.get("institution") or "").strip()
        and (row.get("contact_name") or "").strip()
        and (row.get("email") or "").strip()
        for row in content.get("government") or []
    ):
        responsible.missing.append(
            str(_l("Name an implementing government institution with a contact and email (3)."))
        )

    time_bound = Characteristic("time_bound", str(_l("Time-bound")))
    starts_on, ends_on = _day(content.get("starts_on")), _day(content.get("ends_on"))
    if not (starts_on and ends_on):
        time_bound.missing.append(str(_l("Give the start and end dates (2).")))
    else:
        if ends_on < add_months(starts_on, 12) - timedelta(days=1):
            time_bound.missing.append(str(_l("A commitment lasts at least one calendar year.")))
        if exercise.plan_starts_on is None or exercise.plan_ends_on is None:
            time_bound.missing.append(str(_l("The action plan's period is not set yet.")))
        elif starts_on < exercise.plan_starts_on or ends_on > exercise.plan_ends_on:
            time_bound.missing.append(
                str(
                    _l(
                        "The dates fall outside the action plan's period (%(start)s to %(end)s).",
                        start=exercise.plan_starts_on.isoformat(),
                        end=exercise.plan_ends_on.isoformat(),
                    )
                )
            )
        for number, row in enumerate(milestones, start=1):
            start, end = _day(row.get("starts_on")), _day(row.get("ends_on"))
            if (start and start < starts_on) or (end and end > ends_on):
                time_bound.missing.append(
                    str(
                        _l(
                            "Milestone %(number)s falls outside the commitment's dates.",
                            number=number,
                        )
                    )
                )
    return [relevant, specific, verifiable, responsible, time_bound]


def untranslated(content: dict, exercise: Exercise, language: str = "en") -> list[str]:
    """The fields written in Spanish and not yet in `language`, as "number. label"."""
    if language not in exercise.languages:
        return []
    by_key = {f.key: f for f in fields()}
    # Other resources are a part of field 14, which has no text field of its own.
    by_key["other_resources"] = by_key["resources"]

    def lacks(value) -> bool:
        return _has_text(value) and not (value or {}).get(language, "").strip()

    def named(field: Field) -> str:
        return f"{field.number}. {field.label}" if field.number else field.label

    missing = [named(by_key[key]) for key in TEXT_FIELDS if lacks(content.get(key))]
    for name in IMPLEMENTER_LISTS:
        for number, row in enumerate(content.get(name) or [], start=1):
            if lacks(row.get("contact_title")) or lacks(row.get("role")):
                missing.append(f"{named(by_key[name])} ({number})")
    for number, row in enumerate(content.get("milestones") or [], start=1):
        if lacks(row.get("output")) or lacks(row.get("indicator")):
            missing.append(str(_l("17. Milestone %(number)s", number=number)))
    return missing


# ----- drafting and revisions -----------------------------------------------------


def check_changeable(commitment: Commitment, now: datetime | None = None) -> None:
    if commitment.status == CommitmentStatus.WITHDRAWN:
        raise CommitmentError(_l("This commitment was withdrawn; it no longer changes."))
    if commitment.submitted_at is not None:
        # Days as people there count them: in the exercise's time zone.
        exercise = commitment.exercise
        submitted_on = exercise.to_local(commitment.submitted_at).date()
        limit = add_months(submitted_on, CHANGE_WINDOW_MONTHS)
        if exercise.to_local(now or utcnow()).date() > limit:
            raise CommitmentError(
                _l(
                    "OGP Local accepts changes to a commitment for six months after its"
                    " submission; this one was submitted on %(day)s, so the time for"
                    " changes ended on %(limit)s.",
                    day=submitted_on.isoformat(),
                    limit=limit.isoformat(),
                )
            )


def create(exercise: Exercise, content: dict, user, now: datetime | None = None) -> Commitment:
    commitment = Commitment(
        exercise=exercise, created_by_id=user.id, title={}, created_at=now or utcnow()
    )
    db.session.add(commitment)
    save(commitment, content, user, now=now)
    return commitment


def save(
    commitment: Commitment,
    content: dict,
    user,
    *,
    reason: dict | None = None,
    now: datetime | None = None,
) -> CommitmentRevision | None:
    """Store the content as a new revision; None when nothing changed. An edit during
    review starts the review over on the new revision; a change to an approved
    commitment needs a reason and goes back to the STL. Once the commitment is
    submitted, its milestones' statuses are the implementers' (see `apply_content`):
    a difference in them alone is no change. A refused change leaves the caller to roll
    the session back."""
    now = now or utcnow()
    check_changeable(commitment, now)
    was_approved = commitment.approved_revision_id is not None
    apply_content(commitment, content)
    db.session.flush()
    db.session.refresh(commitment)  # reload the children in their order
    snapshot = content_of(commitment)
    latest = commitment.latest_revision
    if latest is not None and _same(latest.content, snapshot, commitment.submitted_at is not None):
        return None
    if was_approved and not (reason or {}).get("es"):
        raise CommitmentError(
            _l("Say why the approved commitment changes, in Spanish at least."),
            field="change_reason",
        )
    revision = CommitmentRevision(
        commitment=commitment,
        number=(latest.number + 1) if latest else 1,
        content=snapshot,
        author_id=user.id,
        created_at=now,
        change_reason=dict(reason or {}) if was_approved else {},
    )
    db.session.add(revision)
    review = commitment.open_review
    if review is not None:
        _close(review, ReviewOutcome.RESTARTED, now)
        _open_review(commitment, revision, user, now)
    elif commitment.status == CommitmentStatus.APPROVED:
        _open_review(commitment, revision, user, now)
    return revision


def _same(before: dict, after: dict, tracked: bool) -> bool:
    """Whether two contents say the same; once tracked, milestones' statuses aside."""
    if before == after:
        return True
    if not tracked:
        return False

    def untracked(content: dict) -> dict:
        rows = [{**row, "status": None} for row in content.get("milestones") or []]
        return {**content, "milestones": rows}

    return untracked(before) == untracked(after)


def withdraw(commitment: Commitment, user, reason: dict, now: datetime | None = None) -> None:
    """Drop the commitment. Once approved, dropping it is a change the STL reviews."""
    if not (reason or {}).get("es"):
        raise CommitmentError(
            _l("Say why the commitment is withdrawn, in Spanish at least."), field="reason"
        )
    now = now or utcnow()
    content = content_of(commitment)
    content["withdrawn"] = True
    if commitment.approved_revision_id is not None:
        save(commitment, content, user, reason=reason, now=now)
        return
    # Never approved, so never in the plan: it leaves without a review.
    check_changeable(commitment, now)
    if commitment.open_review is not None:
        _close(commitment.open_review, ReviewOutcome.RETURNED, now)
    commitment.status = CommitmentStatus.DRAFT
    save(commitment, content, user, now=now)
    commitment.latest_revision.change_reason = dict(reason)
    commitment.status = CommitmentStatus.WITHDRAWN


def comment(revision: CommitmentRevision, user, body: str, now: datetime | None = None):
    body = (body or "").strip()
    if not body:
        raise CommitmentError(_l("Write your comment."), field="body")
    exercise = revision.commitment.exercise
    assignment = next(
        (a for role in DECIDERS if (a := user.assignment(exercise.id, role)) is not None), None
    )
    entry = RevisionComment(
        revision=revision,
        author_id=user.id,
        author_role=assignment.role if assignment else None,
        author_sector=assignment.sector if assignment else None,
        author_seat=assignment.seat if assignment else None,
        body=body,
        created_at=now or utcnow(),
    )
    db.session.add(entry)
    return entry


# ----- review and approval ----------------------------------------------------------


def _open_review(commitment: Commitment, revision: CommitmentRevision, user, now) -> Review:
    review = Review(commitment=commitment, revision=revision, opened_by_id=user.id, opened_at=now)
    db.session.add(review)
    commitment.status = CommitmentStatus.IN_REVIEW
    return review


def _close(review: Review, outcome: ReviewOutcome, now: datetime) -> None:
    review.outcome = outcome
    review.closed_at = now


def submit_for_review(commitment: Commitment, user, now: datetime | None = None) -> Review:
    if commitment.status != CommitmentStatus.DRAFT:
        raise CommitmentError(_l("Only a draft can be sent to the STL."))
    now = now or utcnow()
    check_changeable(commitment, now)
    return _open_review(commitment, commitment.latest_revision, user, now)


def return_to_draft(commitment: Commitment, user, note: str, now: datetime | None = None):
    review = commitment.open_review
    if review is None:
        raise CommitmentError(_l("This commitment is not in review."))
    _close(review, ReviewOutcome.RETURNED, now or utcnow())
    review.note = (note or "").strip()
    commitment.status = CommitmentStatus.DRAFT


def stl_seat(user, exercise: Exercise):
    """The STL assignment a user reviews from, if it gives a sector and a seat."""
    assignment = user.assignment(exercise.id, Role.STL_MEMBER)
    if assignment is None or assignment.sector not in STL_SECTORS or assignment.seat is None:
        return None
    return assignment


def sector_verdicts(review: Review) -> dict[Sector, SectorDecision | None]:
    """Each STL sector's decision on the revision: its titular's, or its suplente's while
    the titular has not acted."""
    verdicts: dict[Sector, SectorDecision | None] = {}
    for sector in STL_SECTORS:
        decisions = [d for d in review.decisions if d.sector == sector]
        titular = next((d for d in decisions if d.seat == Seat.TITULAR), None)
        suplente = next((d for d in decisions if d.seat == Seat.SUPLENTE), None)
        verdicts[sector] = titular or suplente
    return verdicts


def decide(
    commitment: Commitment,
    user,
    verdict: Verdict,
    comment_text: str,
    now: datetime | None = None,
) -> SectorDecision:
    review = commitment.open_review
    if review is None or commitment.status != CommitmentStatus.IN_REVIEW:
        raise CommitmentError(_l("This commitment is not in review."))
    seat = stl_seat(user, commitment.exercise)
    if seat is None:
        raise CommitmentError(
            _l("Only an STL member with a sector and a seat approves commitments.")
        )
    comment_text = (comment_text or "").strip()
    if verdict == Verdict.REJECT and not comment_text:
        raise CommitmentError(
            _l("Say why you reject it: the facilitator needs your reasons."), field="comment"
        )
    if any(d.user_id == user.id for d in review.decisions):
        raise CommitmentError(_l("You have already decided on this revision."))
    if seat.seat == Seat.SUPLENTE and any(
        d.sector == seat.sector and d.seat == Seat.TITULAR for d in review.decisions
    ):
        raise CommitmentError(_l("The titular of your sector has already decided."))
    now = now or utcnow()
    decision = SectorDecision(
        review=review,
        user_id=user.id,
        member_name=user.name,
        sector=seat.sector,
        seat=seat.seat,
        verdict=verdict,
        comment=comment_text,
        decided_at=now,
    )
    db.session.add(decision)
    verdicts = sector_verdicts(review)
    if all(d is not None and d.verdict == Verdict.APPROVE for d in verdicts.values()):
        _close(review, ReviewOutcome.APPROVED, now)
        commitment.approved_revision = review.revision
        commitment.approved_at = now
        withdrawn = review.revision.content.get("withdrawn")
        commitment.status = CommitmentStatus.WITHDRAWN if withdrawn else CommitmentStatus.APPROVED
    return decision


# ----- proposals taken --------------------------------------------------------------


def proposals_to_take(commitment: Commitment) -> list[Proposal]:
    """The proposals of the commitment's table still waiting for their fate."""
    if commitment.topic_id is None:
        return []
    return db.session.scalars(
        sa.select(Proposal)
        .join(WorkingTable, WorkingTable.id == Proposal.table_id)
        .where(WorkingTable.topic_id == commitment.topic_id, Proposal.decision.is_(None))
        .order_by(Proposal.id)
    ).all()


def take_proposal(
    commitment: Commitment,
    proposal: Proposal,
    decision: Decision,
    user,
    change: dict | None = None,
    now: datetime | None = None,
):
    """The commitment adopts the proposal as it was, or adapts it (saying what changed):
    this is the proposal's decision in the feedback log."""
    if commitment.status == CommitmentStatus.WITHDRAWN:
        raise CommitmentError(_l("This commitment was withdrawn; it no longer changes."))
    if proposal not in proposals_to_take(commitment):
        raise CommitmentError(
            _l("Choose a proposal of this commitment's table that has no decision yet.")
        )
    if decision not in (Decision.ADOPTED, Decision.MODIFIED):
        raise CommitmentError(_l("A commitment adopts a proposal or adapts it."))
    if decision == Decision.MODIFIED and not (change or {}).get("es"):
        raise CommitmentError(
            _l("Say what changed from the proposal, in Spanish at least."), field="change"
        )
    return record_decision(
        commitment.exercise,
        stage=Stage.WORKING_TABLE,
        decision=decision,
        user=user,
        acting_as=DECIDERS,
        reason=change,
        proposal=proposal,
        commitment=commitment,
        now=now,
    )


# ----- step 4 -------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    approved: int
    waiting: int  # drafts and commitments in review


def progress(exercise: Exercise) -> Progress:
    """`approved` counts commitments the STL approved and that stay in the plan, a
    change under review included; `waiting` counts drafts and reviews in course."""
    in_plan = sa.and_(
        Commitment.approved_revision_id.is_not(None),
        Commitment.status != CommitmentStatus.WITHDRAWN,
    )
    waiting = Commitment.status.in_([CommitmentStatus.DRAFT, CommitmentStatus.IN_REVIEW])
    approved, pending = db.session.execute(
        sa.select(sa.func.count().filter(in_plan), sa.func.count().filter(waiting)).where(
            Commitment.exercise_id == exercise.id
        )
    ).one()
    return Progress(approved=approved, waiting=pending)
