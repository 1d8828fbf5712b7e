"""Golden files: the exact expected output of an export for fixed records at a fixed time.

After an intended change of format, regenerate them and review the diff:

    UPDATE_GOLDEN=1 uv run pytest src/aftercare/reports/tests
"""

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(actual.encode())
    expected = path.read_bytes().decode()
    assert actual == expected, f"{name} differs; UPDATE_GOLDEN=1 rewrites it after a change"
