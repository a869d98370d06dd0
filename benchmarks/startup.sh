#!/usr/bin/env bash
# Startup of one application with the attach starter and without it, in rotation in one run: the time Boot reports
# ("Started … in X seconds") and the time from launching the JVM to the first 200 of /actuator/health, medians of
# each, attach's ratio to each, and the jars' sizes. Two applications without attach: "starters" has every Boot
# starter the attach starter brings (AMQP, cache, Redis, Jackson, mail, JDBC, actuator) with webmvc, so that the ratio
# is what attach itself adds; "plain" has only webmvc, actuator and JDBC, so that the ratio is what adding the starter
# costs.
# Usage: benchmarks/startup.sh [runs of each, default 5]
# All use the local PostgreSQL: attach through DATABASE_URL, plain Boot through spring.datasource.*.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${STARTUP_PORT:-18741}
database=${STARTUP_DATABASE:-postgres://postgres@127.0.0.1:5432/test}
jdbc_url=${STARTUP_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test}
# -am builds attach from this tree in the same reactor, never from another build's snapshot in the local repository.
./mvnw -q -B -o -Pstartup-benchmark -am package \
	-pl benchmarks/startup/plain,benchmarks/startup/starters,benchmarks/startup/attach \
	-DskipTests -Djacoco.skip=true
attach_jar=benchmarks/startup/attach/target/startup-attach.jar
plain_jar=benchmarks/startup/plain/target/startup-plain.jar
starters_jar=benchmarks/startup/starters/target/startup-starters.jar
out=benchmarks/startup/target
mkdir -p "$out"
results="$out/results.txt"
: > "$results"

# start <name> <round> <env…> -- <args…>: starts the application, waits for the health endpoint, stops it.
start() {
	local name=$1 round=$2
	shift 2
	local environment=() arguments=()
	while [[ $1 != -- ]]; do environment+=("$1"); shift; done
	shift
	arguments=("$@")
	local log="$out/$name-$round.log" began ended pid
	began=$(date +%s%N)
	env "${environment[@]}" java -jar "${arguments[@]}" --server.port="$port" > "$log" 2>&1 &
	pid=$!
	until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health"; do
		if ! kill -0 "$pid" 2> /dev/null; then
			echo "$name exited before its health endpoint answered 200: see $log" >&2
			exit 1
		fi
		if (( ($(date +%s%N) - began) / 1000000000 > 180 )); then
			kill "$pid"
			echo "$name did not answer 200 within 180 s: see $log" >&2
			exit 1
		fi
		sleep 0.02
	done
	ended=$(date +%s%N)
	kill "$pid"
	wait "$pid" 2> /dev/null || true
	local started
	started=$(grep -oP 'Started \S+ in \K[0-9.]+' "$log")
	printf '%s %s %s\n' "$name" "$started" "$(( (ended - began) / 1000000 ))" | tee -a "$results"
}

attach() {
	start attach "$1" DATABASE_URL="$database" -- "$attach_jar"
}

plain() {
	start plain "$1" -- "$plain_jar" --spring.datasource.url="$jdbc_url" --spring.datasource.username=postgres
}

# Without Boot's Redis and Rabbit checks, which attach turns off when their URL is unset: the first health request
# would otherwise connect to a Redis and a RabbitMQ on localhost that the attach application never touches.
starters() {
	start starters "$1" -- "$starters_jar" --spring.datasource.url="$jdbc_url" --spring.datasource.username=postgres \
		--management.health.redis.enabled=false --management.health.rabbit.enabled=false
}

echo "load before: $(uptime)"
# One of each to warm the file cache, not counted.
attach 0 > /dev/null
plain 0 > /dev/null
starters 0 > /dev/null
: > "$results"
echo "name started-in-s launch-to-health-ms"
for (( round = 1; round <= runs; round++ )); do
	# Rotate which goes first, so that none always follows the same one.
	case $(( round % 3 )) in
		1) attach "$round"; starters "$round"; plain "$round" ;;
		2) starters "$round"; plain "$round"; attach "$round" ;;
		0) plain "$round"; attach "$round"; starters "$round" ;;
	esac
done
echo "load after: $(uptime)"

median() {
	awk -v name="$1" -v column="$2" '$1 == name { print $column }' "$results" | sort -g \
		| awk '{ values[NR] = $1 } END { print (NR % 2) ? values[(NR + 1) / 2] : (values[NR / 2] + values[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
megabytes() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
printf '\n%-28s %10s %10s %10s %10s %10s\n' "median of $runs runs" attach starters plain "÷starters" "÷plain"
row() {
	local label=$1 column=$2 unit=$3 a s p
	a=$(median attach "$column"); s=$(median starters "$column"); p=$(median plain "$column")
	printf '%-28s %8s%-2s %8s%-2s %8s%-2s %10s %10s\n' "$label" "$a" "$unit" "$s" "$unit" "$p" "$unit" \
		"$(ratio "$a" "$s")" "$(ratio "$a" "$p")"
}
row "Boot's \"Started … in\"" 2 s
row "launch to first health 200" 3 ms
a=$(megabytes "$attach_jar"); s=$(megabytes "$starters_jar"); p=$(megabytes "$plain_jar")
printf '%-28s %8sMB %8sMB %8sMB %10s %10s\n' "jar size" "$a" "$s" "$p" "$(ratio "$a" "$s")" "$(ratio "$a" "$p")"
