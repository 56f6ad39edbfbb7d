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

Then a second table, each cache layer switched off: the server is started again with
CACHE_LAYERS_OFF naming one layer (docs/caching.md), and only the figures of the pages that
layer serves are measured, at concurrency 16, beside the same figures with every layer on.
"""

import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BASE = os.environ["BENCH_URL"].rstrip("/")
DURATION = os.environ.get("BENCH_DURATION", "5s")
CONCURRENCIES = [1, 16]
EVENTS = int(os.environ.get("BENCH_EVENTS", "100000"))
# A deep page of the busiest body's events: page 400 at 100,000 events, as deep in a smaller catalogue.
DEEP_PAGE = max(2, 400 * EVENTS // 100000)

PAGES = [
    ("constant response (floor)", "/bench/constant"),
    ("trivial template", "/bench/template"),
    ("home", "/en/"),
    ("events, unfiltered", "/en/events/"),
    ("events, year and body", "/en/events/?year=2019&body=generated-body-1"),
    ("events, body, page 1", "/en/events/?body=generated-body-1"),
    (f"events, body, page {DEEP_PAGE}", f"/en/events/?body=generated-body-1&page={DEEP_PAGE}"),
    ("events, body, last page", "/en/events/?body=generated-body-1&page=last"),
    ("search, selective term", "/en/search/?q=Arusha"),
    ("events, searched", "/en/events/?q=Arusha"),
    ("event detail", "/en/events/{event}/"),
    ("instruments", "/en/instruments/"),
    ("instrument detail", "/en/instruments/{instrument}/"),
    (".ics of a filtered view", "/en/events/calendar.ics?year=2019&body=generated-body-17"),
    ("CSV of a filtered view", "/en/events/export.csv?year=2019&body=generated-body-17"),
]
REFERENCES = {"/bench/constant", "/bench/template"}

# Pages measured only for the layers that serve them.
LAYER_PAGES = [
    ("events, country and series", "/en/events/?country=AT&series=generated-series-1"),
    ("bodies", "/en/bodies/"),
    ("body", "/en/bodies/generated-body-1/"),
]

# Each cache layer, and the figures of the pages it serves: (page of PAGES, "hit", "miss" or "304").
LIST_MISSES = [("events, unfiltered", "miss"), ("events, year and body", "miss")]
LAYERS = [
    ("response", [("events, unfiltered", "hit"), ("event detail", "hit")]),
    ("version-memory", [("events, unfiltered", "hit"), ("events, unfiltered", "304")]),
    ("facet-index", [("events, unfiltered", "miss")]),
    ("selection", LIST_MISSES),
    ("facets-html", LIST_MISSES),
    ("choices", [("events, country and series", "miss")]),
    ("body-tree", [("events, year and body", "miss"), ("instruments", "miss")]),
    ("public bodies", [("events, year and body", "miss"), ("bodies", "miss"), ("body", "miss")]),
    ("card", [("events, unfiltered", "miss"), ("instruments", "miss")]),
    ("page", [("events, searched", "miss")]),
    ("search-cards", [("events, searched", "miss")]),
    ("search", [("search, selective term", "miss")]),
    ("home", [("home", "miss")]),
    ("record", [("event detail", "miss"), ("instrument detail", "miss")]),
    ("record-html", [("event detail", "miss"), ("instrument detail", "miss")]),
]
# BENCH_LAYERS: the layers to measure switched off, comma-separated (all by default, "none" for none).
if os.environ.get("BENCH_LAYERS"):
    LAYERS = [(layer, figures) for layer, figures in LAYERS if layer in os.environ["BENCH_LAYERS"].split(",")]
# Without its facet index, a list builds it at every request (seconds at 100,000 events): one at a time.
SLOW_LAYERS = {"facet-index"}

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


@contextmanager
def server(layers_off=""):
    """gunicorn serving the site at BENCH_URL (BIND), with these cache layers switched off, until the block ends."""
    environment = os.environ | {"CACHE_LAYERS_OFF": layers_off}
    process = subprocess.Popen([".venv/bin/gunicorn", "wcointegrity.wsgi"], env=environment)  # noqa: S603
    try:
        for _ in range(240):
            try:
                fetch("/healthz")
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("The server did not start.")
        yield
    finally:
        process.send_signal(signal.SIGINT)  # Quick shutdown: a worker building an index is not waited for.
        process.wait()


def public_record(kind, number):
    """The slug of the first public generated record of this kind from the `number`-th: some are drafts."""
    for candidate in range(number, number + 100):
        slug = f"generated-{kind[:-1]}-{candidate}"
        try:
            fetch(f"/en/{kind}/{slug}/")
            return slug
        except OSError:
            continue
    raise SystemExit(f"No public {kind} from generated-{kind[:-1]}-{number}.")


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
    with server():
        records = {
            "event": public_record("events", 4242 * EVENTS // 100000),
            "instrument": public_record("instruments", 42),
        }
        PAGES[:] = [(label, path.format(**records)) for label, path in PAGES]
        rows, not_modified = main_figures(miss_script)
    print_main_table(rows, not_modified)
    if LAYERS:
        print_layer_table(layer_figures(miss_script))
    Path(miss_script).unlink()


def main_figures(miss_script):
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
    conditional = [f"If-None-Match: {headers['ETag']}"]
    # Warmed up as every page is: the workers may still be answering the last page's slow requests.
    wrk("/en/events/", 16, headers=conditional, duration="3s")
    not_modified = {concurrency: wrk("/en/events/", concurrency, headers=conditional) for concurrency in CONCURRENCIES}
    return rows, not_modified


def print_main_table(rows, not_modified):
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


def figure(label, kind, miss_script, concurrency):
    """(requests/s, p50, p99, errors, queries of one request) of a page of PAGES on a hit, a miss or a 304."""
    path = dict(PAGES + LAYER_PAGES)[label]
    wrk(path, 16, duration="3s")  # Every worker warm, with what the page caches.
    if kind == "304":
        _status, headers = fetch(path)
        result = wrk(path, concurrency, headers=[f"If-None-Match: {headers['ETag']}"])
        return (*result, queries(path))
    result = wrk(path, concurrency, miss_script if kind == "miss" else None)
    return (*result, queries(path, "count" if kind == "miss" else ""))


def layer_figures(miss_script):
    """{(layer, page, kind): (with, without)}: each layer's figures with every layer on, and with it off."""
    measured = {}
    needed = {(label, kind, layer in SLOW_LAYERS) for layer, figures in LAYERS for label, kind in figures}
    with server():
        for label, kind, slow in sorted(needed):
            measured[label, kind, slow] = figure(label, kind, miss_script, 1 if slow else 16)
    print("measured: every layer on", file=sys.stderr)
    results = {}
    for layer, figures in LAYERS:
        slow = layer in SLOW_LAYERS
        with server(layer):
            for label, kind in figures:
                if slow:
                    without = (*slow_figure(dict(PAGES + LAYER_PAGES)[label]), "?")
                else:
                    without = figure(label, kind, miss_script, 16)
                results[layer, label, kind] = (measured[label, kind, slow], without, 1 if slow else 16)
        print(f"measured: {layer} switched off", file=sys.stderr)
    return results


def slow_figure(path, count=3):
    """(requests/s, p50, slowest, errors) of `count` requests one after another, each a miss."""
    times = []
    separator = "&" if "?" in path else "?"
    for number in range(count):
        start = time.monotonic()
        fetch(f"{path}{separator}bench=slow-{number}")
        times.append(time.monotonic() - start)
    return count / sum(times), f"{statistics.median(times):.2f}s", f"{max(times):.2f}s", 0


def print_layer_table(results):
    print()
    print("Each layer switched off (CACHE_LAYERS_OFF), at concurrency 16 unless said:")
    print()
    print(
        "| layer switched off | page | on | c | req/s with | req/s without | p50 with | p50 without | "
        "gain (with ÷ without) | queries without |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    errors = 0
    for (layer, label, kind), (with_layer, without, concurrency) in results.items():
        errors += with_layer[3] + without[3]
        # A figure with no request answered within BENCH_DURATION has no latency either.
        gain = f"{with_layer[0] / without[0]:.2f}×" if without[0] else "none answered without"
        print(
            f"| {layer} | {label} | {kind} | {concurrency} | {with_layer[0]:.0f} | {without[0]:.1f} | "
            f"{with_layer[1]} | {without[1] if without[0] else '–'} | {gain} | {without[4]} |"
        )
    print()
    print(f"Responses other than 2xx and 3xx: {errors}")


if __name__ == "__main__":
    main()
