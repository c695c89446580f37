#!/bin/sh
# Creates or updates every connector in $CONNECTORS_DIR on the Kafka Connect worker at $CONNECT_URL:
# each <name>.json is PUT to $CONNECT_URL/connectors/<name>/config, which creates the connector or
# replaces its configuration, so running this again is safe.
#
#   CONNECT_URL=http://localhost:8083 CONNECTORS_DIR=connectors/config sh connectors/register/register-connectors.sh
#
# POSIX sh and curl only (it runs in the curlimages/curl image in docker-compose.yml, and the tests
# run it against their own Connect worker). A worker that is still starting or rebalancing answers
# 409 or 5xx, or nothing: those are retried until REGISTER_TIMEOUT_SECONDS. Any other error (400: a
# bad configuration, with Connect's message) fails at once, naming the connector.
set -eu

CONNECT_URL="${CONNECT_URL:-http://connect:8083}"
CONNECTORS_DIR="${CONNECTORS_DIR:-/connectors}"
REGISTER_TIMEOUT_SECONDS="${REGISTER_TIMEOUT_SECONDS:-120}"

response="$(mktemp)"
trap 'rm -f "$response"' EXIT

found=0
for file in "$CONNECTORS_DIR"/*.json; do
  [ -f "$file" ] || continue
  found=$((found + 1))
  name="$(basename "$file" .json)"
  deadline=$(( $(date +%s) + REGISTER_TIMEOUT_SECONDS ))
  while :; do
    status="$(curl -sS -o "$response" -w '%{http_code}' -X PUT \
      -H 'Content-Type: application/json' -H 'Accept: application/json' \
      --data-binary "@$file" "$CONNECT_URL/connectors/$name/config")" || status=000
    case "$status" in
      200|201)
        echo "connector $name: registered ($status)"
        break
        ;;
      000|409|5??)
        if [ "$(date +%s)" -ge "$deadline" ]; then
          echo "connector $name: Connect at $CONNECT_URL still answers $status after ${REGISTER_TIMEOUT_SECONDS}s:" >&2
          cat "$response" >&2 || true
          echo >&2
          exit 1
        fi
        sleep 2
        ;;
      *)
        echo "connector $name: rejected ($status):" >&2
        cat "$response" >&2
        echo >&2
        exit 1
        ;;
    esac
  done
done

if [ "$found" -eq 0 ]; then
  echo "no connector configurations (*.json) in $CONNECTORS_DIR" >&2
  exit 1
fi
echo "$found connectors registered with $CONNECT_URL"
