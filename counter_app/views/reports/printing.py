"""The printable report: the window's tables as one HTML document, written to an A4 PDF.

QTextDocument lays the HTML out and breaks it into pages; QPdfWriter makes the file (no
printer needed). The chart comes in as an image rendered from its own off-screen view.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCharts import QChartView
from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QMarginsF,
    QSizeF,
    QTime,
    QUrl,
)
from PySide6.QtGui import (
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from counter_app.schemas.reports import ReportSummary
from counter_app.views.reports.chart import arrivals_chart
from counter_app.views.reports.tables import (
    counters_table,
    ikm_headline,
    ikm_table,
    officers_table,
    period_text,
    services_table,
    table_html,
)

translate = QCoreApplication.translate
CHART_URL = QUrl("chart://arrivals.png")
SCREEN_DPI = 96
CHART_SIZE = (1400, 420)  # pixels of the rendered chart; printed across the page
STYLE = """
body { font-family: sans-serif; font-size: 8pt; }
h1 { font-size: 15pt; margin-bottom: 2px; }
h3 { font-size: 10pt; margin-top: 10px; margin-bottom: 3px; }
th { background-color: #e3e8ef; font-weight: bold; }
p.meta { color: #333333; margin-top: 0; }
"""


def chart_image(counts: list[int]) -> QImage:
    view = QChartView(arrivals_chart(counts))
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.resize(*CHART_SIZE)
    image = view.grab().toImage()
    view.deleteLater()
    return image


def generated_text(moment: datetime, zone: str) -> str:
    """When the report was made, on the office's clock: ``3 Maret 2026, 00.00``."""
    local = moment.astimezone(ZoneInfo(zone))
    qt = QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    )
    return QLocale().toString(qt, "d MMMM yyyy, HH.mm")


def report_html(report: ReportSummary, chart_width: int | None = None) -> str:
    """The whole printout; ``chart_width``: the chart's width in the document's pixels (no
    chart without it)."""
    title = translate("ReportPrint", "Queue report — {office}").format(office=report.branch_name)
    period = translate("ReportPrint", "Period: {period}").format(
        period=period_text(report.first_day, report.last_day)
    )
    generated = translate("ReportPrint", "Made {moment} · times are minutes:seconds").format(
        moment=generated_text(report.generated_at, report.timezone)
    )
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(period)}<br/>{escape(generated)}</p>',
        f"<p><b>{escape(ikm_headline(report.survey))}</b></p>",
        table_html(services_table(report)),
        table_html(counters_table(report)),
        table_html(officers_table(report)),
    ]
    if chart_width:
        heading = translate("ReportPrint", "Arrivals by hour of day")
        parts.append(
            f"<h3>{escape(heading)}</h3>"
            f'<p><img src="{CHART_URL.toString()}" width="{chart_width}"/></p>'
        )
    parts.append(table_html(ikm_table(report)))
    return f"<html><head><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"


def write_pdf(report: ReportSummary, path: Path) -> None:
    """The report on A4 landscape pages (the tables have eleven columns)."""
    writer = QPdfWriter(str(path))
    writer.setTitle(
        translate("ReportPrint", "Queue report — {office}").format(office=report.branch_name)
    )
    writer.setCreator("counter-app")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    # Laid out for the PDF's own resolution and page: points become the right number of
    # device pixels, and print_() breaks pages without rescaling.
    document.documentLayout().setPaintDevice(writer)
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    document.addResource(
        QTextDocument.ResourceType.ImageResource, CHART_URL, chart_image(report.arrivals_by_hour)
    )
    # An image's width is in 1/96 inch, whatever the device.
    page_width = writer.width() * SCREEN_DPI / writer.logicalDpiX()
    document.setHtml(report_html(report, chart_width=int(page_width * 0.98)))
    document.print_(writer)
