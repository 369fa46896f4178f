"""``python -m counter_app`` is the same as ``counter-app``.

The garbage collector is off while the command's modules load and (for the server) while the
app is built; the server switches it back on once started, any other command before it runs
(server/gc_policy.py)."""

from counter_app.server.gc_policy import pause_during_start

pause_during_start()

from counter_app.cli import main  # noqa: E402

raise SystemExit(main())
