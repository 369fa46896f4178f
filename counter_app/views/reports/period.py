"""The quick choices of a report's period, as plain dates (no Qt: tested with any "today")."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

MAX_DAYS = 366  # the server's limit for one report


class QuickPeriod(StrEnum):
    TODAY = "today"
    THIS_WEEK = "this_week"  # Monday to today
    THIS_MONTH = "this_month"  # the 1st to today
    LAST_30_DAYS = "last_30_days"  # today and the 29 days before


def period_for(choice: QuickPeriod, today: date) -> tuple[date, date]:
    """First and last service day of ``choice`` seen from ``today`` (both included)."""
    if choice is QuickPeriod.THIS_WEEK:
        return today - timedelta(days=today.weekday()), today
    if choice is QuickPeriod.THIS_MONTH:
        return today.replace(day=1), today
    if choice is QuickPeriod.LAST_30_DAYS:
        return today - timedelta(days=29), today
    return today, today


def clamp_period(first: date, last: date) -> tuple[date, date]:
    """A period the server accepts: in order, and at most :data:`MAX_DAYS` long (the start
    moves up to the end)."""
    if last < first:
        first, last = last, first
    if (last - first).days + 1 > MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
    return first, last
