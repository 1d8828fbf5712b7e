"""Whatever bytes arrive, the parser returns entries or a readable problem, never a crash."""

import contextlib
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.reports import imports

TODAY = date(2026, 3, 10)
HEADERS = (b"full_date,mood,note\n", b"year,date,mood\n", b"Date,Depressed,Anxiety,Notes\n", b"")
CELLS = st.sampled_from(
    ["2026-03-01", "03/01/2026", "1 March", "2026", "rad", "meh", "severe", "2", "", '"', "\x00",
     "é", ",", "\n", "31/02/2026", "9:41 pm", "x" * 300]
)  # fmt: skip
ROWS = st.lists(st.lists(CELLS, max_size=5).map(",".join), max_size=8).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(
    source=st.sampled_from([imports.DAYLIO, imports.EMOODS]),
    header=st.sampled_from(HEADERS),
    body=ROWS,
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_any_file_parses_or_explains(source, header, body, encoding):
    raw = header + body.encode(encoding, errors="replace")
    try:
        parsed = imports.parse(source, raw, TODAY)
    except imports.ImportProblem as problem:
        message = str(problem)
        assert message, "a refused file always says why"
    else:
        assert parsed.entries
        assert all(entry.day <= TODAY for entry in parsed.entries)
        rows = imports.days(parsed.entries, imports.default_mapping(source, parsed.labels), set())
        assert all(row.mood is None or 1 <= row.mood <= 10 for row in rows)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=400))
def test_random_bytes_never_crash(raw):
    for source in (imports.DAYLIO, imports.EMOODS):
        with contextlib.suppress(imports.ImportProblem):
            imports.parse(source, raw, TODAY)
