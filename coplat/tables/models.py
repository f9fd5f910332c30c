"""A working table per prioritised topic; its sessions with attendance, invitations,
minutes and evidence; its problem tree, whose history is kept; and the proposals made
for the tree's strategic causes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coplat.core.enums import enum_type
from coplat.core.models import CreatedAtMixin, Translated, UTCDateTime, utcnow
from coplat.core.uploads import Upload
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.tables.enums import (
    AttachmentKind,
    NodeKind,
    ProposalChannel,
    SessionKind,
    TreeChangeKind,
)


class WorkingTable(CreatedAtMixin, db.Model):
    __tablename__ = "working_table"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    # NOSC stage 5: one table per prioritised topic.
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topic.id"), unique=True)
    name: Mapped[dict] = mapped_column(Translated)
    facilitator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    # Citizens may propose solutions online until this moment; None: no open call.
    proposals_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    exercise: Mapped[Exercise] = relationship()
    topic: Mapped["Topic"] = relationship()  # noqa: F821
    facilitator: Mapped["User | None"] = relationship()  # noqa: F821
    sessions: Mapped[list["TableSession"]] = relationship(
        back_populates="table",
        cascade="all, delete-orphan",
        order_by="(TableSession.starts_at, TableSession.id)",
    )

    def accepts_proposals(self, now: datetime | None = None) -> bool:
        return self.proposals_close_at is not None and (now or utcnow()) < self.proposals_close_at


class TableSession(CreatedAtMixin, db.Model):
    __tablename__ = "table_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("working_table.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind))
    title: Mapped[dict] = mapped_column(Translated)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    # The call and agenda, published before the session.
    agenda: Mapped[dict] = mapped_column(Translated, default=dict)
    # Public minutes (minuta): sanitised HTML per language.
    minutes: Mapped[dict] = mapped_column(Translated, default=dict)

    table: Mapped[WorkingTable] = relationship(back_populates="sessions")
    attendances: Mapped[list["Attendance"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Attendance.id"
    )
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Invitation.id"
    )
    attachments: Mapped[list["SessionAttachment"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionAttachment.id"
    )

    @property
    def exercise(self) -> Exercise:
        return self.table.exercise

    @property
    def has_started(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def has_minutes(self) -> bool:
        return any(text.strip() for text in self.minutes.values())


class Attendance(CreatedAtMixin, db.Model):
    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("table_session.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
    # The sector the attendee came for; kept so the totals stay as they were counted.
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))

    session: Mapped[TableSession] = relationship(back_populates="attendances")
    actor: Mapped[Actor] = relationship()


class Invitation(CreatedAtMixin, db.Model):
    """NOSC stage 4: each sector convenes its counterparts before the session."""

    __tablename__ = "invitation"
    __table_args__ = (sa.UniqueConstraint("session_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("table_session.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))

    session: Mapped[TableSession] = relationship(back_populates="invitations")
    actor: Mapped[Actor] = relationship()


class SessionAttachment(CreatedAtMixin, db.Model):
    __tablename__ = "session_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("table_session.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(sa.ForeignKey("upload.id", ondelete="CASCADE"))
    kind: Mapped[AttachmentKind] = mapped_column(enum_type(AttachmentKind))
    caption: Mapped[str] = mapped_column(sa.String(300), default="")

    session: Mapped[TableSession] = relationship(back_populates="attachments")
    upload: Mapped[Upload] = relationship()


class TreeNode(db.Model):
    """A node of the table's problem tree: its one central problem, the causes below it
    (a cause may have causes of its own) and the effects above it."""

    __tablename__ = "tree_node"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("working_table.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("tree_node.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NodeKind] = mapped_column(enum_type(NodeKind))
    text: Mapped[dict] = mapped_column(Translated)
    # NOSC stage 5: the causes the table chose to attack.
    strategic: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    table: Mapped[WorkingTable] = relationship()

    @property
    def exercise(self) -> Exercise:
        return self.table.exercise


class TreeChange(db.Model):
    """The tree's history: who changed which node, how, and when."""

    __tablename__ = "tree_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("working_table.id", ondelete="CASCADE"), index=True
    )
    node_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tree_node.id", ondelete="SET NULL"))
    node_kind: Mapped[NodeKind] = mapped_column(enum_type(NodeKind))
    kind: Mapped[TreeChangeKind] = mapped_column(enum_type(TreeChangeKind))
    # The node's text before and after the change (per language).
    before: Mapped[dict] = mapped_column(Translated, default=dict)
    after: Mapped[dict] = mapped_column(Translated, default=dict)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped["User | None"] = relationship()  # noqa: F821


class Proposal(CreatedAtMixin, db.Model):
    """A solution proposed for a strategic cause, online by a citizen or entered by the
    facilitator on behalf of someone at a session."""

    __tablename__ = "proposal"
    # The feedback log's newest proposals first.
    __table_args__ = (sa.Index("ix_proposal_created", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("working_table.id", ondelete="CASCADE"), index=True
    )
    cause_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("tree_node.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[dict] = mapped_column(Translated)
    description: Mapped[dict] = mapped_column(Translated, default=dict)
    channel: Mapped[ProposalChannel] = mapped_column(enum_type(ProposalChannel))
    # Shown publicly: a display name or an organisation, never an email.
    proposer_name: Mapped[str] = mapped_column(sa.String(200))
    proposer_sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("table_session.id", ondelete="SET NULL")
    )
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    # The latest feedback-log decision, kept with it in the same transaction; None
    # while pending.
    decision: Mapped[Decision | None] = mapped_column(enum_type(Decision))
    # The commitment that adopted or adapted it, kept with the decision.
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="SET NULL"), index=True
    )

    table: Mapped[WorkingTable] = relationship()
    cause: Mapped[TreeNode | None] = relationship()
    session: Mapped[TableSession | None] = relationship()
    commitment: Mapped["Commitment | None"] = relationship(  # noqa: F821
        back_populates="proposals"
    )

    @property
    def exercise(self) -> Exercise:
        return self.table.exercise
