#!/usr/bin/env bash
# Startup of one application with the attach starter and without it (the same Boot starters alone), alternately in one
# run: the time Boot reports ("Started … in X seconds") and the time from launching the JVM to the first 200 of
# /actuator/health, medians of each, their ratio, and both jars' sizes.
# Usage: benchmarks/startup.sh [runs of each, default 5]
# Both use the local PostgreSQL: attach through DATABASE_URL, plain Boot through spring.datasource.*.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${STARTUP_PORT:-18741}
database=${STARTUP_DATABASE:-postgres://postgres@127.0.0.1:5432/test}
jdbc_url=${STARTUP_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test}
# -am builds attach from this tree in the same reactor, never from another build's snapshot in the local repository.
./mvnw -q -B -o -Pstartup-benchmark -pl benchmarks/startup/plain,benchmarks/startup/attach -am package \
	-DskipTests -Djacoco.skip=true
attach_jar=benchmarks/startup/attach/target/startup-attach.jar
plain_jar=benchmarks/startup/plain/target/startup-plain.jar
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

echo "load before: $(uptime)"
# One of each to warm the file cache, not counted.
attach 0 > /dev/null
plain 0 > /dev/null
: > "$results"
echo "name started-in-s launch-to-health-ms"
for (( round = 1; round <= runs; round++ )); do
	# Alternate which goes first, so that neither always follows the other.
	if (( round % 2 )); then attach "$round"; plain "$round"; else plain "$round"; attach "$round"; fi
done
echo "load after: $(uptime)"

median() {
	awk -v name="$1" -v column="$2" '$1 == name { print $column }' "$results" | sort -g \
		| awk '{ values[NR] = $1 } END { print (NR % 2) ? values[(NR + 1) / 2] : (values[NR / 2] + values[NR / 2 + 1]) / 2 }'
}
attach_started=$(median attach 2); plain_started=$(median plain 2)
attach_health=$(median attach 3); plain_health=$(median plain 3)
printf '\n%-28s %10s %10s %8s\n' "median of $runs runs" attach plain ratio
printf '%-28s %9.3fs %9.3fs %8.3f\n' "Boot's \"Started … in\"" "$attach_started" "$plain_started" \
	"$(awk -v a="$attach_started" -v p="$plain_started" 'BEGIN { print a / p }')"
printf '%-28s %8.0fms %8.0fms %8.3f\n' "launch to first health 200" "$attach_health" "$plain_health" \
	"$(awk -v a="$attach_health" -v p="$plain_health" 'BEGIN { print a / p }')"
printf '%-28s %8.1fMB %8.1fMB %8.3f\n' "jar size" "$(awk -v b="$(stat -c %s "$attach_jar")" 'BEGIN { print b / 1e6 }')" \
	"$(awk -v b="$(stat -c %s "$plain_jar")" 'BEGIN { print b / 1e6 }')" \
	"$(awk -v a="$(stat -c %s "$attach_jar")" -v p="$(stat -c %s "$plain_jar")" 'BEGIN { print a / p }')"
