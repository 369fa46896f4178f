#!/bin/sh
# counter-app: the command of the Debian package. The program lives in its own Python
# environment under /usr/lib/counter-app.
# The commands that work on the office's database (init, setup, migrate, server, backup,
# restore, device, user, privacy, training, bookings: every one with --db but demo and hub)
# read the server's settings from /etc/counter-app/counter-app.env and, run as root, run as
# the service's user so that the database and the files they write belong to the service.
# tests/unit/test_packaging.py keeps this list whole.
set -e
python=/usr/lib/counter-app/venv/bin/python
settings=/etc/counter-app/counter-app.env
case "${1:-}" in
  init|setup|migrate|server|backup|restore|device|user|privacy|training|bookings)
    if [ -r "$settings" ]; then
      set -a
      . "$settings"
      set +a
    fi
    if [ "$(id -u)" = 0 ] && getent passwd counter-app >/dev/null; then
      cd /var/lib/counter-app
      exec runuser -u counter-app -- "$python" -m counter_app "$@"
    fi
    ;;
esac
exec "$python" -m counter_app "$@"
