"""The exercise, its six steps and the artifacts of steps 1–3 (INAI, DESIGN §1)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coplat.core.enums import enum_type
from coplat.core.models import CreatedAtMixin, Translated, UTCDateTime
from coplat.core.uploads import Upload
from coplat.exercises.enums import ExerciseKind, Sector
from coplat.extensions import db

STEP_NUMBERS = range(1, 7)
DEFAULT_TIMEZONE = "America/Mexico_City"


class Exercise(CreatedAtMixin, db.Model):
    __tablename__ = "exercise"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[dict] = mapped_column(Translated)
    description: Mapped[dict] = mapped_column(Translated, default=dict)
    kind: Mapped[ExerciseKind] = mapped_column(enum_type(ExerciseKind))
    administration_ends: Mapped[date]
    # The action plan's period (OGP Local §3.2): it ends at least two months before
    # the administration does.
    plan_starts_on: Mapped[date | None]
    plan_ends_on: Mapped[date | None]
    # Languages the content is written in; Spanish first, English for OGP.
    content_languages: Mapped[str] = mapped_column(sa.String(20), default="es,en")
    # Dates and times people type (a consultation's opening, say) are in this zone.
    timezone: Mapped[str] = mapped_column(
        sa.String(64), default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE
    )

    jurisdictions: Mapped[list["Jurisdiction"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", order_by="Jurisdiction.id"
    )
    steps: Mapped[list["Step"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", order_by="Step.number"
    )
    actors: Mapped[list["Actor"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", order_by="Actor.name"
    )
    assignments: Mapped[list["RoleAssignment"]] = relationship(  # noqa: F821
        back_populates="exercise", cascade="all, delete-orphan"
    )
    declaration: Mapped["Declaration | None"] = relationship(
        back_populates="exercise", cascade="all, delete-orphan"
    )
    awareness_events: Mapped[list["AwarenessEvent"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", order_by="AwarenessEvent.held_on"
    )
    stl_charter: Mapped["StlCharter | None"] = relationship(
        back_populates="exercise", cascade="all, delete-orphan"
    )
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", order_by="AgendaItem.starts_on"
    )

    @property
    def languages(self) -> list[str]:
        return [lang for lang in self.content_languages.split(",") if lang]

    @property
    def is_joint(self) -> bool:
        return len(self.jurisdictions) > 1

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_utc(self, local: datetime) -> datetime:
        """A date-time typed in the exercise's zone, as stored (UTC)."""
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def to_local(self, moment: datetime) -> datetime:
        """A stored moment as a form shows it: the exercise's wall-clock time."""
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def step(self, number: int) -> "Step":
        return next(s for s in self.steps if s.number == number)


class Jurisdiction(db.Model):
    __tablename__ = "jurisdiction"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(160))
    state: Mapped[str] = mapped_column(sa.String(80), default="")

    exercise: Mapped[Exercise] = relationship(back_populates="jurisdictions")


class Step(db.Model):
    """One of the six INAI steps. Its requirements are computed (exercises.steps);
    the row records whether and by whom it was closed."""

    __tablename__ = "step"
    __table_args__ = (sa.UniqueConstraint("exercise_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(sa.ForeignKey("exercise.id", ondelete="CASCADE"))
    number: Mapped[int]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )

    exercise: Mapped[Exercise] = relationship(back_populates="steps")
    closed_by: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Actor(CreatedAtMixin, db.Model):
    """An organisation or person taking part in the exercise (step 2)."""

    __tablename__ = "actor"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    is_organisation: Mapped[bool] = mapped_column(default=True)
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    # Never shown to the public: only the exercise's staff read it.
    contact: Mapped[str] = mapped_column(sa.String(300), default="")
    joined_on: Mapped[date | None]

    exercise: Mapped[Exercise] = relationship(back_populates="actors")


class Declaration(CreatedAtMixin, db.Model):
    """Step 1: the joint declaration of political will."""

    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), unique=True
    )
    signed_on: Mapped[date | None]
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id", ondelete="SET NULL"))

    exercise: Mapped[Exercise] = relationship(back_populates="declaration")
    document: Mapped[Upload | None] = relationship()
    signatories: Mapped[list["Signatory"]] = relationship(
        back_populates="declaration", cascade="all, delete-orphan", order_by="Signatory.id"
    )

    @property
    def signed_sectors(self) -> set[Sector]:
        return {s.actor.sector for s in self.signatories}


class Signatory(db.Model):
    __tablename__ = "signatory"
    __table_args__ = (sa.UniqueConstraint("declaration_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
    representative: Mapped[str] = mapped_column(sa.String(160))
    position: Mapped[str] = mapped_column(sa.String(160), default="")

    declaration: Mapped[Declaration] = relationship(back_populates="signatories")
    actor: Mapped[Actor] = relationship()

    @property
    def exercise(self) -> Exercise:
        return self.declaration.exercise


class AwarenessEvent(CreatedAtMixin, db.Model):
    """Step 2: an awareness (sensibilización) event."""

    __tablename__ = "awareness_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[dict] = mapped_column(Translated)
    description: Mapped[dict] = mapped_column(Translated, default=dict)
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")

    exercise: Mapped[Exercise] = relationship(back_populates="awareness_events")
    # Loaded with the events (one query for all of them): every page that lists events
    # shows their attendance.
    attendance: Mapped[list["AttendanceCount"]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="AttendanceCount.id",
        lazy="selectin",
    )

    @property
    def total_attendees(self) -> int:
        return sum(a.count for a in self.attendance)


class AttendanceCount(db.Model):
    __tablename__ = "attendance_count"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "sector"),
        sa.CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("awareness_event.id", ondelete="CASCADE"))
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    count: Mapped[int]

    event: Mapped[AwarenessEvent] = relationship(back_populates="attendance")


class StlCharter(CreatedAtMixin, db.Model):
    """Step 3: the STL's minimum rules of operation."""

    __tablename__ = "stl_charter"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), unique=True
    )
    rules: Mapped[dict] = mapped_column(Translated, default=dict)
    installed_on: Mapped[date | None]
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id", ondelete="SET NULL"))

    exercise: Mapped[Exercise] = relationship(back_populates="stl_charter")
    document: Mapped[Upload | None] = relationship()


class AgendaItem(db.Model):
    """Step 3: an item of the STL's annual work agenda."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[dict] = mapped_column(Translated)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]

    exercise: Mapped[Exercise] = relationship(back_populates="agenda_items")
