"""Recording decisions. Callers commit, in the same transaction as the decision."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from coplat.accounts.models import Role
from coplat.core.forms import RefusedInput
from coplat.core.models import utcnow
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.chain import GENESIS, seal
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry

# Who records the fate of citizen input, in the order the log names them.
DECIDERS = (Role.FACILITATOR, Role.STL_MEMBER)


class FeedbackError(RefusedInput):
    pass


def _lock_chain(exercise_id: int) -> None:
    db.session.execute(sa.select(Exercise.id).where(Exercise.id == exercise_id).with_for_update())


def _append(entry: FeedbackEntry) -> FeedbackEntry:
    """Give the entry the next place in its exercise's chain. The exercise's row is
    locked first, so two decisions at once queue instead of forking the chain."""
    db.session.flush()  # the topic, proposal or commitment it names has its id
    _lock_chain(entry.exercise_id)
    last = db.session.execute(
        sa.select(FeedbackEntry.sequence, FeedbackEntry.hash)
        .where(FeedbackEntry.exercise_id == entry.exercise_id)
        .order_by(FeedbackEntry.sequence.desc())
        .limit(1)
    ).first()
    entry.sequence = last.sequence + 1 if last else 1
    seal(entry, last.hash if last else GENESIS)
    db.session.add(entry)
    return entry


def record_decision(
    exercise,
    *,
    stage: Stage,
    decision: Decision,
    user,
    acting_as: tuple[Role, ...],
    reason: dict | None = None,
    topic=None,
    proposal=None,
    merged_into=None,
    commitment=None,
    now=None,
) -> FeedbackEntry:
    """`acting_as`: the roles that make this decision, in order of preference; the
    entry names the first one the user holds (none: the platform administrator)."""
    assignment = next(
        (a for role in acting_as if (a := user.assignment(exercise.id, role)) is not None), None
    )
    db.session.flush()
    entry = FeedbackEntry(
        exercise_id=exercise.id,
        stage=stage,
        decision=decision,
        reason=dict(reason or {}),
        topic_id=topic.id if topic else None,
        proposal_id=proposal.id if proposal else None,
        merged_into_id=merged_into.id if merged_into else None,
        commitment_id=commitment.id if commitment else None,
        decided_by_id=user.id,
        decided_role=assignment.role if assignment else None,
        decided_sector=assignment.sector if assignment else None,
        decided_at=now or utcnow(),
        correction_reason={},
    )
    _append(entry)
    # The input shows its latest fate without reading the log.
    if topic is not None:
        topic.decision = decision
    if proposal is not None:
        proposal.decision = decision
        proposal.commitment = commitment
    return entry


def _entries_on(topic=None, proposal=None):
    column, item = (
        (FeedbackEntry.topic_id, topic) if topic else (FeedbackEntry.proposal_id, proposal)
    )
    return sa.select(FeedbackEntry).where(column == item.id)


def current_entry(*, topic=None, proposal=None) -> FeedbackEntry | None:
    """The input's latest entry: its fate now."""
    return db.session.scalar(
        _entries_on(topic, proposal).order_by(FeedbackEntry.sequence.desc()).limit(1)
    )


def history(*, topic=None, proposal=None) -> list[FeedbackEntry]:
    """Every entry on one input, oldest first, corrections included."""
    return db.session.scalars(
        _entries_on(topic, proposal)
        .order_by(FeedbackEntry.sequence)
        .options(selectinload(FeedbackEntry.merged_into), selectinload(FeedbackEntry.commitment))
    ).all()


def correct(
    entry: FeedbackEntry,
    user,
    *,
    acting_as: tuple[Role, ...],
    correction_reason: dict,
    reason: dict,
    decision: Decision | None = None,
    now: datetime | None = None,
) -> FeedbackEntry:
    """A correction: a new entry that supersedes `entry`, which stays public. It may
    restate the reason; for a proposal it may also change the decision between
    adopted, modified and rejected (a topic's moderation and prioritisation stand)."""
    subject = {"topic": entry.topic} if entry.topic_id else {"proposal": entry.proposal}
    _lock_chain(entry.exercise_id)  # two corrections at once: the second sees the first
    if current_entry(**subject) != entry:
        raise FeedbackError(_l("Only the latest decision on an input can be corrected."))
    if not (correction_reason or {}).get("es"):
        raise FeedbackError(
            _l("Say why the decision is corrected, in Spanish at least."),
            field="correction_reason",
        )
    if not (reason or {}).get("es"):
        raise FeedbackError(_l("Give the decision's reason, in Spanish at least."), field="reason")
    decision = decision or entry.decision
    if decision != entry.decision and (
        entry.proposal_id is None
        or {decision, entry.decision} - {Decision.ADOPTED, Decision.MODIFIED, Decision.REJECTED}
    ):
        raise FeedbackError(
            _l(
                "A correction changes a proposal's decision only between adopted, modified and rejected."
            ),
            field="decision",
        )
    commitment = None if decision == Decision.REJECTED else entry.commitment
    if decision in (Decision.ADOPTED, Decision.MODIFIED) and commitment is None:
        raise FeedbackError(
            _l(
                "A proposal is adopted or adapted by a commitment: take it from the"
                " commitment's page instead."
            ),
            field="decision",
        )
    corrected = record_decision(
        entry.exercise,
        stage=entry.stage,
        decision=decision,
        user=user,
        acting_as=acting_as,
        reason=reason,
        merged_into=entry.merged_into,
        commitment=commitment,
        now=now,
        **subject,
    )
    if entry.topic_id and decision == Decision.REJECTED:
        entry.topic.reason = dict(reason)  # the topic's page shows why it was rejected
    corrected.supersedes_id = entry.id
    corrected.correction_reason = dict(correction_reason)
    seal(corrected, corrected.previous_hash)
    return corrected
