from enum import StrEnum

from coplat.accounts.models import Role
from coplat.core.permissions import (
    Policy,
    anyone,
    authenticated,
    exercise_of,
    has_role,
    is_admin,
    rule,
)


class TrackingAction(StrEnum):
    VIEW = "view_tracking"
    LAUNCH = "launch_plan"
    SET_CONTACT = "set_public_contact"
    UPDATE_MILESTONE = "update_milestone"
    REPORT_PROGRESS = "report_progress"
    ADD_EVIDENCE = "add_evidence"
    REMOVE_EVIDENCE = "remove_evidence"
    COMMENT = "comment_on_progress"
    MODERATE = "moderate_comments"
    ASSESS = "assess_plan"


def commitment_of(subject):
    """The commitment a subject concerns (a commitment, a milestone), if any."""
    if type(subject).__name__ == "Commitment":
        return subject
    return getattr(subject, "commitment", None)


@rule
def implements_it(user, subject):
    """The implementer assigned to the subject's commitment (DESIGN §2: an implementer
    answers for one commitment)."""
    commitment = commitment_of(subject)
    exercise = exercise_of(subject)
    if commitment is None or exercise is None or not (user and user.is_authenticated):
        return False
    assignment = user.assignment(exercise.id, Role.IMPLEMENTER)
    return assignment is not None and assignment.commitment_id == commitment.id


is_point_of_contact = has_role(Role.POINT_OF_CONTACT)
is_facilitator = has_role(Role.FACILITATOR)

policy = Policy(
    TrackingAction,
    {
        # The micro-site, the tracking board, reports, evidence and assessments are public.
        TrackingAction.VIEW: anyone,
        # INAI step 5: whoever organised the launch event records it.
        TrackingAction.LAUNCH: is_point_of_contact | is_facilitator,
        TrackingAction.SET_CONTACT: is_admin | is_point_of_contact | is_facilitator,
        # The implementer of the commitment, and the point of contact who answers to OGP.
        TrackingAction.UPDATE_MILESTONE: implements_it | is_point_of_contact,
        # OGP Local §3.5.4: the point of contact reports every quarter.
        TrackingAction.REPORT_PROGRESS: is_point_of_contact,
        # The implementer for their commitment; the point of contact and the facilitator
        # for anything (the subject is a commitment, or the exercise for the process).
        TrackingAction.ADD_EVIDENCE: implements_it | is_point_of_contact | is_facilitator,
        TrackingAction.REMOVE_EVIDENCE: is_admin | is_point_of_contact | is_facilitator,
        # Annex 4: the public comments on reported progress, from an account...
        TrackingAction.COMMENT: authenticated,
        # ...and the facilitator moderates, as in the consultation.
        TrackingAction.MODERATE: is_facilitator,
        # OGP Local §3.5: the monitoring body alone writes the assessments.
        TrackingAction.ASSESS: has_role(Role.MONITORING),
    },
)
