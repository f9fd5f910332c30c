from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from coplat.accounts import bp
from coplat.accounts.forms import LoginForm, PasswordChangeForm, PreferencesForm, RegisterForm
from coplat.accounts.permissions import AccountAction
from coplat.accounts.services import EmailTaken, authenticate, create_user
from coplat.core.i18n import current_language
from coplat.core.permissions import require
from coplat.core.rendering import back_or, render
from coplat.extensions import db, limiter


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    require(AccountAction.REGISTER)
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
                locale=current_language(),
            )
            db.session.commit()
        except (EmailTaken, IntegrityError):
            db.session.rollback()
            form.email.errors.append(EmailTaken.message)
        else:
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(back_or(url_for("core.home")), code=303)
    status = 422 if form.errors else 200
    return render("accounts/register.html", form=form, status=status)


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(back_or(url_for("core.home")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(back_or(url_for("core.home")), code=303)
        form.password.errors.append(_("The email or the password is not correct."))
    status = 422 if form.errors else 200
    return render("accounts/login.html", form=form, status=status)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("core.home"), code=303)


@bp.route("/", methods=["GET", "POST"])
@login_required
def account():
    require(AccountAction.MANAGE_OWN_ACCOUNT)
    preferences = PreferencesForm(obj=current_user, prefix="prefs")
    password_form = PasswordChangeForm(prefix="pw")
    status = 200
    if request.method == "POST" and "prefs-name" in request.form:
        if preferences.validate_on_submit():
            current_user.name = preferences.name.data.strip()
            current_user.locale = preferences.locale.data
            db.session.commit()
            flash(_("Your preferences were saved."), "success")
            return redirect(url_for("accounts.account"), code=303)
        status = 422
    elif request.method == "POST":
        if password_form.validate_on_submit():
            if current_user.check_password(password_form.current.data):
                current_user.set_password(password_form.password.data)
                db.session.commit()
                flash(_("Your password was changed."), "success")
                return redirect(url_for("accounts.account"), code=303)
            password_form.current.errors.append(_("The current password is not correct."))
        status = 422
    return render(
        "accounts/account.html", preferences=preferences, password_form=password_form, status=status
    )
