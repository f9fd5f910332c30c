"""The micro-site's tests read a launched plan (tests/tracking's `launched_plan`):
"valle", submitted on 1 December 2026, launched on 15 January 2027, each commitment
with two milestones due 30 June and 31 December 2027. Requests share the fixture's app
context (and its session, whose `g` remembers who logged in): one account per test,
other people act through the services, and the test commits before it asks.

This folder has no __init__.py: a package named `site` would shadow Python's own
`site` module, so its test modules carry a `test_site_` prefix instead."""

from datetime import date, datetime, timedelta

from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.tables.enums import SessionKind
from coplat.tables.models import Attendance, TableSession
from tests.conftest import english
from tests.plan.conftest import build_plan  # noqa: F401
from tests.tracking.conftest import launched_plan, moment  # noqa: F401

E = "/e/valle"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response) -> str:
    return response.get_data(as_text=True)


def as_user(client, login, user):
    db.session.commit()
    login(client, user.id)
    return english(client)


def follow_up(desk, day: date, *, civil_society: bool = True, title: str = "") -> TableSession:
    """A follow-up meeting of the plan's table at 10:00 that day, attended by civil
    society (unless told) and the government."""
    session = TableSession(
        table=desk.table,
        kind=SessionKind.FOLLOW_UP,
        title={"es": title or "Reunión de seguimiento", "en": title or "Follow-up meeting"},
        starts_at=moment(day, 10),
        ends_at=moment(day, 10) + timedelta(hours=2),
        place="Sala de Cabildo",
    )
    db.session.add(session)
    attendees = [desk.actors[Sector.GOVERNMENT]]
    if civil_society:
        attendees.append(desk.actors[Sector.CIVIL_SOCIETY])
    # Stored directly: the service records attendance only once the session started.
    session.attendances = [Attendance(actor=actor, sector=actor.sector) for actor in attendees]
    db.session.commit()
    return session


def local(day: date, hour: int = 12) -> datetime:
    return moment(day, hour)
