"""One plan's tracking read once: `rules.progress_counts` counts the progress per
commitment and quarter in SQL, and `rules.tracking` shares one reading of a plan per
day until the session writes. The plan of `launched_plan` was launched on
15 January 2027; Mexico City is UTC-6 all year."""

from datetime import date, datetime

from coplat.commitments.enums import MilestoneStatus
from coplat.core import clock
from coplat.extensions import db
from coplat.tracking import rules, services
from coplat.tracking.rules import Quarter
from tests.tracking.conftest import ZONE, at

Q = Quarter
IN_PROGRESS = MilestoneStatus.IN_PROGRESS


def test_progress_is_counted_per_quarter_as_the_exercise_counts_days(launched_plan):
    desk = launched_plan(commitments=2)
    first, second = desk.commitments
    # Either side of midnight on 1 April and 1 July in Mexico City (06:00 UTC).
    for moment in (
        datetime(2027, 3, 31, 23, 30, tzinfo=ZONE),
        datetime(2027, 4, 1, 0, 30, tzinfo=ZONE),
        datetime(2027, 6, 30, 23, 59, tzinfo=ZONE),
        datetime(2027, 7, 1, 0, 0, tzinfo=ZONE),
        datetime(2027, 12, 31, 23, 0, tzinfo=ZONE),
        datetime(2028, 1, 1, 1, 0, tzinfo=ZONE),
    ):
        with clock.set_to(moment):
            services.update_milestone(
                desk.milestone(), desk.implementer, status=IN_PROGRESS, progress={"es": "Avance."}
            )
        db.session.commit()
    desk.update(date(2027, 5, 2), milestone=desk.milestone(2, second))
    desk.report(date(2027, 4, 3), Q(2027, 1), first)
    desk.report(date(2027, 7, 3), Q(2027, 2), second)

    span = rules.quarters(Q(2027, 1), Q(2027, 4))
    found = rules.progress_counts(desk.exercise, [first.id, second.id], span)
    assert found == {
        (first.id, Q(2027, 1)): 2,  # the update of 31 March, the report on Q1
        (first.id, Q(2027, 2)): 2,
        (first.id, Q(2027, 3)): 1,
        (first.id, Q(2027, 4)): 1,
        (second.id, Q(2027, 2)): 2,  # the update of 2 May, the report on Q2
    }
    # A span leaves out what falls outside it (the update of 1 January 2028).
    assert rules.progress_counts(desk.exercise, [first.id], [Q(2028, 1)]) == {
        (first.id, Q(2028, 1)): 1
    }
    assert rules.progress_counts(desk.exercise, [first.id], []) == {}


def test_the_board_counts_activity_as_before(launched_plan):
    desk = launched_plan(commitments=2)
    for day in (date(2027, 2, 1), date(2027, 2, 20), date(2027, 8, 9)):
        desk.update(day)
    desk.report(date(2027, 4, 3), Q(2027, 1))
    with at(date(2027, 10, 10)):
        found = rules.board(desk.plan)
    assert found.activity[Q(2027, 1)] == 3
    assert found.activity[Q(2027, 3)] == 1
    assert sum(found.activity.values()) == 4
    # Progress in Q3: the first commitment is not flagged; the second has none.
    assert [row.flagged for row in found.rows] == [False, True]
    assert found.rows[0].latest_report.quarter == 1


def test_one_reading_is_shared_until_the_session_writes(launched_plan):
    desk = launched_plan()
    day = date(2027, 10, 10)
    with at(day):
        shared = rules.tracking(desk.plan)
        assert rules.tracking(desk.plan) is shared
        assert rules.tracking(desk.plan, day) is shared
        assert rules.tracking(desk.plan, date(2027, 10, 11)) is not shared
        assert shared.inactivity.no_progress

    desk.update(date(2027, 10, 10))  # commits
    with at(day):
        fresh = rules.tracking(desk.plan)
        assert fresh is not shared
        assert not fresh.inactivity.no_progress

        # A flush is a write too, committed or not.
        desk.milestone().output = {"es": "Otro producto."}
        db.session.flush()
        assert rules.tracking(desk.plan) is not fresh
    db.session.rollback()


def test_the_commitments_are_read_without_their_revisions_until_titles_are_asked(
    launched_plan,
):
    desk = launched_plan()
    db.session.expunge_all()
    plan = db.session.merge(desk.plan, load=True)
    state = rules.Tracking(plan, date(2027, 10, 10))
    assert all("approved_revision" in db.inspect(c).unloaded for c in state.commitments)
    state.load_titles()
    assert [c.approved_title["es"] for c in state.commitments] == [
        c.approved_revision.content["title"]["es"] for c in rules.plan_commitments(plan)
    ]
