"""Permissions as data: each area declares {action: rule}; rules are small predicates
over (user, subject) combined with &, | and ~. Views and templates ask the same table."""

from collections.abc import Callable
from enum import Enum
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

Predicate = Callable[[object, object], bool]


class Rule:
    def __init__(self, test: Predicate, name: str):
        self.test = test
        self.name = name

    def __call__(self, user, subject=None) -> bool:
        return bool(self.test(user, subject))

    def __and__(self, other: "Rule") -> "Rule":
        return Rule(lambda u, s: self(u, s) and other(u, s), f"({self.name} & {other.name})")

    def __or__(self, other: "Rule") -> "Rule":
        return Rule(lambda u, s: self(u, s) or other(u, s), f"({self.name} | {other.name})")

    def __invert__(self) -> "Rule":
        return Rule(lambda u, s: not self(u, s), f"~{self.name}")

    def __repr__(self) -> str:
        return self.name


def rule(test: Predicate) -> Rule:
    return Rule(test, test.__name__)


@rule
def anyone(user, subject):
    return True


@rule
def authenticated(user, subject):
    return bool(user and user.is_authenticated)


@rule
def is_admin(user, subject):
    return bool(user and user.is_authenticated and user.is_admin)


def exercise_of(subject):
    """The exercise a subject belongs to (the subject itself when it is one)."""
    while subject is not None and type(subject).__name__ != "Exercise":
        subject = getattr(subject, "exercise", None)
    return subject


def has_role(*roles) -> Rule:
    def test(user, subject):
        exercise = exercise_of(subject)
        if not (user and user.is_authenticated and exercise is not None):
            return False
        return bool(user.roles_in(exercise.id) & set(roles))

    return Rule(test, "has_role(" + ",".join(r.value for r in roles) + ")")


_POLICIES: dict[type, "Policy"] = {}


class Policy:
    """One area's rule table. Every action of the enum must have a rule."""

    def __init__(self, actions: type[Enum], rules: dict):
        missing = set(actions) - set(rules)
        if missing:
            raise ValueError(f"actions without a rule: {sorted(a.name for a in missing)}")
        self.actions = actions
        self.rules = rules
        _POLICIES[actions] = self

    def allows(self, user, action, subject=None) -> bool:
        return self.rules[action](user, subject)


def can(action, subject=None, user=None) -> bool:
    user = current_user if user is None else user
    return _POLICIES[type(action)].allows(user, action, subject)


def require(action, subject=None) -> None:
    """Abort with 403 (or send an anonymous visitor to log in) unless allowed."""
    if can(action, subject):
        return
    if not current_user.is_authenticated:
        abort(send_to_login())
    abort(403)


def send_to_login():
    """Flask-Login's redirect, except that after a refused POST the visitor comes back
    to the page that held the form, not to the POST-only address; and that for htmx
    the login page replaces the page instead of landing inside a fragment."""
    from coplat.core.rendering import is_safe_next, see_other
    from coplat.extensions import htmx, login_manager

    if request.method == "GET" and not htmx:
        return login_manager.unauthorized()
    referrer = urlsplit(request.headers.get("HX-Current-URL") or request.referrer or "")
    back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if referrer.netloc != request.host or not is_safe_next(back):
        back = None
    flash(str(login_manager.login_message), login_manager.login_message_category)
    location = url_for(login_manager.login_view, next=back)
    return see_other(location) if htmx else redirect(location)


def requires(action):
    """Decorator for views whose rule does not depend on a subject."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(action)
            return view(*args, **kwargs)

        return wrapped

    return decorate
