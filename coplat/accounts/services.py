"""Account rules, free of the request."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from coplat.accounts.models import User
from coplat.core.models import utcnow
from coplat.extensions import db


class EmailTaken(ValueError):
    message = _l("An account with this email already exists. Log in instead.")


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == User.normalise_email(email)))


def create_user(
    *, name: str, email: str, password: str, locale: str | None = None, is_admin: bool = False
) -> User:
    if find_by_email(email):
        raise EmailTaken()
    user = User(
        name=name.strip(),
        email=User.normalise_email(email),
        locale=locale,
        is_admin=is_admin,
        privacy_accepted_at=utcnow(),
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user and user.check_password(password):
        return user
    return None
