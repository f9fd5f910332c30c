"""Tracking fixtures: a plan built, submitted and launched on a set clock.

`launched_plan(...)` takes `build_plan`'s options (tests/plan/conftest.py) and builds the
plan with the platform's clock at BUILT_AT (1 December 2026, noon in Mexico City),
submits it, and records its launch on LAUNCHED_ON (15 January 2027, 18:00), so its
implementation quarters are 2027-Q1, Q2… Each commitment has the two milestones of
`full_content`: the first due 30 June 2027, the second 31 December 2027. The desk adds
an implementer assigned to the first commitment, a monitoring body and a citizen.
Tests move the clock with `at(day)` (noon in Mexico City that day) or
`coplat.core.clock.set_to`."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from coplat.accounts.models import Role, User
from coplat.commitments.enums import MilestoneStatus
from coplat.commitments.models import Commitment, Milestone
from coplat.core import clock
from coplat.extensions import db
from coplat.plan.readiness import submit
from coplat.tracking import services
from coplat.tracking.models import MilestoneUpdate, ProgressReport
from coplat.tracking.rules import Quarter
from tests.plan.conftest import PlanDesk, _build
from tests.tables.conftest import english

ZONE = ZoneInfo("America/Mexico_City")
BUILT_ON = date(2026, 12, 1)
LAUNCHED_ON = date(2027, 1, 15)


def moment(day: date, hour: int = 12) -> datetime:
    """That local hour of that day in Mexico City, as an aware datetime."""
    return datetime.combine(day, time(hour), tzinfo=ZONE)


@contextmanager
def at(day: date, hour: int = 12) -> Iterator[None]:
    with clock.set_to(moment(day, hour)):
        yield


@dataclass
class TrackingDesk:
    """A launched plan and the people who track it."""

    desk: PlanDesk
    implementer: User
    monitoring: User
    citizen: User

    def __getattr__(self, name):
        return getattr(self.desk, name)

    @property
    def commitment(self) -> Commitment:
        """The first commitment, the implementer's."""
        return self.desk.commitments[0]

    def milestone(self, number: int = 1, commitment: Commitment | None = None) -> Milestone:
        return (commitment or self.commitment).milestones[number - 1]

    def update(
        self,
        day: date,
        status: MilestoneStatus = MilestoneStatus.IN_PROGRESS,
        *,
        milestone: Milestone | None = None,
        user: User | None = None,
    ) -> MilestoneUpdate:
        """The implementer (unless told) reports on a milestone (the first, unless told)
        at noon on that day."""
        with at(day):
            update = services.update_milestone(
                milestone or self.milestone(),
                user or self.implementer,
                status=status,
                progress={"es": "Avance del hito.", "en": "Milestone progress."},
            )
        db.session.commit()
        return update

    def report(
        self, day: date, quarter: Quarter, commitment: Commitment | None = None
    ) -> ProgressReport:
        """The point of contact posts a quarter's report, at noon on that day."""
        with at(day):
            report = services.post_report(
                commitment or self.commitment,
                self.point_of_contact,
                quarter=quarter,
                progress={"es": "Avance del trimestre.", "en": "The quarter's progress."},
                delays={"es": "Sin retrasos.", "en": "No delays."},
                next_steps={"es": "Seguir.", "en": "Carry on."},
            )
        db.session.commit()
        return report


def _launch(**options) -> TrackingDesk:
    with at(BUILT_ON):
        desk = _build(endorsed=True, **options)
        submit(desk.plan, desk.point_of_contact)
        db.session.commit()
        implementer = desk.person(f"implementer.{desk.exercise.slug}@example.mx", Role.IMPLEMENTER)
        implementer.assignment(desk.exercise.id, Role.IMPLEMENTER).commitment = desk.commitments[0]
        monitoring = desk.person(f"monitoring.{desk.exercise.slug}@example.mx", Role.MONITORING)
        citizen = desk.person(f"citizen.{desk.exercise.slug}@example.mx")
        db.session.commit()
    with at(LAUNCHED_ON, 18):
        services.launch(
            desk.plan,
            desk.point_of_contact,
            launched_on=LAUNCHED_ON,
            place="Explanada municipal",
            notes={"es": "Presentación pública del plan.", "en": "The plan's public launch."},
        )
        db.session.commit()
    return TrackingDesk(desk, implementer, monitoring, citizen)


@pytest.fixture
def launched_plan(app):
    """launched_plan(**build_plan options) -> TrackingDesk, in an English app context
    that lasts the test."""
    with english(app):
        yield _launch
