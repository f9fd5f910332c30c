"""The platform's one clock. Every rule that depends on "now" or "today" (quarters,
deadlines, inactivity, the six-month window) reads it, so tests can set it."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_fixed: datetime | None = None


def now() -> datetime:
    return _fixed if _fixed is not None else datetime.now(UTC)


def today(zone: ZoneInfo) -> date:
    """Today as people in that zone count days."""
    return now().astimezone(zone).date()


@contextmanager
def set_to(moment: datetime) -> Iterator[None]:
    """Within the block, the clock reads `moment` (aware); it runs again after."""
    global _fixed
    if moment.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    previous, _fixed = _fixed, moment.astimezone(UTC)
    try:
        yield
    finally:
        _fixed = previous
