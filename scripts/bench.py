"""
Drives the production server with wrk and prints one table of figures (see `make bench`).

Run by scripts/bench, with the server listening at BENCH_URL. For each page it measures,
at concurrency 1 and 16, the requests per second and the median and 99th percentile
latencies, on a cache hit (the same address again and again) and on a cache miss (a
parameter that no filter reads, new on every request, so that the response cache never
has the page; counts and fragments that depend only on the filters may be cached). Beside
them: the two reference views (a constant response and a trivial template) measured in the
same run, each page's throughput as a share of the trivial template's, and the queries each
request made, as the server counts them (X-Query-Count).
"""

import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

BASE = os.environ["BENCH_URL"].rstrip("/")
DURATION = os.environ.get("BENCH_DURATION", "5s")
CONCURRENCIES = [1, 16]

PAGES = [
    ("constant response (floor)", "/bench/constant"),
    ("trivial template", "/bench/template"),
    ("home", "/en/"),
    ("events, unfiltered", "/en/events/"),
    ("events, year and body", "/en/events/?year=2019&body=generated-body-1"),
    ("events, body, page 1", "/en/events/?body=generated-body-1"),
    ("events, body, page 400", "/en/events/?body=generated-body-1&page=400"),
    ("events, body, last page", "/en/events/?body=generated-body-1&page=last"),
    ("search, selective term", "/en/search/?q=Arusha"),
    ("events, searched", "/en/events/?q=Arusha"),
    ("event detail", "/en/events/generated-event-4242/"),
    ("instruments", "/en/instruments/"),
    ("instrument detail", "/en/instruments/generated-instrument-42/"),
    (".ics of a filtered view", "/en/events/calendar.ics?year=2019&body=generated-body-17"),
    ("CSV of a filtered view", "/en/events/export.csv?year=2019&body=generated-body-17"),
]
REFERENCES = {"/bench/constant", "/bench/template"}

MISS_SCRIPT = """
counter = 0
init = function(args)
  -- Each thread its own sequence: the address of a new table differs from thread to thread.
  math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16) % 100000)
end
request = function()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "bench=" .. math.random(1, 1000000000) .. "-" .. counter)
end
"""


def fetch(path, headers=None):
    request = urllib.request.Request(BASE + path, headers=headers or {})  # noqa: S310 (the loopback server)
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (the loopback server)
        response.read()
        return response.status, response.headers


def wrk(path, concurrency, script=None, headers=(), duration=DURATION):
    command = ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{duration}", "--latency", "--timeout", "30s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, BASE + path], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latencies = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latencies.get("50", "?"), latencies.get("99", "?"), int(errors.group(1)) if errors else 0


def queries(path, bust=""):
    separator = "&" if "?" in path else "?"
    _status, headers = fetch(path + (f"{separator}bench={bust}" if bust else ""))
    return headers.get("X-Query-Count", "?")


def main():
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(MISS_SCRIPT)
        miss_script = handle.name
    rows = []
    for label, path in PAGES:
        # Warm up every worker (each keeps its own memory cache and facet indexes), then measure.
        wrk(path, 16, duration="3s")
        first_queries = queries(path, "first")
        warm_queries = queries(path)
        for concurrency in CONCURRENCIES:
            hit = wrk(path, concurrency)
            miss = hit if path in REFERENCES else wrk(path, concurrency, miss_script)
            rows.append((label, concurrency, hit, miss, warm_queries, first_queries))
        print(f"measured: {label}", file=sys.stderr)
    _status, headers = fetch("/en/events/")
    not_modified = {
        concurrency: wrk("/en/events/", concurrency, headers=[f"If-None-Match: {headers['ETag']}"])
        for concurrency in CONCURRENCIES
    }
    Path(miss_script).unlink()

    template = {row[1]: row[2][0] for row in rows if row[0] == "trivial template"}
    floor = {row[1]: row[2][0] for row in rows if row[0].startswith("constant")}
    print()
    print(
        "| page | c | hit req/s | hit p50 | hit p99 | miss req/s | miss p50 | miss p99 | hit ÷ template | "
        "miss ÷ template | queries (hit / miss) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    errors = 0
    for label, concurrency, hit, miss, warm_queries, first_queries in rows:
        errors += hit[3] + miss[3]
        reference = label == "trivial template" or label.startswith("constant")
        print(
            f"| {label} | {concurrency} | {hit[0]:.0f} | {hit[1]} | {hit[2]} | "
            + ("– | – | – | " if reference else f"{miss[0]:.0f} | {miss[1]} | {miss[2]} | ")
            + f"{hit[0] / template[concurrency]:.0%} | "
            + ("– | " if reference else f"{miss[0] / template[concurrency]:.0%} | ")
            + f"{warm_queries} / {first_queries} |"
        )
    for concurrency, result in not_modified.items():
        errors += result[3]
        print(
            f"| 304 Not Modified (events, If-None-Match) | {concurrency} | {result[0]:.0f} | {result[1]} | "
            f"{result[2]} | – | – | – | {result[0] / template[concurrency]:.0%} "
            f"(÷ floor: {result[0] / floor[concurrency]:.0%}) | – | – |"
        )
    print()
    print(f"Responses other than 2xx and 3xx: {errors}")


if __name__ == "__main__":
    main()
