#!/usr/bin/env bash
# Benchmark: throughput and latency through the service vs directly against a fast local
# OpenAI-compatible stub (a benchmark tool, not a model), for plain and streaming requests;
# in-process tokens per second of the local provider; start-up time and idle memory, on the
# default JDK without and with its start-up cache (scripts/aot-cache.sh), and with an AOT cache
# where a JDK 24+ is installed.
# Everything runs on this machine, on loopback. Prints numbers; asserts nothing.
#   bench/run.sh            (DURATION=15s CONCURRENCY=32 RATE=1000 to change;
#                            JAVA_OPTS for the service's JVM; AOT=0 skips the start-up caches)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONCURRENCY=${CONCURRENCY:-32}
RATE=${RATE:-1000}
STUB_PORT=18090
SVC_PORT=18080
RELAY_PORT=18070
KEY=bench-key
OUT=target/bench
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

./mvnw -q -B -DskipTests package
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=$OUT/cp.txt -Dmdep.includeScope=test >/dev/null

cleanup() { kill ${STUB_PID:-} ${RELAY_PID:-} ${SVC_PID:-} 2>/dev/null || true; }
trap cleanup EXIT

java -Xmx256m -cp target/test-classes:$(cat $OUT/cp.txt) dev.azinfer.bench.StubUpstream $STUB_PORT > $OUT/stub.log 2>&1 &
STUB_PID=$!
# the least any relay can do, for proportion: forwards whole bodies to the stub and back, parses nothing
java -cp target/test-classes:$(cat $OUT/cp.txt) dev.azinfer.bench.BareRelay $RELAY_PORT $STUB_PORT > $OUT/relay.log 2>&1 &
RELAY_PID=$!

# starts the service (java and its options as arguments); STARTUP is the wall-clock time from
# launch to its first answer, SVC_PID the process
start_service() {
  local t0 t1 try
  t0=$(date +%s%N)
  # shellcheck disable=SC2068
  AZINFER_API_KEYS=$KEY $@ \
    -Dquarkus.http.port=$SVC_PORT -Dquarkus.http.ssl-port=18443 -Dazinfer.data-dir=$OUT/data \
    -Dazinfer.deployments.bench.provider=openai \
    -Dazinfer.deployments.bench.url=http://127.0.0.1:$STUB_PORT/v1 \
    -Dazinfer.deployments.bench.upstream-model=stub -Dazinfer.throttle.calls=100000000 \
    -Dazinfer.deployments.bench.capacity=1000000 \
    -jar target/quarkus-app/quarkus-run.jar > $OUT/service.log 2>&1 &
  SVC_PID=$!
  for try in $(seq 1 1200); do
    curl -sf -o /dev/null -H "api-key: $KEY" "http://127.0.0.1:$SVC_PORT/info?api-version=2024-05-01-preview&model=bench" && break
    sleep 0.05
  done
  t1=$(date +%s%N)
  STARTUP="$(( (t1 - t0) / 1000000 )) ms"
}
stop_service() { kill $SVC_PID; wait $SVC_PID 2>/dev/null || true; }
# idle: RSS 15, 30, 45 and 60 s after the first answer; the last is the figure. The token
# encodings load in the first seconds, and the heap shrinks over a few of G1's idle collections
# (every 5 s, ADR 0009). The in-process model is not loaded: no request has asked for it.
idle_rss() {
  local series="" rss=0
  for _ in 1 2 3 4; do sleep 15; rss=$(( $(ps -o rss= -p $SVC_PID) / 1024 )); series="$series $rss"; done
  echo "$rss MB (at 15/30/45/60 s:$series)"
}

echo "== start-up (launch to first answer) and idle memory ($(java -version 2>&1 | head -1))"
rm -rf $OUT/data
start_service java ${JAVA_OPTS:-}
echo "first start (makes the store, keys, certificate): $STARTUP"
stop_service
start_service java ${JAVA_OPTS:-}
echo "restart: $STARTUP"
echo "idle RSS: $(idle_rss)"

PLAIN='{"model":"bench","messages":[{"role":"user","content":"Say hello"}],"max_tokens":20}'
STREAM='{"model":"bench","messages":[{"role":"user","content":"Say hello"}],"max_tokens":20,"stream":true}'
cat > $OUT/post.lua <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["api-key"] = "$KEY"
wrk.body = os.getenv("BODY")
LUA
SVC_URL="http://127.0.0.1:$SVC_PORT/chat/completions?api-version=2024-05-01-preview"
STUB_URL="http://127.0.0.1:$STUB_PORT/v1/chat/completions"

# warm up the JIT (on two shared cores C2 needs a while; shorter warm-ups measure the compiler)
BODY=$PLAIN wrk -t2 -c$CONCURRENCY -d${WARMUP:-30s} -s $OUT/post.lua "$SVC_URL" >/dev/null
BODY=$STREAM wrk -t2 -c$CONCURRENCY -d${WARMUP:-30s} -s $OUT/post.lua "$SVC_URL" >/dev/null
BODY=$PLAIN wrk -t2 -c$CONCURRENCY -d15s -s $OUT/post.lua "http://127.0.0.1:$RELAY_PORT/" >/dev/null

throughput() { # name body url
  BODY=$2 wrk -t$(( CONCURRENCY < 2 ? 1 : 2 )) -c$CONCURRENCY -d$DURATION --latency -s $OUT/post.lua "$3" > $OUT/wrk-$1.txt
  printf "%-16s %10s req/s   p50 %8s   p99 %8s\n" "$1" \
    "$(awk '/Requests\/sec/ {print $2}' $OUT/wrk-$1.txt)" \
    "$(awk '$1=="50%" {print $2}' $OUT/wrk-$1.txt)" \
    "$(awk '$1=="99%" {print $2}' $OUT/wrk-$1.txt)"
}
echo "== throughput at concurrency $CONCURRENCY ($DURATION each, wrk)"
throughput direct-plain "$PLAIN" "$STUB_URL"
throughput relay-plain "$PLAIN" "http://127.0.0.1:$RELAY_PORT/"
throughput service-plain "$PLAIN" "$SVC_URL"
throughput direct-stream "$STREAM" "$STUB_URL"
throughput relay-stream "$STREAM" "http://127.0.0.1:$RELAY_PORT/"
throughput service-stream "$STREAM" "$SVC_URL"

echo "== unloaded latency: one connection, back to back ($DURATION each, wrk -c1)"
CONCURRENCY=1 throughput direct-seq "$PLAIN" "$STUB_URL"
CONCURRENCY=1 throughput service-seq "$PLAIN" "$SVC_URL"

# open loop (dev.azinfer.bench.FixedRateLoad): one request every 1/RATE s whatever the answers do,
# each latency counted from its scheduled instant, so a stall shows instead of delaying the rest
fixed_rate() { # name url
  echo "$PLAIN" > $OUT/body.json
  API_KEY=$KEY java -cp target/test-classes:$(cat $OUT/cp.txt) dev.azinfer.bench.FixedRateLoad \
    "$2" $RATE ${DURATION%s} $OUT/body.json 5 > $OUT/fixed-$1.txt
  printf "%-16s %s\n" "$1" "$(tail -1 $OUT/fixed-$1.txt)"
}
p99() { awk '{for (i = 1; i < NF; i++) if ($i == "p99") print $(i + 1)}' $OUT/fixed-$1.txt; }
echo "== latency at a fixed $RATE requests/s, open loop ($DURATION each, after 20 s without load)"
# the service moves the load tests' usage records into its database after they end: let it finish
sleep 20
# the bare relay too: the least p99 anything between the load and the stub adds on these cores
added() { awk -v a="$(p99 $1)" -v b="$(p99 $2)" 'BEGIN {printf "%.2f ms", a - b}'; }
for round in 1 2; do
  fixed_rate direct-$round "$STUB_URL"
  fixed_rate relay-$round "http://127.0.0.1:$RELAY_PORT/"
  fixed_rate service-$round "$SVC_URL"
  echo "added p99 latency: service $(added service-$round direct-$round), bare relay $(added relay-$round direct-$round)"
done

echo "== in-process model (tiny-stories), one request of 400 tokens"
LOCAL='{"model":"tiny-stories","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":400,"seed":1}'
start=$(date +%s%N)
curl -s -o /dev/null -H "api-key: $KEY" -H 'Content-Type: application/json' "$SVC_URL" -d "$LOCAL"
end=$(date +%s%N)
echo "first request, which loads the model (local.load-at-start=false): $(( (end - start) / 1000000 )) ms"
start=$(date +%s%N)
tokens=$(curl -s -H "api-key: $KEY" -H 'Content-Type: application/json' "$SVC_URL" -d "$LOCAL" | sed -n 's/.*"completion_tokens":\([0-9]*\).*/\1/p')
end=$(date +%s%N)
echo "$tokens tokens in $(( (end - start) / 1000000 )) ms: $(( tokens * 1000000000 / (end - start) )) tokens/s"
echo "busy RSS: $(( $(ps -o rss= -p $SVC_PID) / 1024 )) MB"
stop_service

# the start-up cache of scripts/aot-cache.sh: a class-data archive on the default JDK, and an AOT
# cache on the newest JDK 24+ under /usr/lib/jvm, if there is one
with_cache() { # java
  local out args run
  if ! out=$(JAVA=$1 scripts/aot-cache.sh 2>&1); then
    echo "== start-up cache on $1: not made ($(echo "$out" | tail -1))"
    return
  fi
  # what the script says to run, without its -jar part (start_service adds it)
  args=$(echo "$out" | sed -n 's/^run: \(.*\) -jar .*/\1/p')
  echo "== start-up and idle memory with the start-up cache ($($1 -version 2>&1 | head -1); $(echo "$out" | sed -n 's/^start-up cache: \([^ ]*\) .*/\1/p'))"
  rm -rf $OUT/data
  start_service $args
  echo "first start: $STARTUP"
  stop_service
  for run in 1 2 3; do
    start_service $args
    echo "restart: $STARTUP"
    [ $run = 3 ] || stop_service
  done
  echo "idle RSS: $(idle_rss)"
  stop_service
}
if [ "${AOT:-1}" != 0 ]; then
  with_cache java
  if NEWEST=$(bench/newest-jdk.sh); then with_cache "$NEWEST"; else echo "== AOT cache: no JDK 24+ under /usr/lib/jvm"; fi
  # the fast-jar packaging again, as the tests and the quick start use it
  ./mvnw -q -B -DskipTests package
else
  echo "== start-up cache: skipped (AOT=0)"
fi
