"""`aftercare content ...`: the content library from the command line.

    aftercare content check [PATH ...]     validate files (no PATH: the built-in guidance,
                                           including phase coverage and Sources sections)
    aftercare content import PATH ...      import .md files and folders of them
    aftercare content import --builtin     load or refresh the built-in guidance (published)
    aftercare content render               render every stored article again

An import writes at once, published articles too; its output ends with the published articles
whose live text it changed, so the operator knows what patients now read differently.

Imports are all or nothing: if any file has a problem, every problem is printed and nothing
is written. Problems go to stderr as ``file: field: message``; the exit status is then 1.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftercare.accounts.models import Clinic
from aftercare.library import actions, content_check
from aftercare.library.importer import ArticleData, ImportFailed, Problem


class Command(BaseCommand):
    help = "Check and import content-library articles (Markdown with front matter)."
    # `content check` reads files only: it needs no database and no URL configuration.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        check = commands.add_parser("check", help="validate article files")
        check.add_argument("paths", nargs="*", type=Path, help=".md files or folders")
        load = commands.add_parser("import", help="import article files")
        load.add_argument("paths", nargs="*", type=Path, help=".md files or folders")
        load.add_argument(
            "--builtin", action="store_true", help="import the built-in guidance, published"
        )
        load.add_argument("--publish", action="store_true", help="publish what is imported")
        load.add_argument(
            "--clinic", metavar="SLUG", help="owned by this clinic (default: shared by all)"
        )
        commands.add_parser("render", help="render every stored article again")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "check":
            self._check(options["paths"])
        elif subcommand == "import":
            self._import(options)
        else:
            count = actions.rerender_all()
            self.stdout.write(f"Rendered {count} article(s) anew.")

    def _fail(self, problems: list[Problem], what: str) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(f"{len(problems)} problem(s) found. {what}")

    def _check(self, paths: list[Path]) -> None:
        problems = content_check.check(paths)
        if problems:
            self._fail(problems, "Fix the files named above.")
        where = ", ".join(map(str, paths)) if paths else str(content_check.BUILTIN_DIR)
        self.stdout.write(self.style.SUCCESS(f"All articles in {where} are valid."))

    def _import(self, options: dict[str, Any]) -> None:
        paths: list[Path] = options["paths"]
        if options["builtin"]:
            if paths or options["clinic"]:
                raise CommandError("--builtin takes no paths and no --clinic")
            paths = [content_check.BUILTIN_DIR]
        elif not paths:
            raise CommandError("Name at least one .md file or folder, or use --builtin.")
        clinic = None
        if options["clinic"]:
            clinic = Clinic.objects.filter(slug=options["clinic"]).first()
            if clinic is None:
                raise CommandError(f"No clinic has the short name {options['clinic']!r}.")
        self._sources: dict[str, str] = {}
        try:
            result = actions.import_paths(
                paths=paths,
                clinic=clinic,
                publish=options["publish"] or options["builtin"],
                progress=self._progress,
            )
        except ImportFailed as failed:
            self._fail(failed.problems, "Nothing was imported.")
        owner = clinic.name if clinic else "shared with every clinic"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported ({owner}): {len(result.created)} created, "
                f"{len(result.updated)} updated, {len(result.unchanged)} unchanged."
            )
        )
        # Operators must know when patients now read different text than before the import.
        if result.live:
            self.stdout.write(
                self.style.WARNING(
                    f"Live text changed for {len(result.live)} published article(s); "
                    "patients read the new text now:"
                )
            )
            for slug in result.live:
                self.stdout.write(f"  {slug}  ({self._sources[slug]})")
        elif result.updated:
            self.stdout.write("No published article's live text changed.")

    def _progress(self, done: int, total: int, outcome: str, article: ArticleData) -> None:
        self._sources[article.slug] = article.source
        width = len(str(total))
        self.stdout.write(
            f"[{done:>{width}}/{total}] {outcome:<9} {article.slug}  ({article.source})"
        )
