"""Routes of implementation tracking (filled in by the views that follow)."""

from coplat.tracking import bp  # noqa: F401
