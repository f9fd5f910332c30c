"""The action plan of an exercise. Annex 1 (the strategic vision) is stored on the plan,
one column per field of the template, numbered as the template numbers them; the plan
period (1.1, 1.2) lives on the exercise, which the commitments' checks read too."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coplat.accounts.models import User
from coplat.commitments.models import Commitment
from coplat.core.enums import enum_type
from coplat.core.models import CreatedAtMixin, Translated, UTCDateTime, utcnow
from coplat.core.uploads import Upload
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.plan.enums import PlanStatus


class ActionPlan(CreatedAtMixin, db.Model):
    __tablename__ = "action_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[PlanStatus] = mapped_column(enum_type(PlanStatus), default=PlanStatus.DRAFT)

    foreword: Mapped[dict] = mapped_column(Translated, default=dict)  # 2
    letter_id: Mapped[int | None] = mapped_column(  # 3
        sa.ForeignKey("upload.id", ondelete="SET NULL")
    )
    vision: Mapped[dict] = mapped_column(Translated, default=dict)  # 4.1
    achievements: Mapped[dict] = mapped_column(Translated, default=dict)  # 4.2
    challenges: Mapped[dict] = mapped_column(Translated, default=dict)  # 4.3
    goals: Mapped[dict] = mapped_column(Translated, default=dict)  # 4.4
    plan_contribution: Mapped[dict] = mapped_column(Translated, default=dict)  # 4.5
    administration_contribution: Mapped[dict] = mapped_column(Translated, default=dict)  # 4.6
    institutions: Mapped[dict] = mapped_column(Translated, default=dict)  # 5.1
    coordination: Mapped[dict] = mapped_column(Translated, default=dict)  # 5.2
    spaces: Mapped[dict] = mapped_column(Translated, default=dict)  # 5.3
    diversity: Mapped[dict] = mapped_column(Translated, default=dict)  # 5.4
    participants: Mapped[dict] = mapped_column(Translated, default=dict)  # 5.5
    group_count: Mapped[int | None]  # 5.6
    meeting_count: Mapped[int | None]  # 5.7
    continued_collaboration: Mapped[dict] = mapped_column(Translated, default=dict)  # 5.8
    monitoring_body: Mapped[dict] = mapped_column(Translated, default=dict)  # 6.1
    monitoring_contact: Mapped[str] = mapped_column(sa.String(500), default="")  # 6.2
    progress_discussions: Mapped[dict] = mapped_column(Translated, default=dict)  # 6.3
    implementer_consultation: Mapped[dict] = mapped_column(Translated, default=dict)  # 6.4
    results_sharing: Mapped[dict] = mapped_column(Translated, default=dict)  # 6.5
    # 7 is the list of endorsements; 8 the attachments.
    consultation_link: Mapped[str] = mapped_column(sa.String(500), default="")  # 9

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    submitted_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_revision.id", use_alter=True, ondelete="SET NULL")
    )

    # INAI step 5: the public event that presents the plan and starts implementation.
    launched_on: Mapped[date | None]
    launch_place: Mapped[str] = mapped_column(sa.String(300), default="")
    launch_link: Mapped[str] = mapped_column(sa.String(500), default="")
    launch_notes: Mapped[dict] = mapped_column(Translated, default=dict)
    launched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    launched_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    # Annex 4: the responsible institution and the point of contact, as the micro-site
    # shows them.
    contact_institution: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(160), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(60), default="")

    exercise: Mapped[Exercise] = relationship()
    letter: Mapped[Upload | None] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    launched_by: Mapped[User | None] = relationship(foreign_keys=[launched_by_id])
    entries: Mapped[list["PlanCommitment"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanCommitment.position"
    )
    attachments: Mapped[list["PlanAttachment"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanAttachment.id"
    )
    revisions: Mapped[list["PlanRevision"]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="PlanRevision.number",
        foreign_keys="PlanRevision.plan_id",
    )
    submitted_revision: Mapped["PlanRevision | None"] = relationship(
        foreign_keys=[submitted_revision_id], post_update=True
    )
    endorsements: Mapped[list["Endorsement"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Endorsement.id"
    )

    @property
    def commitments(self) -> list[Commitment]:
        return [entry.commitment for entry in self.entries]

    @property
    def latest_revision(self) -> "PlanRevision | None":
        return self.revisions[-1] if self.revisions else None

    @property
    def is_launched(self) -> bool:
        """Presented at its launch event: implementation has started (and may be over)."""
        return self.status in (PlanStatus.LAUNCHED, PlanStatus.CLOSED)


class PlanCommitment(db.Model):
    """An approved commitment the plan holds, in the plan's order."""

    __tablename__ = "plan_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plan.id", ondelete="CASCADE"), index=True
    )
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), unique=True
    )
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[ActionPlan] = relationship(back_populates="entries")
    commitment: Mapped[Commitment] = relationship()


class PlanAttachment(CreatedAtMixin, db.Model):
    """Annex 1 field 8: the full local strategy or another relevant document."""

    __tablename__ = "plan_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plan.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(sa.ForeignKey("upload.id", ondelete="CASCADE"))
    title: Mapped[dict] = mapped_column(Translated)

    plan: Mapped[ActionPlan] = relationship(back_populates="attachments")
    upload: Mapped[Upload] = relationship()

    @property
    def exercise(self) -> Exercise:
        return self.plan.exercise


class PlanRevision(db.Model):
    """A numbered state of the plan's whole content (the vision in every language and
    the approved revision of each commitment), kept when the vision is saved and when
    someone endorses or submits. An endorsement names one; when the plan's content no
    longer matches it, the endorsement needs renewal."""

    __tablename__ = "plan_revision"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plan.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))

    plan: Mapped[ActionPlan] = relationship(back_populates="revisions", foreign_keys=[plan_id])
    author: Mapped[User | None] = relationship()


class Endorsement(CreatedAtMixin, db.Model):
    """A non-governmental actor's endorsement of one revision of the plan (Annex 1
    field 7): given from the representative's account, or recorded by the facilitator
    from a signed document. A later endorsement by the same actor renews it."""

    __tablename__ = "endorsement"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plan.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_revision.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
    representative: Mapped[str] = mapped_column(sa.String(160))
    position: Mapped[str] = mapped_column(sa.String(160), default="")
    endorsed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who endorsed from their own account; None when the facilitator recorded a signed one.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id", ondelete="SET NULL"))

    plan: Mapped[ActionPlan] = relationship(back_populates="endorsements")
    revision: Mapped[PlanRevision] = relationship()
    actor: Mapped[Actor] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    document: Mapped[Upload | None] = relationship()

    @property
    def exercise(self) -> Exercise:
        return self.plan.exercise
