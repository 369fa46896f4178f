"""What the announcer says about sound devices: once per change, never per call."""

from __future__ import annotations

import logging

import pytest

from counter_app.audio.output_watch import BACK, GONE, OutputWatch


def said(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name.startswith("counter_app")]


def test_no_device_at_start_warns_once_however_often_it_is_checked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="counter_app")
    watch = OutputWatch(False)
    assert [watch.update(False) for _ in range(5)] == [False] * 5
    assert said(caplog) == [(logging.WARNING, GONE)]
    assert not watch.has_output


def test_a_device_coming_back_is_info_once_and_going_again_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="counter_app")
    watch = OutputWatch(False)
    caplog.clear()
    assert [watch.update(True) for _ in range(3)] == [True, False, False]
    assert said(caplog) == [(logging.INFO, BACK)]
    assert watch.has_output
    caplog.clear()
    assert [watch.update(False) for _ in range(3)] == [True, False, False]
    assert said(caplog) == [(logging.WARNING, GONE)]


def test_a_device_at_start_says_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="counter_app")
    watch = OutputWatch(True)
    watch.update(True)
    assert said(caplog) == []
