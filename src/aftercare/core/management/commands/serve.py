import errno
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve the app with granian (WSGI). Settings come from the environment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--threads", type=int, default=4, help="blocking threads per worker")

    def handle(self, *args: Any, **options: Any) -> None:
        serve(options["host"], options["port"], options["workers"], options["threads"])


def ensure_port_free(host: str, port: int) -> None:
    """Refuse a port another server listens on. granian binds with SO_REUSEPORT, so a second
    server on the same port would start too and the two would share the requests: each
    request reaching one of two databases, sign-ins lost at random."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise CommandError(
                f"Port {port} on {host} is already in use, perhaps by another server. "
                "Stop it, or choose another port with --port."
            ) from error


def serve(host: str, port: int, workers: int = 1, threads: int = 4) -> None:
    import multiprocessing

    ensure_port_free(host, port)

    from granian.constants import Interfaces
    from granian.server import Server

    # Workers start fresh, never forked: a fork copies SQLite's in-process lock table, so a
    # worker forked while a background thread (the demo's reminders and alerts) was inside a
    # write transaction believes the lock is held forever, and every write it tries fails with
    # "database is locked" after the busy timeout. granian reads the start method from here.
    multiprocessing.set_start_method("spawn", force=True)
    Server(
        "aftercare.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
    ).serve()
