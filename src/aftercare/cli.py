"""The `aftercare` command: every Django management command, plus `demo` and `serve`."""

import os
import sys


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        # Settings read the data folder at import time, so it is set before Django starts.
        data_dir = _option(argv, "--data-dir")
        if data_dir:
            os.environ["AFTERCARE_DATA_DIR"] = data_dir
        os.environ.setdefault("AFTERCARE_DEBUG", "True")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
