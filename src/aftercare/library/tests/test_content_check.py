"""`aftercare content check` passes on the shipped guidance and names file and field when
something is wrong."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from aftercare.guidance.phases import Phase
from aftercare.library import content_check
from aftercare.library.importer import read_batch
from aftercare.library.tests.helpers import SEED_ARTICLE, markdown_file


def test_the_shipped_guidance_passes(capsys):
    call_command("content", "check")
    assert "are valid" in capsys.readouterr().out


def test_the_shipped_guidance_covers_every_phase():
    articles, problems = read_batch([content_check.BUILTIN_DIR])
    assert problems == []
    covered = {phase for article in articles for phase in article.phase_tags}
    assert covered == {phase.value for phase in Phase}


def test_a_bad_file_fails_naming_file_and_field(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text(markdown_file(published='"yesterday"', category='"GOSSIP"'))
    with pytest.raises(CommandError, match="2 problem"):
        call_command("content", "check", str(tmp_path))
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f'{bad}: category: "GOSSIP" is not known (known: CLINICAL_PRACTICE, NEWS, '
        "PATIENT_EDUCATION, RESEARCH)",
        f'{bad}: publishedAt: "yesterday" is not a date (use YYYY-MM-DD)',
    ]


def test_a_good_file_passes(tmp_path, capsys):
    (tmp_path / "good.md").write_text(
        markdown_file(body="See [warning signs](/learn/warning-signs/).\n")
    )
    call_command("content", "check", str(tmp_path / "good.md"))
    assert "are valid" in capsys.readouterr().out


def test_links_must_point_at_an_existing_slug(tmp_path):
    (tmp_path / "a.md").write_text(
        markdown_file(body="[Gone](/learn/no-such-article/) [Tag](/learn/tag/sleep/)\n")
    )
    assert [str(p) for p in content_check.check([tmp_path])] == [
        f"{tmp_path / 'a.md'}: body: links to /learn/no-such-article/, but no article has the "
        "slug 'no-such-article'"
    ]


def test_duplicate_slugs_and_unknown_phases_are_reported(tmp_path):
    (tmp_path / "a.md").write_text(markdown_file(slug='"a-one"', tags='["phase:week_9"]'))
    (tmp_path / "b.md").write_text(markdown_file())
    (tmp_path / "c.md").write_text(markdown_file())
    problems = {(p.source.rsplit("/", 1)[1], p.field) for p in content_check.check([tmp_path])}
    assert problems == {("a.md", "tags"), ("b.md", "slug"), ("c.md", "slug")}


def test_the_builtin_check_needs_every_phase_and_sources(tmp_path, monkeypatch):
    for path in content_check.BUILTIN_DIR.glob("*.md"):
        shutil.copy(path, tmp_path / path.name)
    text = (tmp_path / "planning-ahead.md").read_text()
    (tmp_path / "planning-ahead.md").write_text(text.split("## Sources")[0])
    monkeypatch.setattr(content_check, "BUILTIN_DIR", tmp_path)

    assert {str(p) for p in content_check.check()} == {
        f'{tmp_path / "planning-ahead.md"}: body: has no "## Sources" section',
    }
    for path in tmp_path.glob("*.md"):
        text = path.read_text()
        path.write_text(text.replace('"phase:long_term", ', "").replace(', "phase:long_term"', ""))
    assert f"{tmp_path}: tags: no file is tagged phase:long_term" in {
        str(p) for p in content_check.check()
    }


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason=f"no seed article at {SEED_ARTICLE}")
def test_the_guidance_is_in_our_own_words():
    """No run of eight words in a row is copied from the seed article."""

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower())

    seed = words(SEED_ARTICLE.read_text().split("---", 2)[2])
    copied = {tuple(seed[i : i + 8]) for i in range(len(seed) - 7)}
    articles, _ = read_batch([content_check.BUILTIN_DIR])
    for article in articles:
        text = words(article.excerpt + " " + article.body.split("## Sources")[0])
        runs = {" ".join(text[i : i + 8]) for i in range(len(text) - 7)}
        assert not {r for r in runs if tuple(r.split()) in copied}, article.source


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason=f"no seed article at {SEED_ARTICLE}")
def test_every_section_of_the_seed_article_is_cited_by_some_guidance():
    headings = re.findall(r"^#{2,3} (.+)$", SEED_ARTICLE.read_text(), re.M)
    articles, _ = read_batch([content_check.BUILTIN_DIR])
    sources = " ".join(article.body.split("## Sources")[1] for article in articles)
    sources = " ".join(sources.split())  # line breaks inside a quoted heading
    missing = [h for h in headings if f'"{h}"' not in sources]
    assert missing == [], missing


def run_cli(*args: str, tmp_path) -> subprocess.CompletedProcess[str]:
    """`aftercare content ...` as CI runs it, in a process of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERCARE_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "aftercare.test_settings",
        "AFTERCARE_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "aftercare.cli", "content", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_exits_zero_on_the_shipped_guidance(tmp_path):
    result = run_cli("check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "are valid" in result.stdout


def test_the_command_line_exits_non_zero_naming_the_file_and_field(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(markdown_file(drop=("title",)))
    result = run_cli("check", str(bad), tmp_path=tmp_path)
    assert result.returncode == 1
    assert f"{bad}: title: is missing or empty" in result.stderr
