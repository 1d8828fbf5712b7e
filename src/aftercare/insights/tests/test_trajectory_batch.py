"""The batch classifier gives each row the same result whatever rows share its chunk, however
long the series are, and wherever they sit in the matrix."""

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.insights import trajectory
from aftercare.insights.trajectory import TrajectoryBatch, baseline_mood, classify
from aftercare.insights.validation import simulate_series

FIELDS = [
    "code",
    "missing",
    "peak",
    "peak_day",
    "recent",
    "slope",
    "slope_se",
    "intercept",
    "rebound",
    "trough",
    "post_days",
    "last_day",
]


def rows_of(batch: TrajectoryBatch, rows: np.ndarray) -> dict[str, np.ndarray]:
    return {name: getattr(batch, name)[rows] for name in FIELDS}


def assert_same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    for name in FIELDS:
        assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name


def cohort(n: int, seed: int, missing: float, days: int = 90):
    c = simulate_series(n, seed=seed, missing=missing, days=days)
    return c, baseline_mood(c.mood, c.first)


@contextmanager
def chunks_of(rows: int) -> Iterator[None]:
    saved = trajectory.CHUNK_ROWS
    trajectory.CHUNK_ROWS = rows
    try:
        yield
    finally:
        trajectory.CHUNK_ROWS = saved


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    missing=st.sampled_from([0.0, 0.3, 0.7]),
    chunk=st.integers(1, 9),
)
def test_a_row_gets_the_same_result_in_any_order_and_any_chunk(seed, missing, chunk):
    # Each chunk works from its own earliest episode and peak search on: shuffling the rows
    # changes every chunk's days, never a row's result (exactly, to the last bit).
    c, base = cohort(40, seed, missing)
    order = np.random.default_rng(seed).permutation(40)
    with chunks_of(chunk):
        whole = classify(c.mood, base, c.start, c.end, c.first, peak_from=c.peak_from)
        shuffled = classify(
            c.mood[order],
            base[order],
            c.start[order],
            c.end[order],
            c.first[order],
            peak_from=c.peak_from[order],
        )
    assert_same(rows_of(whole, order), rows_of(shuffled, np.arange(40)))


def test_rows_with_no_check_in_at_all_do_not_disturb_the_others():
    c, base = cohort(30, seed=4, missing=0.3)
    mood = c.mood.copy()
    mood[::3] = np.nan
    out = classify(mood, base, c.start, c.end, c.first, peak_from=c.peak_from)
    alone = classify(
        mood[1::3],
        base[1::3],
        c.start[1::3],
        c.end[1::3],
        c.first[1::3],
        peak_from=c.peak_from[1::3],
    )
    assert_same(rows_of(out, np.arange(1, 30, 3)), rows_of(alone, np.arange(10)))
    assert np.all(out.post_days[::3] == 0)
    assert np.all(out.last_day[::3] == -1)
    assert np.all(np.isnan(out.peak[::3]))


def test_earlier_empty_days_change_nothing_but_the_day_numbers():
    # 200 empty columns in front: more than 255 days, so counts and day numbers no longer fit
    # in a byte and the wider types are used; the sums and the classes stay the same.
    c, base = cohort(300, seed=7, missing=0.3)
    shift = 200
    wide = np.full((300, 90 + shift), np.nan)
    wide[:, shift:] = c.mood
    short = classify(c.mood, base, c.start, c.end, c.first, peak_from=c.peak_from)
    long = classify(
        wide, base, c.start + shift, c.end + shift, c.first + shift, peak_from=c.peak_from + shift
    )
    for name in ["code", "missing", "post_days", "peak", "recent", "rebound", "trough"]:
        a, b = getattr(short, name), getattr(long, name)
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    for name in ["peak_day", "last_day"]:
        a, b = getattr(short, name), getattr(long, name)
        assert np.array_equal(np.where(a >= 0, a + shift, -1), b), name
    for name in ["slope", "slope_se", "intercept"]:  # sums over larger day numbers: rounding
        a, b = getattr(short, name), getattr(long, name)
        assert np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True), name
