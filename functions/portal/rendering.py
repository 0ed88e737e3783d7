"""Pages from Jinja2 templates (autoescaped), and the static assets they link to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from verwijsindex.domain import clock
from verwijsindex.domain.clock import dutch_day

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# In the Lambda package the NL Design System files lie in static/vendor (copied at synth time);
# locally they come straight from node_modules, pinned in package-lock.json.
NODE_MODULES = HERE.parents[1] / "node_modules"
VENDOR: dict[str, tuple[str, str]] = {
    "components.css": ("vendor/components.css", "@utrecht/component-library-css/dist/index.css"),
    "theme.css": ("vendor/theme.css", "@utrecht/design-tokens/dist/theme.css"),
}
CSS = "text/css; charset=utf-8"


def dutch_time(value: datetime) -> str:
    """The time of day as people here read it: in Dutch time, 24 hours."""
    from verwijsindex.domain.clock import AMSTERDAM

    return value.astimezone(AMSTERDAM).strftime("%H:%M:%S")


def dutch_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a moment is shown as the day it was in the Netherlands
        value = dutch_day(value) if value.tzinfo else value.date()
    return clock.dutch_date(value)


@dataclass(frozen=True)
class Asset:
    body: bytes
    version: str  # a content hash: the URL changes when the file does, so it may be cached for a year


@dataclass
class Assets:
    theme_file: Path | None = None  # a region's own token file replaces the default theme

    def path_of(self, name: str) -> Path | None:
        if name == "theme.css" and self.theme_file is not None:
            return self.theme_file
        if name in VENDOR:
            bundled, installed = VENDOR[name]
            return STATIC / bundled if (STATIC / bundled).is_file() else NODE_MODULES / installed
        own = STATIC / name
        return own if name.endswith(".css") and "/" not in name and own.is_file() else None

    @cached_property
    def _cache(self) -> dict[str, Asset]:
        return {}

    def get(self, name: str) -> Asset | None:
        if name not in self._cache:
            path = self.path_of(name)
            if path is None or not path.is_file():
                return None
            body = path.read_bytes()
            self._cache[name] = Asset(body=body, version=hashlib.sha256(body).hexdigest()[:16])
        return self._cache[name]


@dataclass
class Renderer:
    base_path: str
    theme_class: str
    region_name: str
    assets: Assets = field(default_factory=Assets)

    @cached_property
    def env(self) -> Environment:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["datum"] = dutch_date
        env.filters["tijd"] = dutch_time
        env.globals.update(base=self.base_path, theme_class=self.theme_class, region_name=self.region_name)
        env.globals["asset"] = self.asset_url
        env.globals["nav_items"] = self.nav_items
        return env

    def nav_items(self, session: Any) -> list[tuple[str, str, str]]:
        """(href, label, key) of the main menu for whoever is signed in."""
        base = self.base_path
        items: list[tuple[str, str, str]] = []
        if session is None:
            items.append((f"{base}/inloggen", "Inloggen", "inloggen"))
        elif session.principal.is_professional:
            items += [
                (f"{base}/signalen", "Signalen", "signalen"),
                (f"{base}/signalen/nieuw", "Nieuw signaal", "nieuw"),
            ]
        elif session.principal.is_operator:
            # The municipality's console (portal/console/); the statistics page is its own.
            console = f"{base}/beheer"
            items += [
                (f"{console}/organisaties", "Organisaties", "organisaties"),
                (f"{console}/rechten", "Rechtenverzoeken", "rechten"),
                (f"{console}/audit", "Audit", "audit"),
                (f"{console}/bezorging", "Bezorging", "bezorging"),
                (f"{console}/statistieken", "Statistieken", "statistieken"),
            ]
        items.append((f"{base}/hulp", "Hulp", "hulp"))
        return items

    def asset_url(self, name: str) -> str:
        asset = self.assets.get(name)
        version = asset.version if asset else "missing"
        return f"{self.base_path}/static/{version}/{name}"

    def render(self, template: str, **context: Any) -> str:
        context.setdefault("current", "")
        return self.env.get_template(template).render(**context)
