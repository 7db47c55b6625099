"""Bad input to every public entry point, and to the command line: the survey of tools/hostile_inputs.py.

The survey replaces each argument of a valid call in turn by NaN, inf, a
negative, zero or huge number, None, text, a bool, a complex number, an empty
or ragged list.  Every such call must be refused with a ValueError or TypeError
that names the argument, unless the file of reviewed outcomes says otherwise:
an input that is in fact valid (``seed=0``, ``window=None``) is listed there as
``accepted``, and a refusal whose message is still to be made clearer as
``unclear``.  A hang (``timeout``) or a NaN result is never acceptable unless
reviewed, and a reviewed outcome that changes fails too, so that the file
always says what the package does.
"""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import hostile_inputs as hi  # noqa: E402


@pytest.fixture(scope="module")
def outcomes():
    return {hi.call_text(name, arg, value): (outcome, msg) for name, arg, value, outcome, msg in hi.survey(timeout=60)}


def test_the_survey_covers_the_public_entry_points(outcomes):
    entries = {call.split("(")[0] for call in outcomes}
    assert len(entries) >= 135 and len(outcomes) >= 3500, (len(entries), len(outcomes))


def test_no_bad_call_hangs(outcomes):
    assert not [call for call, (o, _) in outcomes.items() if o == "timeout"]


def test_every_outcome_other_than_a_named_refusal_is_reviewed(outcomes):
    reviewed = hi.read_reviewed()
    new = [f"{o} {call}  {msg[:120]}" for call, (o, msg) in outcomes.items()
           if o != "named" and reviewed.get(call) != o]
    assert not new, "outcomes not in tools/hostile_inputs_reviewed.txt (fix the function, or review the call):\n" + \
        "\n".join(new)


def test_the_reviewed_file_lists_nothing_that_has_changed(outcomes):
    stale = [f"{o} {call} (now {outcomes[call][0] if call in outcomes else 'not tried'})"
             for call, o in hi.read_reviewed().items() if outcomes.get(call, ("",))[0] != o]
    assert not stale, "tools/hostile_inputs_reviewed.txt is out of date:\n" + "\n".join(stale)


def test_no_mistake_on_the_command_line_gives_a_traceback(capsys):
    counts = hi._cli_survey(show=set())
    assert set(counts) <= {"one line", "usage"}, counts
    assert sum(counts.values()) >= 36
