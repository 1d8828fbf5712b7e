"""Who is calling: a personal token (API clients) or the browser session (with CSRF).

Role and clinic come from the user (accounts.scoping): an authenticated caller of the wrong
role gets 404, as on the web pages, before its input is even read.
"""

from collections.abc import Collection
from typing import Any

from django.http import Http404, HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from aftercare.accounts.models import Role, User
from aftercare.api import tokens

PATIENTS = (Role.PATIENT,)
STAFF = (Role.CLINICIAN, Role.ADMIN)
ANYONE = (Role.PATIENT, Role.CLINICIAN, Role.ADMIN)


def _in_role(user: User, roles: Collection[str]) -> User:
    if user.role not in roles:
        raise Http404
    return user


class TokenAuth(HttpBearer):
    def __init__(self, roles: Collection[str]) -> None:
        super().__init__()
        self.roles = roles

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.user_for(token)
        if user is None:
            # A token was sent and is wrong or revoked: 401, even with a session cookie.
            raise AuthenticationError
        request.user = user
        return _in_role(user, self.roles)


class BrowserSession(SessionAuth):
    """Django's session; unsafe methods need the CSRF token, as for any form on the site."""

    def __init__(self, roles: Collection[str]) -> None:
        super().__init__(csrf=True)
        self.roles = roles

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing to protect: the answer is 401, not 403.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        return _in_role(request.user, self.roles)


def auth_for(roles: Collection[str]) -> list[Any]:
    return [TokenAuth(roles), BrowserSession(roles)]
