#!/usr/bin/env bash
# Start-up floor: how long the service's Quarkus extensions take to start with next to none of the
# service's code (bench/floor: one endpoint, one migrated table, one 2 s job), against the service
# itself, on this machine. Both are timed from launch to their first answer (as bench/run.sh times
# the service), restarted in turns so both see the same machine: on the default JDK without and with
# a class-data archive, and on the newest JDK 24+ under /usr/lib/jvm (if any) with an AOT cache. The
# service's caches are made by scripts/aot-cache.sh, as the README says; the floor's by one start and
# a few answers. Prints numbers; asserts nothing.
#   bench/startup-floor.sh            (ROUNDS=5 to change the number of restarts of each)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
OUT=target/startup-floor
PORT=18380
KEY=floor-key
rm -rf "$OUT"
mkdir -p "$OUT"

./mvnw -q -B -DskipTests package -Dquarkus.package.jar.type=aot-jar
./mvnw -q -B -f bench/floor/pom.xml -DskipTests package -Dquarkus.package.jar.type=aot-jar

PID=""
trap 'kill $PID 2>/dev/null || true' EXIT

# launch NAME [java options]: starts it, waits for its first answer; MS is the time that took
launch() {
  local name=$1 t0 t1 url; shift
  t0=$(date +%s%N)
  if [ "$name" = floor ]; then
    url="http://127.0.0.1:$PORT/info?api-version=2024-05-01-preview"
    $JAVA "$@" -Dquarkus.http.port=$PORT -Dfloor.data-dir="$PWD/$OUT/floor-data" \
      -jar bench/floor/target/quarkus-app/quarkus-run.jar > "$OUT/floor.log" 2>&1 &
  else
    url="http://127.0.0.1:$PORT/info?api-version=2024-05-01-preview&model=tiny-stories"
    AZINFER_API_KEYS=$KEY $JAVA "$@" -Dquarkus.http.port=$PORT -Dquarkus.http.ssl-port=18381 \
      -Dazinfer.data-dir="$OUT/service-data" -jar target/quarkus-app/quarkus-run.jar > "$OUT/service.log" 2>&1 &
  fi
  PID=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null -H "api-key: $KEY" "$url" && break
    kill -0 $PID 2>/dev/null || { echo "$name stopped; see $OUT/$name.log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  MS=$(( (t1 - t0) / 1000000 ))
}
stop() { kill $PID; wait $PID 2>/dev/null || true; PID=""; }

# floor_cache: a start-up cache of the floor (a class-data archive before JDK 24, an AOT cache from
# 24, with the options scripts/aot-cache.sh uses for the service), made from a start, a few answers
# and a stop; CACHE is the option that uses it
floor_cache() {
  local file feature make
  feature=$($JAVA -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  if [ "$feature" -ge 24 ]; then
    file=bench/floor/target/quarkus-app/app.aot; make="-XX:AOTCacheOutput=$file"; CACHE="-XX:AOTCache=$file"
  else
    file=bench/floor/target/quarkus-app/app.jsa; make="-XX:ArchiveClassesAtExit=$file -Xlog:cds=error"
    CACHE="-XX:SharedArchiveFile=$file"
  fi
  rm -f "$file"
  # shellcheck disable=SC2086
  launch floor $make
  for _ in 1 2 3; do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/info?api-version=2024-05-01-preview"
  done
  stop
}

# service_cache: the service's start-up cache as the README makes it (scripts/aot-cache.sh, with its
# training); CACHE is the options of the command it prints, without the java and the -jar part
service_cache() {
  local out
  out=$(JAVA=$JAVA scripts/aot-cache.sh 2>&1) || { echo "$out" >&2; exit 1; }
  CACHE=$(echo "$out" | sed -n 's/^run: [^ ]* *\(.*\) -jar .*/\1/p')
}

rounds() { # label, then options for the floor and for the service ("-" for none)
  local label=$1 floor_opts=$2 service_opts=$3 floors="" services="" _
  [ "$floor_opts" = - ] && floor_opts=""
  [ "$service_opts" = - ] && service_opts=""
  for _ in $(seq 1 "$ROUNDS"); do
    # shellcheck disable=SC2086
    launch floor $floor_opts; stop; floors="$floors $MS"
    # shellcheck disable=SC2086
    launch service $service_opts; stop; services="$services $MS"
  done
  echo "$label, restarts (ms): floor$floors; service$services"
}

JAVA=java
echo "== $($JAVA -version 2>&1 | head -1); launch to first answer"
launch floor; stop; echo "first start (creates the store): floor $MS ms"
launch service; stop; echo "first start (creates the store, keys, certificate): service $MS ms"
rounds "no cache" - -
floor_cache; FLOOR_CACHE=$CACHE
service_cache; SERVICE_CACHE=$CACHE
rounds "class-data archive" "$FLOOR_CACHE" "$SERVICE_CACHE"
if JAVA=$(bench/newest-jdk.sh); then
  echo "== $($JAVA -version 2>&1 | head -1)"
  floor_cache; FLOOR_CACHE=$CACHE
  service_cache; SERVICE_CACHE=$CACHE
  rounds "AOT cache" "$FLOOR_CACHE" "$SERVICE_CACHE"
fi
# the fast-jar packaging again, as the tests and the quick start use it
./mvnw -q -B -DskipTests package
