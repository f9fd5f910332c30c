from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from coplat.core.enums import LabelledEnum, enum_type
from coplat.core.models import CreatedAtMixin, UTCDateTime
from coplat.exercises.enums import Seat, Sector
from coplat.extensions import db


class Role(LabelledEnum):
    """Roles held in one exercise (DESIGN §2). Administrator is a flag on the user."""

    FACILITATOR = "facilitator"
    STL_MEMBER = "stl_member"
    POINT_OF_CONTACT = "point_of_contact"
    IMPLEMENTER = "implementer"
    MONITORING = "monitoring"

    @classmethod
    def _labels(cls):
        return {
            cls.FACILITATOR: _l("Facilitator"),
            cls.STL_MEMBER: _l("STL member"),
            cls.POINT_OF_CONTACT: _l("Point of contact"),
            cls.IMPLEMENTER: _l("Implementer"),
            cls.MONITORING: _l("Monitoring body"),
        }


class User(UserMixin, CreatedAtMixin, db.Model):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: the unique index is then case-insensitive on every backend.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    is_admin: Mapped[bool] = mapped_column(default=False)
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def roles_in(self, exercise_id: int) -> set[Role]:
        return {a.role for a in self.roles if a.exercise_id == exercise_id}

    def assignment(self, exercise_id: int, role: Role) -> "RoleAssignment | None":
        return next(
            (a for a in self.roles if a.exercise_id == exercise_id and a.role == role), None
        )

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleAssignment(CreatedAtMixin, db.Model):
    """A user's role in one exercise. STL members also hold a sector and a seat, which
    is what step 3 (the STL) and later approvals read."""

    __tablename__ = "role_assignment"
    __table_args__ = (sa.UniqueConstraint("user_id", "exercise_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_type(Role))
    sector: Mapped[Sector | None] = mapped_column(enum_type(Sector))
    seat: Mapped[Seat | None] = mapped_column(enum_type(Seat))
    # The organisation the person represents (STL seats, points of contact).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actor.id", ondelete="SET NULL"))
    # The commitment an implementer answers for (DESIGN §2: one commitment).
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(back_populates="roles")
    exercise: Mapped["Exercise"] = relationship(back_populates="assignments")  # noqa: F821
    actor: Mapped["Actor | None"] = relationship()  # noqa: F821
    commitment: Mapped["Commitment | None"] = relationship()  # noqa: F821
