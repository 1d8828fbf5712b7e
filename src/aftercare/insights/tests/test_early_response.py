import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from aftercare.insights.early_response import early_response

moods = st.lists(st.floats(min_value=1, max_value=10), min_size=3, max_size=10)


def test_a_rise_of_two_points_is_a_clear_early_response():
    result = early_response([3, 3, 4, 3], [5, 6, 5])
    assert result.clear is True
    assert round(result.window_mean - result.baseline_mean, 2) == 2.08


def test_a_flat_mood_is_not_a_clear_response():
    assert early_response([3, 3, 4, 3], [3, 4, 4]).clear is False


def test_too_little_data_says_nothing():
    assert early_response([3, 4], [6, 7, 7]).clear is None
    assert early_response([3, 4, 3], [6]).clear is None


@given(moods, moods, st.floats(min_value=0, max_value=3))
def test_raising_every_window_mood_never_undoes_a_clear_response(baseline, window, extra):
    before = early_response(baseline, window).clear
    after = early_response(baseline, [min(m + extra, 10) for m in window]).clear
    assert not (before and not after)


def test_insights_do_not_import_django():
    code = (
        "import sys, pkgutil, importlib, aftercare.insights as p\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        "    importlib.import_module('aftercare.insights.' + m.name)\n"
        "assert 'django' not in sys.modules, 'insights imported django'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
