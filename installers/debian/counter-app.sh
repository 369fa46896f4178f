#!/bin/sh
# counter-app: the command of the Debian package. The program lives in its own Python
# environment under /usr/lib/counter-app.
# The admin commands (init, setup, migrate, server, backup, restore) read the server's settings from
# /etc/counter-app/counter-app.env and, run as root, run as the service's user so that the
# database they create belongs to the service.
set -e
python=/usr/lib/counter-app/venv/bin/python
settings=/etc/counter-app/counter-app.env
case "${1:-}" in
  init|setup|migrate|server|backup|restore)
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
