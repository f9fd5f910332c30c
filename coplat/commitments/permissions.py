from enum import StrEnum

from coplat.accounts.models import Role
from coplat.core.permissions import Policy, anyone, has_role, is_admin


class CommitmentAction(StrEnum):
    VIEW = "view_commitments"
    DRAFT = "draft_commitment"
    TAKE_PROPOSAL = "take_proposal"
    COMMENT = "comment_revision"
    REVIEW = "review_commitment"


is_facilitator = has_role(Role.FACILITATOR)
is_stl_member = has_role(Role.STL_MEMBER)

policy = Policy(
    CommitmentAction,
    {
        # Drafts, revisions, comments and the STL's decisions are public: OGP Local
        # Annex 4 asks for draft commitments to be published.
        CommitmentAction.VIEW: anyone,
        # The facilitator writes the drafts with the tables (DESIGN §2), submits them to
        # the STL, returns them to draft and proposes changes after approval.
        CommitmentAction.DRAFT: is_admin | is_facilitator,
        # Saying that a commitment adopts or adapts a proposal writes its feedback-log
        # decision, which only the facilitator and the STL record (OGP Local §3.3.2). The
        # platform administrator decides nothing there; they may give themselves a role.
        CommitmentAction.TAKE_PROPOSAL: is_facilitator | is_stl_member,
        CommitmentAction.COMMENT: is_admin | is_facilitator | is_stl_member,
        # Only an STL member approves or rejects, for their own sector; an administrator
        # holds no sector.
        CommitmentAction.REVIEW: is_stl_member,
    },
)
