#!/usr/bin/env python3
"""Summarises a JFR recording's execution samples: the top frames by self time and by inclusive
time (share of samples whose stack holds the method), for the threads whose name matches the
regular expression THREAD_FILTER.

usage: jfr-top-frames.py RECORDING.jfr [THREAD_FILTER] [TOP=25]

Example, navstream's stream threads in the pipeline scenario under exactly-once:
  java -XX:StartFlightRecording=filename=bench.jfr,settings=default -jar navstream.jar bench ...
  python3 benchmarks/jfr-top-frames.py bench.jfr "pipeline-eos-.-navstream.*StreamThread"
"""
import collections, re, subprocess, sys

recording = sys.argv[1]
thread_filter = sys.argv[2] if len(sys.argv) > 2 else ""
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25

if recording.endswith(".txt"):  # the output of that jfr print, saved: summarise it again cheaply
    text = open(recording).read()
else:
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64",
                           recording], check=True, capture_output=True, text=True).stdout
self_counts, incl_counts, samples = collections.Counter(), collections.Counter(), 0
frame = re.compile(r"^\s+([\w$.<>/]+)\(")
for event in text.split("jdk.ExecutionSample {")[1:]:
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    if thread is None or not re.search(thread_filter, thread.group(1)):
        continue
    stack = [m.group(1) for line in event.splitlines() if (m := frame.match(line))]
    if not stack:
        continue
    samples += 1
    self_counts[stack[0]] += 1
    for method in set(stack):
        incl_counts[method] += 1

print(f"{samples} samples of threads matching '{thread_filter}'")
print(f"\ntop {top} by self time:")
for method, n in self_counts.most_common(top):
    print(f"  {100 * n / samples:5.1f}%  {method}")
print(f"\ntop {top} by inclusive time (io.navstream, org.apache.kafka, org.apache.avro, java.math):")
interesting = ("io.navstream", "org.apache.kafka", "org.apache.avro", "java.math", "org.rocksdb")
for method, n in [(m, n) for m, n in incl_counts.most_common() if m.startswith(interesting)][:top]:
    print(f"  {100 * n / samples:5.1f}%  {method}")
