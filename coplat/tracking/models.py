"""Implementation in the open (INAI steps 5–6, NOSC stage 8, OGP Local §3.5, Annexes 4
and 5): milestone updates by the implementers, quarterly progress reports by the point
of contact with the public's moderated comments, the evidence repository, and the
monitoring body's assessments. Every row keeps its date and author; nothing is edited
in place except a draft assessment."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coplat.accounts.models import Role, User
from coplat.commitments.enums import MilestoneStatus
from coplat.commitments.models import Commitment, Milestone
from coplat.core.enums import enum_type
from coplat.core.models import CreatedAtMixin, Translated, UTCDateTime, utcnow
from coplat.core.uploads import Upload
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.tables.models import TableSession
from coplat.tracking.enums import (
    AssessmentKind,
    CommentStatus,
    CompletionLevel,
    EvidenceType,
    PotentialImpact,
)


class MilestoneUpdate(db.Model):
    """An implementer's (or the point of contact's) report on one milestone: its new
    status and a short account of progress. The milestone keeps the latest status."""

    __tablename__ = "milestone_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    # A milestone dropped by an approved change leaves its history on the commitment.
    milestone_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("milestone.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MilestoneStatus] = mapped_column(enum_type(MilestoneStatus))
    previous_status: Mapped[MilestoneStatus] = mapped_column(enum_type(MilestoneStatus))
    progress: Mapped[dict] = mapped_column(Translated, default=dict)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    # How the author took part, as the public sees it.
    author_role: Mapped[Role | None] = mapped_column(enum_type(Role))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    commitment: Mapped[Commitment] = relationship()
    milestone: Mapped[Milestone | None] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def exercise(self) -> Exercise:
        return self.commitment.exercise


class ProgressReport(db.Model):
    """The point of contact's quarterly report on one commitment (OGP Local §3.5.4):
    progress against the milestones, the reasons for any delay, and the next steps
    (Annex 4). One per commitment and calendar quarter."""

    __tablename__ = "progress_report"
    __table_args__ = (sa.UniqueConstraint("commitment_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    quarter: Mapped[int]
    progress: Mapped[dict] = mapped_column(Translated)
    delays: Mapped[dict] = mapped_column(Translated, default=dict)
    next_steps: Mapped[dict] = mapped_column(Translated, default=dict)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    commitment: Mapped[Commitment] = relationship()
    author: Mapped[User | None] = relationship()
    comments: Mapped[list["ProgressComment"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ProgressComment.id"
    )

    @property
    def exercise(self) -> Exercise:
        return self.commitment.exercise

    @property
    def published_comments(self) -> list["ProgressComment"]:
        return [c for c in self.comments if c.status == CommentStatus.PUBLISHED]


class ProgressComment(db.Model):
    """A member of the public's comment on a progress report (Annex 4), shown once the
    facilitator publishes it."""

    __tablename__ = "progress_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_report.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    # The name shown with the comment, as the author's account had it.
    author_name: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[CommentStatus] = mapped_column(
        enum_type(CommentStatus), default=CommentStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    moderated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why a comment was not published, for its author and the record.
    moderation_note: Mapped[str] = mapped_column(sa.String(500), default="")

    report: Mapped[ProgressReport] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def exercise(self) -> Exercise:
        return self.report.exercise


class Evidence(CreatedAtMixin, db.Model):
    """A file or a link in the public evidence repository (Annexes 4 and 5), tagged
    with its Annex 5 type and attached to the process (a step, a session) or to a
    commitment or one of its milestones."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceType] = mapped_column(enum_type(EvidenceType))
    title: Mapped[dict] = mapped_column(Translated)
    description: Mapped[dict] = mapped_column(Translated, default=dict)
    upload_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id", ondelete="SET NULL"))
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    # When what it proves happened (a meeting, a decision), not when it was uploaded.
    dated_on: Mapped[date | None]
    step_number: Mapped[int | None]
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("table_session.id", ondelete="SET NULL")
    )
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("milestone.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    author_role: Mapped[Role | None] = mapped_column(enum_type(Role))

    exercise: Mapped[Exercise] = relationship()
    upload: Mapped[Upload | None] = relationship()
    session: Mapped[TableSession | None] = relationship()
    commitment: Mapped[Commitment | None] = relationship()
    milestone: Mapped[Milestone | None] = relationship()
    author: Mapped[User | None] = relationship()


class Assessment(db.Model):
    """The monitoring body's report (OGP Local §3.5): the initial assessment, one
    implementation assessment per commitment, and the final learning exercise. Written
    as a draft, public once published."""

    __tablename__ = "assessment"
    # One of each kind: per commitment for the implementation assessments, per exercise
    # for the initial and the final ones (whose commitment is NULL, which a plain
    # unique constraint would let repeat).
    __table_args__ = (
        sa.UniqueConstraint("exercise_id", "kind", "commitment_id"),
        sa.Index(
            "uq_assessment_exercise_kind_plan",
            "exercise_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("commitment_id IS NULL"),
            postgresql_where=sa.text("commitment_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AssessmentKind] = mapped_column(enum_type(AssessmentKind))
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    # Every kind: the findings.
    summary: Mapped[dict] = mapped_column(Translated, default=dict)
    # Initial (§3.5.1, 1): the co-creation requirements and recommended practices.
    co_creation: Mapped[dict] = mapped_column(Translated, default=dict)
    # Commitment (§3.5.2): the level of completion and the early results.
    completion: Mapped[CompletionLevel | None] = mapped_column(enum_type(CompletionLevel))
    early_results: Mapped[dict] = mapped_column(Translated, default=dict)
    # Final (§3.5.3): lessons learned and next steps.
    lessons: Mapped[dict] = mapped_column(Translated, default=dict)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    exercise: Mapped[Exercise] = relationship()
    commitment: Mapped[Commitment | None] = relationship()
    author: Mapped[User | None] = relationship()
    ratings: Mapped[list["CommitmentRating"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="CommitmentRating.id"
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CommitmentRating(db.Model):
    """The initial assessment's judgement of one commitment (§3.5.1, 2): relevance to
    OGP's values, verifiability and potential impact."""

    __tablename__ = "commitment_rating"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "commitment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    commitment_id: Mapped[int] = mapped_column(sa.ForeignKey("commitment.id", ondelete="CASCADE"))
    # OgpValue values the commitment advances; empty: not relevant.
    relevant_values: Mapped[list] = mapped_column(sa.JSON, default=list)
    verifiable: Mapped[bool] = mapped_column(default=False)
    potential_impact: Mapped[PotentialImpact] = mapped_column(enum_type(PotentialImpact))
    note: Mapped[dict] = mapped_column(Translated, default=dict)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    commitment: Mapped[Commitment] = relationship()
