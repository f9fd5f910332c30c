from enum import StrEnum

from coplat.accounts.models import Role
from coplat.core.permissions import Policy, anyone, has_role, is_admin


class ExerciseAction(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    MANAGE_ROLES = "manage_roles"
    RECORD_STEP_EVIDENCE = "record_step_evidence"
    CLOSE_STEP = "close_step"
    READ_PRIVATE = "read_private"


is_facilitator = has_role(Role.FACILITATOR)
is_stl_member = has_role(Role.STL_MEMBER)

policy = Policy(
    ExerciseAction,
    {
        ExerciseAction.VIEW: anyone,
        ExerciseAction.CREATE: is_admin,
        ExerciseAction.EDIT: is_admin,
        ExerciseAction.MANAGE_ROLES: is_admin,
        # Declaration, awareness events, actors, STL rules and agenda.
        ExerciseAction.RECORD_STEP_EVIDENCE: is_admin | is_facilitator | is_stl_member,
        # INAI: the STL closes its steps; the administrator may act for it.
        ExerciseAction.CLOSE_STEP: is_admin | is_stl_member,
        # Actors' contacts and staff-only files.
        ExerciseAction.READ_PRIVATE: is_admin | is_facilitator | is_stl_member,
    },
)
