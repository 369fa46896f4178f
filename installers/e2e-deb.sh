#!/usr/bin/env bash
# The Debian package, end to end, as a technician installs it on an office's server PC with
# no internet (docs/INSTALL.md, "A 4-counter office from a USB stick"):
#
#   1. build dist/counter-app_<version>_<arch>.deb from a clean clone of the committed HEAD
#      (or take one: --deb FILE);
#   2. make the "USB stick": the .deb, every Debian package it needs that a minimal Debian 12
#      lacks (downloaded with apt on a throw-away Debian 12 made by mmdebstrap, the only step
#      with network), and the office file installers/office-4-counters.toml;
#   3. boot a fresh Debian 12 (minimal, plus systemd) in systemd-nspawn with its own network
#      namespace (loopback only: no internet, no LAN), and in it, as root, as the technician:
#      apt install from the stick, counter-app init, counter-app setup, systemctl enable --now
#      counter-app-server (the packaged unit, hardening and all), counter-app device pair;
#      then the TV finds the server by mDNS and redeems the code through the same client
#      calls as its first-start dialog, and asks the server who it is with its new token; a
#      desktop user `tv` runs counter-app station install --role display and the TV's window
#      (offscreen, 20 s) with that token; counter-app backup, checked with sha256sum -c and
#      by opening the copy; no ERROR in the service's journal, and the LAN announcement made;
#   4. power the container off and delete everything it made (a trap, on any exit).
#
# Needs root, mmdebstrap and systemd-container (apt-get install mmdebstrap systemd-container),
# and a Debian mirror for step 2. Every step has a time limit; the run prints each step's
# seconds and ends with "e2e-deb: PASS" (exit 0) or "e2e-deb: FAIL …" (exit 1).
#
#   installers/e2e-deb.sh [--deb FILE] [--cache DIR] [--keep-stick DIR]
#     --deb FILE        test this package instead of building one
#     --cache DIR       keep the minimal Debian and the stick's packages in DIR and reuse them
#                       while the package's dependencies are unchanged (a second run is faster)
#     --keep-stick DIR  copy the stick's files (the .deb, debs/, the office file) to DIR
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

deb=""
cache=""
keep_stick=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --deb) deb=$(realpath "$2"); shift 2 ;;
    --cache) cache=$(realpath -m "$2"); shift 2 ;;
    --keep-stick) keep_stick=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: installers/e2e-deb.sh [--deb FILE] [--cache DIR] [--keep-stick DIR]" >&2; exit 2 ;;
  esac
done

for tool in mmdebstrap systemd-nspawn nsenter dpkg-deb; do
  if ! command -v "$tool" >/dev/null; then
    echo "e2e-deb: needs $tool (apt-get install mmdebstrap systemd-container)" >&2
    exit 2
  fi
done
if [[ $(id -u) != 0 ]]; then
  echo "e2e-deb: needs root (it boots a container)" >&2
  exit 2
fi

started=$(date +%s)
step_started=$started
work=$(mktemp -d /tmp/counter-app-e2e.XXXXXX)
root=$work/root
machine=counter-app-e2e-$$
nspawn_pid=""
leader=""

say() { echo "e2e-deb: $*"; }
fail() {
  say "FAIL: $*"
  if [[ -n "$leader" ]]; then
    say "the service's last journal lines:"
    inside journalctl --no-pager -n 40 -u counter-app-server.service 2>&1 | sed 's/^/    /' || true
  fi
  exit 1
}
step() {
  local now
  now=$(date +%s)
  say "--- $* (at $((now - started)) s)"
  step_started=$now
}
took() { say "    took $(($(date +%s) - step_started)) s"; }

cleanup() {
  local rc=$?
  set +e
  if [[ -n "$leader" ]] && kill -0 "$leader" 2>/dev/null; then
    kill -s SIGRTMIN+4 "$leader" 2>/dev/null   # systemd: power off
  fi
  if [[ -n "$nspawn_pid" ]]; then
    for _ in $(seq 1 60); do
      kill -0 "$nspawn_pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$nspawn_pid" 2>/dev/null; then
      kill -s KILL "$nspawn_pid" 2>/dev/null
      wait "$nspawn_pid" 2>/dev/null
    fi
  fi
  rm -rf "$work"
  say "cleaned up (container powered off, $work deleted)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run a command in the booted container as root, like a root shell there; $limit seconds.
limit=60
inside() {
  timeout --kill-after=5 "$limit" nsenter --target "$leader" --mount --uts --ipc --net --pid \
    --cgroup --root -- /usr/bin/env -i -C /root HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# Run it inside, print its output indented; on failure say what failed.
check() {
  local what=$1
  shift
  if ! inside "$@" >"$work/out.log" 2>&1; then
    sed 's/^/    /' "$work/out.log"
    fail "$what"
  fi
  sed 's/^/    /' "$work/out.log"
}

# --- 1. the package ---
if [[ -z "$deb" ]]; then
  step "1. build the .deb from a clean clone of HEAD ($(git rev-parse --short HEAD))"
  git clone -q --no-hardlinks "$repo" "$work/src"
  (cd "$work/src" && timeout 1200 installers/build.sh deb) 2>&1 | sed 's/^/    /'
  deb=$(ls "$work"/src/dist/counter-app_*.deb)
  took
else
  step "1. the package: $deb"
fi
[[ -f "$deb" ]] || fail "no package at $deb"
say "    $(basename "$deb"): $(du -h "$deb" | cut -f1), $(dpkg-deb -f "$deb" Version)"
depends=$(dpkg-deb -f "$deb" Depends)

# --- 2. the USB stick ---
step "2. the stick: the .deb and the Debian packages it needs (network: the Debian mirror)"
stick=$work/stick
mkdir -p "$stick/debs"
key=$(printf '%s\n' "$depends" | sha256sum | cut -c1-16)
if [[ -n "$cache" && -f "$cache/base-$key.tar" && -d "$cache/debs-$key" ]]; then
  say "    reusing $cache/base-$key.tar and debs-$key (the same dependencies)"
  base=$cache/base-$key.tar
  cp "$cache/debs-$key"/*.deb "$stick/debs/"
else
  base=$work/base.tar
  cp "$deb" "$work/want.deb"
  # A minimal Debian 12 with systemd (what a server PC has at least); in a hook, apt
  # downloads what the .deb needs that this system lacks: those files go on the stick.
  timeout 900 mmdebstrap --quiet --variant=minbase --include=systemd,systemd-sysv,dbus \
    --customize-hook="copy-in $work/want.deb /tmp" \
    --customize-hook='chroot "$1" apt-get install --download-only -y -q /tmp/want.deb >/dev/null' \
    --customize-hook="sync-out /var/cache/apt/archives $stick/debs" \
    --customize-hook='rm -f "$1"/tmp/want.deb' \
    bookworm "$base" 2>&1 | sed 's/^/    /'
  rm -f "$work/want.deb" "$stick/debs/lock"
  rm -rf "$stick/debs/partial"
  if [[ -n "$cache" ]]; then
    mkdir -p "$cache/debs-$key"
    cp "$base" "$cache/base-$key.tar"
    cp "$stick/debs"/*.deb "$cache/debs-$key/"
  fi
fi
cp "$deb" "$stick/"
cp installers/office-4-counters.toml "$stick/"
say "    stick: $(basename "$deb"), $(ls "$stick/debs" | wc -l) packages in debs/ ($(du -sh "$stick/debs" | cut -f1)), office-4-counters.toml"
if [[ -n "$keep_stick" ]]; then
  mkdir -p "$keep_stick"
  cp -r "$stick"/. "$keep_stick/"
  say "    kept a copy in $keep_stick"
fi
took

# --- 3. boot a fresh Debian 12 with no network ---
step "3. boot a fresh Debian 12 in systemd-nspawn, private network (loopback only)"
mkdir -p "$root"
tar -C "$root" -xf "$base"
mkdir -p "$root/media/usb"
cp -r "$stick" "$root/media/usb/counter-app"
systemd-nspawn --quiet --boot --private-network --register=no --keep-unit \
  --machine="$machine" --directory="$root" >"$work/console.log" 2>&1 </dev/null &
nspawn_pid=$!
# The container's init: nspawn's child once it runs systemd (the first child forks it and exits).
for _ in $(seq 1 150); do
  for pid in $(pgrep -P "$nspawn_pid" || true); do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == systemd ]] && leader=$pid
  done
  [[ -n "$leader" ]] && break
  sleep 0.2
done
[[ -n "$leader" ]] || fail "the container did not start: $(tail -5 "$work/console.log")"
state=""
for _ in $(seq 1 60); do
  state=$(inside systemctl is-system-running 2>/dev/null || true)
  [[ "$state" == running || "$state" == degraded ]] && break
  sleep 1
done
[[ "$state" == running || "$state" == degraded ]] || fail "the container did not boot: $state"
say "    systemd in the container: $state"
links=$(inside ls /sys/class/net | tr '\n' ' ')
say "    network interfaces in the container: $links"
[[ "$links" == "lo " ]] || fail "the container has a network besides loopback: $links"
# The office LAN's stand-in for mDNS: loopback carrying multicast (the host's ip command,
# the container's network namespace).
nsenter --target "$leader" --net ip link set lo multicast on
took

# --- 4. the technician's commands, in the container, as root ---
step "4. apt install from the stick (no network)"
limit=600
inside sh -c 'apt-get install -y -q /media/usb/counter-app/*.deb /media/usb/counter-app/debs/*.deb' \
  >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; fail "apt install failed"; }
grep -E '^(Setting up counter-app|counter-app:)' "$work/apt.log" | sed 's/^/    /'
say "    $(grep -cE '^Setting up ' "$work/apt.log") packages set up"
inside dpkg-query -W -f='    installed: ${Package} ${Version} ${Status}\n' counter-app
took

limit=120
step "5. counter-app init (the first admin)"
check "counter-app init failed" env COUNTER_APP_ADMIN_PASSWORD=e2e-admin-password counter-app init
owner=$(inside stat -c '%U:%G %a' /var/lib/counter-app/counter_app.sqlite3) ||
  fail "init made no database in /var/lib/counter-app"
say "    database /var/lib/counter-app/counter_app.sqlite3: $owner"
[[ "$owner" == counter-app:counter-app* ]] || fail "the database does not belong to the service's user"
took

step "6. counter-app setup office-4-counters.toml"
inside env PETUGAS1_PASSWORD=petugas-satu-1 PETUGAS2_PASSWORD=petugas-dua-2 \
  PETUGAS3_PASSWORD=petugas-tiga-3 PETUGAS4_PASSWORD=petugas-empat-4 \
  KEPALA_PASSWORD=kepala-kantor-5 \
  counter-app setup /media/usb/counter-app/office-4-counters.toml >"$work/setup.log" 2>&1 ||
  { cat "$work/setup.log"; fail "counter-app setup failed"; }
say "    $(grep -c '^created' "$work/setup.log") created: $(grep -o '^created  counter [0-9]*' "$work/setup.log" | wc -l) counters, $(grep -o '^created  user [a-z0-9]*' "$work/setup.log" | wc -l) users"
took

step "7. systemctl enable --now counter-app-server"
check "systemctl enable --now failed" systemctl enable --now counter-app-server.service
health=""
for _ in $(seq 1 60); do
  health=$(inside /usr/lib/counter-app/venv/bin/python -c '
import urllib.request
print(urllib.request.urlopen("http://127.0.0.1:8750/api/v1/health", timeout=2).read().decode())
' 2>/dev/null) && break
  health=""
  sleep 1
done
[[ -n "$health" ]] || fail "the server did not answer on 127.0.0.1:8750 within 60 s"
say "    GET /api/v1/health: $health"
inside systemctl show counter-app-server.service -p ActiveState -p SubState -p User -p MainPID |
  tr '\n' ' ' | sed 's/^/    /'
echo
took

step "8. counter-app device pair --kind display --name \"TV lobi\""
inside counter-app device pair --kind display --name "TV lobi" >"$work/pair.log" 2>&1 ||
  { cat "$work/pair.log"; fail "counter-app device pair failed"; }
sed 's/^/    /' "$work/pair.log"
code=$(grep -oE '[A-Z0-9]{4}-[A-Z0-9]{4}' "$work/pair.log" | head -1)
[[ -n "$code" ]] || fail "no pairing code in the output"
took

step "9. the TV redeems the code (the first-start dialog's call), then asks who it is"
cat >"$root/root/station.py" <<'PY'
import sys

from counter_app.client.api import ApiClient
from counter_app.client.discovery import browse
from counter_app.client.errors import ApiError
from counter_app.views.find_server import claim_with_api

url, code = "http://127.0.0.1:8750", sys.argv[1]
found = browse()  # what the first-start dialog lists (2 s)
print(f"servers found by mDNS: {[(f.label, f.url) for f in found]}")
assert any(f.url == url for f in found), "the server is not announced"
answer = claim_with_api(url, code)  # what the TV's "Pair this station" button runs
print(f"paired: device {answer.device_name!r}, kind {answer.kind.value}, token {len(answer.token)} characters")
with open("/root/tv.token", "w") as kept:  # the TV keeps it in its settings
    kept.write(answer.token)
with ApiClient(url, answer.token, retries=1) as tv:
    who = tv.whoami()  # the TV's first request with its token (views/display_device.py)
    print(f"whoami with the new token: kind {who.device_kind.value}, branch {who.branch_id}")
    assert who.device_kind.value == "display" and who.branch_id is not None
try:
    claim_with_api(url, code)
except ApiError as exc:
    print(f"the same code again is refused: {exc.code}")
else:
    raise SystemExit("the code worked twice")
PY
check "the station could not pair" /usr/lib/counter-app/venv/bin/python /root/station.py "$code"
inside counter-app device list 2>&1 | sed 's/^/    /'
took

step "10. the TV's user: station install --role display, then its window (offscreen, 20 s)"
check "adduser tv failed" adduser --disabled-password --gecos "TV ruang tunggu" --quiet tv
check "station install failed" runuser -u tv -- env HOME=/home/tv counter-app station install --role display
exec_line=$(inside grep '^Exec=' /home/tv/.config/autostart/counter-app-display.desktop) ||
  fail "no autostart entry for the TV"
[[ "$exec_line" == "Exec=/usr/bin/counter-app display"* ]] || fail "the autostart entry runs $exec_line"
before=$(inside journalctl --no-pager -q -u counter-app-server.service | grep -c 'HTTP/1.1" 200' || true)
rc=0
inside runuser -u tv -- env HOME=/home/tv QT_QPA_PLATFORM=offscreen timeout 20 counter-app display \
  --server http://127.0.0.1:8750 --token "$(cat "$root/root/tv.token")" --windowed --no-announce \
  >"$work/display.log" 2>&1 || rc=$?
after=$(inside journalctl --no-pager -q -u counter-app-server.service | grep -c 'HTTP/1.1" 200' || true)
grep -v propagateSizeHints "$work/display.log" | tail -n 5 | cut -c1-150 | sed 's/^/    /'
say "    the window ran until stopped (exit $rc; 124: stopped by the time limit); the server answered it $((after - before)) requests"
[[ $rc == 124 ]] || fail "the TV's window stopped by itself (exit $rc)"
! grep -q Traceback "$work/display.log" || fail "the TV's window raised an exception"
[[ $((after - before)) -gt 0 ]] || fail "the TV's window asked the server nothing"
took

step "11. counter-app backup, checked"
inside counter-app backup >"$work/backup.log" 2>&1 || { cat "$work/backup.log"; fail "counter-app backup failed"; }
sed 's/^/    /' "$work/backup.log"
file=$(sed -n 's/^backup written to //p' "$work/backup.log")
[[ "$file" == /var/lib/counter-app/backups/* ]] || fail "the backup is not in /var/lib/counter-app/backups"
inside ls -l "$file" "$file.json" "$file.sha256" | sed 's/^/    /'
check "the backup's checksum does not match" \
  sh -c "cd '$(dirname "$file")' && sha256sum -c '$(basename "$file").sha256'"
check "the backup does not hold the office" /usr/lib/counter-app/venv/bin/python - "$file" <<'PY'
import json
import sqlite3
import sys

path = sys.argv[1]
manifest = json.load(open(path + ".json"))
print("manifest:", {k: manifest[k] for k in sorted(manifest) if k != "sha256"})
db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
counters = db.execute("SELECT count(*) FROM counters").fetchone()[0]
devices = [r[0] for r in db.execute("SELECT name FROM devices")]
print(f"the copy opens: integrity ok, {counters} counters, devices {devices}")
assert counters == 4 and "TV lobi" in devices
PY
took

step "12. the service's journal: no errors, announced on the LAN"
errors=$(inside journalctl --no-pager -q -p err -u counter-app-server.service || true)
inside journalctl --no-pager -q -o cat -u counter-app-server.service | tail -n 6 | cut -c1-150 | sed 's/^/    /'
[[ -z "$errors" ]] || { echo "$errors"; fail "the service logged errors"; }
if inside journalctl --no-pager -q -u counter-app-server.service | grep -q 'cannot announce'; then
  fail "the service could not announce itself on the LAN (mDNS)"
fi
inside systemctl stop counter-app-server.service
say "    stopped: $(inside systemctl is-active counter-app-server.service || true)"
took

say "PASS in $(($(date +%s) - started)) s"
