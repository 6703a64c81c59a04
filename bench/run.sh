#!/usr/bin/env bash
# Benchmark: builds the jar, then runs it as a process against the emulator configured like
# the service and prints wall time, the lower bound, API calls per row, 429s and peak RSS,
# with a sequential import-then-poll loop as the reference.
#
# usage: bench/run.sh [--workload=imports|no-calls|all|scale-out] [--rows=2000] [--targets=20]
#                     [--rate=10] [--sample=20] [--invalid-rows=300000]
#                     [--shape=grouped|interleaved] [--lose-answers=0.1]
#                     [--post-latency=150] (ms more per ImportProject answer) [--gateway-503=0.05]
#        bench/run.sh --workload=sources [--rows=400] [--sources=4] [--targets=4] [--rate=10]
#                     [--import.verify=true|false]
#        bench/run.sh --workload=engine-cost [--shapes=4000/20,10000/1000] [--reruns=1] [--empty-runs=3] [--repository=h2|postgres]
#                     [--heap=256m]   (BENCH_JVM_OPTIONS="-XX:a;-XX:b" for the job's JVM;
#                     --shapes= for the empty runs alone, by java -jar and by the launcher)
#        bench/run.sh --workload=scale-out [--rows=2000] [--targets=40] [--rate=5] [--repeat=1]
#                     [--kill=true]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp package -DskipTests
./mvnw -B -q -ntp spring-boot:test-run \
    -Dspring-boot.run.main-class=io.cvimport.bench.Benchmark \
    -Dspring-boot.run.arguments="${*:---workload=all}"
