"""The topic consultation as a citizen uses it on a phone: from the exercise home to
proposing a topic, which the facilitator publishes, and voting for it in place with
htmx; voting without JavaScript; and the vote budget's refusal, shown in place.

It runs on the `open_consultation` exercise (the demo's consultation is closed)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD
from .test_phone import WIDTH, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

ENGLISH = "en-US"


def path_of(url: str) -> str:
    return urlsplit(url).path


def vote_box(page, topic_id: int):
    return page.locator(f"#vote-{topic_id}")


def vote_count(page, topic_id: int) -> int:
    return int(vote_box(page, topic_id).locator(".vote-count strong").inner_text())


def vote_button(page, topic_id: int):
    return vote_box(page, topic_id).locator("form button[type=submit]")


def button_name(label: str, title: str) -> re.Pattern:
    """A vote button's accessible name: its label, then the topic's title (visually
    hidden; Chromium puts a space before its colon, as the span is positioned)."""
    return re.compile(rf"^{re.escape(label)}\s*: {re.escape(title)}$")


def mark_page(page) -> None:
    """A marker that only survives if the page is not loaded again."""
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1; }")


def still_marked(page) -> bool:
    return page.evaluate("() => window.__marker") == 1


def click_htmx(page, button, url_end: str, status: int = 200):
    """Click a button whose form htmx posts; check it went as an htmx request."""
    with page.expect_response(lambda r: r.url.endswith(url_end)) as answer:
        button.click()
    assert answer.value.status == status
    assert answer.value.request.headers.get("hx-request") == "true"
    return answer.value


def cast_votes(live_app, email: str, topic_ids: list[int]) -> None:
    """Spend some of a citizen's votes through the service, as earlier visits would."""
    from coplat.accounts.services import find_by_email
    from coplat.consultation import services
    from coplat.consultation.models import Topic
    from coplat.extensions import db

    with live_app.app_context():
        user = find_by_email(email)
        for topic_id in topic_ids:
            services.cast_vote(db.session.get(Topic, topic_id), user)
        db.session.commit()
        db.session.remove()


def test_citizen_on_a_phone_proposes_and_votes_in_place(
    new_context, sign_in, translate, open_consultation
):
    consultation = open_consultation
    phone = new_context(locale=ENGLISH, viewport={"width": WIDTH, "height": 740}).new_page()

    # From the exercise home, the consultation's button, then log in from its page.
    phone.goto(f"/e/{consultation.slug}")
    teaser = phone.locator("main section.teaser")
    expect(teaser.locator("h2")).to_contain_text(translate("en", "Open"))
    with phone.expect_navigation():
        teaser.get_by_role("link", name=translate("en", "Propose and vote")).click()
    assert path_of(phone.url) == consultation.path
    with phone.expect_navigation():
        phone.locator("main p.alert a[href^='/account/login']").click()
    phone.locator("#email").fill(consultation.accounts["phone"])
    phone.locator("#password").fill(PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form.stacked button[type=submit]").click()
    assert path_of(phone.url) == consultation.path, "logging in leads back to it"

    # Propose a topic: it awaits moderation, seen only by its author (and staff).
    title = "Safe crossings outside the schools"
    propose = phone.locator("#propose")
    propose.locator("summary").click()
    propose.locator("#topic-title").fill(title)
    propose.locator("#topic-description").fill("Children cross a busy road twice a day.")
    propose.locator("#topic-category").select_option(str(consultation.categories["transport"]))
    with phone.expect_navigation():
        propose.locator("button[type=submit]").click()
    match = re.search(r"/topics/(\d+)$", phone.url)
    assert match, phone.url
    topic_id = int(match.group(1))
    awaiting = translate("en", "Awaiting moderation")
    expect(phone.locator("h1")).to_have_text(title)
    expect(phone.locator("main .badge").first).to_have_text(awaiting)
    expect(phone.locator("main p.alert-info")).to_contain_text(
        translate(
            "en",
            "This topic awaits moderation: only you and the facilitator can see it for now.",
        )
    )
    assert vote_box(phone, topic_id).count() == 0, "no voting on a topic awaiting moderation"
    phone.goto(consultation.path)
    mine = phone.locator("main section[aria-labelledby=mine-title] li", has_text=title)
    expect(mine.locator(".badge")).to_have_text(awaiting)
    assert vote_box(phone, topic_id).count() == 0, "not listed among the published topics"

    # The facilitator publishes it from the moderation page, in place.
    staff = new_context(locale=ENGLISH).new_page()
    sign_in(staff, consultation.accounts["facilitator"], PASSWORD)
    staff.goto(f"{consultation.path}/moderation")
    card = staff.locator(f"#moderate-{topic_id}")
    expect(card.locator("h3")).to_contain_text(title)
    mark_page(staff)
    publish = card.locator("form[action$='/publish'] button[type=submit]")
    expect(publish).to_have_text(translate("en", "Publish"))
    click_htmx(staff, publish, f"/topics/{topic_id}/publish")
    expect(card.locator("form[action$='/publish']")).to_have_count(0)
    expect(card).to_be_visible()
    assert still_marked(staff)

    # The citizen votes for it: the count and the button change in place.
    phone.goto(consultation.path)
    expect(mine.locator(".badge")).to_have_text(translate("en", "Published"))
    box = vote_box(phone, topic_id)
    assert vote_count(phone, topic_id) == 0
    expect(vote_button(phone, topic_id)).to_have_accessible_name(
        button_name(translate("en", "Vote"), title)
    )
    mark_page(phone)
    click_htmx(phone, vote_button(phone, topic_id), f"/topics/{topic_id}/vote")
    withdraw = translate("en", "Withdraw my vote")
    expect(vote_button(phone, topic_id)).to_have_accessible_name(button_name(withdraw, title))
    expect(box.locator(".vote-count strong")).to_have_text("1")
    expect(phone.locator("#votes-left")).to_have_text(
        translate("en", "You have %(num)s votes left.", num=2)
    )
    assert still_marked(phone), "the vote loaded the page again"

    # It persisted.
    phone.reload()
    assert vote_count(phone, topic_id) == 1
    expect(vote_button(phone, topic_id)).to_have_accessible_name(button_name(withdraw, title))

    # And is withdrawn in place too.
    mark_page(phone)
    click_htmx(phone, vote_button(phone, topic_id), f"/topics/{topic_id}/withdraw")
    expect(vote_button(phone, topic_id)).to_have_accessible_name(
        button_name(translate("en", "Vote"), title)
    )
    expect(box.locator(".vote-count strong")).to_have_text("0")
    assert still_marked(phone)
    phone.reload()
    assert vote_count(phone, topic_id) == 0

    # Nothing scrolls sideways at a phone's width.
    for path in [consultation.path, f"{consultation.path}/topics/{topic_id}"]:
        assert_no_horizontal_scroll(phone, path, open_details=True)
    assert_no_horizontal_scroll(phone, f"{consultation.path}/results")


def demo_has_consultation(live_app) -> bool:
    from coplat.exercises.services import get_exercise
    from coplat.extensions import db

    with live_app.app_context():
        found = get_exercise("demo").consultation is not None
        db.session.remove()
    return found


def test_consultation_fits_a_phone_logged_out(new_context, live_app, open_consultation):
    phone = new_context(locale=ENGLISH, viewport={"width": WIDTH, "height": 740}).new_page()
    paths = [
        open_consultation.path,
        open_consultation.topic_path("water"),
        f"{open_consultation.path}/results",
    ]
    if demo_has_consultation(live_app):
        paths += ["/e/demo/consultation", "/e/demo/consultation/results"]
    for path in paths:
        assert_no_horizontal_scroll(phone, path)


def test_staff_pages_fit_a_phone(new_context, sign_in, open_consultation):
    phone = new_context(locale=ENGLISH, viewport={"width": WIDTH, "height": 740}).new_page()
    sign_in(phone, open_consultation.accounts["facilitator"], PASSWORD)
    base = open_consultation.path
    for path in [
        f"{base}/moderation",
        f"{base}/settings",
        f"{base}/offline",
        f"{base}/offline/{open_consultation.offline_input}",
        f"{base}/topics/{open_consultation.pending}/edit",
    ]:
        assert_no_horizontal_scroll(phone, path, open_details=True)


def test_vote_without_javascript(new_context, sign_in, translate, open_consultation):
    consultation = open_consultation
    page = new_context(locale=ENGLISH, java_script_enabled=False).new_page()
    sign_in(page, consultation.accounts["nojs"], PASSWORD)
    topic_id = consultation.topics["buses"]
    title = consultation.titles["buses"]
    page.goto(consultation.path)
    before = vote_count(page, topic_id)
    expect(vote_button(page, topic_id)).to_have_accessible_name(
        button_name(translate("en", "Vote"), title)
    )

    with page.expect_navigation():
        vote_button(page, topic_id).click()
    assert page.url.endswith(f"#vote-{topic_id}"), page.url
    assert path_of(page.url) == consultation.path, "back where the vote was cast"
    assert vote_count(page, topic_id) == before + 1
    expect(vote_button(page, topic_id)).to_have_accessible_name(
        button_name(translate("en", "Withdraw my vote"), title)
    )

    # The topic's own page takes the vote back the same way.
    page.goto(consultation.topic_path("buses"))
    assert vote_count(page, topic_id) == before + 1
    with page.expect_navigation():
        vote_button(page, topic_id).click()
    assert path_of(page.url) == consultation.topic_path("buses")
    assert vote_count(page, topic_id) == before
    expect(vote_button(page, topic_id)).to_have_accessible_name(
        button_name(translate("en", "Vote"), title)
    )


def test_vote_over_budget_is_refused_in_place(
    new_context, sign_in, translate, live_app, open_consultation
):
    consultation = open_consultation
    email = consultation.accounts["budget"]
    spent = [consultation.topics[key] for key in ("lighting", "water", "buses")]
    assert len(spent) == consultation.vote_budget
    cast_votes(live_app, email, spent)

    page = new_context(locale=ENGLISH).new_page()
    sign_in(page, email, PASSWORD)
    page.goto(consultation.path)
    topic_id = consultation.topics["parks"]
    box = vote_box(page, topic_id)
    before = vote_count(page, topic_id)
    expect(page.locator("#votes-left")).to_have_text(
        translate("en", "You have %(num)s votes left.", num=0)
    )

    mark_page(page)
    click_htmx(page, vote_button(page, topic_id), f"/topics/{topic_id}/vote", status=409)
    refusal = translate(
        "en",
        "You have used all your %(num)s votes. Withdraw one to vote for this topic.",
        num=consultation.vote_budget,
    )
    expect(box.get_by_role("alert")).to_have_text(refusal)
    assert vote_count(page, topic_id) == before
    expect(vote_button(page, topic_id)).to_have_accessible_name(
        button_name(translate("en", "Vote"), consultation.titles["parks"])
    )
    assert still_marked(page), "the refusal loaded the page again"

    # Withdrawing one vote frees it for this topic, still in place.
    withdrawn = spent[0]
    click_htmx(page, vote_button(page, withdrawn), f"/topics/{withdrawn}/withdraw")
    expect(page.locator("#votes-left")).to_have_text(
        translate("en", "You have %(num)s vote left.", num=1)
    )
    click_htmx(page, vote_button(page, topic_id), f"/topics/{topic_id}/vote")
    expect(box.locator(".vote-count strong")).to_have_text(str(before + 1))
    expect(box.get_by_role("alert")).to_have_count(0)
    assert still_marked(page)


def test_vote_while_logged_out_leads_to_login(new_context, translate, open_consultation):
    page = new_context(locale=ENGLISH).new_page()
    page.goto(open_consultation.path)
    page.wait_for_function("() => window.htmx !== undefined")
    topic_id = open_consultation.topics["parks"]
    # A visitor who is not logged in is offered a log-in link instead of the button.
    vote_box(page, topic_id).locator("a").first.click()
    page.wait_for_url("**/account/login?**", timeout=3_000)
    expect(page.locator("h1")).to_have_text(translate("en", "Log in"))
