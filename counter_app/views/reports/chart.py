"""Arrivals by hour of day as a bar chart (QtCharts): one bar per hour, 00 to 23."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QValueAxis
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QPainter

BAR_COLOUR = QColor("#1565c0")


def arrivals_chart(counts: list[int]) -> QChart:
    """A chart of 24 bars: tickets issued in each local hour of the day."""
    bars = QBarSet(QCoreApplication.translate("ReportChart", "Tickets issued"))
    bars.setColor(BAR_COLOUR)
    bars.setBorderColor(BAR_COLOUR)
    bars.append([float(c) for c in counts])
    series = QBarSeries()
    series.setBarWidth(0.8)
    series.append(bars)
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle(QCoreApplication.translate("ReportChart", "Arrivals by hour of day"))
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    hours = QBarCategoryAxis()
    hours.append([f"{hour:02d}" for hour in range(24)])
    hours.setTitleText(QCoreApplication.translate("ReportChart", "Hour"))
    chart.addAxis(hours, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(hours)
    values = QValueAxis()
    values.setRange(0, max(1, *counts) if counts else 1)
    values.setLabelFormat("%d")
    values.applyNiceNumbers()
    values.setTitleText(QCoreApplication.translate("ReportChart", "Tickets"))
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(values)
    return chart


def bar_values(chart: QChart) -> list[float]:
    """The heights of the chart's bars, in order (for the tests and the printout)."""
    series = chart.series()[0]
    assert isinstance(series, QBarSeries)
    bars = series.barSets()[0]
    return [bars.at(i) for i in range(bars.count())]


RENDER_HINTS = QPainter.RenderHint.Antialiasing
