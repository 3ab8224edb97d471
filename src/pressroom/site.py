"""A site: pressroom.toml, the organisation directory, and the folders around them.

MINIMAL CORE: validation of pressroom.toml and `init` are being completed.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from .errors import ConfigError
from .model import Contact, Document, Organisation, Person, Role, Settings, Statement
from .records import load_record

CONFIG_NAME = "pressroom.toml"


def find_site_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding pressroom.toml, as git finds .git."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(f"No {CONFIG_NAME} in {here} or any folder above it. "
                      "Run `pressroom init DIR` to make a site, or pass -C DIR.")


@dataclass(frozen=True)
class Site:
    root: Path
    settings: Settings
    organisations: dict[str, Organisation]

    @property
    def statements_dir(self) -> Path:
        return self.root / "statements"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def record_path(self, statement_id: str) -> Path:
        return self.statements_dir / f"{statement_id}.md"

    def load(self, statement_id: str) -> Statement:
        return load_record(self.record_path(statement_id))

    def document(self, statement: Statement) -> Document:
        """Resolve a statement against the site into the model every renderer takes."""
        raw = Path(statement.path).read_bytes() if statement.path else b""
        org = self.organisations
        return Document(
            statement=statement,
            settings=self.settings,
            issuer=org[statement.issued_by],
            endorsers=tuple(org[k] for k in statement.endorsers),
            record_sha256=hashlib.sha256(raw).hexdigest(),
            links={
                "html": f"{statement.id}.html",
                "pdf": f"{statement.id}.pdf",
                "docx": f"{statement.id}.docx",
            },
        )


def load_site(root: Path | None = None) -> Site:
    root = find_site_root(root)
    raw = tomllib.loads((root / CONFIG_NAME).read_text(encoding="utf-8"))
    s = raw["site"]
    settings = Settings(
        name=s["name"],
        short_name=s["short_name"],
        organisation=s["organisation"],
        base_url=s["base_url"],
        about=s.get("about"),
        contacts=tuple(Contact(c["label"], c.get("email")) for c in raw.get("contacts", [])),
        people=tuple(
            Person(p["id"], p["name"], tuple(Role(r) for r in p["roles"]), p.get("email"))
            for p in raw.get("people", [])
        ),
        default_language=s.get("default_language", "en"),
        default_place=s.get("default_place"),
    )
    data = YAML(typ="rt").load((root / "statements" / "organisations.yaml").read_text("utf-8"))
    organisations = {
        key: Organisation(key, v["name"], v.get("about"), v.get("url")) for key, v in data.items()
    }
    return Site(root, settings, organisations)
