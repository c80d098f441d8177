#!/usr/bin/env bash
# Builds the service for a fast start on JDK 24 or later: the aot-jar packaging (every class on
# the class path, where the JDK's AOT cache can reach it) and an AOT cache (JEP 483, 514, 515)
# trained by one run: a start, the requests of a typical client, and a clean stop.
#   scripts/aot-cache.sh
#   $JAVA $JAVA_OPTS --enable-native-access=ALL-UNNAMED -XX:AOTCache=target/quarkus-app/app.aot \
#     -jar target/quarkus-app/quarkus-run.jar
# (the JVM uses the cache only with the options it was made with: --enable-native-access too)
# JAVA: a JDK 24+ java (default: the newest JDK under /usr/lib/jvm that is 24 or later).
# JAVA_OPTS: the options the service will run with; the cache is made with the same ones.
# The cache belongs to this build and this JDK: make it again after each build.
set -euo pipefail
cd "$(dirname "$0")/.."

feature() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
if [ -z "${JAVA:-}" ]; then
  for j in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V -r); do
    if [ "$(feature "$j")" -ge 24 ] 2>/dev/null; then JAVA=$j; break; fi
  done
fi
if [ -z "${JAVA:-}" ] || [ "$(feature "$JAVA")" -lt 24 ] 2>/dev/null; then
  echo "aot-cache: needs a JDK 24 or later (set JAVA=/path/to/bin/java); found ${JAVA:-none}" >&2
  exit 2
fi

./mvnw -q -B -DskipTests package -Dquarkus.package.jar.type=aot-jar
APP=target/quarkus-app
TRAINING=target/aot-training
PORT=${AOT_TRAINING_PORT:-18481}
rm -rf "$TRAINING" "$APP/app.aot"
mkdir -p "$TRAINING"

# shellcheck disable=SC2086
AZINFER_API_KEYS=aot-key AZINFER_ADMIN_KEYS=aot-admin "$JAVA" ${JAVA_OPTS:-} -XX:AOTCacheOutput="$APP/app.aot" \
  --enable-native-access=ALL-UNNAMED \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$PORT -Dquarkus.http.ssl-port=0 \
  -Dazinfer.data-dir="$TRAINING" -jar "$APP/quarkus-run.jar" > "$TRAINING/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT

URL=http://127.0.0.1:$PORT
for i in $(seq 1 600); do
  curl -sf -o /dev/null -H "api-key: aot-key" "$URL/info?api-version=2024-05-01-preview&model=tiny-stories" && break
  kill -0 $PID 2>/dev/null || { echo "aot-cache: the training run stopped; see $TRAINING/service.log" >&2; exit 1; }
  sleep 0.2
done
# what a client and an operator do first: model info, a plain and a streamed chat, the listings
CHAT='{"model":"tiny-stories","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":16}'
STREAM='{"model":"tiny-stories","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":16,"stream":true}'
for i in 1 2 3; do
  curl -sf -o /dev/null -H "api-key: aot-key" -H 'Content-Type: application/json' "$URL/chat/completions?api-version=2024-05-01-preview" -d "$CHAT"
  curl -sf -o /dev/null -H "api-key: aot-key" -H 'Content-Type: application/json' "$URL/chat/completions?api-version=2024-05-01-preview" -d "$STREAM"
  curl -s -o /dev/null -H "api-key: aot-key" -H 'Content-Type: application/json' "$URL/chat/completions?api-version=2024-05-01-preview" -d '{"messages":[]}'
  curl -sf -o /dev/null -H "api-key: aot-admin" "$URL/deployments?api-version=2023-05-01"
  curl -sf -o /dev/null -H "api-key: aot-admin" "$URL/usage?api-version=2023-05-01&from=2000-01-01&to=2100-01-01"
  curl -sf -o /dev/null "$URL/q/health/ready"
done
kill -TERM $PID
wait $PID || true
trap - EXIT
if [ ! -s "$APP/app.aot" ]; then
  echo "aot-cache: no cache was written; see $TRAINING/service.log" >&2
  exit 1
fi
echo "AOT cache: $APP/app.aot ($(( $(stat -c %s "$APP/app.aot") / 1048576 )) MB), for $("$JAVA" -version 2>&1 | head -1)"
echo "run: $JAVA ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -XX:AOTCache=$APP/app.aot -jar $APP/quarkus-run.jar"
