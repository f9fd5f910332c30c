from enum import StrEnum

from coplat.accounts.models import Role
from coplat.core.permissions import Policy, anyone, exercise_of, has_role, is_admin, rule
from coplat.plan.services import representing


class PlanAction(StrEnum):
    VIEW = "view_plan"
    EDIT = "edit_plan"
    ENDORSE = "endorse_plan"
    RECORD_ENDORSEMENT = "record_endorsement"
    SUBMIT = "submit_plan"


@rule
def represents_non_government(user, subject):
    exercise = exercise_of(subject)
    return exercise is not None and representing(user, exercise) is not None


is_point_of_contact = has_role(Role.POINT_OF_CONTACT)

policy = Policy(
    PlanAction,
    {
        # The plan, its readiness, its endorsements and its exports are public.
        PlanAction.VIEW: anyone,
        # The point of contact edits the strategic vision (DESIGN §2); the facilitator
        # drafts it with the STL and chooses the approved commitments with them.
        PlanAction.EDIT: is_admin | is_point_of_contact | has_role(Role.FACILITATOR),
        # A non-governmental actor's representative endorses from their own account.
        PlanAction.ENDORSE: represents_non_government,
        # The facilitator records an endorsement signed on paper, with its document.
        PlanAction.RECORD_ENDORSEMENT: has_role(Role.FACILITATOR),
        # OGP Local Annex 1: only the government's points of contact submit the plan.
        PlanAction.SUBMIT: is_point_of_contact,
    },
)
