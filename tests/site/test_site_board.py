"""The public tracking board (tablero de seguimiento): per commitment its status,
milestones complete out of total, progress bar, next milestone, latest report,
overdue milestones and the flag after two quiet quarters; for the plan its overall
progress and its quarters; and the same figures as CSV and JSON."""

import csv
import io
import json
import re
from datetime import date

from coplat.commitments.enums import MilestoneStatus
from coplat.extensions import db
from coplat.tracking.rules import Quarter
from tests.conftest import english
from tests.site.conftest import E, text
from tests.tracking.conftest import at

SUMMER = date(2027, 8, 2)


def get(client, url: str, day: date = SUMMER):
    db.session.commit()
    with at(day):
        return english(client).get(url)


def cards(page: str) -> dict[int, str]:
    """Each commitment's card on the board, by the commitment's id."""
    found = {}
    for match in re.finditer(r'<li class="card board-card[^"]*" id="commitment-(\d+)">', page):
        end = page.find('<li class="card board-card', match.end())
        found[int(match.group(1))] = page[match.start() : end if end > 0 else None]
    return found


def two_commitments(launched_plan):
    """The first commitment in progress (a milestone complete, a report for Q1); the
    second untouched since the launch."""
    desk = launched_plan(commitments=2)
    desk.update(date(2027, 2, 1))
    desk.update(date(2027, 3, 1), MilestoneStatus.COMPLETE)
    desk.q1_report = desk.report(date(2027, 4, 2), Quarter(2027, 1))
    return desk


def test_the_board_shows_each_commitments_figures(client, launched_plan):
    desk = two_commitments(launched_plan)
    first, second = desk.commitments
    response = get(client, f"{E}/tracking")
    assert response.status_code == 200
    page = text(response)
    found = cards(page)
    assert list(found) == [first.id, second.id]

    busy = found[first.id]
    assert f'href="{E}/tracking/commitments/{first.id}"' in busy
    assert '<span class="badge milestone-in_progress">In progress</span>' in busy
    assert f'<progress id="progress-{first.id}" max="2" value="1"' in busy
    assert "1 of 2 milestones complete (50%)" in busy
    assert "Leaks repaired — due December 31, 2027" in busy
    report_url = f"{E}/tracking/reports/{desk.q1_report.id}"
    assert f'href="{report_url}">Q1 2027, posted on April 2, 2027' in busy
    assert "Flagged" not in busy and "overdue" not in busy

    quiet = found[second.id]
    assert 'class="card board-card flagged has-overdue"' in quiet
    assert "Flagged: no progress in two consecutive quarters" in quiet
    assert "1 milestone overdue" in quiet
    assert '<li class="overdue">Leak map published — was due June 30, 2027 (Not started)' in quiet
    assert "No report yet" in quiet


def test_the_board_shows_the_plans_progress_and_its_quarters(client, launched_plan):
    two_commitments(launched_plan)
    page = text(get(client, f"{E}/tracking"))
    assert '<progress id="overall-progress" max="4" value="1"' in page
    assert "1 of 4 milestones complete (25%)" in page
    assert "1 commitment flagged" in page
    quarters = re.findall(r'<li class="quarter([^"]*)"[^>]*>\s*<strong>([^<]+)</strong>', page)
    assert [label for _cls, label in quarters] == [
        "Q1 2027",
        "Q2 2027",
        "Q3 2027",
        "Q4 2027",
        "Q1 2028",
        "Q2 2028",
    ]
    assert [cls.strip() for cls, _label in quarters][:4] == ["past", "past", "current", ""]
    q1 = page[page.index("<strong>Q1 2027</strong>") :]
    assert re.match(r"<strong>Q1 2027</strong>\s*<span>3 updates or reports</span>", q1)
    q2 = page[page.index("<strong>Q2 2027</strong>") :]
    assert re.match(r"<strong>Q2 2027</strong>\s*<span>0 updates or reports</span>", q2)
    assert "<span>2 milestones due</span>" in q2[: q2.index("</li>")]
    assert re.search(r'aria-current="date">\s*<strong>Q3 2027</strong>', page)
    assert "Current quarter: Q3 2027" in page


def test_finishing_the_overdue_milestone_clears_the_marks(client, launched_plan):
    desk = two_commitments(launched_plan)
    second = desk.commitments[1]
    desk.update(date(2027, 7, 20), MilestoneStatus.COMPLETE, milestone=desk.milestone(1, second))
    quiet = cards(text(get(client, f"{E}/tracking")))[second.id]
    assert "Flagged" not in quiet and "overdue" not in quiet
    assert '<span class="badge milestone-in_progress">In progress</span>' in quiet


def test_before_the_launch_the_board_says_implementation_has_not_started(client, build_plan):
    build_plan()
    page = text(get(client, f"{E}/tracking"))
    assert "Implementation has not started" in page
    assert "<progress" not in page


def test_the_board_downloads_as_csv(client, launched_plan):
    desk = two_commitments(launched_plan)
    first, second = desk.commitments
    # The board reads the approved revision's title, as the plan does: a title that
    # would run as a formula, while the working copy says something else.
    revision = second.approved_revision
    revision.content = {**revision.content, "title": {"es": '=HYPERLINK("http://x")'}}
    second.title = {"es": "Borrador sin aprobar", "en": "Unapproved draft"}
    response = get(client, f"{E}/tracking.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="valle-tracking-board.csv"' in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert [row["commitment_id"] for row in rows] == [str(first.id), str(second.id)]
    busy, quiet = rows
    assert busy["title_es"] == "Red de agua sin fugas"
    assert (busy["status"], busy["milestones_complete"], busy["milestones_total"]) == (
        "in_progress",
        "1",
        "2",
    )
    assert busy["percent_complete"] == "50"
    assert (busy["next_milestone_en"], busy["next_milestone_due"]) == (
        "Leaks repaired",
        "2027-12-31",
    )
    assert (busy["latest_report_quarter"], busy["flagged"]) == ("2027-Q1", "False")
    assert busy["latest_report_url"].startswith("http://coplat.test/e/valle/tracking/reports/")
    # A title that would run as a formula is defused.
    assert quiet["title_es"] == '\'=HYPERLINK("http://x")'
    assert "Borrador sin aprobar" not in body and "Unapproved draft" not in body
    assert (quiet["overdue_milestones"], quiet["flagged"], quiet["latest_report_quarter"]) == (
        "1",
        "True",
        "",
    )


def test_the_board_downloads_as_json_with_the_plans_totals(client, launched_plan):
    desk = two_commitments(launched_plan)
    response = get(client, f"{E}/tracking.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    assert (document["format"], document["version"]) == ("coplat-tracking-board", 1)
    plan = document["plan"]
    assert plan["status"] == "launched"
    assert plan["launched_on"] == "2027-01-15"
    assert plan["current_quarter"] == "2027-Q3"
    assert (plan["commitments"], plan["milestones_complete"], plan["milestones_total"]) == (
        2,
        1,
        4,
    )
    assert (plan["percent_complete"], plan["flagged_commitments"], plan["overdue_milestones"]) == (
        25,
        1,
        1,
    )
    busy, quiet = document["commitments"]
    assert busy["commitment_id"] == desk.commitments[0].id
    assert busy["flagged"] is False and quiet["flagged"] is True
    assert quiet["latest_report_quarter"] is None
    assert quiet["next_milestone_due"] == "2027-06-30"
    quarters = {q["quarter"]: q for q in document["quarters"]}
    assert quarters["2027-Q1"]["activity"] == 3
    assert quarters["2027-Q2"]["milestones_due"] == 2


def test_other_formats_are_not_found(client, launched_plan):
    launched_plan()
    assert get(client, f"{E}/tracking.xlsx").status_code == 404
    assert get(client, "/e/nowhere/tracking.csv").status_code == 404


def test_the_board_is_legible_without_a_launch_in_the_download(client, build_plan):
    build_plan()
    document = json.loads(get(client, f"{E}/tracking.json").get_data(as_text=True))
    assert document["plan"]["launched_on"] is None
    assert document["commitments"] == []
