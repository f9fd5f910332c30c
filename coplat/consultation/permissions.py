from enum import StrEnum

from coplat.accounts.models import Role
from coplat.core.permissions import Policy, anyone, authenticated, has_role, is_admin


class ConsultationAction(StrEnum):
    VIEW = "view_consultation"
    TAKE_PART = "take_part"
    CONFIGURE = "configure_consultation"
    MODERATE = "moderate_topics"
    RECORD_OFFLINE = "record_offline_input"
    PRIORITISE = "prioritise_topics"


is_facilitator = has_role(Role.FACILITATOR)
is_stl_member = has_role(Role.STL_MEMBER)

policy = Policy(
    ConsultationAction,
    {
        # Topics, results and open data are public.
        ConsultationAction.VIEW: anyone,
        # Propose topics, vote, give the optional profile: anyone with an account.
        ConsultationAction.TAKE_PART: authenticated,
        # DESIGN §2: the facilitator runs the consultation, its moderation and the
        # offline input; the STL prioritises the topics.
        ConsultationAction.CONFIGURE: is_admin | is_facilitator,
        ConsultationAction.RECORD_OFFLINE: is_admin | is_facilitator,
        # Rejecting, merging and prioritising topics are decisions in the public feedback
        # log, which only the facilitator and the STL record (OGP Local §3.3.2). The
        # platform administrator decides nothing there; they may give themselves a role.
        # Publishing is no decision but is part of the same moderation, which the
        # facilitator runs.
        ConsultationAction.MODERATE: is_facilitator,
        ConsultationAction.PRIORITISE: is_stl_member,
    },
)
