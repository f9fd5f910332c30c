"""One page of a list the database pages (the feedback log, the evidence repository,
the news): its items, how many there are in all, its number and how many pages."""

from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

T = TypeVar("T")


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill; an empty list still has one."""
    return max(1, ceil(total / per_page))


def page_number(asked: int, total: int, per_page: int) -> int:
    """The page asked for, kept between the first and the last."""
    return min(max(asked, 1), page_count(total, per_page))


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)
