"""The demo's timeline follows the day it is loaded: whatever that day, the plan was
launched early in the quarter two before, two quarters of implementation have ended,
one commitment is flagged, nothing is inactive, late or in the future, and the texts
name the right years. Each test loads the demo with the platform's clock set."""

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from coplat.commitments.enums import MilestoneStatus
from coplat.core import clock
from coplat.core.models import utcnow
from coplat.demo import DEMO_SLUG, load_demo
from coplat.demo_commitments import CLINIC_COMMITMENT, LIGHTS_COMMITMENT, WATER_COMMITMENT
from coplat.demo_timeline import Timeline
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.plan.readiness import readiness
from coplat.plan.services import find_plan
from coplat.plan.vision import TEXT_KEYS
from coplat.tables.models import TableSession, WorkingTable
from coplat.tracking import rules
from coplat.tracking.models import Evidence, MilestoneUpdate, ProgressReport
from coplat.tracking.rules import Quarter

ZONE = ZoneInfo("America/Mexico_City")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


def test_the_template_period_is_the_one_loaded_late_in_2026():
    with clock.set_to(local(2026, 12, 6, 12)):
        timeline = Timeline.loaded_today()
    assert timeline.plan_starts_on == date(2026, 4, 1)
    assert (timeline.launched_on, timeline.plan_ends_on) == (date(2026, 4, 10), date(2027, 3, 31))
    assert timeline.administration_ends == date(2027, 9, 4)
    # Day 0 opened the consultation; the launch was day 75.
    assert timeline.opens_on == date(2026, 1, 25)
    assert timeline.day(75, 18).astimezone(ZONE) == local(2026, 4, 10, 18)
    # The texts' dates are this period's; their placeholders name its years.
    assert timeline.shift == 0
    water = timeline.resolve(WATER_COMMITMENT)
    assert water["milestones"] == WATER_COMMITMENT["milestones"]
    assert "{PMD}" in WATER_COMMITMENT["vision_objective"]["es"]
    assert water["vision_objective"]["es"].startswith("Plan Municipal de Desarrollo 2024–2027,")
    assert water["vision_objective"]["en"].startswith("Municipal Development Plan 2024–2027,")
    assert "(FAIS) 2026," in water["additional_information"]["es"]
    assert "the 2026 Social Infrastructure Fund" in water["additional_information"]["en"]


@pytest.mark.parametrize(
    ("today", "starts", "ends", "administration"),
    [
        # The quarter's first minute and its last.
        (local(2027, 1, 1, 0, 5), date(2026, 7, 1), date(2027, 6, 30), date(2027, 9, 4)),
        (local(2027, 9, 30, 23, 55), date(2027, 1, 1), date(2027, 12, 31), date(2028, 9, 4)),
        (local(2028, 5, 16, 12), date(2027, 10, 1), date(2028, 9, 30), date(2029, 9, 4)),
    ],
)
def test_the_period_follows_the_day_it_is_loaded(today, starts, ends, administration):
    with clock.set_to(today):
        timeline = Timeline.loaded_today()
    assert (timeline.plan_starts_on, timeline.plan_ends_on) == (starts, ends)
    assert timeline.administration_ends == administration
    assert Quarter.of(timeline.launched_on) == Quarter.of(today.date()).previous.previous


def test_dates_and_years_move_with_the_period():
    timeline = Timeline(date(2027, 10, 1))
    assert timeline.shift == 18
    assert timeline.moved("2026-04-15") == "2027-10-15"
    # A month's last day stays its month's last day.
    assert timeline.moved("2026-06-30") == "2027-12-31"
    assert timeline.moved("2027-02-28") == "2028-08-31"
    assert timeline.moved(None) is None
    text = CLINIC_COMMITMENT["additional_information"]
    resolved = timeline.resolve(text)
    assert "desde enero de 2028 si" in resolved["es"]
    assert "from January 2028 if" in resolved["en"]
    assert "presupuesto de egresos 2027" in resolved["es"]
    assert timeline.fill("{PMD}") == "2026–2029"
    milestones = timeline.resolve(LIGHTS_COMMITMENT)["milestones"]
    assert [(m["starts_on"], m["ends_on"]) for m in milestones][0] == ("2027-12-01", "2028-03-31")


@pytest.mark.parametrize(
    "today",
    [
        local(2027, 1, 1, 0, 5),  # the first minutes of a quarter
        local(2027, 9, 30, 23, 55),  # the last minutes of one
        local(2028, 5, 16, 12),  # February of a leap year in the implementation
    ],
)
def test_loaded_on_any_day_the_story_holds(app, today):
    with app.app_context(), clock.set_to(today):
        load_demo()
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))
        plan = find_plan(exercise)
        now = utcnow()
        current = Quarter.of(today.date())
        assert Quarter.of(plan.launched_on) == current.previous.previous
        board = rules.board(plan)
        [flagged] = board.flagged
        assert flagged.commitment.title["es"] == LIGHTS_COMMITMENT["title"]["es"]
        assert not rules.inactivity(plan).inactive
        assert not any(year.behind for year in rules.regularity(plan))
        assert not any(d.late for d in rules.deadlines(plan))
        milestones = [m for c in rules.plan_commitments(plan) for m in c.milestones]
        assert {m.status for m in milestones} == set(MilestoneStatus)
        # Which milestones are overdue does not depend on the day within the quarter.
        assert [len(row.overdue) for row in board.rows] == [0, 1, 1, 0]
        # The readiness check passed when the plan was submitted.
        assert readiness(plan, plan.submitted_at).ready
        # Nothing recorded happens after now, but the session coming up.
        for moment in [
            *db.session.scalars(sa.select(MilestoneUpdate.created_at)),
            *db.session.scalars(sa.select(ProgressReport.created_at)),
            *db.session.scalars(sa.select(Evidence.created_at)),
            plan.launched_at,
            *(s.closed_at for s in exercise.steps if s.closed_at),
        ]:
            assert moment < now
        later = db.session.scalars(
            sa.select(TableSession)
            .join(WorkingTable)
            .where(WorkingTable.exercise_id == exercise.id, TableSession.starts_at > now)
        ).all()
        assert len(later) == 1
        # Every placeholder of the texts is filled, with this period's years.
        texts = json.dumps(
            [
                *(c.approved_revision.content for c in plan.commitments),
                *(getattr(plan, key) for key in TEXT_KEYS),
            ],
            ensure_ascii=False,
        )
        assert not re.search(r"\{[A-Z_]+\}", texts)
        assert f"Plan Municipal de Desarrollo {exercise.administration_ends.year - 3}–" in texts
        for commitment in plan.commitments:
            assert commitment.starts_on == exercise.plan_starts_on
            assert commitment.ends_on == exercise.plan_ends_on
