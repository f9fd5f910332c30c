"""A commitment holds every field of the OGP Local template (Annex 2), numbered as the
template numbers them, plus the NOSC method's links to the working table. The columns
are the working copy; every save also keeps a revision, a snapshot of the whole
content, which is what the STL reviews and approves."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coplat.accounts.models import Role, User
from coplat.commitments.enums import (
    AmbitionLevel,
    Branch,
    CommitmentStatus,
    ImplementerKind,
    MilestoneStatus,
    ResourcesAvailable,
    ReviewOutcome,
    Verdict,
)
from coplat.core.enums import enum_type
from coplat.core.models import CreatedAtMixin, Translated, UTCDateTime, utcnow
from coplat.exercises.enums import Seat, Sector
from coplat.exercises.models import Exercise
from coplat.extensions import db

commitment_cause = sa.Table(
    "commitment_cause",
    db.metadata,
    sa.Column(
        "commitment_id",
        sa.ForeignKey("commitment.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("node_id", sa.ForeignKey("tree_node.id", ondelete="CASCADE"), primary_key=True),
)


class Commitment(CreatedAtMixin, db.Model):
    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_type(CommitmentStatus), default=CommitmentStatus.DRAFT
    )
    # NOSC: the topic whose working table drafted it, and the strategic causes it attacks.
    topic_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topic.id", ondelete="SET NULL"), index=True
    )

    # Annex 2, numbered as the template.
    title: Mapped[dict] = mapped_column(Translated)  # 1
    starts_on: Mapped[date | None]  # 2
    ends_on: Mapped[date | None]
    problem: Mapped[dict] = mapped_column(Translated, default=dict)  # 6
    status_quo: Mapped[dict] = mapped_column(Translated, default=dict)  # 7
    action: Mapped[dict] = mapped_column(Translated, default=dict)  # 8
    contribution: Mapped[dict] = mapped_column(Translated, default=dict)  # 9
    vision_objective: Mapped[dict] = mapped_column(Translated, default=dict)  # 10
    policy_areas: Mapped[list] = mapped_column(sa.JSON, default=list)  # 11, PolicyArea values
    policy_sectors: Mapped[list] = mapped_column(sa.JSON, default=list)  # 12, PolicySector
    ogp_values: Mapped[list] = mapped_column(sa.JSON, default=list)  # 13, OgpValue values
    budget_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))  # 14
    budget_currency: Mapped[str] = mapped_column(sa.String(3), default="MXN")
    staff: Mapped[int | None]
    months: Mapped[int | None]
    other_resources: Mapped[dict] = mapped_column(Translated, default=dict)
    resources_available: Mapped[ResourcesAvailable | None] = mapped_column(  # 15
        enum_type(ResourcesAvailable)
    )
    additional_information: Mapped[dict] = mapped_column(Translated, default=dict)  # 16

    # Beyond the template (NOSC stages 6–7).
    ambition: Mapped[AmbitionLevel | None] = mapped_column(enum_type(AmbitionLevel))
    sdgs: Mapped[list] = mapped_column(sa.JSON, default=list)  # goal numbers, 1–17
    gender_perspective: Mapped[dict] = mapped_column(Translated, default=dict)
    # Part of the content, so that dropping an approved commitment is reviewed too.
    withdrawn: Mapped[bool] = mapped_column(default=False)

    # The revision the STL last approved in full; None until then.
    approved_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitment_revision.id", use_alter=True, ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the commitment reached OGP with the plan (or later, on its own). Changes are
    # refused six months after it (OGP Local §3.2.1.3).
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )

    exercise: Mapped[Exercise] = relationship()
    topic: Mapped["Topic | None"] = relationship()  # noqa: F821
    causes: Mapped[list["TreeNode"]] = relationship(  # noqa: F821
        secondary=commitment_cause, order_by="TreeNode.id"
    )
    implementers: Mapped[list["Implementer"]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        order_by="(Implementer.kind, Implementer.position)",
    )
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="Milestone.position"
    )
    revisions: Mapped[list["CommitmentRevision"]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        order_by="CommitmentRevision.number",
        foreign_keys="CommitmentRevision.commitment_id",
    )
    approved_revision: Mapped["CommitmentRevision | None"] = relationship(
        foreign_keys=[approved_revision_id], post_update=True
    )
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="Review.id"
    )
    proposals: Mapped[list["Proposal"]] = relationship(  # noqa: F821
        back_populates="commitment", order_by="Proposal.id"
    )

    @property
    def latest_revision(self) -> "CommitmentRevision | None":
        return self.revisions[-1] if self.revisions else None

    @property
    def approved_title(self) -> dict:
        """The title the plan shows: the approved revision's, else the working copy's."""
        revision = self.approved_revision
        return (revision.content.get("title") if revision else None) or self.title or {}

    @property
    def open_review(self) -> "Review | None":
        review = self.reviews[-1] if self.reviews else None
        return review if review is not None and review.outcome is None else None

    def implementers_of(self, kind: ImplementerKind) -> list["Implementer"]:
        return [i for i in self.implementers if i.kind == kind]


class Implementer(db.Model):
    """A row of the template's tables 3 (government), 4 (non-governmental) and 5 (others)."""

    __tablename__ = "commitment_implementer"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ImplementerKind] = mapped_column(enum_type(ImplementerKind))
    position: Mapped[int] = mapped_column(default=0)
    institution: Mapped[str] = mapped_column(sa.String(200))
    branch: Mapped[Branch | None] = mapped_column(enum_type(Branch))  # government rows only
    contact_name: Mapped[str] = mapped_column(sa.String(160), default="")
    contact_title: Mapped[dict] = mapped_column(Translated, default=dict)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    role: Mapped[dict] = mapped_column(Translated, default=dict)

    commitment: Mapped[Commitment] = relationship(back_populates="implementers")


class Milestone(db.Model):
    """Annex 2 field 17, with the result indicator NOSC stage 7 asks for."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    output: Mapped[dict] = mapped_column(Translated)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    institution: Mapped[str] = mapped_column(sa.String(200), default="")
    contact: Mapped[str] = mapped_column(sa.String(160), default="")
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_type(MilestoneStatus), default=MilestoneStatus.NOT_STARTED
    )
    indicator: Mapped[dict] = mapped_column(Translated, default=dict)

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")

    @property
    def exercise(self) -> Exercise:
        return self.commitment.exercise


class CommitmentRevision(db.Model):
    """A saved state of the whole commitment: `content` is what `content_of` returns."""

    __tablename__ = "commitment_revision"
    __table_args__ = (sa.UniqueConstraint("commitment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    content: Mapped[dict] = mapped_column(sa.JSON)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why an approved commitment changed (OGP Local §3.2.1.3); empty before approval.
    change_reason: Mapped[dict] = mapped_column(Translated, default=dict)

    commitment: Mapped[Commitment] = relationship(
        back_populates="revisions", foreign_keys=[commitment_id]
    )
    author: Mapped[User | None] = relationship()
    comments: Mapped[list["RevisionComment"]] = relationship(
        back_populates="revision", cascade="all, delete-orphan", order_by="RevisionComment.id"
    )

    @property
    def exercise(self) -> Exercise:
        return self.commitment.exercise


class RevisionComment(db.Model):
    __tablename__ = "revision_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment_revision.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    # How the author took part, as the public sees it: a role, with sector and seat;
    # no role: the platform administrator.
    author_role: Mapped[Role | None] = mapped_column(enum_type(Role))
    author_sector: Mapped[Sector | None] = mapped_column(enum_type(Sector))
    author_seat: Mapped[Seat | None] = mapped_column(enum_type(Seat))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    revision: Mapped[CommitmentRevision] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()

    @property
    def author_as(self) -> str:
        if self.author_role is None:
            return str(_l("Platform administrator"))
        details = [part.label for part in (self.author_sector, self.author_seat) if part]
        return (
            f"{self.author_role.label} ({', '.join(details)})"
            if details
            else self.author_role.label
        )


class Review(db.Model):
    """One round of STL review of one revision. It ends approved (all three sectors
    approved this revision), returned to draft, or restarted by an edit."""

    __tablename__ = "commitment_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment_revision.id", ondelete="CASCADE")
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    outcome: Mapped[ReviewOutcome | None] = mapped_column(enum_type(ReviewOutcome))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The facilitator's note when returning the draft (the reviewers' reasons stay in
    # their decisions).
    note: Mapped[str] = mapped_column(sa.Text, default="")

    commitment: Mapped[Commitment] = relationship(back_populates="reviews")
    revision: Mapped[CommitmentRevision] = relationship()
    decisions: Mapped[list["SectorDecision"]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="SectorDecision.id"
    )


class SectorDecision(db.Model):
    """An STL member's approval or rejection of the revision under review, for their
    sector and from their seat (titular or suplente)."""

    __tablename__ = "sector_decision"
    __table_args__ = (sa.UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment_review.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    member_name: Mapped[str] = mapped_column(sa.String(120))
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    seat: Mapped[Seat] = mapped_column(enum_type(Seat))
    verdict: Mapped[Verdict] = mapped_column(enum_type(Verdict))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    review: Mapped[Review] = relationship(back_populates="decisions")
