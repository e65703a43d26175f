"""Every write to the organisation model. See docs/processes/identity.md."""

from steward.identity.services.auth import login_failed, login_succeeded, person_unlock
from steward.identity.services.org import (
    department_create,
    department_update,
    site_create,
    site_group_create,
    site_group_set_sites,
    site_update,
    team_create,
    team_set_members,
    team_update,
)
from steward.identity.services.people import (
    person_create,
    person_deactivate,
    person_set_password,
    person_set_roles,
    person_update,
)
from steward.identity.services.tokens import token_authenticate, token_create, token_revoke

__all__ = [
    "department_create",
    "department_update",
    "login_failed",
    "login_succeeded",
    "person_create",
    "person_deactivate",
    "person_set_password",
    "person_set_roles",
    "person_unlock",
    "person_update",
    "site_create",
    "site_group_create",
    "site_group_set_sites",
    "site_update",
    "team_create",
    "team_set_members",
    "team_update",
    "token_authenticate",
    "token_create",
    "token_revoke",
]
