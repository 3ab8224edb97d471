"""Who is acting: the login as the system reports it, mapped to a person of pressroom.toml.

The login is Python's `getpass.getuser()`, or under JupyterHub the `JUPYTERHUB_USER` the hub
gives each user's server. Each `[[people]]` entry lists its `logins`; a specific login wins
over `"*"`, which a single-user site may map to one person. A login that maps to nobody may
read (check, list, show, log, history) and nothing else.

On files, the role guards are the workflow's rules and its audit, not access control: anyone
who can write the site's folder can edit a file, and a login is what the environment says.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from .errors import UsageError, WorkflowError
from .model import Person, Role, Settings

ANY_LOGIN = "*"


def current_login() -> str:
    """The login this process acts for."""
    hub = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub:
        return hub
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name at all (a bare container): the uid
        return f"uid-{os.getuid()}"


def person_for(settings: Settings, login: str) -> Person | None:
    """The person `login` maps to: a specific login first, else the site's `"*"`."""
    for person in settings.people:
        if login in person.logins:
            return person
    for person in settings.people:
        if ANY_LOGIN in person.logins:
            return person
    return None


@dataclass(frozen=True)
class Acting:
    """Who acts: a person, or a Manager acting for another person ("Manager for Person")."""

    login: str
    person: Person | None  # None: a login that maps to nobody, who may only read
    on_behalf_of: Person | None = None

    @property
    def name(self) -> str:
        """As the history and the ledger record it."""
        if self.person is None:
            return f"login {self.login} (nobody on this site)"
        if self.on_behalf_of is not None:
            return f"{self.person.name} for {self.on_behalf_of.name}"
        return self.person.name

    @property
    def id(self) -> str | None:
        """The id of the person whose roles count (the one acted for, if any)."""
        who = self.on_behalf_of or self.person
        return who.id if who else None

    @property
    def roles(self) -> tuple[Role, ...]:
        if self.person is None:
            return ()
        # A Manager acting for someone may do what a Manager may do: the history says who.
        return self.person.roles

    def has(self, role: Role) -> bool:
        return role in self.roles or (role is not Role.MANAGER and Role.MANAGER in self.roles)

    def require_person(self, settings: Settings, what: str) -> Person:
        """The person acting, or a clear refusal for a login that maps to nobody."""
        if self.person is not None:
            return self.person
        raise WorkflowError(
            f"Your login {self.login!r} is not one of this site's people, so you may read "
            f"(check, list, show, log, history) but not {what}. The people are: "
            f"{_people_list(settings)}. A Manager can add your login to one of them in "
            "pressroom.toml (`logins = [...]`).")


def acting(settings: Settings, as_person: str | None = None,
           login: str | None = None) -> Acting:
    """Who acts in this process; with `as_person`, a Manager acting for that person."""
    login = login or current_login()
    person = person_for(settings, login)
    if not as_person:
        return Acting(login, person)
    if person is None or Role.MANAGER not in person.roles:
        who = person.name if person else f"login {login!r}"
        raise WorkflowError(f"--as is for a Manager acting for someone; {who} is not a "
                            "Manager. Act as yourself.")
    for other in settings.people:
        if other.id == as_person:
            return Acting(login, person, other)
    raise UsageError(f"No person {as_person!r} on this site; the people are: "
                     f"{_people_list(settings)}.")


def holders(settings: Settings, role: Role) -> list[Person]:
    return [p for p in settings.people if role in p.roles]


def _people_list(settings: Settings) -> str:
    return ", ".join(f"{p.id} ({p.name}; {', '.join(r.value for r in p.roles)})"
                     for p in settings.people) or "none"
