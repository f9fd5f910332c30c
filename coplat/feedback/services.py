"""Recording decisions. Callers commit, in the same transaction as the decision."""

from coplat.accounts.models import Role
from coplat.core.models import utcnow
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry


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
    entry = FeedbackEntry(
        exercise=exercise,
        stage=stage,
        decision=decision,
        reason=dict(reason or {}),
        topic=topic,
        proposal=proposal,
        merged_into=merged_into,
        commitment=commitment,
        decided_by_id=user.id,
        decided_role=assignment.role if assignment else None,
        decided_sector=assignment.sector if assignment else None,
        decided_at=now or utcnow(),
    )
    db.session.add(entry)
    if proposal is not None:
        # The proposal shows its latest fate without reading the log.
        proposal.decision = decision
        proposal.commitment = commitment
    return entry
