"""A page reads the plan's tracking once: the micro-site's home (whose six steps'
requirements, timeline, board summary and warnings all read it), the tracking board
and step 6 load the plan's commitments in one statement, and count the milestone
updates in SQL instead of reading each one."""

from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa

from coplat.extensions import db
from coplat.tracking.rules import Quarter
from tests.site.conftest import E
from tests.tracking.conftest import at

TODAY = date(2027, 10, 10)


@contextmanager
def counted():
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


@pytest.mark.parametrize("page", ["", "/tracking", "/steps/6"])
def test_a_page_reads_the_plan_s_commitments_once(app, launched_plan, page):
    desk = launched_plan(commitments=3)
    for day in (date(2027, 2, 1), date(2027, 5, 2), date(2027, 8, 9)):
        desk.update(day)
    desk.report(date(2027, 4, 3), Quarter(2027, 1))
    with at(TODAY):
        with app.app_context():
            app.test_client().get(E + page)  # anything done once per process
        with app.app_context(), counted() as statements:
            response = app.test_client().get(E + page)
    assert response.status_code == 200
    commitments = [s for s in statements if "JOIN plan_commitment" in s and "FROM commitment" in s]
    assert len(commitments) == 1, commitments
    # No statement lists the milestone updates one by one.
    assert not [s for s in statements if s.startswith("SELECT milestone_update.commitment_id,")]
    # Step 6 shows no commitment's title: it leaves their approved revisions alone.
    revisions = [s for s in statements if s.startswith("SELECT commitment_revision.")]
    assert bool(revisions) == (page != "/steps/6")
