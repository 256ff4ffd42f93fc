#!/usr/bin/env bash
# Starts the action server, the staff-notification worker, the staff console and the Rasa server
# (REST and website-chat channels, SQLite tracker store under var/), all on loopback by default.
# Ctrl-C (or SIGTERM) stops them all.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-5005}; actions_port=${3:-5055}
cd "$(dirname "$0")/.."
# var/ (requests, transcripts, crisis events, secrets, logs) is for this OS user only: every
# process started here creates files 0600 and directories 0700; older, readable ones are fixed.
umask 077
mkdir -p var
chmod 700 var
find var -user "$(id -u)" -perm /077 -exec chmod go-rwx {} +
export RASA_TELEMETRY_ENABLED=false PYTHONPATH="$PWD" SANIC_HOST=127.0.0.1
# Rasa workers sharing conversations through var/locks.db (endpoints.yml); one per core.
export SANIC_WORKERS=${SANIC_WORKERS:-2}
# Accept queue: Rasa's default 100 overflows when a client opens 200 connections at once, and the
# kernel then drops unrelated visitors' connections for a second (README, Flood limits).
export SANIC_BACKLOG=${SANIC_BACKLOG:-1024}
# Signs website-chat sessions (channels/webchat.py): generated once, kept in var/,
# so a restart does not end the conversations open in browsers.
if [ -z "${WEBCHAT_SECRET:-}" ]; then
  [ -s var/webchat-secret ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' >var/webchat-secret)
  WEBCHAT_SECRET=$(cat var/webchat-secret)
fi
export WEBCHAT_SECRET
# Keys SMS conversation ids (channels/conversation_ids.py: a keyed hash of the number, never the number).
if [ -z "${SMS_CONVERSATION_KEY:-}" ]; then
  [ -s var/sms-conversation-key ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' >var/sms-conversation-key)
  SMS_CONVERSATION_KEY=$(cat var/sms-conversation-key)
fi
export SMS_CONVERSATION_KEY

# The action server runs actions only for callers with this secret: Rasa sends it (endpoints.yml).
if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  [ -s var/action-server-token ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' >var/action-server-token
  ACTION_SERVER_TOKEN=$(cat var/action-server-token)
fi
export ACTION_SERVER_TOKEN

# The staff console: its own process and port, never the public chat server's (README, "Staff console");
# crisis alerts link to its review page (CONSOLE_URL).
export CONSOLE_HOST=${CONSOLE_HOST:-127.0.0.1} CONSOLE_PORT=${CONSOLE_PORT:-5080}
export CONSOLE_URL=${CONSOLE_URL:-http://$CONSOLE_HOST:$CONSOLE_PORT}

# Loopback only (rasa_ext/action_server.py's default), whatever address Rasa serves on.
.venv/bin/python -m rasa_ext.action_server --actions actions --port "$actions_port" >var/actions.log 2>&1 &
actions_pid=$!
# Retries staff notifications that could not be delivered at once (see `intake notifications`).
.venv/bin/python -m assistant.intake.notify --loop >var/notify.log 2>&1 &
notify_pid=$!
.venv/bin/python -m console >var/console.log 2>&1 &
console_pid=$!
rasa_pid=""
trap 'kill $actions_pid $notify_pid $console_pid $rasa_pid 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$actions_port/health" >/dev/null 2>&1 && break
  kill -0 $actions_pid 2>/dev/null || { echo "action server failed to start; see var/actions.log" >&2; exit 1; }
  sleep 1
done

cat <<MSG
Action server: http://127.0.0.1:$actions_port (log: var/actions.log)
Notification worker: log var/notify.log; staff read requests with: .venv/bin/intake callbacks
Staff console: $CONSOLE_URL/ (log: var/console.log); first account: .venv/bin/intake users add NAME --role admin
  (or \`make demo-data\` for a console full of synthetic requests and demo accounts)
Starting Rasa on http://$host:$port ... (takes ~30 s; log: var/rasa.log)
When it says it is up, talk to it:
  make chat
  open http://$host:$port/webhooks/webchat/   (the website chat; a center embeds .../webhooks/webchat/chat.js)
  curl -s http://$host:$port/webhooks/rest/webhook -d '{"sender":"me","message":"what is suboxone?"}'
MSG
.venv/bin/python -m rasa_ext.runtime run --model models/assistant.tar.gz --interface "$host" --port "$port" \
  --endpoints endpoints.yml --credentials credentials.yml --log-file var/rasa.log &
rasa_pid=$!
wait $rasa_pid  # in the background so a SIGTERM reaches the trap at once
