"""The operator's statistics page (/portaal/beheer/statistieken) and its CSV download.

The figures come from the same use case as `GET /statistics`, already suppressed ("<5", and "x"
for a count hidden so that a small one cannot be worked out from the total); the page
adds charts drawn on the server as inline SVG (bars with labels and patterns, readable without
colour), the numbers as a table, and a form for the period and the grouping. No script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler import Response

from portal import pages
from portal.console.gate import operator_session
from portal.sessions import Session
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.domain.statistics import COUNTER_LABELS, SMALL, SMALLEST_SHOWN, Counter, Grouping, Scope
from verwijsindex.domain.suppression import HIDDEN
from verwijsindex.logic.statistics_schemas import MONTH_PATTERN, StatisticsReport, StatisticsRow, to_csv

PATH = "/portaal/beheer/statistieken"
GROUPINGS = {
    Grouping.MONTH: "maand",
    Grouping.MUNICIPALITY: "gemeente",
    Grouping.ORGANISATION: "organisatie",
    Grouping.AGE_BAND: "leeftijdsgroep",
}
# The charts: a title and one or two series, told apart by pattern (solid, hatched) and legend.
CHARTS: tuple[tuple[str, tuple[Counter, ...]], ...] = (
    ("Signalen geplaatst", (Counter.PLACED,)),
    ("Matches", (Counter.MATCH_CLIENT, Counter.MATCH_FAMILY)),
    ("Matches afgestemd", (Counter.COORDINATED,)),
)
PATTERNS = ("solid", "hatched")
BAR_HEIGHT = 20
ROW_GAP = 10
LABEL_WIDTH = 120
BAR_SPACE = 220
CHART_WIDTH = LABEL_WIDTH + BAR_SPACE + 70


@dataclass(frozen=True)
class Bar:
    series: int  # index into the chart's counters: its pattern
    y: int
    width: int
    shown: str  # the number as the table shows it ("<5" for a small count, "x" for a hidden one)
    small: bool


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: int  # the label's baseline
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    series: tuple[tuple[str, str], ...]  # (label, pattern)
    rows: tuple[ChartRow, ...]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH


def _value(count: int | str) -> int:
    """The length a bar is drawn with: a suppressed count as the bound it lies below; a hidden one
    not at all (its length would show what the "x" hides)."""
    if count == HIDDEN:
        return 0
    return SMALLEST_SHOWN if count == SMALL else int(count)


def chart(key: str, title: str, counters: tuple[Counter, ...], rows: list[StatisticsRow], group_label: Any) -> Chart:
    largest = max([_value(row.counts[c]) for row in rows for c in counters] + [1])
    per_row = len(counters) * BAR_HEIGHT + ROW_GAP
    chart_rows = []
    for n, row in enumerate(rows):
        top = n * per_row + 4
        bars = tuple(
            Bar(
                series=i,
                y=top + i * BAR_HEIGHT,
                width=round(BAR_SPACE * _value(row.counts[c]) / largest),
                shown=str(row.counts[c]),
                small=row.counts[c] == SMALL,
            )
            for i, c in enumerate(counters)
        )
        chart_rows.append(ChartRow(label=group_label(row.group), y=top + BAR_HEIGHT - 4, bars=bars))
    return Chart(
        key=key,
        title=title,
        series=tuple((COUNTER_LABELS[c], PATTERNS[i]) for i, c in enumerate(counters)),
        rows=tuple(chart_rows),
        height=max(len(rows) * per_row + 8, 30),
    )


def group_label(by: Grouping, organisations: dict[str, str]) -> Any:
    def label(key: str) -> str:
        if key == "-":
            return "onbekend" if by is Grouping.MUNICIPALITY else "geen"
        if by is Grouping.ORGANISATION:
            return organisations.get(key, key)
        if by is Grouping.AGE_BAND:
            return f"{key} jaar"
        return key

    return label


def _form_values() -> tuple[str | None, str | None, Grouping, Scope, list[tuple[str, str]]]:
    """The form's fields; a value that is not of its shape is named in the errors."""
    errors: list[tuple[str, str]] = []
    values: dict[str, str | None] = {}
    for name, words in (("from", "Van"), ("to", "Tot en met")):
        value = pages.query(name).strip() or None
        if value is not None and not re.fullmatch(MONTH_PATTERN, value):
            errors.append((name, f"{words}: vul een maand in als jjjj-mm, bijvoorbeeld 2026-01."))
            value = None
        values[name] = value
    try:
        by = Grouping(pages.query("by") or Grouping.MONTH.value)
    except ValueError:
        errors.append(("by", "Groeperen per: kies maand, gemeente, organisatie of leeftijdsgroep."))
        by = Grouping.MONTH
    try:
        scope = Scope(pages.query("scope") or Scope.REGION.value)
    except ValueError:
        errors.append(("scope", "Cijfers van: kies deze regio of heel Nederland."))
        scope = Scope.REGION
    if scope is Scope.NATIONAL and by is not Grouping.MONTH:
        errors.append(("by", "Groeperen per: de cijfers van heel Nederland zijn er alleen per maand."))
        by = Grouping.MONTH
    return values["from"], values["to"], by, scope, errors


def _report(
    session: Session, first: str | None, last: str | None, by: Grouping, scope: Scope = Scope.REGION
) -> StatisticsReport:
    return pages.portal().services.statistics.report(session.principal.caller(), first, last, by, scope)


@pages.app.get(PATH)
def statistics_page() -> Response[str]:
    session = operator_session()  # before the form is even read
    first, last, by, scope, errors = _form_values()
    try:
        report = _report(session, first, last, by, scope)
    except Unprocessable as error:
        words = {"from": "Van: de periode begint na het einde, of is langer dan 60 maanden."}
        errors.append((error.field or "from", words.get(error.field or "from", str(error))))
        report = _report(session, None, None, by, scope)
    registry = pages.portal().services.registry_store
    organisations = (
        {org.org_id: org.name for org in registry.list_organisations()} if by is Grouping.ORGANISATION else {}
    )
    label = group_label(by, organisations)
    charts = [chart(f"grafiek-{n}", title, counters, report.rows, label) for n, (title, counters) in enumerate(CHARTS)]
    return pages.page(
        "statistics.html",
        session,
        current="statistieken",
        report=report,
        charts=charts,
        counters=[(c.value, COUNTER_LABELS[c]) for c in Counter],
        groupings=list(GROUPINGS.items()),
        group_label=label,
        errors=errors,
        csv_url=pages.url(
            "/beheer/statistieken/csv",
            **{"from": report.first_month, "to": report.last_month, "by": report.by.value, "scope": scope.value},
        ),
        scopes=[(Scope.REGION, "deze regio"), (Scope.NATIONAL, "heel Nederland")],
        path=pages.url("/beheer/statistieken"),
    )


@pages.app.get(f"{PATH}/csv")
def statistics_csv() -> Response[str]:
    session = operator_session()
    first, last, by, scope, errors = _form_values()
    if errors:
        raise Unprocessable(errors[0][1], field=errors[0][0])
    report = _report(session, first, last, by, scope)
    name = f"verwijsindex-statistiek-{report.first_month}-{report.last_month}-{report.by.value}.csv"
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=to_csv(report),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
