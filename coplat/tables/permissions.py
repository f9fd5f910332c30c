from enum import StrEnum

from coplat.accounts.models import Role
from coplat.core.permissions import Policy, anyone, authenticated, has_role, is_admin


class TableAction(StrEnum):
    VIEW = "view_tables"
    PROPOSE = "propose_solution"
    MANAGE = "manage_tables"
    RUN_SESSION = "run_session"
    EDIT_TREE = "edit_tree"
    ENTER_PROPOSAL = "enter_proposal"
    READ_HISTORY = "read_tree_history"
    DECIDE_PROPOSAL = "decide_proposal"


is_facilitator = has_role(Role.FACILITATOR)
is_stl_member = has_role(Role.STL_MEMBER)

policy = Policy(
    TableAction,
    {
        # Tables, sessions, minutes, trees and proposals are public (DESIGN §2).
        TableAction.VIEW: anyone,
        # While a table's call is open, anyone with an account may propose a solution.
        TableAction.PROPOSE: authenticated,
        # The facilitator runs the tables: opens them, plans and records the sessions
        # (invitations, attendance, minutes, evidence), builds the tree with the room
        # and enters the proposals made there.
        TableAction.MANAGE: is_admin | is_facilitator,
        TableAction.RUN_SESSION: is_admin | is_facilitator,
        TableAction.EDIT_TREE: is_admin | is_facilitator,
        TableAction.ENTER_PROPOSAL: is_admin | is_facilitator,
        # The STL reads who changed the tree; the public sees the current tree.
        TableAction.READ_HISTORY: is_admin | is_facilitator | is_stl_member,
        # Rejecting a proposal is a decision in the public feedback log, which only the
        # facilitator and the STL record (OGP Local §3.3.2). The platform administrator
        # decides nothing there; they may give themselves a role.
        TableAction.DECIDE_PROPOSAL: is_facilitator | is_stl_member,
    },
)
