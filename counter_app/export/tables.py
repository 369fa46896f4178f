"""A report laid out as plain tables (title, headers, rows), in Indonesian or English.

Both writers (CSV, XLSX) print these tables, so the two files always agree. Times are in
minutes with one decimal (people read minutes; the API gives seconds), shares in percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from counter_app.schemas.reports import FiguresOut, IkmOut, ReportSummary

Cell = str | int | float | None


class Language(StrEnum):
    ID = "id"
    EN = "en"


class TableName(StrEnum):
    SUMMARY = "summary"
    HOURS = "hours"
    SURVEY = "survey"


@dataclass(frozen=True)
class Table:
    name: TableName
    title: str
    headers: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Sheet:
    """A workbook's sheet: a few lines of heading (the first in bold), then its tables. A
    sheet of one table takes the table's title from its heading."""

    name: str
    heading: list[str]
    tables: list[Table]


_WORDS: dict[str, tuple[str, str]] = {
    # key: (Indonesian, English)
    "summary": ("Ringkasan", "Summary"),
    "hours": ("Kedatangan per jam", "Arrivals by hour"),
    "survey": ("Survei Kepuasan Masyarakat", "Satisfaction survey"),
    "group": ("Kelompok", "Group"),
    "number": ("Kode/No.", "Code/No."),
    "name": ("Nama", "Name"),
    "total": ("Total", "Total"),
    "all": ("Semua layanan", "All services"),
    "service": ("Layanan", "Service"),
    "counter": ("Loket", "Counter"),
    "officer": ("Petugas", "Officer"),
    "issued": ("Diambil", "Issued"),
    "transferred_in": ("Pindahan masuk", "Transferred in"),
    "served": ("Dilayani", "Served"),
    "no_show": ("Tidak hadir", "No-show"),
    "cancelled": ("Dibatalkan", "Cancelled"),
    "transferred": ("Dialihkan", "Transferred"),
    "expired": ("Kedaluwarsa", "Expired"),
    "called": ("Dipanggil", "Called"),
    "mean_wait": ("Rata-rata tunggu (menit)", "Mean wait (min)"),
    "p90_wait": ("Tunggu persentil 90 (menit)", "90th percentile wait (min)"),
    "within_target": ("Dipanggil sesuai target", "Called within target"),
    "within_target_pct": ("Sesuai target (%)", "Within target (%)"),
    "mean_service": ("Rata-rata layanan (menit)", "Mean service (min)"),
    "responses": ("Responden SKM", "Survey responses"),
    "ikm": ("IKM", "IKM"),
    "grade": ("Mutu", "Grade"),
    "grade_label": ("Kinerja", "Performance"),
    "hour": ("Jam", "Hour"),
    "element": ("Unsur", "Element"),
    "period": ("Periode", "Period"),
    "branch": ("Kantor", "Branch"),
    "branches": ("kantor", "branches"),
    "all_branches": ("Semua kantor", "All branches"),
    "across_branches": ("Laporan antar kantor", "Report across branches"),
    "region": ("Wilayah", "Region"),
    "generated": ("Dibuat", "Generated"),
    "no_profile": (
        "Belum ada data pengaturan dari kantor ini (kantor belum tersambung dengan versi ini).",
        "No set-up from this branch yet (it does not run this version yet).",
    ),
}


def word(key: str, language: Language) -> str:
    indonesian, english = _WORDS[key]
    return indonesian if language is Language.ID else english


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _figure_cells(f: FiguresOut) -> list[Cell]:
    return [
        f.issued,
        f.transferred_in,
        f.served,
        f.no_show,
        f.cancelled,
        f.transferred,
        f.expired,
        f.called,
        _minutes(f.mean_wait_seconds),
        _minutes(f.p90_wait_seconds),
        f.within_target,
        _percent(f.within_target_share),
        _minutes(f.mean_service_seconds),
    ]


def _survey_cells(survey: IkmOut | None) -> list[Cell]:
    if survey is None:
        return [None, None, None]
    return [survey.responses, survey.index, survey.grade]


def _row(*parts: Sequence[Cell]) -> list[Cell]:
    return [cell for part in parts for cell in part]


SUMMARY_KEYS = (
    *("group", "number", "name", "issued", "transferred_in", "served", "no_show"),
    *("cancelled", "transferred", "expired", "called", "mean_wait", "p90_wait"),
    *("within_target", "within_target_pct", "mean_service", "responses", "ikm", "grade"),
)


def summary_cells(figures: FiguresOut, survey: IkmOut | None) -> list[Cell]:
    """A summary row's figures and survey cells (after group, number and name)."""
    return _row(_figure_cells(figures), _survey_cells(survey))


def summary_table(report: ReportSummary, language: Language) -> Table:
    keys = SUMMARY_KEYS
    no_survey: list[Cell] = [None, None, None]
    rows = [
        _row(
            [word("total", language), None, report.branch_name],
            _figure_cells(report.total),
            _survey_cells(report.survey),
        )
    ]
    for s in report.services:
        rows.append(
            _row(
                [word("service", language), s.prefix, s.name],
                _figure_cells(s),
                _survey_cells(s.survey),
            )
        )
    for c in report.counters:
        rows.append(
            _row([word("counter", language), c.number, c.name], _figure_cells(c), no_survey)
        )
    for o in report.officers:
        rows.append(_row([word("officer", language), None, o.name], _figure_cells(o), no_survey))
    return Table(
        TableName.SUMMARY, word("summary", language), [word(k, language) for k in keys], rows
    )


def hours_columns(
    names: Sequence[str], series: Sequence[Sequence[int]], total: Sequence[int], language: Language
) -> Table:
    """Arrivals by hour, a column per named series (services, branches), then the total."""
    headers = [word("hour", language), *names, word("total", language)]
    rows = [
        _row([f"{hour:02d}:00"], [counts[hour] for counts in series], [total[hour]])
        for hour in range(24)
    ]
    return Table(TableName.HOURS, word("hours", language), headers, rows)


def hours_table(report: ReportSummary, language: Language) -> Table:
    services = report.services
    return hours_columns(
        [s.prefix for s in services],
        [s.arrivals_by_hour for s in services],
        report.arrivals_by_hour,
        language,
    )


def survey_columns(
    first: str, names: Sequence[str], surveys: Sequence[IkmOut], language: Language
) -> Table:
    """The IKM element by element: a column for ``surveys[0]`` (headed ``first``), then one
    per named survey (services, branches); responses, index and grade below."""
    headers = [word("element", language), word("name", language), first, *names]
    rows = [
        _row([element.code, element.name], [survey.elements[index].mean for survey in surveys])
        for index, element in enumerate(surveys[0].elements)
    ]
    rows.append(_row([None, word("responses", language)], [s.responses for s in surveys]))
    rows.append(_row([None, word("ikm", language)], [s.index for s in surveys]))
    rows.append(_row([None, word("grade", language)], [s.grade for s in surveys]))
    rows.append(_row([None, word("grade_label", language)], [s.grade_label for s in surveys]))
    return Table(TableName.SURVEY, word("survey", language), headers, rows)


def survey_table(report: ReportSummary, language: Language) -> Table:
    surveys = [report.survey, *(s.survey for s in report.services)]
    names = [s.prefix for s in report.services]
    return survey_columns(word("all", language), names, surveys, language)


def report_tables(report: ReportSummary, language: Language = Language.ID) -> list[Table]:
    return [
        summary_table(report, language),
        hours_table(report, language),
        survey_table(report, language),
    ]


def period_text(report: ReportSummary, language: Language) -> str:
    first, last = report.first_day.isoformat(), report.last_day.isoformat()
    span = first if first == last else f"{first} – {last}"
    return f"{report.branch_name} · {word('period', language)} {span} ({report.timezone})"
