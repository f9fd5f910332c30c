"""The `post_button` macro (templates/_macros/forms.html): a one-button POST form. A
confirmation is never dropped: the button opens a disclosure with the question and the
real button, which htmx posts when the caller names a target."""

import re

import pytest
from flask import render_template_string


def button(**options) -> str:
    return render_template_string(
        '{% from "_macros/forms.html" import post_button %}'
        "{{ post_button('/e/valle/things/1/delete', 'Delete', **options) }}",
        options=options,
    )


@pytest.fixture
def page(app):
    with app.test_request_context("/e/valle"):
        yield button


def forms(html: str) -> list[str]:
    return re.findall(r"<form [^>]*>", html)


def test_a_plain_button_posts_at_once(page):
    html = page()
    assert "<details" not in html
    [form] = forms(html)
    assert 'method="post" action="/e/valle/things/1/delete"' in form
    assert "hx-post" not in form
    assert 'name="csrf_token"' in html


@pytest.mark.parametrize("target", [None, "#things"])
def test_a_confirmation_holds_the_real_button_behind_the_question(page, target):
    html = page(confirm="Delete it for good?", target=target, **{"class": "button-danger"})
    details = re.fullmatch(r"\s*<details class=\"confirm\">(.*)</details>\s*", html, re.S)
    assert details, html
    inside = details.group(1)
    summary = re.search(r"<summary[^>]*>.*?</summary>", inside, re.S)
    assert summary.group(0) == '<summary class="button button-danger">Delete</summary>'
    after_summary = inside[summary.end() :]
    assert "<p>Delete it for good?</p>" in after_summary
    [form] = forms(after_summary)
    assert 'action="/e/valle/things/1/delete"' in form
    assert "hx-confirm" not in html  # the disclosure asks, with or without JavaScript
    if target:
        assert 'hx-post="/e/valle/things/1/delete" hx-target="#things"' in form
    else:
        assert "hx-post" not in form


def test_the_real_button_may_say_the_answer(page):
    html = page(confirm="Delete it for good?", answer="Yes, delete it")
    assert "<summary" in html and ">Yes, delete it</button>" in html
