#!/usr/bin/env bash
# Starts the action server, the staff-notification worker and the Rasa server
# (REST and website-chat channels, SQLite tracker store under var/), all on loopback by default.
# Ctrl-C (or SIGTERM) stops them all.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-5005}; actions_port=${3:-5055}
cd "$(dirname "$0")/.."
mkdir -p var
export RASA_TELEMETRY_ENABLED=false PYTHONPATH="$PWD" SANIC_HOST=127.0.0.1
# Rasa workers sharing conversations through var/locks.db (endpoints.yml); one per core.
export SANIC_WORKERS=${SANIC_WORKERS:-2}
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

.venv/bin/rasa run actions --actions actions --port "$actions_port" >var/actions.log 2>&1 &
actions_pid=$!
# Retries staff notifications that could not be delivered at once (see `intake notifications`).
.venv/bin/python -m assistant.intake.notify --loop >var/notify.log 2>&1 &
notify_pid=$!
rasa_pid=""
trap 'kill $actions_pid $notify_pid $rasa_pid 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$actions_port/health" >/dev/null 2>&1 && break
  kill -0 $actions_pid 2>/dev/null || { echo "action server failed to start; see var/actions.log" >&2; exit 1; }
  sleep 1
done

cat <<MSG
Action server: http://127.0.0.1:$actions_port (log: var/actions.log)
Notification worker: log var/notify.log; staff read requests with: .venv/bin/intake callbacks
Starting Rasa on http://$host:$port ... (takes ~30 s; log: var/rasa.log)
When it says it is up, talk to it:
  make chat
  open http://$host:$port/webhooks/webchat/   (the website chat; a center embeds .../webhooks/webchat/chat.js)
  curl -s http://$host:$port/webhooks/rest/webhook -d '{"sender":"me","message":"what is suboxone?"}'
MSG
.venv/bin/python -m assistant.rasa_runtime run --model models/assistant.tar.gz --interface "$host" --port "$port" \
  --endpoints endpoints.yml --credentials credentials.yml --log-file var/rasa.log &
rasa_pid=$!
wait $rasa_pid  # in the background so a SIGTERM reaches the trap at once
