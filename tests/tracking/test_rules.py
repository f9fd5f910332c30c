"""The rules the platform watches once the plan is launched, on a set clock: calendar
quarters, the flag on a commitment with no progress in two consecutive quarters, OGP
Local's inactivity warning (§4.1), the meetings with civil society a year of
implementation needs (§3.3.1), the monitoring body's deadlines (§3.5) and the figures
of the public tracking board.

The plan of `launched_plan` was submitted on 1 December 2026 and launched on 15 January
2027; it runs to 30 June 2028. Each commitment ends on 31 December 2027; its first
milestone is due 30 June 2027, its second 31 December 2027. Mexico City is UTC-6 all
year."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from coplat.commitments.enums import MilestoneStatus
from coplat.core import clock
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.tracking import rules, services
from coplat.tracking.enums import AssessmentKind, EvidenceType
from coplat.tracking.rules import CommitmentProgress, Quarter
from tests.tracking.conftest import ZONE, at, moment

Q = Quarter
NOT_STARTED, IN_PROGRESS, STUCK, COMPLETE, INCOMPLETE = (
    MilestoneStatus.NOT_STARTED,
    MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.STUCK,
    MilestoneStatus.COMPLETE,
    MilestoneStatus.INCOMPLETE,
)


def board(desk, day):
    with at(day):
        return rules.board(desk.plan)


def flags(desk, day) -> list[bool]:
    return [row.flagged for row in board(desk, day).rows]


def inactivity(desk, day):
    with at(day):
        return rules.inactivity(desk.plan)


def years(desk, day):
    with at(day):
        return rules.regularity(desk.plan)


def deadline(desk, day, kind, commitment=None):
    with at(day):
        found = rules.deadlines(desk.plan)
    return next(d for d in found if d.kind == kind and d.commitment is commitment)


# ----- quarter arithmetic ------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "number"),
    [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3), (9, 3)]
    + [(10, 4), (11, 4), (12, 4)],
)
def test_each_month_falls_in_its_calendar_quarter(month, number):
    assert Quarter.of(date(2027, month, 1)) == Q(2027, number)
    assert Quarter.of(date(2027, month, 28)) == Q(2027, number)


def test_quarters_at_the_year_boundary():
    assert Quarter.of(date(2026, 12, 31)) == Q(2026, 4)
    assert Quarter.of(date(2027, 1, 1)) == Q(2027, 1)


def test_a_quarter_starts_and_ends_on_its_calendar_days():
    assert [(q.starts_on, q.ends_on) for q in rules.quarters(Q(2028, 1), Q(2028, 4))] == [
        (date(2028, 1, 1), date(2028, 3, 31)),
        (date(2028, 4, 1), date(2028, 6, 30)),
        (date(2028, 7, 1), date(2028, 9, 30)),
        (date(2028, 10, 1), date(2028, 12, 31)),
    ]
    # Every day between a quarter's first and last is in it.
    assert Quarter.of(Q(2027, 1).ends_on) == Q(2027, 1)
    assert Quarter.of(Q(2027, 2).starts_on) == Q(2027, 2)


def test_next_and_previous_cross_the_years():
    assert Q(2026, 4).next == Q(2027, 1)
    assert Q(2027, 1).next == Q(2027, 2)
    assert Q(2027, 3).next == Q(2027, 4)
    assert Q(2027, 1).previous == Q(2026, 4)
    assert Q(2027, 2).previous == Q(2027, 1)
    assert Q(2027, 4).previous == Q(2027, 3)
    for number in range(1, 5):
        assert Q(2027, number).next.previous == Q(2027, number)
        assert Q(2027, number).previous.next == Q(2027, number)


def test_quarters_order_by_year_then_number():
    assert Q(2026, 4) < Q(2027, 1) < Q(2027, 2) < Q(2028, 1)
    assert sorted([Q(2028, 1), Q(2026, 4), Q(2027, 3), Q(2027, 1)]) == [
        Q(2026, 4),
        Q(2027, 1),
        Q(2027, 3),
        Q(2028, 1),
    ]
    assert max(Q(2027, 4), Q(2028, 1)) == Q(2028, 1)


def test_quarters_lists_first_to_last():
    assert rules.quarters(Q(2026, 3), Q(2027, 2)) == [
        Q(2026, 3),
        Q(2026, 4),
        Q(2027, 1),
        Q(2027, 2),
    ]
    assert rules.quarters(Q(2027, 2), Q(2027, 2)) == [Q(2027, 2)]
    assert rules.quarters(Q(2027, 2), Q(2027, 1)) == []


def test_a_quarter_names_itself(launched_plan):
    launched_plan()  # an English context
    assert str(Q(2027, 1)) == "2027-Q1"
    assert Q(2027, 1).label == "Q1 2027"


def test_implementation_runs_from_the_launch_to_today_capped_at_the_plan_end(launched_plan):
    desk = launched_plan()

    def implementation(day):
        return rules.implementation_quarters(desk.plan, day)

    assert implementation(date(2027, 1, 14)) == []
    assert implementation(date(2027, 1, 15)) == [Q(2027, 1)]
    assert implementation(date(2027, 4, 1)) == [Q(2027, 1), Q(2027, 2)]
    assert implementation(date(2027, 12, 31)) == rules.quarters(Q(2027, 1), Q(2027, 4))
    # The plan ends on 30 June 2028: no quarter after it.
    assert implementation(date(2028, 6, 30)) == rules.quarters(Q(2027, 1), Q(2028, 2))
    assert implementation(date(2029, 3, 1)) == rules.quarters(Q(2027, 1), Q(2028, 2))
    assert rules.reportable_quarters(desk.plan, date(2029, 3, 1))[-1] == Q(2028, 2)


def test_implementation_has_no_quarters_before_the_launch_is_recorded():
    plan = SimpleNamespace(launched_on=None, exercise=SimpleNamespace(plan_ends_on=None))
    assert rules.implementation_quarters(plan, date(2027, 6, 1)) == []
    assert rules.quiet_quarters(plan, date(2027, 6, 1)) is None


def test_the_quiet_window_waits_for_two_quarters_to_end(launched_plan):
    desk = launched_plan()

    def window(day):
        return rules.quiet_quarters(desk.plan, day)

    assert window(date(2027, 1, 20)) is None
    assert window(date(2027, 4, 1)) is None  # only Q1 has ended
    assert window(date(2027, 6, 30)) is None  # Q2 ends today, not yet
    assert window(date(2027, 7, 1)) == (Q(2027, 1), Q(2027, 2))
    assert window(date(2027, 10, 1)) == (Q(2027, 2), Q(2027, 3))
    assert window(date(2028, 1, 1)) == (Q(2027, 3), Q(2027, 4))
    assert window(date(2028, 6, 30)) == (Q(2027, 4), Q(2028, 1))
    # The rules watch the plan's period (§4.1): after its end there is no window.
    assert window(date(2028, 7, 1)) is None


def test_a_launch_late_in_a_quarter_leaves_that_quarter_out(launched_plan):
    desk = launched_plan()
    desk.plan.launched_on = date(2027, 3, 30)
    db.session.commit()

    # Q1 had two days of implementation: July looks at Q1 and Q2 no more.
    assert rules.quiet_quarters(desk.plan, date(2027, 7, 1)) is None
    assert rules.quiet_quarters(desk.plan, date(2027, 10, 1)) == (Q(2027, 2), Q(2027, 3))
    assert flags(desk, date(2027, 7, 10)) == [False]
    assert flags(desk, date(2027, 10, 10)) == [True]


def test_an_update_counts_in_the_quarter_of_the_exercise_s_calendar(launched_plan):
    desk = launched_plan()
    # 23:30 on 31 March in Mexico City is already 1 April in UTC.
    with clock.set_to(datetime(2027, 3, 31, 23, 30, tzinfo=ZONE)):
        update = services.update_milestone(
            desk.milestone(), desk.implementer, status=IN_PROGRESS, progress={"es": "Avance."}
        )
        db.session.commit()
    assert update.created_at == datetime(2027, 4, 1, 5, 30, tzinfo=UTC)

    year = rules.quarters(Q(2027, 1), Q(2027, 4))
    assert rules.progress_counts(desk.exercise, [desk.commitment.id], year) == {
        (desk.commitment.id, Q(2027, 1)): 1
    }
    october = board(desk, date(2027, 10, 10))
    assert october.activity[Q(2027, 1)] == 1
    assert october.activity[Q(2027, 2)] == 0
    # Progress in Q1 only: by October (looking at Q2 and Q3) the commitment is flagged.
    assert [row.flagged for row in october.rows] == [True]


def test_an_update_just_after_midnight_on_1_april_counts_for_q2(launched_plan):
    desk = launched_plan()
    with clock.set_to(datetime(2027, 4, 1, 0, 30, tzinfo=ZONE)):
        services.update_milestone(
            desk.milestone(), desk.implementer, status=IN_PROGRESS, progress={"es": "Avance."}
        )
        db.session.commit()

    year = rules.quarters(Q(2027, 1), Q(2027, 4))
    assert rules.progress_counts(desk.exercise, [desk.commitment.id], year) == {
        (desk.commitment.id, Q(2027, 2)): 1
    }
    assert flags(desk, date(2027, 10, 10)) == [False]


# ----- a commitment with no progress in two consecutive quarters -------------------------


def test_no_commitment_is_flagged_before_two_quarters_have_ended(launched_plan):
    desk = launched_plan(commitments=2)

    assert flags(desk, date(2027, 2, 1)) == [False, False]
    assert flags(desk, date(2027, 6, 30)) == [False, False]


def test_no_update_or_report_in_q1_and_q2_flags_the_commitment_in_july(launched_plan):
    desk = launched_plan(commitments=2)

    july = board(desk, date(2027, 7, 1))
    assert [row.flagged for row in july.rows] == [True, True]
    assert [row.commitment for row in july.flagged] == desk.commitments


def test_progress_on_one_commitment_leaves_the_other_flagged(launched_plan):
    desk = launched_plan(commitments=2)
    desk.update(date(2027, 5, 10), milestone=desk.milestone(1, desk.commitments[1]))

    assert flags(desk, date(2027, 7, 10)) == [True, False]


def test_an_update_in_q1_keeps_the_flag_off_while_q1_is_in_the_window(launched_plan):
    desk = launched_plan()
    desk.update(date(2027, 2, 3))

    # July looks at Q1 and Q2: Q1 had progress.
    assert flags(desk, date(2027, 7, 10)) == [False]
    assert flags(desk, date(2027, 9, 30)) == [False]
    # October looks at Q2 and Q3: none.
    assert flags(desk, date(2027, 10, 1)) == [True]


def test_progress_in_the_current_quarter_clears_the_flag(launched_plan):
    desk = launched_plan()
    assert flags(desk, date(2027, 7, 10)) == [True]

    desk.update(date(2027, 7, 12))

    assert flags(desk, date(2027, 7, 12)) == [False]
    assert flags(desk, date(2027, 10, 10)) == [False]  # Q3 is in the window
    assert flags(desk, date(2028, 1, 10)) == [False]  # so it is here
    assert flags(desk, date(2028, 4, 10)) == [True]  # Q4 2027 and Q1 2028: nothing


def test_a_report_for_q2_posted_in_july_clears_the_flag(launched_plan):
    desk = launched_plan()
    desk.report(date(2027, 7, 5), Q(2027, 2))

    assert flags(desk, date(2027, 7, 10)) == [False]
    assert flags(desk, date(2027, 10, 10)) == [False]


def test_a_report_counts_for_the_quarter_it_covers_not_the_day_it_was_posted(launched_plan):
    desk = launched_plan()
    desk.report(date(2027, 7, 5), Q(2027, 1))

    assert flags(desk, date(2027, 7, 10)) == [False]
    # Posted in Q3, but it covers Q1: October's window (Q2, Q3) has no progress.
    assert flags(desk, date(2027, 10, 10)) == [True]


def test_a_commitment_whose_milestones_are_all_finished_is_never_flagged(launched_plan):
    desk = launched_plan(commitments=2)
    desk.update(date(2027, 2, 3), COMPLETE)
    desk.update(date(2027, 2, 4), INCOMPLETE, milestone=desk.milestone(2))
    desk.update(date(2027, 2, 5), COMPLETE, milestone=desk.milestone(1, desk.commitments[1]))

    assert flags(desk, date(2027, 10, 10)) == [False, True]
    assert flags(desk, date(2028, 6, 1)) == [False, True]


def test_a_commitment_not_due_to_start_in_the_window_is_not_flagged(launched_plan):
    desk = launched_plan(commitments=2)
    desk.commitments[1].starts_on = date(2027, 7, 1)
    db.session.commit()

    # July's window is Q1 and Q2, October's Q2 and Q3: the second commitment starts
    # after the first month of each window's first quarter.
    assert flags(desk, date(2027, 7, 10)) == [True, False]
    assert flags(desk, date(2027, 10, 10)) == [True, False]
    # January's is Q3 and Q4: two whole quarters of it, and nothing recorded.
    assert flags(desk, date(2028, 1, 10)) == [True, True]


# ----- the inactivity warning (§4.1) ---------------------------------------------------


def test_nothing_is_reported_before_two_quarters_have_ended(launched_plan):
    desk = launched_plan()

    found = inactivity(desk, date(2027, 6, 30))
    assert found.window is None
    assert (found.no_progress, found.no_update, found.inactive) == (False, False, False)


def test_no_progress_on_any_commitment_in_two_quarters_is_inactive(launched_plan):
    desk = launched_plan(commitments=2)

    found = inactivity(desk, date(2027, 7, 10))
    assert found.window == (Q(2027, 1), Q(2027, 2))
    assert found.no_progress is True
    assert found.inactive is True
    # The launch (in Q1) is an update.
    assert found.no_update is False


def test_progress_on_one_commitment_is_enough(launched_plan):
    desk = launched_plan(commitments=2)
    desk.update(date(2027, 5, 10), milestone=desk.milestone(1, desk.commitments[1]))

    found = inactivity(desk, date(2027, 7, 10))
    assert found.no_progress is False
    assert found.inactive is False


def test_a_report_counts_as_progress(launched_plan):
    desk = launched_plan()
    desk.report(date(2027, 7, 5), Q(2027, 2))

    assert inactivity(desk, date(2027, 7, 10)).inactive is False


def test_nothing_changed_since_the_window_began_is_no_update(launched_plan):
    desk = launched_plan(commitments=2)

    october = inactivity(desk, date(2027, 10, 10))
    assert october.window == (Q(2027, 2), Q(2027, 3))
    assert (october.no_progress, october.no_update) == (True, True)
    assert october.last_update == datetime(2027, 1, 16, 0, 0, tzinfo=UTC)  # the launch

    # Evidence is an update, not progress.
    with at(date(2027, 8, 5)):
        services.add_evidence(
            desk.exercise,
            desk.facilitator,
            kind=EvidenceType.PHOTOS,
            title={"es": "Fotos de la reparación"},
            link="https://valle.example/fotos",
        )
        db.session.commit()
    october = inactivity(desk, date(2027, 10, 10))
    assert (october.no_progress, october.no_update, october.inactive) == (True, False, True)

    desk.update(date(2027, 9, 1), milestone=desk.milestone(2, desk.commitments[1]))
    october = inactivity(desk, date(2027, 10, 10))
    assert (october.no_progress, october.no_update, october.inactive) == (False, False, False)


def test_finished_commitments_expect_no_progress(launched_plan):
    desk = launched_plan()
    desk.update(date(2027, 2, 3), COMPLETE)
    desk.update(date(2027, 2, 4), COMPLETE, milestone=desk.milestone(2))

    october = inactivity(desk, date(2027, 10, 10))
    assert october.no_progress is False
    # Nothing changed since 1 April, though.
    assert october.no_update is True


def test_last_update_is_the_latest_of_the_recorded_kinds(launched_plan):
    desk = launched_plan()

    def last(day=date(2027, 12, 1)):
        return inactivity(desk, day).last_update

    assert last() == moment(date(2027, 1, 15), 18)  # the launch
    desk.update(date(2027, 2, 1))
    assert last() == moment(date(2027, 2, 1))
    with at(date(2027, 3, 1)):
        services.add_evidence(
            desk.exercise,
            desk.facilitator,
            kind=EvidenceType.MINUTES,
            title={"es": "Minuta"},
            link="https://valle.example/minuta",
        )
        db.session.commit()
    assert last() == moment(date(2027, 3, 1))
    report = desk.report(date(2027, 4, 5), Q(2027, 1))
    assert last() == moment(date(2027, 4, 5))

    # A comment counts once published, when it was moderated.
    with at(date(2027, 4, 10)):
        comment = services.comment_on(report, desk.citizen, "¿Y las fugas del centro?")
        db.session.commit()
    assert last() == moment(date(2027, 4, 5))
    with at(date(2027, 4, 20)):
        services.moderate(comment, desk.facilitator, publish=True)
        db.session.commit()
    assert last() == moment(date(2027, 4, 20))

    # An assessment counts once published.
    with at(date(2027, 5, 1)):
        services.save_assessment(
            desk.exercise, desk.monitoring, AssessmentKind.INITIAL, values={"summary": {"es": "."}}
        )
        db.session.commit()
    assert last() == moment(date(2027, 4, 20))
    publish_initial(desk, moment(date(2027, 5, 9)))
    assert last() == moment(date(2027, 5, 9))

    # A session scheduled counts when it is recorded.
    with at(date(2027, 6, 2)):
        desk.session(starts_at=moment(date(2027, 8, 1)))
    assert last() == moment(date(2027, 6, 2))


def test_another_exercise_s_progress_does_not_count(launched_plan):
    desk = launched_plan()
    other = launched_plan(slug="cerro")
    other.update(date(2027, 5, 10))
    other.report(date(2027, 9, 1), Q(2027, 3))
    with at(date(2027, 9, 2)):
        services.add_evidence(
            other.exercise,
            other.facilitator,
            kind=EvidenceType.PHOTOS,
            title={"es": "Fotos"},
            link="https://cerro.example/fotos",
        )
        other.session(starts_at=moment(date(2027, 11, 1)))

    found = inactivity(desk, date(2027, 10, 10))
    assert (found.no_progress, found.no_update) == (True, True)
    assert found.last_update == moment(date(2027, 1, 15), 18)
    assert flags(desk, date(2027, 10, 10)) == [True]
    assert flags(other, date(2027, 10, 10)) == [False]


# ----- meetings with civil society during implementation (§3.3.1) -----------------------


def meeting(desk, day, *sectors):
    """A session at 10:00 that day, attended by the actors of those sectors."""
    with at(day):
        return desk.session([desk.actors[s] for s in sectors], starts_at=moment(day, 10))


def test_a_session_counts_when_a_non_governmental_sector_attended(launched_plan):
    desk = launched_plan()
    meeting(desk, date(2027, 2, 10), Sector.GOVERNMENT)
    meeting(desk, date(2027, 3, 10), Sector.GUARANTOR)  # a public body
    meeting(desk, date(2027, 4, 10), Sector.GOVERNMENT, Sector.CIVIL_SOCIETY)
    meeting(desk, date(2027, 5, 10), Sector.ACADEMIA)

    # The fixture's session of 30 November 2026 (civil society attended) came before
    # the launch.
    [year] = years(desk, date(2027, 6, 1))
    assert (year.number, year.starts_on, year.ends_on) == (1, date(2027, 1, 15), date(2028, 1, 14))
    assert year.held == 2
    assert year.upcoming == 0


def test_one_meeting_is_required_by_mid_year_and_two_by_its_end(launched_plan):
    desk = launched_plan()

    [year] = years(desk, date(2027, 7, 14))
    assert (year.required_by_now, year.behind) == (0, False)
    [year] = years(desk, date(2027, 7, 15))
    assert (year.required_by_now, year.held, year.behind) == (1, 0, True)

    meeting(desk, date(2027, 8, 1), Sector.CIVIL_SOCIETY)
    [year] = years(desk, date(2027, 8, 2))
    assert (year.required_by_now, year.held, year.behind) == (1, 1, False)
    [year] = years(desk, date(2028, 1, 14))
    assert (year.required_by_now, year.behind) == (1, False)

    first, second = years(desk, date(2028, 1, 15))
    assert (first.required_by_now, first.held, first.behind) == (2, 1, True)
    # The second year is cut short by the plan's end (30 June 2028).
    assert (second.number, second.starts_on, second.ends_on) == (
        2,
        date(2028, 1, 15),
        date(2028, 6, 30),
    )
    assert (second.required_by_now, second.held, second.behind) == (0, 0, False)

    meeting(desk, date(2028, 1, 20), Sector.CIVIL_SOCIETY)
    first, second = years(desk, date(2028, 1, 21))
    assert (first.held, second.held) == (1, 1)


def test_a_last_year_cut_short_asks_for_what_its_length_allows(launched_plan):
    desk = launched_plan()
    # A plan ending 31 October 2028: its second year lasts from 15 January to then.
    desk.exercise.plan_ends_on = date(2028, 10, 31)
    db.session.commit()

    _first, second = years(desk, date(2028, 7, 14))
    assert (second.ends_on, second.required_by_now) == (date(2028, 10, 31), 0)
    _first, second = years(desk, date(2028, 7, 15))
    assert (second.required_by_now, second.behind) == (1, True)
    _first, second = years(desk, date(2028, 11, 30))
    assert (second.required_by_now, second.behind) == (1, True)
    meeting(desk, date(2028, 9, 1), Sector.ACADEMIA)
    _first, second = years(desk, date(2028, 11, 30))
    assert (second.held, second.behind) == (1, False)


def test_upcoming_sessions_are_counted_apart(launched_plan):
    desk = launched_plan()
    with at(date(2027, 7, 20)):
        desk.session(starts_at=moment(date(2027, 9, 5)))
        desk.session(starts_at=moment(date(2028, 2, 1)))

    [year] = years(desk, date(2027, 7, 20))
    assert (year.held, year.upcoming, year.behind) == (0, 1, True)
    first, second = years(desk, date(2028, 1, 20))
    assert (first.upcoming, second.upcoming) == (0, 1)
    # Held, but no attendance recorded: not counted.
    assert first.held == 0


def test_no_year_of_implementation_before_the_launch(launched_plan):
    desk = launched_plan()
    with at(date(2027, 1, 14)):
        assert rules.regularity(desk.plan) == []
    with at(date(2027, 1, 15)):
        assert [y.number for y in rules.regularity(desk.plan)] == [1]
    # The plan ends on 30 June 2028: no third year.
    assert [y.number for y in years(desk, date(2029, 6, 1))] == [1, 2]


# ----- the monitoring body's deadlines (§3.5) --------------------------------------------


def publish_initial(desk, when: datetime):
    with clock.set_to(when):
        services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.INITIAL,
            values={"summary": {"es": "Hallazgos."}, "co_creation": {"es": "Se cumplió."}},
            ratings={c.id: {"potential_impact": "moderate"} for c in desk.commitments},
            publish=True,
        )
        db.session.commit()


def test_the_initial_assessment_is_due_two_months_after_submission(launched_plan):
    desk = launched_plan()
    INITIAL = AssessmentKind.INITIAL

    assert deadline(desk, date(2027, 1, 20), INITIAL).due_on == date(2027, 2, 1)
    assert deadline(desk, date(2027, 2, 1), INITIAL).late is False
    assert deadline(desk, date(2027, 2, 2), INITIAL).late is True


def test_published_on_the_due_day_is_not_late(launched_plan):
    desk = launched_plan()
    # 23:30 on 1 February in Mexico City: 2 February in UTC.
    publish_initial(desk, datetime(2027, 2, 1, 23, 30, tzinfo=ZONE))

    found = deadline(desk, date(2027, 6, 1), AssessmentKind.INITIAL)
    assert found.published_on == date(2027, 2, 1)
    assert found.late is False


def test_published_after_the_due_day_is_late_for_good(launched_plan):
    desk = launched_plan()
    publish_initial(desk, moment(date(2027, 2, 2)))

    assert deadline(desk, date(2027, 2, 3), AssessmentKind.INITIAL).late is True
    assert deadline(desk, date(2028, 1, 1), AssessmentKind.INITIAL).late is True


def test_an_unpublished_draft_past_its_deadline_is_late(launched_plan):
    desk = launched_plan()
    with at(date(2027, 1, 25)):
        services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.INITIAL,
            values={"summary": {"es": "Borrador."}},
        )
        db.session.commit()

    found = deadline(desk, date(2027, 2, 10), AssessmentKind.INITIAL)
    assert found.assessment is not None
    assert found.published_on is None
    assert found.late is True


def test_a_commitment_is_assessed_a_month_after_it_ends(launched_plan):
    desk = launched_plan(commitments=2)
    COMMITMENT = AssessmentKind.COMMITMENT

    found = deadline(desk, date(2027, 7, 1), COMMITMENT, desk.commitments[0])
    assert found.due_on == date(2028, 1, 31)  # it ends on 31 December 2027
    assert found.late is False
    assert deadline(desk, date(2028, 2, 1), COMMITMENT, desk.commitments[0]).late is True

    with at(date(2028, 1, 31)):
        services.save_assessment(
            desk.exercise,
            desk.monitoring,
            COMMITMENT,
            commitment=desk.commitments[1],
            values={"summary": {"es": "Cumplido."}, "completion": "complete"},
            publish=True,
        )
        db.session.commit()
    assert deadline(desk, date(2028, 3, 1), COMMITMENT, desk.commitments[1]).late is False
    assert deadline(desk, date(2028, 3, 1), COMMITMENT, desk.commitments[0]).late is True


def test_a_commitment_finished_early_is_assessed_a_month_after_its_last_milestone(
    launched_plan,
):
    desk = launched_plan(commitments=2)
    desk.update(date(2027, 5, 3), COMPLETE)
    assert deadline(desk, date(2027, 9, 1), AssessmentKind.COMMITMENT, desk.commitment).due_on == (
        date(2028, 1, 31)
    )

    # The last milestone reported finished at 23:30 on 10 August, Mexico City time.
    with clock.set_to(datetime(2027, 8, 10, 23, 30, tzinfo=ZONE)):
        services.update_milestone(
            desk.milestone(2), desk.implementer, status=INCOMPLETE, progress={"es": "Cerrado."}
        )
        db.session.commit()

    finished = deadline(desk, date(2027, 9, 1), AssessmentKind.COMMITMENT, desk.commitment)
    assert finished.due_on == date(2027, 9, 10)
    assert deadline(desk, date(2027, 9, 11), AssessmentKind.COMMITMENT, desk.commitment).late
    # The other commitment still runs to its end.
    other = deadline(desk, date(2027, 9, 1), AssessmentKind.COMMITMENT, desk.commitments[1])
    assert other.due_on == date(2028, 1, 31)

    # A later note that leaves the status as it was does not move the deadline…
    desk.update(date(2027, 9, 5), INCOMPLETE, milestone=desk.milestone(2))
    assert deadline(desk, date(2027, 9, 6), AssessmentKind.COMMITMENT, desk.commitment).due_on == (
        date(2027, 9, 10)
    )
    # …finishing it after all does.
    desk.update(date(2027, 9, 8), COMPLETE, milestone=desk.milestone(2))
    assert deadline(desk, date(2027, 9, 9), AssessmentKind.COMMITMENT, desk.commitment).due_on == (
        date(2027, 10, 8)
    )


def test_the_plan_s_end_cuts_a_commitment_short(launched_plan):
    desk = launched_plan()
    desk.exercise.plan_ends_on = date(2027, 9, 30)
    db.session.commit()

    found = deadline(desk, date(2027, 9, 1), AssessmentKind.COMMITMENT, desk.commitment)
    assert found.due_on == date(2027, 10, 30)
    assert deadline(desk, date(2027, 9, 1), AssessmentKind.FINAL).due_on == date(2027, 11, 30)


def test_a_commitment_ends_at_the_earliest_of_its_end_the_plan_s_and_its_finish():
    commitment = SimpleNamespace(ends_on=date(2027, 12, 31))

    assert rules.commitment_end(commitment, date(2028, 6, 30), None) == date(2027, 12, 31)
    assert rules.commitment_end(commitment, date(2027, 9, 30), None) == date(2027, 9, 30)
    assert rules.commitment_end(commitment, date(2028, 6, 30), date(2027, 8, 10)) == date(
        2027, 8, 10
    )
    assert rules.commitment_end(SimpleNamespace(ends_on=None), None, None) is None


def test_the_final_learning_exercise_is_due_two_months_after_the_plan_ends(launched_plan):
    desk = launched_plan()
    FINAL = AssessmentKind.FINAL

    assert deadline(desk, date(2027, 7, 1), FINAL).due_on == date(2028, 8, 30)
    assert deadline(desk, date(2028, 8, 30), FINAL).late is False
    assert deadline(desk, date(2028, 8, 31), FINAL).late is True


def test_a_deadline_with_no_date_is_never_late(launched_plan):
    desk = launched_plan()
    desk.exercise.plan_ends_on = None
    desk.commitment.ends_on = None
    db.session.commit()

    for kind, commitment in (
        (AssessmentKind.COMMITMENT, desk.commitment),
        (AssessmentKind.FINAL, None),
    ):
        found = deadline(desk, date(2030, 1, 1), kind, commitment)
        assert (found.due_on, found.late) == (None, False)


# ----- the tracking board ----------------------------------------------------------------


def milestones(*statuses):
    return [SimpleNamespace(status=status) for status in statuses]


@pytest.mark.parametrize(
    ("statuses", "overall"),
    [
        ((), NOT_STARTED),
        ((NOT_STARTED, NOT_STARTED), NOT_STARTED),
        ((NOT_STARTED, IN_PROGRESS), IN_PROGRESS),
        ((NOT_STARTED, COMPLETE), IN_PROGRESS),
        ((IN_PROGRESS, COMPLETE), IN_PROGRESS),
        ((IN_PROGRESS, STUCK), STUCK),
        ((STUCK, COMPLETE), STUCK),
        ((COMPLETE, COMPLETE), COMPLETE),
        ((COMPLETE, INCOMPLETE), INCOMPLETE),
        ((INCOMPLETE,), INCOMPLETE),
    ],
)
def test_a_commitment_s_status_is_read_from_its_milestones(statuses, overall):
    assert rules.overall_status(milestones(*statuses)) == overall


@pytest.mark.parametrize(
    ("complete", "total", "percent"), [(0, 2, 0), (1, 3, 33), (2, 3, 67), (3, 3, 100), (0, 0, 0)]
)
def test_the_progress_bar_rounds_to_a_whole_percent(complete, total, percent):
    row = CommitmentProgress(None, NOT_STARTED, complete, total, None, [], None, False)
    assert row.percent == percent


def test_the_board_follows_the_milestones(launched_plan):
    desk = launched_plan(commitments=2)
    first, second = desk.milestone(1), desk.milestone(2)

    row, other = board(desk, date(2027, 2, 1)).rows
    assert (row.status, row.complete, row.total, row.percent) == (NOT_STARTED, 0, 2, 0)
    assert row.next_milestone is first
    assert row.overdue == []

    desk.update(date(2027, 2, 3), IN_PROGRESS)
    assert board(desk, date(2027, 6, 30)).rows[0].status == IN_PROGRESS
    # Due on 30 June and not finished: overdue from 1 July.
    assert board(desk, date(2027, 6, 30)).rows[0].overdue == []
    assert board(desk, date(2027, 7, 1)).rows[0].overdue == [first]

    desk.update(date(2027, 7, 5), COMPLETE)
    july = board(desk, date(2027, 7, 6))
    row = july.rows[0]
    assert (row.status, row.complete, row.total, row.percent) == (IN_PROGRESS, 1, 2, 50)
    assert row.next_milestone is second
    assert row.overdue == []
    assert (july.complete, july.total, july.percent) == (1, 4, 25)
    # The other commitment: nothing done, its first milestone overdue.
    other = july.rows[1]
    assert other.next_milestone is desk.milestone(1, desk.commitments[1])
    assert other.overdue == [desk.milestone(1, desk.commitments[1])]

    desk.update(date(2027, 7, 7), STUCK, milestone=second)
    assert board(desk, date(2027, 7, 8)).rows[0].status == STUCK

    desk.update(date(2028, 1, 10), INCOMPLETE, milestone=second)
    row = board(desk, date(2028, 1, 11)).rows[0]
    assert (row.status, row.complete, row.percent) == (INCOMPLETE, 1, 50)
    assert row.next_milestone is None
    # Finished, though late: not overdue.
    assert row.overdue == []


def test_the_next_milestone_is_the_earliest_due_among_the_unfinished(launched_plan):
    desk = launched_plan()
    first, second = desk.milestone(1), desk.milestone(2)
    desk.update(date(2027, 2, 3), STUCK, milestone=second)
    assert board(desk, date(2027, 2, 4)).rows[0].next_milestone is first

    first.ends_on = date(2028, 3, 31)  # later than the second's 31 December 2027
    db.session.commit()
    assert board(desk, date(2027, 2, 4)).rows[0].next_milestone is second


def test_the_latest_report_is_the_one_for_the_latest_quarter(launched_plan):
    desk = launched_plan(commitments=2)
    q2 = desk.report(date(2027, 7, 5), Q(2027, 2))
    desk.report(date(2027, 7, 6), Q(2027, 1))  # posted late, after Q2's

    rows = board(desk, date(2027, 7, 10)).rows
    assert rows[0].latest_report is q2
    assert rows[1].latest_report is None


def test_the_timeline_counts_activity_and_due_milestones_per_quarter(launched_plan):
    desk = launched_plan(commitments=2)
    desk.update(date(2027, 2, 3))
    desk.update(date(2027, 3, 3), STUCK)
    desk.report(date(2027, 4, 5), Q(2027, 1), commitment=desk.commitments[1])
    desk.update(date(2027, 5, 5), milestone=desk.milestone(1, desk.commitments[1]))

    found = board(desk, date(2027, 7, 10))
    # Launch to the plan's end.
    assert found.quarters == rules.quarters(Q(2027, 1), Q(2028, 2))
    # Two updates and a report on Q1 (posted in Q2); one update in Q2.
    assert [found.activity[q] for q in found.quarters] == [3, 1, 0, 0, 0, 0]
    # Each commitment: a milestone due in Q2 2027, another in Q4 2027.
    assert [found.due[q] for q in found.quarters] == [0, 2, 0, 2, 0, 0]
