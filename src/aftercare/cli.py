"""The `aftercare` command: every Django management command, plus `demo` and `serve`."""

import os
import secrets
import sys

# Commands that only compute on simulated data: they sign nothing, so a production secret key
# is not needed to run them (a random one is used when none is set).
OFFLINE = {"insights"}


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
    if len(argv) > 1 and argv[1] in OFFLINE:
        os.environ.setdefault("AFTERCARE_SECRET_KEY", secrets.token_urlsafe(32))
    if len(argv) > 1 and argv[1] == "api-token":
        argv[1] = "api_token"  # the documented spelling; command modules cannot hold a hyphen
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
