"""The rules of the action plan, free of requests. Callers commit."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from coplat.accounts.models import Role, RoleAssignment
from coplat.commitments.enums import CommitmentStatus
from coplat.commitments.models import Commitment
from coplat.commitments.services import add_months, commitments_of
from coplat.consultation.models import Topic
from coplat.core.forms import RefusedInput
from coplat.core.models import utcnow
from coplat.core.uploads import Upload
from coplat.exercises.enums import Sector
from coplat.exercises.forms import plan_period_error
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.plan.enums import NON_GOVERNMENTAL, PlanStatus, commitment_limit
from coplat.plan.models import (
    ActionPlan,
    Endorsement,
    PlanAttachment,
    PlanCommitment,
    PlanRevision,
)
from coplat.plan.vision import TEXT_KEYS
from coplat.tables.models import Attendance, TableSession, TreeNode, WorkingTable


class PlanError(RefusedInput):
    pass


def find_plan(exercise: Exercise) -> ActionPlan:
    """The exercise's plan for reading: the stored one, or an empty draft that is not
    stored (pages that only read never write)."""
    plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.exercise_id == exercise.id))
    if plan is not None:
        return plan
    # Column defaults apply when a row is inserted; this one never is.
    return ActionPlan(
        exercise=exercise,
        status=PlanStatus.DRAFT,
        monitoring_contact="",
        consultation_link="",
        **{key: {} for key in TEXT_KEYS},
    )


def with_contents(plan: ActionPlan) -> ActionPlan:
    """The plan with what its pages and exports read loaded in a fixed number of queries,
    whatever its size: the commitments it holds with their approved revisions, its
    attachments with their files, its endorsements with their actors, revisions and
    documents. (An unsaved draft holds none of them.)"""
    if plan.id is not None:
        db.session.scalars(
            sa.select(ActionPlan)
            .where(ActionPlan.id == plan.id)
            .options(
                selectinload(ActionPlan.entries)
                .joinedload(PlanCommitment.commitment)
                .joinedload(Commitment.approved_revision),
                selectinload(ActionPlan.attachments).joinedload(PlanAttachment.upload),
                selectinload(ActionPlan.endorsements).options(
                    joinedload(Endorsement.actor),
                    joinedload(Endorsement.revision),
                    joinedload(Endorsement.document),
                ),
            )
        ).one()
    return plan


@dataclass(frozen=True)
class Named:
    """The topics and tree nodes that the approved revisions of some commitments name,
    by id. Their texts print with the plan and change outside the commitments."""

    topics: dict[int, Topic]
    nodes: dict[int, TreeNode]

    def topic(self, content: dict) -> Topic | None:
        return self.topics.get(content["topic"]) if content.get("topic") else None

    def causes(self, content: dict) -> list[TreeNode]:
        """The causes named, those deleted from their tree since left out."""
        return [self.nodes[n] for n in content.get("causes") or [] if n in self.nodes]


def named_in(commitments: list[Commitment]) -> Named:
    """What the commitments' approved revisions name, in two queries."""
    contents = [c.approved_revision.content for c in commitments if c.approved_revision]
    topic_ids = {content["topic"] for content in contents if content.get("topic")}
    node_ids = {node for content in contents for node in content.get("causes") or []}
    topics = db.session.scalars(sa.select(Topic).where(Topic.id.in_(sorted(topic_ids)))).all()
    nodes = db.session.scalars(sa.select(TreeNode).where(TreeNode.id.in_(sorted(node_ids)))).all()
    return Named({t.id: t for t in topics}, {n.id: n for n in nodes})


def plan_of(exercise: Exercise) -> ActionPlan:
    """The exercise's plan for changing it, stored the first time. Two requests may
    race to store it: the loser reads the winner's."""
    query = sa.select(ActionPlan).where(ActionPlan.exercise_id == exercise.id)
    plan = db.session.scalar(query)
    if plan is not None:
        return plan
    try:
        with db.session.begin_nested():
            plan = ActionPlan(exercise=exercise)
            db.session.add(plan)
    except sa.exc.IntegrityError:
        plan = db.session.scalar(query)
    return plan


def limit_of(plan: ActionPlan) -> int:
    return commitment_limit(len(plan.exercise.jurisdictions))


def limit_message(plan: ActionPlan):
    jurisdictions = len(plan.exercise.jurisdictions)
    if jurisdictions == 1:
        return _l(
            "A plan for one jurisdiction holds at most %(limit)s commitments (OGP Local §3.2).",
            limit=limit_of(plan),
        )
    return _l(
        "A joint plan of %(count)s jurisdictions holds at most %(limit)s commitments"
        " (OGP Local §3.2).",
        count=jurisdictions,
        limit=limit_of(plan),
    )


def is_approved(commitment: Commitment) -> bool:
    """Approved by the three sectors and not withdrawn; a change under review keeps the
    approved revision in the plan until it is approved in turn."""
    return (
        commitment.approved_revision is not None
        and commitment.status != CommitmentStatus.WITHDRAWN
        and not commitment.approved_revision.content.get("withdrawn")
    )


def check_draft(plan: ActionPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(
            _l(
                "The plan was submitted to OGP; it no longer changes here. Changes to a"
                " commitment go through its own review."
            )
        )


def candidates(plan: ActionPlan) -> list[Commitment]:
    """Approved commitments the plan does not hold yet."""
    held = {entry.commitment_id for entry in plan.entries}
    return [c for c in commitments_of(plan.exercise) if c.id not in held and is_approved(c)]


def add_commitment(plan: ActionPlan, commitment: Commitment) -> None:
    check_draft(plan)
    if commitment.exercise_id != plan.exercise_id or not is_approved(commitment):
        raise PlanError(_l("Only commitments the three sectors of the STL approved join the plan."))
    if any(entry.commitment_id == commitment.id for entry in plan.entries):
        raise PlanError(_l("The plan already holds this commitment."))
    if len(plan.entries) >= limit_of(plan):
        raise PlanError(
            _l(
                "%(rule)s Remove one from the plan before adding another.",
                rule=limit_message(plan),
            )
        )
    position = max((entry.position for entry in plan.entries), default=-1) + 1
    plan.entries.append(PlanCommitment(commitment=commitment, position=position))


def remove_commitment(plan: ActionPlan, commitment: Commitment) -> None:
    check_draft(plan)
    entry = next((e for e in plan.entries if e.commitment_id == commitment.id), None)
    if entry is None:
        raise PlanError(_l("The plan does not hold this commitment."))
    plan.entries.remove(entry)


# ----- the strategic vision ---------------------------------------------------------


def save_vision(plan: ActionPlan, values: dict, user, now: datetime | None = None) -> bool:
    """Write the Annex 1 fields typed in the form; True when the content changed (a new
    revision of the plan, which endorsements of an earlier one must renew)."""
    check_draft(plan)
    exercise = plan.exercise
    error = plan_period_error(
        values["plan_starts_on"], values["plan_ends_on"], values["administration_ends"]
    )
    if error is not None:
        field, message = error
        raise PlanError(message, field={"start": "plan_starts_on", "end": "plan_ends_on"}[field])
    exercise.administration_ends = values["administration_ends"]
    exercise.plan_starts_on = values["plan_starts_on"]
    exercise.plan_ends_on = values["plan_ends_on"]
    for key in TEXT_KEYS:
        setattr(plan, key, dict(values.get(key) or {}))
    plan.group_count = values.get("group_count")
    plan.meeting_count = values.get("meeting_count")
    plan.monitoring_contact = (values.get("monitoring_contact") or "").strip()
    plan.consultation_link = (values.get("consultation_link") or "").strip()
    before = plan.latest_revision
    return current_revision(plan, user, now) is not before


def set_letter(plan: ActionPlan, upload: Upload, user, now: datetime | None = None) -> None:
    """Field 3: a new letter replaces the old, which stops being public; the plan
    changed, so it is a new revision."""
    check_draft(plan)
    if plan.letter is not None:
        plan.letter.is_public = False
    plan.letter = upload
    current_revision(plan, user, now)


def add_attachment(plan: ActionPlan, upload: Upload, title: dict) -> PlanAttachment:
    """Field 8: the full local strategy or another relevant document."""
    check_draft(plan)
    attachment = PlanAttachment(upload=upload, title=title)
    plan.attachments.append(attachment)
    return attachment


def remove_attachment(plan: ActionPlan, attachment: PlanAttachment) -> None:
    """The document leaves the plan and stops being public."""
    check_draft(plan)
    attachment.upload.is_public = False
    plan.attachments.remove(attachment)


# ----- what the platform already knows ----------------------------------------------


@dataclass(frozen=True)
class Proposed:
    """A value the record suggests for an Annex 1 field, with the page that shows why."""

    value: object
    evidence: str
    endpoint: str


def _held_sessions(exercise: Exercise, now: datetime) -> list[TableSession]:
    return db.session.scalars(
        sa.select(TableSession)
        .join(WorkingTable)
        .where(WorkingTable.exercise_id == exercise.id, TableSession.starts_at <= now)
        .order_by(TableSession.starts_at)
    ).all()


def _participants(exercise: Exercise) -> list[tuple[Sector, list[str]]]:
    """Who attended the tables' sessions, by sector, in the order of Sector."""
    rows = db.session.execute(
        sa.select(Attendance.sector, Actor.name)
        .join(Actor, Actor.id == Attendance.actor_id)
        .join(TableSession, TableSession.id == Attendance.session_id)
        .join(WorkingTable, WorkingTable.id == TableSession.table_id)
        .where(WorkingTable.exercise_id == exercise.id)
        .distinct()
    ).all()
    by_sector: dict[Sector, set[str]] = {}
    for sector, name in rows:
        by_sector.setdefault(sector, set()).add(name)
    return [(sector, sorted(by_sector[sector])) for sector in Sector if sector in by_sector]


def proposals(plan: ActionPlan, now: datetime | None = None) -> dict[str, Proposed]:
    """Suggestions for fields 1.2, 5.5, 5.6, 5.7 and 9, from the exercise's record."""
    exercise = plan.exercise
    now = now or utcnow()
    participants = _participants(exercise)
    sessions = _held_sessions(exercise, now)
    described = {}
    for language in exercise.languages:
        with force_locale(language):
            described[language] = "; ".join(
                f"{sector.label}: {', '.join(names)}" for sector, names in participants
            )
    found = {
        "participants": Proposed(
            described if participants else {},
            _l("Attendance recorded at the working tables' sessions"),
            "tables.index",
        ),
        "group_count": Proposed(
            # An actor attending for two sectors (at two sessions) is one group.
            len({name for _sector, names in participants for name in names}) or None,
            _l("Organisations and people who attended a session"),
            "tables.index",
        ),
        "meeting_count": Proposed(
            len(sessions) or None, _l("Sessions held at the working tables"), "tables.index"
        ),
        "consultation_link": Proposed(
            url_for("consultation.show", slug=exercise.slug, _external=True)
            if exercise.consultation is not None
            else "",
            _l("This platform's consultation page"),
            "consultation.show",
        ),
        "plan_ends_on": Proposed(
            add_months(exercise.administration_ends, -2),
            _l("Two months before the administration ends (OGP Local §3.2)"),
            "exercises.edit",
        ),
    }
    return found


# ----- revisions and endorsements --------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def content_of(plan: ActionPlan) -> dict:
    """Everything an endorsement vouches for: the vision in every language, the period
    and each commitment the plan holds, in order, as the exports print it."""
    exercise = plan.exercise
    content = {key: dict(getattr(plan, key) or {}) for key in TEXT_KEYS}
    content.update(
        administration_ends=_iso(exercise.administration_ends),
        plan_starts_on=_iso(exercise.plan_starts_on),
        plan_ends_on=_iso(exercise.plan_ends_on),
        group_count=plan.group_count,
        meeting_count=plan.meeting_count,
        monitoring_contact=plan.monitoring_contact,
        consultation_link=plan.consultation_link,
        letter=plan.letter_id,
        attachments=[[a.upload_id, dict(a.title)] for a in plan.attachments],
        exercise_name=dict(exercise.name),
    )
    commitments = plan.commitments
    named = named_in(commitments)
    content["commitments"] = [_held(c, named) for c in commitments]
    return content


def _held(commitment: Commitment, named: Named) -> dict:
    """A held commitment as the plan prints it: its approved revision, with the texts of
    the topic and the causes it names (they change outside the commitment)."""
    revision = commitment.approved_revision
    content = revision.content if revision else {}
    topic = named.topic(content)
    return {
        "id": commitment.id,
        "revision": revision.number if revision else None,
        "content": content or None,
        "topic": dict(topic.title) if topic else None,
        "causes": [dict(node.text) for node in named.causes(content)],
    }


def fingerprint(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def current_fingerprint(plan: ActionPlan) -> str:
    return fingerprint(content_of(plan))


def current_revision(plan: ActionPlan, user, now: datetime | None = None) -> PlanRevision:
    """The revision matching the plan's content now, numbered anew if it changed."""
    content = content_of(plan)
    digest = fingerprint(content)
    latest = plan.latest_revision
    if latest is not None and latest.fingerprint == digest:
        return latest
    revision = PlanRevision(
        number=(latest.number + 1) if latest else 1,
        fingerprint=digest,
        content=content,
        author=user,
        created_at=now or utcnow(),
    )
    plan.revisions.append(revision)
    return revision


def representing(user, exercise: Exercise) -> Actor | None:
    """The non-governmental actor a user represents in this exercise, if any. The
    monitoring body represents nobody here: it assesses the plan, independently."""
    if not (user and user.is_authenticated) or Role.MONITORING in user.roles_in(exercise.id):
        return None
    for assignment in user.roles:
        actor = assignment.actor
        if (
            assignment.exercise_id == exercise.id
            and actor is not None
            and actor.sector in NON_GOVERNMENTAL
        ):
            return actor
    return None


@dataclass(frozen=True)
class EndorsementState:
    endorsement: Endorsement
    needs_renewal: bool


def endorsements_of(plan: ActionPlan) -> list[EndorsementState]:
    """Each actor's latest endorsement, marked when the plan changed since. Once the
    plan is submitted, what counts is the plan as submitted: a commitment may still
    change for six months, but the endorsement of the plan sent to OGP stands."""
    if plan.submitted_revision is not None:
        digest = plan.submitted_revision.fingerprint
    else:
        digest = current_fingerprint(plan)
    latest: dict[int, Endorsement] = {}
    for endorsement in plan.endorsements:
        latest[endorsement.actor_id] = endorsement
    return [
        EndorsementState(e, e.revision.fingerprint != digest)
        for e in sorted(latest.values(), key=lambda e: e.actor.name.casefold())
    ]


def monitors(actor: Actor) -> bool:
    """Whether the actor is the monitoring body's, which assesses the plan independently."""
    return bool(
        db.session.scalar(
            sa.select(RoleAssignment.id).where(
                RoleAssignment.exercise_id == actor.exercise_id,
                RoleAssignment.role == Role.MONITORING,
                RoleAssignment.actor_id == actor.id,
            )
        )
    )


def check_endorsable(plan: ActionPlan, actor: Actor) -> None:
    """Refused unless the actor may endorse the plan now (callers check it before they
    store a signed document)."""
    check_draft(plan)
    if actor.exercise_id != plan.exercise_id or actor.sector not in NON_GOVERNMENTAL:
        raise PlanError(
            _l("Only non-governmental actors endorse the plan (OGP Local §3.3.1)."),
            field="actor_id",
        )
    if monitors(actor):
        raise PlanError(
            _l("The monitoring body assesses the plan; it does not endorse it."),
            field="actor_id",
        )
    if not plan.entries:
        raise PlanError(_l("The plan holds no commitment yet: there is nothing to endorse."))


def endorse(plan: ActionPlan, user, position: str = "", now: datetime | None = None):
    """The representative of a non-governmental actor endorses the plan as it is now."""
    actor = representing(user, plan.exercise)
    if actor is None:
        raise PlanError(
            _l(
                "Only a representative of a non-governmental actor can endorse, from their own account."
            )
        )
    check_endorsable(plan, actor)
    now = now or utcnow()
    endorsement = Endorsement(
        revision=current_revision(plan, user, now),
        actor=actor,
        representative=user.name,
        position=position.strip(),
        user=user,
        recorded_by=user,
        endorsed_at=now,
    )
    plan.endorsements.append(endorsement)
    return endorsement


def record_endorsement(
    plan: ActionPlan,
    actor: Actor,
    representative: str,
    position: str,
    document: Upload,
    user,
    now: datetime | None = None,
) -> Endorsement:
    """The facilitator records an endorsement signed on paper, with its document."""
    check_endorsable(plan, actor)
    now = now or utcnow()
    endorsement = Endorsement(
        revision=current_revision(plan, user, now),
        actor=actor,
        representative=representative.strip(),
        position=position.strip(),
        recorded_by=user,
        document=document,
        endorsed_at=now,
    )
    plan.endorsements.append(endorsement)
    return endorsement
