"""The office simulator: plays office days against a real server through its public API.

``profile`` reads a study's TOML profile, ``generators`` draws arrivals and service times
(seeded), ``engine`` plays the day event by event while moving the server's simulation clock,
``metrics`` turns what happened into the report, ``local_server`` starts a throw-away server for
a one-command study. See docs/SIMULATOR.md.
"""
