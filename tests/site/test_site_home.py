"""The exercise's home as its open-government micro-site (OGP Local Annex 4): who
answers for it, the timeline, the opportunities to take part, the news, the board's
summary, the links to the repository, the feedback log and the assessments, the
search box, the date of the last update, and the inactivity (§4.1) and regularity
(§3.3.1) warnings, which come and go with the clock."""

import re
from datetime import date

from coplat.commitments.enums import MilestoneStatus
from coplat.exercises.models import AwarenessEvent, Declaration, StlCharter
from coplat.extensions import db
from coplat.tracking import services
from coplat.tracking.enums import AssessmentKind, EvidenceType
from coplat.tracking.rules import Quarter
from tests.conftest import english
from tests.site.conftest import E, as_user, follow_up, text
from tests.tracking.conftest import at, moment

# In the second quarter of implementation, nothing due yet.
SPRING = date(2027, 5, 10)
# After the second quarter has ended (Q1 and Q2 2027 are the quarters looked at).
SUMMER = date(2027, 8, 2)
INACTIVE = "OGP Local inactivity warning (§4.1)"
BEHIND = "Meetings with civil society are behind (§3.3.1)"


def board(client, day: date) -> str:
    db.session.commit()
    with at(day):
        response = english(client).get(f"{E}/tracking")
    assert response.status_code == 200
    return text(response)


def home(client, day: date) -> str:
    db.session.commit()
    with at(day):
        response = english(client).get(E)
    assert response.status_code == 200
    return text(response)


def section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_the_home_shows_who_answers_for_the_exercise(client, launched_plan):
    desk = launched_plan()
    page = home(client, SPRING)
    assert "The responsible institution and the point of contact are not published yet." in page
    # The public sees no link to edit them.
    assert f"{E}/site/contact" not in page
    services.set_contact(
        desk.plan,
        institution="Ayuntamiento de Valle Verde",
        name="Pablo Ortiz",
        email="gobierno.abierto@valle.gob.mx",
        phone="771 123 4567",
    )
    contact = section(home(client, SPRING), "contact")
    assert "Ayuntamiento de Valle Verde" in contact
    assert "Pablo Ortiz" in contact
    assert 'href="mailto:gobierno.abierto@valle.gob.mx"' in contact
    assert 'href="tel:7711234567"' in contact


def test_the_contact_page_lists_the_details_as_the_home_does(client, launched_plan):
    desk = launched_plan()
    unpublished = "The responsible institution and the point of contact are not published yet."
    assert unpublished in section(text(english(client).get(f"{E}/site/contact")), "contact")
    services.set_contact(
        desk.plan,
        institution="Ayuntamiento de Valle Verde",
        name="",
        email="",
        phone="771 123 4567",
    )
    db.session.commit()

    def details(page: str) -> str:
        start = page.index('<dl class="facts narrow-stack contact-details">')
        return page[start : page.index("</dl>", start)]

    on_home = details(section(home(client, SPRING), "contact"))
    on_contact_page = details(section(text(english(client).get(f"{E}/site/contact")), "contact"))
    assert on_contact_page == on_home
    assert 'href="tel:7711234567"' in on_home and "Point of contact" not in on_home


def test_the_point_of_contact_is_invited_to_publish_the_contact_details(
    client, launched_plan, login
):
    desk = launched_plan()
    as_user(client, login, desk.point_of_contact)
    contact = section(home(client, SPRING), "contact")
    assert f'href="{E}/site/contact">Publish the contact details' in contact


def test_the_timeline_gives_each_phase_its_dates(client, launched_plan):
    desk = launched_plan()
    db.session.add_all(
        [
            Declaration(exercise=desk.exercise, signed_on=date(2026, 3, 2)),
            StlCharter(exercise=desk.exercise, installed_on=date(2026, 5, 4)),
            AwarenessEvent(
                exercise=desk.exercise, title={"es": "Foro vecinal"}, held_on=date(2026, 4, 1)
            ),
            AwarenessEvent(
                exercise=desk.exercise, title={"es": "Taller"}, held_on=date(2026, 4, 20)
            ),
        ]
    )
    timeline = section(home(client, SPRING), "timeline")
    phases = re.findall(r"<h3>(\d)\. ", timeline)
    assert phases == ["1", "2", "3", "4", "5", "6"]
    for day, label in [
        ("2026-03-02", "Joint declaration signed"),
        ("2026-04-01", "First awareness event"),
        ("2026-04-20", "Latest awareness event"),
        ("2026-05-04", "STL installed"),
        ("2026-11-01", "Topic consultation opens"),
        ("2026-11-30", "First working-table session"),
        ("2026-12-01", "Action plan submitted to OGP"),
        ("2027-01-15", "Public launch of the plan"),
        ("2026-09-01", "The action plan&#39;s period starts"),
        ("2028-06-30", "The action plan&#39;s period ends"),
        # §3.5: two months after the submission, a month after each commitment ends,
        # two months after the plan ends.
        ("2027-02-01", "Initial assessment due"),
        ("2028-01-31", "Implementation assessment due: A water network without leaks"),
        ("2028-08-30", "Final learning exercise due"),
    ]:
        assert re.search(rf'<time datetime="{day}">[^<]*</time> — {label}', timeline), label
    assert "Explanada municipal" in timeline
    # The initial assessment was not published within two months of the submission.
    initial = timeline[timeline.index("Initial assessment due") :]
    assert initial.index('<span class="badge overdue">late</span>') < initial.index("</li>")


def test_the_opportunities_to_take_part_link_to_their_pages(client, launched_plan):
    desk = launched_plan()
    meeting = follow_up(desk, date(2027, 6, 3), civil_society=False, title="Revisión semestral")
    desk.report(date(2027, 4, 5), Quarter(2027, 1))
    desk.table.proposals_close_at = moment(date(2027, 5, 31))
    page = home(client, SPRING)
    opportunities = section(page, "participate")
    assert f'href="{E}/tables/{desk.table.id}">Propose solutions to the working table' in (
        opportunities
    )
    session_url = f"{E}/tables/{desk.table.id}/sessions/{meeting.id}"
    assert f'href="{session_url}"' in opportunities
    assert "Follow-up meeting on implementation" in opportunities
    assert "Sala de Cabildo" in opportunities
    assert "Comment on the progress report of Q1 2027" in opportunities
    assert f'href="{E}/tracking/reports/' in opportunities
    # Once the meeting took place it is news, no longer an opportunity.
    later = home(client, date(2027, 6, 10))
    assert session_url not in section(later, "participate")
    assert "Propose solutions" not in section(later, "participate")
    assert f'href="{session_url}"><strong>Follow-up meeting held</strong>' in section(later, "news")


def test_the_news_tells_what_each_step_recorded_newest_first(client, launched_plan):
    desk = launched_plan()
    desk.update(date(2027, 2, 10))
    desk.report(date(2027, 4, 5), Quarter(2027, 1))
    with at(date(2027, 4, 20)):
        services.add_evidence(
            desk.exercise,
            desk.implementer,
            kind=EvidenceType.BUDGET_DECISIONS,
            title={"es": "Presupuesto asignado", "en": "Budget allocated"},
            link="https://valle.example/presupuesto",
            commitment=desk.commitment,
        )
        db.session.commit()
    news = section(home(client, SPRING), "news")
    headlines = re.findall(r"<strong>([^<]+)</strong>", news)
    assert headlines[:4] == [
        "Evidence filed",
        "Progress report posted",
        "Action plan launched",
        "Commitment approved by the STL",
    ]
    assert "Budget allocated" in news
    assert "(Q1 2027)" in news
    assert f'href="{E}/news"' in news


def test_the_home_links_the_board_the_repository_the_log_and_the_assessments(client, launched_plan):
    desk = launched_plan(commitments=2)
    desk.update(date(2027, 2, 10), MilestoneStatus.COMPLETE)
    page = home(client, SPRING)
    tracking = section(page, "tracking")
    assert "Launched on January 15, 2027." in tracking
    assert '<progress id="plan-progress" max="4" value="1"' in tracking
    assert "1 of 4 milestones complete (25%)" in tracking
    for url in (f"{E}/tracking", f"{E}/evidence", f"{E}/feedback", f"{E}/assessments"):
        assert f'href="{url}"' in tracking
    assert f'<form method="get" action="{E}/search" role="search"' in page
    # The subnav names them too, once the plan is submitted.
    nav = page[page.index('<nav class="subnav"') : page.index("</nav>", page.index("subnav"))]
    assert ">Tracking</a>" in nav and ">Evidence</a>" in nav and ">Assessments</a>" in nav
    assert "Moderation" not in nav


def test_before_the_plan_is_submitted_the_subnav_has_no_tracking(client, build_plan):
    build_plan()
    page = home(client, SPRING)
    nav = page[page.index('<nav class="subnav"') : page.index("</nav>", page.index("subnav"))]
    assert "Tracking" not in nav and "Assessments" not in nav
    assert "Implementation has not started: the action plan is still being written." in page


def test_the_facilitator_finds_the_moderation_queue(client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.facilitator)
    page = home(client, SPRING)
    assert f'href="{E}/tracking/comments"' in page


def test_the_home_says_when_the_record_last_changed(client, launched_plan):
    desk = launched_plan()
    # Babel puts a narrow no-break space before "PM".
    assert "Last updated: January 15, 2027, 6:00" in home(client, SPRING)
    with at(date(2027, 3, 3), 9):
        services.add_evidence(
            desk.exercise,
            desk.facilitator,
            kind=EvidenceType.MINUTES,
            title={"es": "Minuta"},
            link="https://valle.example/minuta",
        )
    assert "Last updated: March 3, 2027, 9:00" in home(client, SPRING)


# ----- the warnings ------------------------------------------------------------------


def test_the_inactivity_warning_comes_after_two_quiet_quarters(client, launched_plan):
    launched_plan()
    # Until two quarters have ended there is nothing to warn about.
    assert INACTIVE not in home(client, date(2027, 6, 29))
    page = home(client, SUMMER)
    assert INACTIVE in page
    assert (
        "No progress was recorded on any commitment in two consecutive quarters: "
        "Q1 2027 and Q2 2027." in page
    )
    # The launch itself updated the platform in Q1.
    assert "The platform was not updated" not in page


def test_progress_in_either_quarter_lifts_the_warning(client, launched_plan):
    desk = launched_plan()
    desk.update(date(2027, 5, 2))
    assert INACTIVE not in home(client, SUMMER)


def test_a_platform_left_alone_says_both_conditions(client, launched_plan):
    launched_plan()
    page = home(client, date(2027, 10, 15))
    assert "No progress was recorded on any commitment in two consecutive quarters: " in page
    assert "The platform was not updated in two consecutive quarters: Q2 2027 and Q3 2027." in page


def test_the_stl_sees_the_warnings_too(client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.representative)
    page = home(client, SUMMER)
    assert INACTIVE in page and BEHIND in page


def test_the_regularity_warning_counts_meetings_with_civil_society(client, launched_plan):
    desk = launched_plan()
    # Half a year into implementation one meeting is due.
    assert BEHIND not in home(client, date(2027, 7, 14))
    page = home(client, date(2027, 7, 16))
    assert BEHIND in page
    assert (
        "In year 1 of implementation (January 15, 2027 to January 14, 2028), "
        "0 held of the 1 required by now." in page
    )
    # A meeting only the government attended does not count.
    follow_up(desk, date(2027, 3, 1), civil_society=False)
    assert BEHIND in home(client, date(2027, 7, 16))
    follow_up(desk, date(2027, 3, 8))
    assert BEHIND not in home(client, date(2027, 7, 16))


def test_the_regularity_warning_mentions_the_meetings_scheduled(client, launched_plan):
    desk = launched_plan()
    follow_up(desk, date(2027, 9, 1))
    page = home(client, date(2027, 7, 16))
    assert BEHIND in page
    assert "1 more is scheduled." in page
    # Once it is held (civil society attended), the year is on track.
    assert BEHIND not in home(client, date(2027, 9, 2))


def test_a_year_that_ended_short_of_meetings_is_still_warned_about(client, launched_plan):
    desk = launched_plan()
    follow_up(desk, date(2027, 3, 8))
    # One meeting by the middle of the first year: on track.
    assert BEHIND not in home(client, date(2027, 12, 1))
    # The first year ended with that one meeting; the second has asked for none yet.
    for page in (home(client, date(2028, 2, 10)), board(client, date(2028, 2, 10))):
        assert BEHIND in page
        assert (
            "Year 1 of implementation (January 15, 2027 to January 14, 2028) ended with "
            "1 held of the 2 required." in page
        )
        assert "required by now" not in page


def test_the_latest_year_behind_is_the_one_warned_about(client, launched_plan):
    desk = launched_plan()
    desk.exercise.plan_ends_on = date(2029, 6, 30)  # a second year that lasts
    follow_up(desk, date(2027, 3, 8))
    # The first year ended one meeting short; half way through the second, none held:
    # the second is the one to act on.
    page = home(client, date(2028, 7, 20))
    assert BEHIND in page
    assert (
        "In year 2 of implementation (January 15, 2028 to January 14, 2029), "
        "0 held of the 1 required by now." in page
    )
    assert "Year 1 of implementation" not in page


def test_an_assessment_published_on_time_is_not_late(client, launched_plan):
    desk = launched_plan()
    with at(date(2027, 1, 20)):
        services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.INITIAL,
            values={"summary": {"es": "Bien."}, "co_creation": {"es": "Cumple."}},
            ratings={
                c.id: {"relevant_values": ["civic_participation"], "potential_impact": "minor"}
                for c in desk.commitments
            },
            publish=True,
        )
    db.session.commit()
    timeline = section(home(client, SPRING), "timeline")
    initial = timeline[timeline.index("Initial assessment due") :]
    initial = initial[: initial.index("</li>")]
    assert "published on January 20, 2027" in initial
    assert "late" not in initial


def test_an_open_consultation_is_an_opportunity(client, launched_plan):
    desk = launched_plan()
    consultation = desk.exercise.consultation
    consultation.opens_at, consultation.closes_at = moment(SPRING), moment(date(2027, 6, 1))
    opportunities = section(home(client, SPRING), "participate")
    assert f'href="{E}/consultation">The topic consultation is open: propose and vote' in (
        opportunities
    )
    assert "No consultation, call or session is open right now." in section(
        home(client, date(2027, 6, 2)), "participate"
    )
