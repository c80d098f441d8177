#!/usr/bin/env bash
# Builds the service for a fast start: the aot-jar packaging (every class on the class path, where
# the JVM's class-data sharing can reach it) and a start-up cache trained by one run: a start, the
# requests of a typical client and operator, and a clean stop. On JDK 24 or later the cache is an
# AOT cache (JEP 483, 514, 515: classes loaded and linked, method profiles); on JDK 17 to 23 it is
# a dynamic class-data archive (JEP 350: classes parsed and verified).
#   scripts/aot-cache.sh                  (JAVA=/path/to/bin/java for another JDK than `java`)
# then run the command it prints, e.g. on Java 17:
#   java -XX:SharedArchiveFile=target/quarkus-app/app.jsa -jar target/quarkus-app/quarkus-run.jar
# JAVA_OPTS: the options the service will run with; the cache is made with the same ones (an AOT
# cache is used only with the options it was made with).
# The cache belongs to this build, this JDK and this folder: make it again after each build.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${JAVA:-java}
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
APP=target/quarkus-app
if [ "$feature" -ge 24 ] 2>/dev/null; then
  CACHE=$APP/app.aot
  # llama.cpp's binding is native code: the option must be the same when the cache is used
  MAKE="--enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=$CACHE"
  USE="--enable-native-access=ALL-UNNAMED -XX:AOTCache=$CACHE"
elif [ "$feature" -ge 17 ] 2>/dev/null; then
  CACHE=$APP/app.jsa
  MAKE="-XX:ArchiveClassesAtExit=$CACHE -Xlog:cds=error"
  USE="-XX:SharedArchiveFile=$CACHE"
else
  echo "aot-cache: needs Java 17 or later; $JAVA is ${feature:-unknown}" >&2
  exit 2
fi

./mvnw -q -B -DskipTests package -Dquarkus.package.jar.type=aot-jar
TRAINING=target/aot-training
PORT=${AOT_TRAINING_PORT:-18481}
rm -rf "$TRAINING" "$APP/app.aot" "$APP/app.jsa"
mkdir -p "$TRAINING"

# shellcheck disable=SC2086
AZINFER_API_KEYS=aot-key AZINFER_ADMIN_KEYS=aot-admin "$JAVA" ${JAVA_OPTS:-} $MAKE \
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
if [ ! -s "$CACHE" ]; then
  echo "aot-cache: no cache was written; see $TRAINING/service.log" >&2
  exit 1
fi
echo "start-up cache: $CACHE ($(( $(stat -c %s "$CACHE") / 1048576 )) MB), for $("$JAVA" -version 2>&1 | head -1)"
echo "run: $JAVA ${JAVA_OPTS:-} $USE -jar $APP/quarkus-run.jar"
