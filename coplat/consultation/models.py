"""The topic consultation (NOSC stage 2): topics, votes, offline input and the
optional participation profile. Vote counts are kept on the topic as votes arrive,
so no page has to count the votes themselves."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from coplat.consultation.enums import (
    AgeBand,
    Answer,
    Channel,
    ConsultationStatus,
    Gender,
    TopicState,
)
from coplat.core.enums import enum_type
from coplat.core.models import CreatedAtMixin, Translated, UTCDateTime, utcnow
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision


class Consultation(CreatedAtMixin, db.Model):
    """One per exercise: the public consultation on which problems matter."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), unique=True
    )
    question: Mapped[dict] = mapped_column(Translated)
    explanation: Mapped[dict] = mapped_column(Translated, default=dict)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepts_topics: Mapped[bool] = mapped_column(default=True)
    # None: one vote per topic, on as many topics as the citizen likes;
    # N: a budget of N topics.
    vote_budget: Mapped[int | None]
    # Regions offered in the participation profile, one per line.
    regions: Mapped[str] = mapped_column(sa.Text, default="")
    # Distinct people who took part online (voted or proposed), kept as they join.
    participant_count: Mapped[int] = mapped_column(default=0)
    prioritised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    exercise: Mapped[Exercise] = relationship(
        backref=backref("consultation", uselist=False, cascade="all, delete-orphan")
    )
    categories: Mapped[list["TopicCategory"]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="TopicCategory.position, TopicCategory.id",
    )
    offline_inputs: Mapped[list["OfflineInput"]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="OfflineInput.held_on.desc(), OfflineInput.id.desc()",
    )

    def status(self, now: datetime | None = None) -> ConsultationStatus:
        now = now or utcnow()
        if now < self.opens_at:
            return ConsultationStatus.UPCOMING
        if now < self.closes_at:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    @property
    def region_list(self) -> list[str]:
        return [line.strip() for line in self.regions.splitlines() if line.strip()]


class TopicCategory(db.Model):
    __tablename__ = "topic_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict] = mapped_column(Translated)
    position: Mapped[int] = mapped_column(default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="categories")

    @property
    def exercise(self) -> Exercise:
        return self.consultation.exercise


class OfflineInput(CreatedAtMixin, db.Model):
    """Input gathered away from the web: one suggestion box opened, one regional
    table or assembly held, one batch of paper surveys."""

    __tablename__ = "offline_input"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    place: Mapped[str] = mapped_column(sa.String(200))
    held_on: Mapped[date]
    # People who took part through this channel, as counted there.
    participants: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )

    consultation: Mapped[Consultation] = relationship(back_populates="offline_inputs")
    tallies: Mapped[list["OfflineTally"]] = relationship(
        back_populates="offline_input", cascade="all, delete-orphan", order_by="OfflineTally.id"
    )

    @property
    def exercise(self) -> Exercise:
        return self.consultation.exercise


class Topic(CreatedAtMixin, db.Model):
    __tablename__ = "topic"
    __table_args__ = (
        sa.Index("ix_topic_consultation_state", "consultation_id", "state"),
        # The feedback log's newest topics first.
        sa.Index("ix_topic_consultation_created", "consultation_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE")
    )
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topic_category.id", ondelete="SET NULL")
    )
    title: Mapped[dict] = mapped_column(Translated)
    description: Mapped[dict] = mapped_column(Translated, default=dict)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), default=Channel.WEB)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    offline_input_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("offline_input.id", ondelete="SET NULL")
    )
    state: Mapped[TopicState] = mapped_column(enum_type(TopicState), default=TopicState.PENDING)
    # Public: why it was rejected.
    reason: Mapped[dict] = mapped_column(Translated, default=dict)
    # Indexed: a topic's page lists the topics merged into it.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id"), index=True)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    online_votes: Mapped[int] = mapped_column(default=0)
    offline_votes: Mapped[int] = mapped_column(default=0)
    prioritised: Mapped[bool] = mapped_column(default=False)
    # The latest feedback-log decision, kept with it in the same transaction; None
    # while pending.
    decision: Mapped[Decision | None] = mapped_column(enum_type(Decision))

    consultation: Mapped[Consultation] = relationship()
    category: Mapped[TopicCategory | None] = relationship()
    author: Mapped["User | None"] = relationship()  # noqa: F821
    offline_input: Mapped[OfflineInput | None] = relationship()
    merged_into: Mapped["Topic | None"] = relationship(remote_side=[id])
    tallies: Mapped[list["OfflineTally"]] = relationship(back_populates="topic")

    @property
    def exercise(self) -> Exercise:
        return self.consultation.exercise

    @property
    def total_votes(self) -> int:
        return self.online_votes + self.offline_votes


class Vote(db.Model):
    """One citizen's vote for one topic; the unique constraint is what makes a
    second vote impossible, whatever the view checks."""

    __tablename__ = "vote"
    __table_args__ = (sa.UniqueConstraint("topic_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topic.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OfflineTally(db.Model):
    """Votes for one topic gathered by one offline input."""

    __tablename__ = "offline_tally"
    __table_args__ = (sa.UniqueConstraint("offline_input_id", "topic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offline_input_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offline_input.id", ondelete="CASCADE")
    )
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    votes: Mapped[int]

    offline_input: Mapped[OfflineInput] = relationship(back_populates="tallies")
    topic: Mapped[Topic] = relationship(back_populates="tallies")

    @property
    def exercise(self) -> Exercise:
        return self.offline_input.exercise


class Participant(db.Model):
    """A person who took part online in one consultation: how many of their votes
    are in use (the budget is enforced on this row) and, if they chose to give it,
    their participation profile, which is only ever shown in aggregate."""

    __tablename__ = "participant"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    votes_cast: Mapped[int] = mapped_column(default=0)
    profile_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    age_band: Mapped[AgeBand | None] = mapped_column(enum_type(AgeBand))
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    region: Mapped[str | None] = mapped_column(sa.String(120))
    indigenous: Mapped[Answer | None] = mapped_column(enum_type(Answer))
    disability: Mapped[Answer | None] = mapped_column(enum_type(Answer))

    consultation: Mapped[Consultation] = relationship()


class ProfileTally(db.Model):
    """People per answer of the profile, kept as profiles are given or erased, so
    the breakdown never reads profiles one by one."""

    __tablename__ = "profile_tally"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "dimension", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE")
    )
    dimension: Mapped[str] = mapped_column(sa.String(20))
    value: Mapped[str] = mapped_column(sa.String(120))
    people: Mapped[int] = mapped_column(default=0)
