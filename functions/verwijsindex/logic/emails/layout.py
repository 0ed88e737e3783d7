"""The one e-mail renderer: a message is a list of blocks, rendered to plain text and to HTML.

Both parts come from the same blocks, so they cannot say different things; every value is escaped
in the HTML part (a name is shown, never interpreted), and nothing is loaded from outside the
message. No template engine: the functions that send e-mail stay light at cold start.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from verwijsindex.domain.matches import PartyCard
from verwijsindex.ports.mail import EmailMessage

FOOTER = (
    "De Verwijsindex bevat geen inhoudelijke informatie: dit bericht zegt niets over de reden van "
    "betrokkenheid. Zet in een antwoord geen gegevens over uw cliënt. Dit is een automatisch bericht "
    "van de Verwijsindex."
)


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Fields:
    """Labelled values, such as a professional's contact details."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Steps:
    heading: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


Block = Paragraph | Fields | Steps | Link


def contact(card: PartyCard) -> Fields:
    """A professional's contact details; the region only for one of another region."""
    rows = [("Naam", card.name), ("Organisatie", card.organisation)]
    if card.region:
        rows.append(("Regio", card.region))
    return Fields((*rows, ("E-mail", card.email), ("Telefoon", card.phone)))


def plain_text(blocks: Sequence[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Fields):
            width = max(len(label) for label, _ in block.rows) + 1
            parts.append("\n".join(f"  {label + ':':<{width}} {value}" for label, value in block.rows))
        elif isinstance(block, Steps):
            steps = "\n".join(f"{number}. {step}" for number, step in enumerate(block.steps, start=1))
            parts.append(f"{block.heading}\n{steps}")
        else:
            parts.append(f"{block.label}: {block.url}")
    parts.append(FOOTER)
    return "\n\n".join(parts) + "\n"


def html_page(subject: str, blocks: Sequence[Block]) -> str:
    e = html.escape
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(f"<p>{e(block.text)}</p>")
        elif isinstance(block, Fields):
            rows = "".join(
                f'<tr><th align="left">{e(label)}</th><td>{e(value)}</td></tr>' for label, value in block.rows
            )
            parts.append(f"<table>{rows}</table>")
        elif isinstance(block, Steps):
            items = "".join(f"<li>{e(step)}</li>" for step in block.steps)
            parts.append(f"<h2>{e(block.heading)}</h2><ol>{items}</ol>")
        else:
            parts.append(f'<p>{e(block.label)}: <a href="{e(block.url)}">{e(block.url)}</a></p>')
    parts.append(f"<p><small>{e(FOOTER)}</small></p>")
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{e(subject)}</title></head>\n'
        f"<body>\n{body}\n</body></html>\n"
    )


def compose(*, to: str, subject: str, blocks: Sequence[Block], tags: Mapping[str, str]) -> EmailMessage:
    return EmailMessage(
        to=to, subject=subject, text=plain_text(blocks), html=html_page(subject, blocks), tags=dict(tags)
    )
