"""The simulation profile loader: shipped profiles load; a bad file is a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.simulate.profile import ProfileError, load_profile, parse_profile, shipped_profiles

GOOD = """
name = "t"
office = "office.toml"
branch = "b"
open = 08:00:00
close = 12:00:00

[service.A]
per_hour = 10
service_minutes = { mean = 4.0, cv = 0.5 }
"""


def test_the_shipped_profiles_load_and_match_their_offices() -> None:
    assert shipped_profiles() == ["dukcapil", "puskesmas"]
    for name in shipped_profiles():
        loaded = load_profile(name)
        branch = next(b for b in loaded.office.branches if b.code == loaded.profile.branch)
        assert {s.prefix for s in branch.services} >= set(loaded.profile.services)
    puskesmas = load_profile("puskesmas").profile
    assert set(puskesmas.services) == {"P", "U", "G", "F"}
    assert puskesmas.services["P"].next == {"U": 0.72, "G": 0.12}


def test_a_minimal_profile_parses_with_defaults() -> None:
    profile = parse_profile(GOOD, "t.toml")
    assert profile.open_hours == 4
    assert profile.hourly_shape == [1.0]
    assert profile.officers.walk_in_no_show == 0.03


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name = ", "t.toml is not valid TOML"),
        (GOOD + "\nsurprise = 1\n", "surprise: Extra inputs are not permitted"),
        (GOOD.replace("mean = 4.0", "mean = -1"), "service.A.service_minutes.mean"),
        (GOOD.replace("close = 12:00:00", "close = 07:00:00"), "'close' must be after 'open'"),
        (GOOD + "\nnext = { Z = 0.5 }\n", "unknown service Z"),
        (GOOD + "\nnext = { A = 0.7 }\n[service.B]\nservice_minutes = { mean = 1 }\n", None),
        (GOOD.replace("[service.A]", "[service.A]\nnext = { A = 0.8, B = 0.8 }"), "add up"),
    ],
)
def test_bad_profiles_are_refused_with_a_clear_message(text: str, expected: str | None) -> None:
    if expected is None:
        parse_profile(text, "t.toml")
        return
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "t.toml")
    assert expected in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_a_profile_naming_what_its_office_lacks_is_refused(tmp_path: Path) -> None:
    (tmp_path / "office.toml").write_text(
        '[[branch]]\ncode = "b"\nname = "B"\ntimezone = "Asia/Jakarta"\n'
        '[[branch.service]]\nprefix = "B"\nname = "Other"\n'
        '[[branch.counter]]\nnumber = 1\nservices = ["B"]\n'
        '[[branch.user]]\nusername = "petugas1"\n'
    )
    profile = tmp_path / "p.toml"
    profile.write_text(GOOD)
    with pytest.raises(ProfileError, match="has no service A"):
        load_profile(str(profile))
    with pytest.raises(ProfileError, match=r"office file .* does not exist"):
        (tmp_path / "office.toml").unlink()
        load_profile(str(profile))
    with pytest.raises(ProfileError, match="no profile named 'nope'"):
        load_profile("nope")


def test_the_command_says_what_is_wrong_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed\n")
    assert main(["simulate", "--profile", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "is not valid TOML" in err
    assert "Traceback" not in err
