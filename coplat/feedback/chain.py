"""Tamper evidence for the feedback log. Each entry's hash covers its own content and
the previous entry's hash (a chain per exercise, in sequence order), so altering,
removing or reordering a stored entry breaks the chain from that entry on."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

import sqlalchemy as sa

from coplat.extensions import db
from coplat.feedback.models import FeedbackEntry

# The hash of "nothing before": the first entry of every exercise links to it.
GENESIS = "0" * 64


def content_of(entry: FeedbackEntry) -> dict:
    """Everything an entry says, as plain values: what its hash covers."""

    def value(member):
        # An enum member, or its stored text (the migration that sealed the first
        # entries read raw rows).
        return getattr(member, "value", member)

    return {
        "exercise": entry.exercise_id,
        "sequence": entry.sequence,
        "stage": value(entry.stage),
        "topic": entry.topic_id,
        "proposal": entry.proposal_id,
        "commitment": entry.commitment_id,
        "decision": value(entry.decision),
        "reason": dict(entry.reason or {}),
        "merged_into": entry.merged_into_id,
        "decided_by": entry.decided_by_id,
        "decided_role": value(entry.decided_role),
        "decided_sector": value(entry.decided_sector),
        "decided_at": entry.decided_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "supersedes": entry.supersedes_id,
        "correction_reason": dict(entry.correction_reason or {}),
    }


def digest(entry: FeedbackEntry, previous_hash: str) -> str:
    canonical = json.dumps(
        {"entry": content_of(entry), "previous": previous_hash},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal(entry: FeedbackEntry, previous_hash: str) -> None:
    entry.previous_hash = previous_hash
    entry.hash = digest(entry, previous_hash)


@dataclass(frozen=True)
class Verification:
    checked: int
    # The first entry whose stored hash or link does not match, and why; None: intact.
    broken: FeedbackEntry | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(exercise_id: int) -> Verification:
    """Recompute the chain of one exercise, entry by entry, in sequence order."""
    entries = db.session.scalars(
        sa.select(FeedbackEntry)
        .where(FeedbackEntry.exercise_id == exercise_id)
        .order_by(FeedbackEntry.sequence)
        .execution_options(populate_existing=True)
    )
    previous = GENESIS
    checked = 0
    for expected_sequence, entry in enumerate(entries, start=1):
        checked += 1
        if entry.sequence != expected_sequence:
            return Verification(checked, entry, "sequence")
        if entry.previous_hash != previous:
            return Verification(checked, entry, "link")
        if entry.hash != digest(entry, previous):
            return Verification(checked, entry, "content")
        previous = entry.hash
    return Verification(checked)
