#!/usr/bin/env bash
# Builds the benchmarks and runs one of them against the machine's real servers.
# Usage: benchmarks/run.sh io.attach.benchmarks.ProbeLatency [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl benchmarks -am package -DskipTests dependency:build-classpath \
	-Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
# S3Proxy, for StorageThroughput: the jar the build copied (pom.xml, execution 's3proxy').
exec java -Dattach.test.s3proxy.jar=benchmarks/target/s3proxy/s3proxy.jar \
	-cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" "$@"
