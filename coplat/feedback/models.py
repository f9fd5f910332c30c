"""One entry per decision on a citizen input (DESIGN §3). Entries are only ever
added: a later decision on the same input supersedes an earlier one, and a correction
names the entry it corrects. Each entry carries a hash of its content and of the
exercise's previous entry, so any change to a stored row shows (`feedback.chain`)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coplat.accounts.models import Role
from coplat.core.enums import enum_type
from coplat.core.models import Translated, UTCDateTime, utcnow
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage


class FeedbackEntry(db.Model):
    __tablename__ = "feedback_entry"
    __table_args__ = (sa.UniqueConstraint("exercise_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    # 1, 2, 3… within the exercise: the order of the hash chain.
    sequence: Mapped[int]
    stage: Mapped[Stage] = mapped_column(enum_type(Stage))
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposal.id"), index=True)
    decision: Mapped[Decision] = mapped_column(enum_type(Decision))
    reason: Mapped[dict] = mapped_column(Translated, default=dict)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id"))
    # The commitment that adopted or adapted the input.
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="SET NULL"), index=True
    )
    # Who decided, as the public may see it: a role and a sector, never an email.
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    decided_role: Mapped[Role | None] = mapped_column(enum_type(Role))
    decided_sector: Mapped[Sector | None] = mapped_column(enum_type(Sector))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A correction names the entry it corrects and says why; both stay public.
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback_entry.id"))
    correction_reason: Mapped[dict] = mapped_column(Translated, default=dict)
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    exercise: Mapped["Exercise"] = relationship()  # noqa: F821
    topic: Mapped["Topic | None"] = relationship(foreign_keys=[topic_id])  # noqa: F821
    merged_into: Mapped["Topic | None"] = relationship(foreign_keys=[merged_into_id])  # noqa: F821
    proposal: Mapped["Proposal | None"] = relationship()  # noqa: F821
    commitment: Mapped["Commitment | None"] = relationship()  # noqa: F821
    supersedes: Mapped["FeedbackEntry | None"] = relationship(remote_side=[id])

    @property
    def decided_as(self) -> str:
        if self.decided_role is None:
            return str(_l("Platform administrator"))
        if self.decided_sector is None:
            return self.decided_role.label
        return f"{self.decided_role.label} ({self.decided_sector.label})"
