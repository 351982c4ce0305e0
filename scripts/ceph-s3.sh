#!/usr/bin/env bash
# A throwaway single-node Ceph with an S3 gateway, for running the emulator against a real
# S3-compatible store (packages/emulator/README.md, "Storage backends"). One monitor, one
# memstore OSD (the data lives in RAM), one radosgw, all on 127.0.0.1, everything under one
# directory that `stop` deletes.
#
#   eval "$(scripts/ceph-s3.sh start)"   # prints ATAI_S3_* / ATAI_EMULATOR_STORAGE lines
#   scripts/ceph-s3.sh stop
#
# It installs nothing: it needs Debian's packages
#   apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common
# and says so (exit 3) when they are missing.
#
# Environment: CEPH_S3_DIR (default $TMPDIR/atai-ceph-s3), CEPH_S3_PORT (gateway, default 7480),
# CEPH_S3_MON_PORT (default 6789), CEPH_S3_ACCESS_KEY / CEPH_S3_SECRET_KEY (fixed throwaway keys
# by default: the cluster only listens on loopback and dies with `stop`), CEPH_S3_BUCKET.
# -E: the ERR trap set in start() also fires inside the functions it calls.
set -Eeuo pipefail

DIR="${CEPH_S3_DIR:-${TMPDIR:-/tmp}/atai-ceph-s3}"
PORT="${CEPH_S3_PORT:-7480}"
MON_PORT="${CEPH_S3_MON_PORT:-6789}"
ACCESS_KEY="${CEPH_S3_ACCESS_KEY:-ataiemulatoraccess}"
SECRET_KEY="${CEPH_S3_SECRET_KEY:-ataiemulatorsecretkey0000000000000000000}"
BUCKET="${CEPH_S3_BUCKET:-atai-emulator}"
CONF="$DIR/ceph.conf"
HOST=127.0.0.1

say() { echo "ceph-s3: $*" >&2; }

need_binaries() {
  local missing=()
  for bin in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
  done
  if ((${#missing[@]})); then
    say "missing ${missing[*]}; install Debian's packages:"
    say "  apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common"
    exit 3
  fi
}

# Bash's /dev/tcp: a connect that succeeds means something already listens there.
port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Whether the gateway answers HTTP (it listens a moment before it serves).
gateway_answers() {
  (
    exec 3<>"/dev/tcp/$HOST/$PORT" || exit 1
    printf 'GET / HTTP/1.0\r\nHost: %s\r\n\r\n' "$HOST" >&3
    IFS= read -r -t 2 line <&3 && [[ "$line" == HTTP/* ]]
  ) 2>/dev/null
}

stop() {
  # Gateway first, then the OSD, then the monitor: each by the pid its own pid file names.
  for name in client.rgw.a osd.0 mon.a; do
    local pidfile="$DIR/run/$name.pid"
    [[ -f "$pidfile" ]] || continue
    local pid
    pid="$(cat "$pidfile")"
    if [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      # Gone for good before the next daemon (or a new cluster on the same ports) starts.
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  rm -rf "$DIR"
}

# A failed start stops what it started but keeps the logs for a look.
stop_quietly() {
  local logs="${DIR}.failed-logs"
  rm -rf "$logs"
  cp -r "$DIR/log" "$logs" 2>/dev/null || true
  stop
  say "logs kept in $logs"
}

# A failed start says what failed and shows the end of every daemon's log, then stops what it
# started (keeping the logs). Why: a CI run once failed here with only "exit 250" and an empty
# stderr to go on; radosgw even sends its own messages to stdout, not stderr.
fail_start() {
  local status=$1
  shift
  trap - ERR
  say "$*"
  local log
  for log in "$DIR"/log/*; do
    [[ -f "$log" ]] || continue
    say "--- last lines of $(basename "$log"):"
    tail -n 20 "$log" | sed 's/^/ceph-s3:   /' >&2
  done
  stop_quietly
  exit "$status"
}

start() {
  need_binaries
  if [[ -e "$DIR/run/mon.a.pid" ]]; then
    say "a cluster already runs from $DIR; run '$0 stop' first"
    exit 2
  fi
  for p in "$PORT" "$MON_PORT"; do
    if port_busy "$p"; then
      say "port $p on $HOST is taken; set CEPH_S3_PORT / CEPH_S3_MON_PORT to free ones"
      exit 2
    fi
  done
  local t0=$SECONDS
  rm -rf "$DIR"
  mkdir -p "$DIR"/{mon.a,osd.0,run,log,rgw}
  trap 'fail_start $? "step failed with exit status $? (line $LINENO): $BASH_COMMAND"' ERR
  local fsid
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  # Tuned for a start in seconds: no auth inside the cluster (S3 keys are still checked by the
  # gateway), one replica, few PGs, a 10 ms paxos propose interval (default 1 s, paid on every
  # map change while pools are created) and a 1 s objecter tick (default 5 s).
  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon host = v1:$HOST:$MON_PORT
mon initial members = a
public addr = $HOST
cluster addr = $HOST
ms bind msgr2 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
paxos propose interval = 0.01
objecter tick interval = 1
mon osd full ratio = 0.99
mon osd backfillfull ratio = 0.99
mon osd nearfull ratio = 0.99
osd objectstore = memstore
memstore device bytes = ${CEPH_S3_MEMSTORE_BYTES:-8589934592}
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
crash dir = $DIR/crash
keyring = $DIR/keyring
[mon.a]
mon data = $DIR/mon.a
[osd.0]
osd data = $DIR/osd.0
[client.rgw.a]
rgw frontends = beast endpoint=$HOST:$PORT
rgw data = $DIR/rgw
rgw dns name = $HOST
# Tests use parts of a few KiB; AWS (and RGW by default) want 5 MiB but for the last part.
rgw multipart min part size = 1
EOF
  ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v1:$HOST:$MON_PORT]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
  ceph-mon -c "$CONF" -i a
  local osd_uuid
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  ceph -c "$CONF" osd new "$osd_uuid" >/dev/null
  # The OSD's own chatter (mkfs notices) goes to a file the error report shows, not to the caller.
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" 2>>"$DIR/log/osd.0.stderr"
  ceph-osd -c "$CONF" -i 0 2>>"$DIR/log/osd.0.stderr"
  # radosgw-admin below waits for the OSD to serve its pools; a crashed OSD would make it
  # wait forever, so check it is alive first.
  sleep 0.2
  # (No pid file must read as dead: `kill -0 0` would ask about our own process group.)
  local osd_pid
  osd_pid="$(cat "$DIR/run/osd.0.pid" 2>/dev/null || true)"
  if [[ -z "$osd_pid" ]] || ! kill -0 "$osd_pid" 2>/dev/null; then
    fail_start 1 "the OSD did not start"
  fi
  # The S3 user exists before the gateway starts, so its first request is already served.
  timeout 60 radosgw-admin -c "$CONF" user create --uid=atai --display-name="atai emulator" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  # radosgw writes its messages to stdout: keep them out of the ATAI_* lines the caller parses.
  radosgw -c "$CONF" -n client.rgw.a >>"$DIR/log/radosgw.stdout" 2>&1
  for _ in $(seq 1 600); do
    if gateway_answers; then break; fi
    sleep 0.05
  done
  if ! gateway_answers; then
    fail_start 1 "the gateway did not listen on $HOST:$PORT"
  fi
  trap - ERR
  say "up in $((SECONDS - t0)) s (data under $DIR)"
  echo "ATAI_EMULATOR_STORAGE=s3"
  echo "ATAI_S3_ENDPOINT=http://$HOST:$PORT"
  echo "ATAI_S3_BUCKET=$BUCKET"
  echo "ATAI_S3_ACCESS_KEY_ID=$ACCESS_KEY"
  echo "ATAI_S3_SECRET_ACCESS_KEY=$SECRET_KEY"
  echo "ATAI_S3_FORCE_PATH_STYLE=true"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
