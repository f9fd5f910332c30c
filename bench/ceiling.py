"""The ceiling: a minimal Flask app that the harness serves under the same gunicorn
settings as coplat, in the same run, so every figure can be read as a share of what
this server and these cores give a page that does nothing.

`GET /` returns a small HTML page. The login and vote routes answer as coplat's do
(a form with a CSRF token, a 303 after login, a page carrying the token for htmx, a
small fragment after a vote) without
checking anything, so `bench/locustfile.py` runs against it unchanged and gives the
ceiling of the voting flow too."""

from flask import Flask, redirect

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>ceiling</title></head>
<body><main><h1>Ceiling</h1><p>A small page from a minimal Flask app.</p></main></body></html>
"""

LOGIN = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>login</title></head>
<body><form method="post"><input type="hidden" name="csrf_token" value="ceiling-token">
<input name="email"><input name="password" type="password"></form></body></html>
"""

TOPICS = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>topics</title></head>
<body hx-headers='{"X-CSRFToken": "ceiling-token"}'><main><h1>Topics</h1></main></body></html>
"""


@app.get("/")
def home():
    return PAGE


@app.get("/account/login")
def login_form():
    return LOGIN


@app.get("/e/<slug>/consultation")
def topics(slug: str):
    return TOPICS


@app.post("/account/login")
def login():
    return redirect("/", code=303)


@app.post("/e/<slug>/consultation/topics/<int:topic_id>/vote")
def vote(slug: str, topic_id: int):
    return f'<p id="vote-{topic_id}">Voted.</p>'
