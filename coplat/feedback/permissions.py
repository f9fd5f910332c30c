from enum import StrEnum

from coplat.accounts.models import Role
from coplat.core.permissions import Policy, anyone, has_role


class FeedbackAction(StrEnum):
    VIEW = "view_feedback_log"
    CORRECT = "correct_decision"


policy = Policy(
    FeedbackAction,
    {
        # The log, its summary, its downloads and its verification are public.
        FeedbackAction.VIEW: anyone,
        # Only the facilitator and the STL record decisions (OGP Local §3.3.2); a
        # correction is a decision. The platform administrator decides nothing.
        FeedbackAction.CORRECT: has_role(Role.FACILITATOR, Role.STL_MEMBER),
    },
)
