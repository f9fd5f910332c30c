"""Enumerations stored as their value and shown with a translated label."""

from enum import StrEnum

import sqlalchemy as sa
from wtforms.fields import SelectChoice


class LabelledEnum(StrEnum):
    """Subclasses define `_labels()` returning {member: lazy label}."""

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError

    @property
    def label(self) -> str:
        return str(self._labels()[self])

    @classmethod
    def choices(cls, members=None) -> list[SelectChoice]:
        """Options for a select field. The labels stay lazy: forms are built at import
        time, and each request must see its own language."""
        labels = cls._labels()
        return [SelectChoice(m.value, labels[m]) for m in (members or cls)]


def enum_type(enum_cls) -> sa.Enum:
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=max(len(m.value) for m in enum_cls) + 8,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
