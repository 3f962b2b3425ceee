"""Managing users: list, add, disable/enable, change role, reset a password, force a
change at the next sign-in, and a user changing their own password.

Every change needs USERS_MANAGE (but one's own password), is audited in the same
transaction and sends a `users` change notice so an open Users tab refreshes. The shop
never locks itself out: nobody disables or demotes the last active administrator, and
nobody disables or demotes themselves (another administrator must).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import audit, auth, changes, i18n
from app.core.auth import Actor, Permission, Role, require, role_label
from app.core.errors import AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from app.core.i18n import _
from app.core.settings import get_setting
from app.core.validation import clean_text
from app.models import User

USERS_CHANGED = "users"  # the change notice's kind


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    must_change_password: bool
    last_login_at: datetime | None
    language: str = ""  # "" follows the workstation (KESTREL_LANG, the system locale)

    @property
    def role_label(self) -> str:
        return role_label(self.role)


def _row(user: User) -> UserRow:
    return UserRow(
        user.id,
        user.username,
        user.display_name,
        Role(user.role),
        bool(user.active),
        bool(user.must_change_password),
        user.last_login_at,
        user.language or "",
    )


def min_password_length(session: Session) -> int:
    """The shop's minimum (a setting), never below what core/auth always demands."""
    return max(int(get_setting(session, "password_min_length")), auth.MIN_PASSWORD_LENGTH)


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """Every user, active first, by name (a shop has tens, not thousands)."""
    require(actor, Permission.USERS_MANAGE)
    users = session.scalars(select(User).order_by(User.active.desc(), User.username))
    return [_row(u) for u in users]


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: Role | str,
    display_name: str = "",
    must_change_password: bool = False,
) -> UserRow:
    """A new user, the password held to the shop's minimum length."""
    require(actor, Permission.USERS_MANAGE)
    created = auth.create_user(
        session, actor, username, password, role, display_name, min_password_length(session)
    )
    user = _user(session, created.username)
    user.must_change_password = bool(must_change_password)
    _changed(session, actor, "user.add", user, f"role {user.role}")
    return _row(user)


def set_active(session: Session, actor: Actor, username: str, active: bool) -> UserRow:
    """Disable (the user can no longer sign in) or enable a user again."""
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, username)
    if not active:
        _not_yourself(actor, user, "disable")
        _keep_an_admin(session, user, "disable")
    if bool(user.active) == active:
        return _row(user)
    user.active = active
    _changed(session, actor, "user.enable" if active else "user.disable", user)
    return _row(user)


def set_role(session: Session, actor: Actor, username: str, role: Role | str) -> UserRow:
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, username)
    try:
        new = Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValidationError(
            _("'{role}' is not a role ({names}).").format(role=role, names=names), "role"
        ) from None
    if new.value == user.role:
        return _row(user)
    if user.role == Role.ADMIN.value:
        _not_yourself(actor, user, "demote")
        _keep_an_admin(session, user, "demote")
    old = user.role
    user.role = new.value
    _changed(session, actor, "user.role", user, f"{old} -> {new.value}")
    return _row(user)


def set_language(session: Session, actor: Actor, username: str, language: str) -> UserRow:
    """The language the user's screens and commands speak ('de', 'fr_CA'); '' follows the
    workstation. A language Babel does not know is refused; one without a catalogue of
    ours is kept (its screens are English until there is one, said in the log)."""
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, username)
    chosen = i18n.check_language(language)
    if chosen != (user.language or ""):
        old = user.language or "-"
        user.language = chosen
        _changed(session, actor, "user.language", user, f"{old} -> {chosen or '-'}")
    return _row(user)


def reset_password(
    session: Session, actor: Actor, username: str, password: str, must_change: bool = False
) -> UserRow:
    """A manager sets a new password (forgotten); with `must_change` the user picks their
    own at the next sign-in."""
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, username)
    auth.check_password(password, min_password_length(session))
    user.password_hash = auth.hash_password(password)
    user.must_change_password = bool(must_change)
    _changed(session, actor, "user.password_reset", user, "must change" if must_change else "")
    return _row(user)


def require_password_change(
    session: Session, actor: Actor, username: str, required: bool = True
) -> UserRow:
    """Flag (or unflag) a user so the next sign-in asks for a new password first."""
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, username)
    if bool(user.must_change_password) != required:
        user.must_change_password = required
        _changed(session, actor, "user.must_change", user, "on" if required else "off")
    return _row(user)


def change_own_password(session: Session, actor: Actor, current: str, new: str) -> Actor:
    """The signed-in user replaces their password (the current one proves it is them);
    clears the must-change flag. Returns the actor without the flag."""
    if actor.user_id is None:
        raise PermissionDenied(_("Only a signed-in user has a password of their own to change."))
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise PermissionDenied(_("This user may no longer sign in."))
    try:
        auth._hasher.verify(user.password_hash, current if isinstance(current, str) else "")
    except (VerificationError, InvalidHashError):
        raise AuthenticationFailed(_("The current password is wrong.")) from None
    auth.check_password(new, min_password_length(session))
    if new == current:
        raise ValidationError(_("The new password must differ from the current one."), "password")
    user.password_hash = auth.hash_password(new)
    user.must_change_password = False
    _changed(session, actor, "user.password_change", user)
    return auth._actor(user, actor.workstation)


def _user(session: Session, username: str) -> User:
    name = clean_text(username, "User name", max_length=64, required=True).lower()
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        raise NotFound(_("There is no user '{name}'.").format(name=name))
    return user


def _not_yourself(actor: Actor, user: User, what: str) -> None:
    if actor.user_id is not None and actor.user_id == user.id:
        raise ValidationError(
            _("You cannot {what} yourself: ask another administrator.").format(what=what),
            "username",
        )


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    """Refuse when `user` is the only active administrator left."""
    if user.role != Role.ADMIN.value or not user.active:
        return
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise ValidationError(
            _(
                "You cannot {what} '{username}': it is the last active administrator. "
                "Make another user an administrator first."
            ).format(what=what, username=user.username),
            "username",
        )


def _changed(session: Session, actor: Actor, action: str, user: User, detail: str = "") -> None:
    session.flush()
    audit.record(session, actor, action, user.username, detail)
    changes.note(session, kind=USERS_CHANGED)
