"""``aftercare api-token create|revoke|list EMAIL``: personal API tokens from the command line.

``create`` prints the new token once; it cannot be shown again. ``revoke`` stops every active
token of the user (or the one whose prefix is given with ``--prefix``).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aftercare.accounts.models import User
from aftercare.api import tokens
from aftercare.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, revoke or list a user's personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line", help="what the token is for")
        parser.add_argument("--prefix", help="revoke only the token starting with this")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with the email {options['email']!r}")
        action = options["action"]
        if action == "create":
            token, raw = tokens.issue(user, options["name"])
            self.stderr.write(f"Token {token.name!r} for {user.email} ({user.role}). ")
            self.stderr.write("Copy it now: it is not stored and will not be shown again.")
            self.stdout.write(raw)
        elif action == "revoke":
            active = tokens.active_tokens(user)
            if options["prefix"]:
                active = active.filter(prefix__startswith=options["prefix"][: tokens.PREFIX_LENGTH])
            revoked = [tokens.revoke(t) for t in active]
            if not revoked:
                raise CommandError("No active token matched: nothing was revoked")
            self.stdout.write(f"Revoked {len(revoked)} token(s) of {user.email}.")
        else:
            for token in ApiToken.objects.filter(user=user):
                state = "active" if token.is_active else f"revoked {token.revoked_at:%Y-%m-%d}"
                self.stdout.write(
                    f"{token.prefix}…  {token.name}  made {token.created_at:%Y-%m-%d}  {state}"
                )
