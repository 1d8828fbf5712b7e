"""`aftercare content check`: the importer's checks plus what only a set of files can show.

On any files: front matter present and typed, dates parse, slugs unique in the set, categories
known, phase tags name known phases, and internal links /learn/<slug>/ point at an article in
the set (or in the built-in guidance).

On the built-in guidance (content/guidance/, checked when no path is given) also: every phase
of the phase engine is covered by at least one file, every file is patient education, and
every file ends with a "Sources" section naming the seed article and CLINICAL.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from aftercare.guidance.phases import Phase
from aftercare.library.categories import Category
from aftercare.library.importer import (
    PHASE_TAG_PREFIX,
    ArticleData,
    Problem,
    read_batch,
)

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "content" / "guidance"
SEED_TITLE = "After the Infusion: Navigating the Days and Weeks Following Treatment"
SOURCES_HEADING = re.compile(r"^##\s+Sources\s*$", re.M)


def _sources_problems(article: ArticleData) -> list[Problem]:
    match = SOURCES_HEADING.search(article.body)
    if match is None:
        return [Problem(article.source, "body", 'has no "## Sources" section')]
    sources = article.body[match.end() :]
    problems = []
    if SEED_TITLE not in sources:
        problems.append(
            Problem(article.source, "body", f'Sources must name the seed article "{SEED_TITLE}"')
        )
    if "CLINICAL.md" not in sources:
        problems.append(Problem(article.source, "body", "Sources must name CLINICAL.md sections"))
    return problems


def builtin_slugs() -> set[str]:
    articles, _ = read_batch([BUILTIN_DIR])
    return {article.slug for article in articles}


def check(paths: Sequence[Path] | None = None) -> list[Problem]:
    """Every problem in the files under `paths`; no paths means the built-in guidance."""
    builtin = not paths
    articles, problems = read_batch([BUILTIN_DIR] if builtin else list(paths or ()))
    known = {article.slug for article in articles}
    if not builtin:
        known |= builtin_slugs()
    for article in articles:
        for slug in article.internal_links:
            if slug not in known:
                problems.append(
                    Problem(
                        article.source,
                        "body",
                        f"links to /learn/{slug}/, but no article has the slug {slug!r}",
                    )
                )
    if builtin:
        for article in articles:
            if article.category != Category.PATIENT_EDUCATION:
                problems.append(
                    Problem(article.source, "category", "built-in guidance is PATIENT_EDUCATION")
                )
            problems.extend(_sources_problems(article))
        covered = {phase for article in articles for phase in article.phase_tags}
        for phase in Phase:
            if phase.value not in covered:
                problems.append(
                    Problem(
                        str(BUILTIN_DIR),
                        "tags",
                        f"no file is tagged {PHASE_TAG_PREFIX}{phase.value}",
                    )
                )
    return problems
