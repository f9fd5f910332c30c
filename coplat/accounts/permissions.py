from enum import StrEnum

from coplat.core.permissions import Policy, authenticated, is_admin


class AccountAction(StrEnum):
    REGISTER = "register"
    MANAGE_OWN_ACCOUNT = "manage_own_account"
    LIST_USERS = "list_users"


policy = Policy(
    AccountAction,
    {
        AccountAction.REGISTER: ~authenticated,
        AccountAction.MANAGE_OWN_ACCOUNT: authenticated,
        AccountAction.LIST_USERS: is_admin,
    },
)
