"""Before an upload replaces a published article: what would change, and the pending upload.

The upload page shows `compare(live, upload)` and asks the admin to confirm. Until then nothing
is written: the parsed upload travels in the confirmation form as a signed token (bound to the
admin, their clinic and the live version they saw, and valid for PENDING_MAX_AGE), so the file
need not be chosen again and cannot be altered on the way.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core import signing
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.library.categories import KNOWN_CATEGORIES, Category
from aftercare.library.importer import MAX_FILE_BYTES, ArticleData
from aftercare.library.models import Article

PENDING_MAX_AGE = 60 * 60  # seconds: long enough to read a long diff, short enough to go stale
# A signed token of the largest file, JSON-escaped and compressed, stays well below this.
MAX_TOKEN_LENGTH = 4 * MAX_FILE_BYTES
CONTEXT_LINES = 3
# Lines of changed text difflib matches line by line; beyond, see _opcodes (about a second).
MAX_DIFF_LINES = 4000
_SALT = "aftercare.library.pending-upload"


# ArticleData.source of an article written or edited on the article form: there is no file,
# so the saved article names none ("imported from ...") and the pages speak of an edit.
BROWSER_SOURCE = ""


class PendingUploadInvalid(Exception):
    """The token was altered, is another person's, or is not one of ours."""


class PendingUploadExpired(PendingUploadInvalid):
    """The token is genuine but older than PENDING_MAX_AGE.

    `data` is what it held, to fill the article form again (nothing is written from it).
    """

    def __init__(self, data: ArticleData | None = None) -> None:
        self.data = data
        super().__init__()


def is_browser_edit(data: ArticleData) -> bool:
    return data.source == BROWSER_SOURCE


def sign_pending(data: ArticleData, *, user: User, version: str) -> str:
    payload = {
        "clinic": user.clinic_id,
        "version": version,
        "article": {
            "source": data.source,
            "title": data.title,
            "slug": data.slug,
            "excerpt": data.excerpt,
            "category": data.category,
            "author": data.author,
            "published_on": data.published_on.isoformat(),
            "featured_image": data.featured_image,
            "tags": list(data.tags),
            "body": data.body,
        },
    }
    return signing.dumps(payload, salt=f"{_SALT}:{user.pk}", compress=True)


def read_pending(token: str, *, user: User) -> tuple[ArticleData, str]:
    """The upload and the live version it was checked against; raises PendingUploadInvalid."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise PendingUploadInvalid
    salt = f"{_SALT}:{user.pk}"
    try:
        payload = signing.loads(token, salt=salt, max_age=PENDING_MAX_AGE)
    except signing.SignatureExpired:
        try:
            stale = _article(signing.loads(token, salt=salt), user)[0]
        except (signing.BadSignature, ValueError, PendingUploadInvalid):
            stale = None
        raise PendingUploadExpired(stale) from None
    except (signing.BadSignature, ValueError):
        raise PendingUploadInvalid from None
    return _article(payload, user)


def _article(payload: Any, user: User) -> tuple[ArticleData, str]:
    try:
        if payload["clinic"] != user.clinic_id:
            raise PendingUploadInvalid
        fields: dict[str, Any] = payload["article"]
        texts = ("source", "title", "slug", "excerpt", "category", "author", "featured_image")
        if not all(isinstance(fields[name], str) for name in (*texts, "body")):
            raise PendingUploadInvalid
        tags = fields["tags"]
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise PendingUploadInvalid
        if fields["category"] not in KNOWN_CATEGORIES or not isinstance(payload["version"], str):
            raise PendingUploadInvalid
        data = ArticleData(
            **{name: fields[name] for name in (*texts, "body")},
            published_on=date.fromisoformat(fields["published_on"]),
            tags=tuple(tags),
        )
    except (KeyError, TypeError, ValueError):
        raise PendingUploadInvalid from None
    return data, payload["version"]


@dataclass(frozen=True)
class FieldChange:
    label: str
    now: str
    new: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added" or "removed"
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Hunk:
    heading: str
    lines: list[Line]


@dataclass
class Changes:
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    hunks: list[Hunk] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    @property
    def body_changed(self) -> bool:
        return bool(self.hunks)


def _category(code: str) -> str:
    return f"{Category(code).label} ({code})" if code in KNOWN_CATEGORIES else code


def _field_changes(live: Article, data: ArticleData) -> list[FieldChange]:
    none = _("(none)")
    pairs = [
        (_("Title"), live.title, data.title),
        (_("Excerpt"), live.excerpt, data.excerpt),
        (_("Category"), _category(live.category), _category(data.category)),
        (_("Author"), live.author, data.author),
        (
            _("Publication date"),
            date_format(live.published_on, "j F Y"),
            date_format(data.published_on, "j F Y"),
        ),
        (_("Featured image"), live.featured_image or none, data.featured_image or none),
    ]
    changes = [FieldChange(label, now, new) for label, now, new in pairs if now != new]
    tags_now, tags_new = live.tags, list(data.tags)
    if tags_now != tags_new:
        changes.append(
            FieldChange(
                _("Tags"),
                ", ".join(tags_now) or none,
                ", ".join(tags_new) or none,
                added=tuple(t for t in tags_new if t not in tags_now),
                removed=tuple(t for t in tags_now if t not in tags_new),
            )
        )
    return changes


def _heading(new_start: int, new_end: int, now_start: int, now_end: int) -> str:
    """Where a change is, in line numbers of the new text (1-based) and of the current one."""
    if new_end > new_start:
        where = _("Lines %(first)d–%(last)d of the new text") % {
            "first": new_start + 1,
            "last": new_end,
        }
    else:
        where = _("After line %(line)d of the new text") % {"line": new_start}
    if now_end > now_start:
        return (
            where
            + " "
            + _("(now lines %(first)d–%(last)d)")
            % {
                "first": now_start + 1,
                "last": now_end,
            }
        )
    return where


Opcode = tuple[str, int, int, int, int]


def _opcodes(now: list[str], new: list[str]) -> list[Opcode]:
    """difflib's edit steps from `now` to `new`, within a bounded amount of work.

    The lines both share at the start and the end are set aside first (an edit usually
    touches a small part). difflib's matching is quadratic in the worst case, so a middle
    longer than MAX_DIFF_LINES is shown as one block removed and one added instead: still
    every changed line, just not matched line by line.
    """
    prefix = 0
    for a, b in zip(now, new, strict=False):
        if a != b:
            break
        prefix += 1
    suffix = 0
    for a, b in zip(reversed(now[prefix:]), reversed(new[prefix:]), strict=False):
        if a != b:
            break
        suffix += 1
    now_end, new_end = len(now) - suffix, len(new) - suffix
    middle: list[Opcode] = []
    if now_end - prefix + new_end - prefix > MAX_DIFF_LINES:
        middle = [("replace", prefix, now_end, prefix, new_end)]
    elif now_end > prefix or new_end > prefix:
        matcher = difflib.SequenceMatcher(None, now[prefix:now_end], new[prefix:new_end])
        middle = [
            (tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    codes: list[Opcode] = []
    if prefix:
        codes.append(("equal", 0, prefix, 0, prefix))
    codes.extend(middle)
    if suffix:
        codes.append(("equal", now_end, len(now), new_end, len(new)))
    return codes


def _grouped(codes: list[Opcode], context: int) -> list[list[Opcode]]:
    """The changes with `context` unchanged lines around each (difflib's own grouping)."""
    if not any(tag != "equal" for tag, *_ in codes):
        return []
    codes = list(codes)
    tag, i1, i2, j1, j2 = codes[0]
    if tag == "equal":
        codes[0] = (tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    tag, i1, i2, j1, j2 = codes[-1]
    if tag == "equal":
        codes[-1] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return [g for g in groups if any(tag != "equal" for tag, *_ in g)]


def _hunks(now: str, new: str) -> tuple[list[Hunk], int, int]:
    now_lines, new_lines = now.splitlines(), new.splitlines()
    hunks: list[Hunk] = []
    added = removed = 0
    for group in _grouped(_opcodes(now_lines, new_lines), CONTEXT_LINES):
        lines: list[Line] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(Line("same", text) for text in now_lines[i1:i2])
                continue
            if tag in ("replace", "delete"):
                lines.extend(Line("removed", text) for text in now_lines[i1:i2])
                removed += i2 - i1
            if tag in ("replace", "insert"):
                lines.extend(Line("added", text) for text in new_lines[j1:j2])
                added += j2 - j1
        first, last = group[0], group[-1]
        hunks.append(Hunk(_heading(first[3], last[4], first[1], last[2]), lines))
    return hunks, added, removed


def compare(live: Article, data: ArticleData) -> Changes:
    """What patients read now against what the upload would make them read."""
    hunks, added, removed = _hunks(live.body, data.body)
    return Changes(
        title=data.title,
        fields=_field_changes(live, data),
        hunks=hunks,
        added=added,
        removed=removed,
    )
