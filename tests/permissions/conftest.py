"""The truth table over HTTP: every role opens every endpoint of an area and gets the
answer, and the effect, that the table gives its role.

An area lists its endpoints as rows (label, method, path, form data, action, status when
allowed, effect seen when allowed), parametrizes its test with `for_every_role` and
checks each case with `check_endpoint`. The truth table itself, `ALLOWED`, stays in
test_matrix.py; the callers pass it, since that module uses this one.

These are helpers, not fixtures, imported like tests/plan/conftest.py's; they live in a
conftest so that pytest rewrites their assertions and a failure shows its values."""

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import ALL_ROLES


class Endpoint(NamedTuple):
    method: str
    path: str
    data: Any
    action: Any
    allowed_status: int
    effect: Callable[[], Any] | None


def for_every_role(endpoints: Iterable[tuple]):
    """Parametrizes a test with `role` and `endpoint`: one case per role and row."""
    by_endpoint = pytest.mark.parametrize(
        "endpoint", [pytest.param(Endpoint(*e[1:]), id=e[0]) for e in endpoints]
    )
    by_role = pytest.mark.parametrize("role", ALL_ROLES)
    return lambda test: by_role(by_endpoint(test))


def fill(value, ids: dict):
    """The endpoint's path or form data with the fixture's ids in place."""
    if isinstance(value, dict):
        return {fill(k, ids): fill(v, ids) for k, v in value.items()}
    return value.format(**ids) if isinstance(value, str) else value


def check_answer(response, role, method, path, allowed, allowed_status):
    """Allowed: the expected status. Refused: anonymous visitors are sent to log in
    (and back here afterwards), accounts get the 403 page."""
    text = response.get_data(as_text=True)
    if allowed:
        assert response.status_code == allowed_status, text
    elif role == "anonymous":
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/account/login"
        if method == "GET":  # and back here after logging in
            assert parse_qs(location.query)["next"] == [path]
    else:
        assert response.status_code == 403
        assert "Not allowed" in text
        assert "Your account does not have permission to do this." in text


def check_endpoint(
    client,
    role: str,
    allowed_actions: set,
    endpoint: Endpoint,
    ids: dict | None = None,
    *,
    files: Callable[[Any], Any] | None = None,
    state: Callable[[], Any] | None = None,
    reading: Callable[[], AbstractContextManager] = nullcontext,
    requesting: Callable[[], AbstractContextManager] = nullcontext,
) -> None:
    """Opens `endpoint` as the logged-in `role`, whose `allowed_actions` are the truth
    table's, and checks the answer; its effect is seen exactly when the role is allowed.
    With `state`, nothing else changes: nothing at all when the role is refused or the
    endpoint has no effect.

    `ids` fill the path and the form data, which `files` then completes with uploads;
    `reading` wraps what reads the database (an app context, where the test has none)
    and `requesting` the request (a set clock)."""
    method, path, data = endpoint.method, endpoint.path, endpoint.data
    if ids is not None:
        path, data = fill(path, ids), fill(data, ids)
    if files is not None:
        data = files(data)
    before = None
    if state is not None:
        with reading():
            before = state()
    with requesting():
        response = client.open(path, method=method, data=data)
    allowed = endpoint.action in allowed_actions
    check_answer(response, role, method, path, allowed, endpoint.allowed_status)
    if endpoint.effect is None and state is None:
        return
    with reading():
        if endpoint.effect is not None:
            assert bool(endpoint.effect()) == allowed
        if state is not None and (endpoint.effect is None or not allowed):
            assert state() == before
