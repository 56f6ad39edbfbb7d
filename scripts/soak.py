"""
Mixed traffic at concurrency 64 for 60 seconds, with PostgreSQL stopped from the 25th second to
the 35th (see scripts/soak). Prints what was answered before, during and after the outage, and
exits 1 unless: no request failed (no connection error, every request answered, but for a
download under way when the database stopped, which is cut short), nothing but
503 was a 5xx, 503s were answered while the database was down and only then or just after (the
pool's timeout); no request took longer than gunicorn's timeout; and pages were served again
within seconds of the database's return.
"""

import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

BASE = os.environ["SOAK_URL"].rstrip("/")
DURATION, DOWN_AT, UP_AT = 60.0, 25.0, 35.0
CONCURRENCY = 64
GUNICORN_TIMEOUT = 30.0
RECOVERY_LIMIT = 10.0  # seconds after the database is back
GRACE = 3.0  # the pool's timeout and a connection's check, around the outage

PATHS = [
    "/en/",
    "/en/events/",
    "/en/events/?year=2019",
    "/en/events/?year=2021&body=generated-body-1",
    "/en/events/?body=generated-body-2&page=3",
    "/fr/events/?state=past&sort=title",
    "/en/instruments/",
    "/en/instruments/?kind=guide",
    "/en/search/?q=integrity",
    "/en/events/?q=audit",
    "/en/timeline/",
    "/en/events/feed/",
    "/en/events/calendar.ics?year=2020&body=generated-body-3",
    "/en/events/export.csv?year=2020&body=generated-body-3",
    "/api/events/?year=2019",
    *(f"/en/events/generated-event-{n}/" for n in range(1, 200, 7)),
    *(f"/en/instruments/generated-instrument-{n}/" for n in range(1, 100, 9)),
]


def pg_ctl(action):
    command = [os.path.join(os.environ["PG_BIN"], "pg_ctl"), "-D", os.environ["PG_DATA"], "-w", "-t", "30"]
    if action == "start":
        socket_dir = os.environ["PG_SOCKET_DIR"]
        command += ["-l", os.path.join(socket_dir, "server.log"), "-o", f"-c listen_addresses='' -k {socket_dir}"]
    command += ["-m", "fast", action] if action == "stop" else [action]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603


def main():
    results = []  # (started, finished, status or error, path)
    lock = threading.Lock()
    start = time.monotonic()
    rng = random.Random(64)  # noqa: S311 (a mix of pages, not secrets)

    def worker():
        while (now := time.monotonic() - start) < DURATION:
            path = rng.choice(PATHS)
            try:
                with urllib.request.urlopen(BASE + path, timeout=GUNICORN_TIMEOUT + 5) as response:  # noqa: S310
                    response.read()
                    outcome = response.status
            except urllib.error.HTTPError as error:
                outcome = error.code
            except Exception as error:  # noqa: BLE001 (every failure is counted and reported)
                outcome = type(error).__name__
            with lock:
                results.append((now, time.monotonic() - start, outcome, path))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    time.sleep(DOWN_AT)
    pg_ctl("stop")
    stopped = time.monotonic() - start
    time.sleep(UP_AT - DOWN_AT)
    pg_ctl("start")
    started = time.monotonic() - start
    for thread in threads:
        thread.join()

    def phase(name, low, high):
        answered = [r for r in results if low <= r[0] < high]
        statuses = Counter(r[2] for r in answered)
        latencies = sorted(r[1] - r[0] for r in answered)
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
        median = statistics.median(latencies) if latencies else 0
        print(
            f"{name:<28} {len(answered):>6} requests  p50 {median * 1000:6.0f} ms  p99 {p99 * 1000:6.0f} ms  "
            f"max {max(latencies, default=0) * 1000:6.0f} ms  {dict(sorted(statuses.items(), key=str))}"
        )
        return answered

    print(f"PostgreSQL stopped at {stopped:.1f} s and started again at {started:.1f} s.")
    phase("before the outage", 0, stopped)
    phase("database down", stopped, started)
    phase("after it is back", started, DURATION)
    phase("whole run", 0, DURATION)

    failures = []
    slow = [r for r in results if r[1] - r[0] > GUNICORN_TIMEOUT]
    if slow:
        failures.append(f"{len(slow)} requests took longer than {GUNICORN_TIMEOUT:.0f} s")
    errors = [r for r in results if not isinstance(r[2], int)]
    # An export streams its rows as it reads them: one begun before the stop can only be cut short,
    # its status sent already. The client sees an incomplete download, never a shorter file.
    cut = [r for r in errors if "/export." in r[3] and r[0] < stopped and stopped - GRACE <= r[1] <= started + GRACE]
    if cut:
        print(f"Downloads under way when the database stopped, cut short: {len(cut)}.")
    errors = [r for r in errors if r not in cut]
    if errors:
        failures.append(f"{len(errors)} requests failed: {Counter(r[2] for r in errors)}")
    server_errors = [r for r in results if isinstance(r[2], int) and r[2] >= 500 and r[2] != 503]
    if server_errors:
        statuses = Counter(r[2] for r in server_errors)
        failures.append(f"{len(server_errors)} answers were 5xx other than 503: {statuses}")
    stray = [r for r in results if r[2] == 503 and not (stopped - GRACE <= r[1] and r[0] <= started + GRACE)]
    if stray:
        failures.append(f"{len(stray)} answers were 503 while the database was up")
    outage = [r for r in results if stopped <= r[1] <= started and r[2] == 503]
    if not outage:
        failures.append("no request was answered 503 while the database was down")
    served = [r for r in results if r[0] >= started and r[2] == 200 and "generated-event" in r[3]]
    recovered = min((r[1] for r in served), default=None)
    if recovered is None or recovered - started > RECOVERY_LIMIT:
        failures.append("pages that read the database were not served again within 10 s of its return")
    else:
        print(f"Pages read from the database again {recovered - started:.1f} s after it was back.")

    for failure in failures:
        print(f"FAILED: {failure}")
    print("Soak passed." if not failures else "Soak FAILED.")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
