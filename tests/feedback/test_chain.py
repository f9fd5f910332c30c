"""Every decision is an entry numbered within its exercise and sealed by a hash of its
content and of the entry before it: a change made to a stored row behind the
platform's back shows at the first entry it touches."""

import pytest

from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.feedback import chain, services
from coplat.feedback.enums import Decision, Stage
from tests.feedback.conftest import (
    CLEARER,
    DECIDERS,
    TYPO,
    add_proposal,
    another_exercise,
    chain_of,
    decide,
    tamper,
    topics_of,
)


def test_entries_are_numbered_and_chained_per_exercise(desk):
    topics = topics_of(desk)
    other, (first, second) = another_exercise()
    # Decisions in two exercises, interleaved: each keeps its own numbering and chain.
    decide(topics["fugas"], Decision.ADOPTED, desk.facilitator)
    decide(first, Decision.REJECTED, desk.facilitator)
    decide(topics["baches"], Decision.REJECTED, desk.facilitator)
    decide(second, Decision.ADOPTED, desk.facilitator)
    decide(add_proposal(desk.table, {"es": "Sensores"}), Decision.REJECTED, desk.facilitator)

    for exercise, expected in ((desk.exercise, 3), (other, 2)):
        entries = chain_of(exercise)
        assert [e.sequence for e in entries] == list(range(1, expected + 1))
        assert entries[0].previous_hash == chain.GENESIS
        for before, entry in zip(entries, entries[1:], strict=False):
            assert entry.previous_hash == before.hash
        assert all(
            len(e.hash) == 64 and e.hash == chain.digest(e, e.previous_hash) for e in entries
        )
        assert chain.verify(exercise.id) == chain.Verification(expected)
    assert chain_of(desk.exercise)[-1].stage == Stage.WORKING_TABLE


def test_an_empty_log_is_intact(desk):
    result = chain.verify(desk.exercise.id)
    assert result.intact and result.checked == 0


def test_the_entry_names_who_decided_by_role_and_sector(desk):
    topics = topics_of(desk)
    by_facilitator = decide(topics["fugas"], Decision.ADOPTED, desk.facilitator)
    member = desk.member(Sector.GUARANTOR)
    by_member = decide(topics["baches"], Decision.REJECTED, member)
    assert by_facilitator.decided_as == "Facilitator"
    assert by_member.decided_sector == Sector.GUARANTOR
    assert "Guarantor" in by_member.decided_as


@pytest.fixture
def sealed(desk):
    """Six entries in "valle" and two in another exercise, all sealed."""
    topics = topics_of(desk)
    decide(topics["fugas"], Decision.ADOPTED, desk.facilitator)
    decide(topics["alumbrado"], Decision.ADOPTED, desk.facilitator)
    decide(topics["baches"], Decision.REJECTED, desk.facilitator)
    for title in ("Sensores", "Cuadrillas", "Mapa"):
        decide(add_proposal(desk.table, {"es": title}), Decision.REJECTED, desk.facilitator)
    other, others = another_exercise()
    for topic in others:
        decide(topic, Decision.REJECTED, desk.facilitator)
    assert chain.verify(desk.exercise.id).intact and chain.verify(other.id).intact
    return desk.exercise, other


def row_id(exercise, sequence: int) -> int:
    return next(e.id for e in chain_of(exercise) if e.sequence == sequence)


SET = "UPDATE feedback_entry SET {} WHERE exercise_id = :exercise AND sequence = :sequence"


@pytest.mark.parametrize(
    ("statement", "values", "shown", "row", "problem"),
    [
        (
            SET.format("reason = :value"),
            {"value": '{"es": "Otra"}', "sequence": 3},
            3,
            3,
            "content",
        ),
        (SET.format("decision = 'merged'"), {"sequence": 4}, 4, 4, "content"),
        (
            SET.format("decided_at = :value"),
            {"value": "2020-01-01 00:00:00.000000", "sequence": 2},
            2,
            2,
            "content",
        ),
        (SET.format("decided_role = 'stl_member'"), {"sequence": 5}, 5, 5, "content"),
        (SET.format("topic_id = NULL"), {"sequence": 1}, 1, 1, "content"),
        (SET.format("previous_hash = hash"), {"sequence": 6}, 6, 6, "link"),
        (
            "DELETE FROM feedback_entry WHERE exercise_id = :exercise AND sequence = :sequence",
            {"sequence": 4},
            5,
            5,
            "sequence",
        ),
        (
            "DELETE FROM feedback_entry WHERE exercise_id = :exercise AND sequence = :sequence",
            {"sequence": 1},
            2,
            2,
            "sequence",
        ),
    ],
    ids=[
        "reason",
        "decision",
        "decided_at",
        "decided_role",
        "input",
        "link",
        "deleted",
        "first_deleted",
    ],
)
def test_a_changed_row_breaks_the_chain_at_that_entry(
    sealed, statement, values, shown, row, problem
):
    exercise, other = sealed
    expected = row_id(exercise, row)
    tamper(statement, exercise=exercise.id, **values)
    result = chain.verify(exercise.id)
    assert not result.intact
    assert (result.broken.id, result.broken.sequence, result.problem) == (expected, shown, problem)
    # Verification stops at the first broken entry (after a gap, one place earlier).
    assert result.checked == (shown - 1 if problem == "sequence" else shown)
    # The other exercise's chain is its own.
    assert chain.verify(other.id).intact


def test_swapped_entries_break_the_chain(sealed):
    exercise, _other = sealed
    third, fourth = row_id(exercise, 3), row_id(exercise, 4)
    tamper(SET.format("sequence = -1"), exercise=exercise.id, sequence=3)
    tamper(SET.format("sequence = 3"), exercise=exercise.id, sequence=4)
    tamper(SET.format("sequence = 4"), exercise=exercise.id, sequence=-1)
    result = chain.verify(exercise.id)
    # The former fourth entry, now third, does not link to the second.
    assert (result.broken.id, result.broken.sequence, result.problem) == (fourth, 3, "link")
    assert third != fourth


def test_a_resealed_change_still_breaks_the_next_link(sealed):
    """Rewriting an entry and its own hash consistently leaves the next entry pointing
    at the old hash."""
    exercise, _other = sealed
    entry = chain_of(exercise)[2]
    entry.reason = {"es": "Otra razón"}
    chain.seal(entry, entry.previous_hash)
    db.session.commit()
    result = chain.verify(exercise.id)
    assert (result.broken.sequence, result.problem) == (4, "link")


@pytest.mark.parametrize(
    "change", ['correction_reason = \'{"es": "Otra"}\'', "supersedes_id = NULL"]
)
def test_a_correction_is_sealed_with_what_it_corrects(sealed, desk, change):
    exercise, _other = sealed
    entry = chain_of(exercise)[-1]
    correction = services.correct(
        entry,
        desk.facilitator,
        acting_as=DECIDERS,
        correction_reason=TYPO,
        reason=CLEARER,
    )
    db.session.commit()
    assert correction.sequence == 7 and chain.verify(exercise.id) == chain.Verification(7)
    tamper(SET.format(change), exercise=exercise.id, sequence=7)
    result = chain.verify(exercise.id)
    assert (result.broken.id, result.problem) == (correction.id, "content")
