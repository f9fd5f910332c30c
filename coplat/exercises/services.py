"""Exercise rules, free of the request. Callers commit."""

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l

from coplat.accounts.models import Role, RoleAssignment, User
from coplat.core.permissions import exercise_of
from coplat.exercises.enums import STL_SECTORS
from coplat.exercises.models import STEP_NUMBERS, Actor, Exercise, Jurisdiction, Signatory, Step
from coplat.extensions import db


class ExerciseError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def get_exercise(slug: str) -> Exercise:
    return db.first_or_404(sa.select(Exercise).where(Exercise.slug == slug))


def owned_or_404(model, item_id: int, exercise: Exercise):
    """The record, if it belongs to this exercise; ids of other exercises are 404."""
    item = db.get_or_404(model, item_id)
    if exercise_of(item) is not exercise:
        abort(404)
    return item


def create_exercise(*, slug: str, jurisdictions: list[tuple[str, str]], **fields) -> Exercise:
    if db.session.scalar(sa.select(Exercise.id).where(Exercise.slug == slug)):
        raise ExerciseError(_l("Another exercise already uses this identifier."))
    exercise = Exercise(slug=slug, **fields)
    set_jurisdictions(exercise, jurisdictions)
    exercise.steps = [Step(number=n) for n in STEP_NUMBERS]
    db.session.add(exercise)
    db.session.flush()
    return exercise


def set_jurisdictions(exercise: Exercise, jurisdictions: list[tuple[str, str]]) -> None:
    if not 1 <= len(jurisdictions) <= 4:
        raise ExerciseError(
            _l("An exercise has one jurisdiction, or two to four for a joint plan.")
        )
    exercise.jurisdictions = [Jurisdiction(name=name, state=state) for name, state in jurisdictions]


def add_signatory(
    exercise: Exercise, actor: Actor, representative: str, position: str
) -> Signatory:
    if actor.sector not in STL_SECTORS:
        raise ExerciseError(
            _l("Only government, civil-society or guarantor-body actors can sign the declaration.")
        )
    if any(s.actor_id == actor.id for s in exercise.declaration.signatories):
        raise ExerciseError(_l("This actor has already signed."))
    signatory = Signatory(actor=actor, representative=representative, position=position)
    exercise.declaration.signatories.append(signatory)
    return signatory


def actor_in_use(actor: Actor) -> bool:
    signed = db.session.scalar(
        sa.select(Signatory.id).where(Signatory.actor_id == actor.id).limit(1)
    )
    seated = db.session.scalar(
        sa.select(RoleAssignment.id).where(RoleAssignment.actor_id == actor.id).limit(1)
    )
    return bool(signed or seated)


def assign_role(exercise: Exercise, user: User, role: Role, **details) -> RoleAssignment:
    if user.assignment(exercise.id, role):
        raise ExerciseError(_l("This account already has that role in the exercise."))
    if role != Role.STL_MEMBER:
        details.update(sector=None, seat=None)
    if role != Role.IMPLEMENTER:
        # Only an implementer answers for a commitment.
        details.pop("commitment_id", None)
        details["commitment"] = None
    assignment = RoleAssignment(exercise=exercise, user=user, role=role, **details)
    db.session.add(assignment)
    return assignment


def stl_members(exercise: Exercise) -> list[RoleAssignment]:
    order = {sector: i for i, sector in enumerate(STL_SECTORS)}
    members = [a for a in exercise.assignments if a.role == Role.STL_MEMBER]
    return sorted(members, key=lambda a: (order.get(a.sector, 9), a.seat != "titular", a.id))
