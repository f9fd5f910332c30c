"""When the demo happens. The demo is two quarters into the implementation of its plan
whatever day it is loaded, so its dates follow the day it is loaded on: the plan is
launched in the first weeks of the calendar quarter two before today's, its period
starts with that quarter and lasts a year, and the co-creation before it keeps the
story the other demo modules tell by day number (day 0 opens the topic consultation;
the plan is launched on day LAUNCH_DAY).

The commitments' dates and the few years their texts name are written for the plan
that starts on TEMPLATE_START (the demo loaded in the last quarter of 2026) and moved,
a whole number of quarters, to the real period by `Timeline.resolve`."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from coplat.commitments.services import add_months
from coplat.core import clock
from coplat.exercises.models import DEFAULT_TIMEZONE
from coplat.tracking.rules import Quarter

ZONE = ZoneInfo(DEFAULT_TIMEZONE)
# The plan's period starts on the first day of a quarter; the launch event follows.
LAUNCH_AFTER_START = timedelta(days=9)
# Days of the consultation's timeline: the joint declaration is signed, the STL is
# installed, the point of contact submits the plan to OGP, the plan is launched.
DECLARATION_DAY = -113
STL_DAY = -16
SUBMISSION_DAY = 62
LAUNCH_DAY = 75
# The period the commitments' texts and dates are written for.
TEMPLATE_START = date(2026, 4, 1)
# Municipal administrations in Hidalgo hand over on 5 September.
ADMINISTRATION_ENDS = (9, 4)


def _last_of_month(day: date) -> bool:
    return (day + timedelta(days=1)).month != day.month


@dataclass(frozen=True)
class Timeline:
    plan_starts_on: date

    @classmethod
    def loaded_today(cls) -> "Timeline":
        """The demo's timeline for a demo loaded today (in Santa Lucía's time zone)."""
        return cls(Quarter.of(clock.today(ZONE)).previous.previous.starts_on)

    @classmethod
    def of(cls, exercise) -> "Timeline":
        return cls(exercise.plan_starts_on)

    # ----- the plan and the administration -------------------------------------------

    @property
    def plan_ends_on(self) -> date:
        return add_months(self.plan_starts_on, 12) - timedelta(days=1)

    @property
    def administration_ends(self) -> date:
        """The first hand-over at least two months after the plan ends (OGP Local §3.2)."""
        year = self.plan_ends_on.year
        while add_months(date(year, *ADMINISTRATION_ENDS), -2) < self.plan_ends_on:
            year += 1
        return date(year, *ADMINISTRATION_ENDS)

    @property
    def launched_on(self) -> date:
        return self.plan_starts_on + LAUNCH_AFTER_START

    @property
    def launch_quarter(self) -> Quarter:
        return Quarter.of(self.plan_starts_on)

    # ----- moments ---------------------------------------------------------------------

    @property
    def opens_on(self) -> date:
        """Day 0: the topic consultation opens."""
        return self.launched_on - timedelta(days=LAUNCH_DAY)

    @property
    def opens_at(self) -> datetime:
        """Midnight in Santa Lucía on day 0, in UTC."""
        return datetime.combine(self.opens_on, time(), tzinfo=ZONE).astimezone(UTC)

    def day(self, number: int, hour: int = 0, minute: int = 0) -> datetime:
        """That local time on that day of the consultation's timeline (negative days
        come before the consultation)."""
        return self.opens_at + timedelta(days=number, hours=hour, minutes=minute)

    def date_of(self, number: int) -> date:
        """The local date of that day of the consultation's timeline."""
        return self.opens_on + timedelta(days=number)

    def month(self, months: int, day: int = 1, hour: int = 12, minute: int = 0) -> datetime:
        """That local time on that day of the month `months` after the plan's period
        starts (month 0 is its first), in UTC."""
        on = add_months(self.plan_starts_on, months).replace(day=day)
        return datetime.combine(on, time(hour, minute), tzinfo=ZONE).astimezone(UTC)

    # ----- the texts -------------------------------------------------------------------

    @property
    def shift(self) -> int:
        """Months from the template's period to the real one."""
        start, template = self.plan_starts_on, TEMPLATE_START
        return (start.year - template.year) * 12 + start.month - template.month

    def moved(self, day: str | None) -> str | None:
        """An ISO date of the template moved to the real period; a month's last day
        stays its month's last day."""
        if not day:
            return day
        found = date.fromisoformat(day)
        moved = add_months(found, self.shift)
        if _last_of_month(found):
            moved = add_months(moved.replace(day=1), 1) - timedelta(days=1)
        return moved.isoformat()

    def tokens(self, language: str) -> dict[str, str]:
        """What the texts' placeholders stand for, in that language."""
        start, ends = self.plan_starts_on, self.administration_ends

        def month_year(day: date) -> str:
            if language == "es":
                return format_date(day, "MMMM 'de' y", locale="es")
            return format_date(day, "MMMM y", locale="en")

        def full(day: date) -> str:
            if language == "es":
                return format_date(day, "d 'de' MMMM 'de' y", locale="es")
            return format_date(day, "d MMMM y", locale="en")

        first, last = self.date_of(DECLARATION_DAY).year, self.date_of(SUBMISSION_DAY).year
        both = " y " if language == "es" else " and "
        return {
            # The Municipal Development Plan covers the administration's three years.
            "{PMD}": f"{ends.year - 3}–{ends.year}",
            # The budget year the plan starts in.
            "{YEAR}": str(start.year),
            # The health district's weekend staff, from the plan's fourth month.
            "{STAFF_FROM}": month_year(add_months(start, 3)),
            "{PLAN_END}": month_year(self.plan_ends_on),
            "{VISION_YEAR}": str(self.plan_ends_on.year + 3),
            "{COCREATION}": str(first) if first == last else f"{first}{both}{last}",
            "{DECLARED_ON}": full(self.date_of(DECLARATION_DAY)),
            "{STL_ON}": full(self.date_of(STL_DAY)),
        }

    def fill(self, text: str, language: str = "es") -> str:
        for token, value in self.tokens(language).items():
            text = text.replace(token, value)
        return text

    def resolve(self, value, language: str = "es", key: str = ""):
        """A commitment's content (or any part of it) as written for the template,
        with its dates moved and its placeholders filled in each language."""
        if isinstance(value, dict):
            return {
                k: self.resolve(v, k if k in ("es", "en") else language, k)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.resolve(v, language, key) for v in value]
        if key in ("starts_on", "ends_on"):
            return self.moved(value)
        if isinstance(value, str):
            return self.fill(value, language)
        return value
