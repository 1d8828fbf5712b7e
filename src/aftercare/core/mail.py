"""Email sent by the background jobs, with a Message-ID fixed by what the message is about.

The jobs send at least once: the send happens inside the transaction that records it, so a
process killed after the mail server accepted a message but before the commit sends it again
on restart (docs/reliability.md). Both copies then carry the same Message-ID, which lets mail
servers, mail clients and anyone reading the logs recognise the second one as a repeat.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage


def message_id(*parts: object) -> str:
    """``<part.part…@site-host>``: the same parts always give the same id."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    local = ".".join(str(part) for part in parts)
    return f"<{local}@{host}>"


def send_mail(
    subject: str,
    body: str,
    from_email: str | None,
    recipient_list: list[str],
    *,
    message_id: str | None = None,
) -> int:
    """django.core.mail.send_mail plus an optional fixed Message-ID."""
    headers = {"Message-ID": message_id} if message_id else None
    return EmailMessage(subject, body, from_email, recipient_list, headers=headers).send()
