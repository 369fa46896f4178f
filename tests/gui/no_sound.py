"""What QtMultimedia says on a machine without a sound server (the tests' own machine).

Expected there, so a test of the announcer ignores exactly these Qt warnings, no others.
"""

from __future__ import annotations

NO_SOUND_SERVER = (
    r"^PulseAudioService: pa_context_connect\(\) failed$",
    r"^QSoundEffect: playback of this format is not supported on the selected audio device$",
)
