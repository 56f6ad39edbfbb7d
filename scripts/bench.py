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

Then a second table, each cache layer switched off: a second server is started beside the first
with CACHE_LAYERS_OFF naming one layer (docs/caching.md), and the figures of the pages that layer
serves are measured on both, at concurrency 16, in turns of a second: the gain is a ratio of
figures taken in turns, whatever else the machine does.
"""

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BASE = os.environ["BENCH_URL"].rstrip("/")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A second server beside the first, with one cache layer switched off (the layer table).
SECOND = f"http://127.0.0.1:{free_port()}"
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
def server(layers_off="", base=BASE):
    """gunicorn serving the site at `base`, with these cache layers switched off, until the block ends."""
    environment = os.environ | {"CACHE_LAYERS_OFF": layers_off, "BIND": base.removeprefix("http://")}
    process = subprocess.Popen([".venv/bin/gunicorn", "wcointegrity.wsgi"], env=environment)  # noqa: S603
    try:
        for _ in range(240):
            try:
                fetch("/healthz", base=base)
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


def fetch(path, headers=None, base=BASE):
    request = urllib.request.Request(base + path, headers=headers or {})  # noqa: S310 (the loopback server)
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (the loopback server)
        response.read()
        return response.status, response.headers


def wrk(path, concurrency, script=None, headers=(), duration=DURATION, base=BASE):
    command = ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{duration}", "--latency", "--timeout", "30s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latencies = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latencies.get("50", "?"), latencies.get("99", "?"), int(errors.group(1)) if errors else 0


def queries(path, bust="", base=BASE):
    separator = "&" if "?" in path else "?"
    _status, headers = fetch(path + (f"{separator}bench={bust}" if bust else ""), base=base)
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
    not_modified = {
        concurrency: (wrk("/en/events/", concurrency, headers=conditional), floor_share(conditional, concurrency))
        for concurrency in CONCURRENCIES
    }
    return rows, not_modified


def floor_share(conditional, concurrency, rounds=5):
    """
    The 304s' throughput as a share of the floor's, the two measured in turns of a second, so
    that whatever else the machine does in those seconds weighs on both alike.
    """
    floor = answered = 0
    for _ in range(rounds):
        floor += wrk("/bench/constant", concurrency, duration="1s")[0]
        answered += wrk("/en/events/", concurrency, headers=conditional, duration="1s")[0]
    return answered / floor


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
    for concurrency, (result, share) in not_modified.items():
        errors += result[3]
        print(
            f"| 304 Not Modified (events, If-None-Match) | {concurrency} | {result[0]:.0f} | {result[1]} | "
            f"{result[2]} | – | – | – | {result[0] / template[concurrency]:.0%} "
            f"(÷ floor: {result[0] / floor[concurrency]:.0%}; in turns with it: {share:.0%}) | – | – |"
        )
    print()
    print(f"Responses other than 2xx and 3xx: {errors}")


def figures_in_turns(label, kind, miss_script, rounds=3):
    """
    ((requests/s, p50, errors, queries) with every layer on, the same without the layer) of a page of
    PAGES on a hit, a miss or a 304 at concurrency 16: the two servers measured in turns of three
    seconds (a slow miss takes one), so that whatever else the machine does then weighs on both alike.
    """
    path = dict(PAGES + LAYER_PAGES)[label]
    headers, script = [], miss_script if kind == "miss" else None
    for base in (BASE, SECOND):
        wrk(path, 16, duration="3s", base=base)  # Every worker warm, with what the page caches.
    if kind == "304":
        headers = [f"If-None-Match: {fetch(path)[1]['ETag']}"]
    runs = {BASE: [], SECOND: []}
    for _ in range(rounds):
        for base, results in runs.items():
            results.append(wrk(path, 16, script, headers, duration="3s", base=base))
    bust = "count" if kind == "miss" else ""
    return tuple(
        (
            statistics.mean(result[0] for result in results),
            f"{statistics.median(milliseconds(result[1]) for result in results):.2f}ms",
            sum(result[3] for result in results),
            queries(path, bust, base=base),
        )
        for base, results in runs.items()
    )


def milliseconds(latency):
    """wrk's latency ("812.00us", "1.20ms", "1.50s") in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", latency).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def layer_figures(miss_script):
    """
    {(layer, page, kind): (with, without, concurrency)}: each layer's figures with every layer on
    (the server at BENCH_URL) and with it switched off (a second server beside it).
    """
    results = {}
    with server():
        for layer, figures in LAYERS:
            with server(layer, base=SECOND):
                for label, kind in figures:
                    if layer in SLOW_LAYERS:
                        path = dict(PAGES + LAYER_PAGES)[label]
                        with_layer, without = (slow_figure(path, base=base) for base in (BASE, SECOND))
                        results[layer, label, kind] = (with_layer, (*without, "?"), 1)
                    else:
                        results[layer, label, kind] = (*figures_in_turns(label, kind, miss_script), 16)
            print(f"measured: {layer} switched off", file=sys.stderr)
    return results


def slow_figure(path, count=3, base=BASE):
    """(requests/s, p50, errors) of `count` requests one after another, each a miss."""
    times = []
    separator = "&" if "?" in path else "?"
    for number in range(count):
        start = time.monotonic()
        fetch(f"{path}{separator}bench=slow-{number}", base=base)
        times.append(time.monotonic() - start)
    return count / sum(times), f"{statistics.median(times):.2f}s", 0


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
        errors += with_layer[2] + without[2]
        # A figure with no request answered in its time has no latency either.
        gain = f"{with_layer[0] / without[0]:.2f}×" if without[0] else "none answered without"
        print(
            f"| {layer} | {label} | {kind} | {concurrency} | {with_layer[0]:.0f} | {without[0]:.1f} | "
            f"{with_layer[1]} | {without[1] if without[0] else '–'} | {gain} | {without[3]} |"
        )
    print()
    print(f"Responses other than 2xx and 3xx: {errors}")


if __name__ == "__main__":
    main()
