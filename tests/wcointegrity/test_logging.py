"""The log: JSON lines on standard output, each with its request's id, and nothing personal or secret."""

import json
import logging
import os
import re
import subprocess
import sys
from datetime import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from wcointegrity import logs

FRESH_ID = re.compile(r"[0-9a-f]{32}")


def lines(log):
    return [json.loads(line) for line in log.getvalue().splitlines()]


def access_lines(log):
    return [line for line in lines(log) if line["logger"] == "wcointegrity.requests"]


def test_each_request_has_one_json_access_line_without_its_query_string(client, log):
    response = client.get("/healthz?q=words+someone+searched+for")

    [line] = access_lines(log)
    assert line.keys() == {
        "timestamp",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0
    assert datetime.fromisoformat(line["timestamp"]).tzinfo is not None
    assert FRESH_ID.fullmatch(line["request_id"])
    assert line["request_id"] == response["X-Request-ID"]
    assert "someone" not in log.getvalue()


@pytest.mark.django_db
def test_every_record_written_for_a_request_carries_its_id_and_none_other_does(client, log):
    response = client.get("/en/no-such-page/")
    logging.getLogger("wcointegrity").warning("Between two requests.")

    access, not_found, between = lines(log)
    assert response.status_code == 404
    assert (not_found["logger"], not_found["level"], not_found["message"]) == (
        "django.request",
        "WARNING",
        "Not Found: /en/no-such-page/",
    )
    assert not_found["request_id"] == access["request_id"] == response["X-Request-ID"]
    assert between["request_id"] is None
    assert logs.request_id.get() is None


def test_a_request_id_sent_by_a_proxy_is_kept(client, log):
    response = client.get("/healthz", headers={"X-Request-ID": "Proxy-7f3a-0042"})

    assert response["X-Request-ID"] == "Proxy-7f3a-0042"
    assert access_lines(log)[0]["request_id"] == "Proxy-7f3a-0042"


@pytest.mark.parametrize(
    "sent",
    ["short", "x" * 65, "two words here", "abcdefgh\nFORGED LINE", 'abcdefgh"}', "ßtraße-12345", "../../etc/passwd"],
)
def test_an_unsafe_request_id_is_replaced_by_a_fresh_one(client, log, sent):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)

    assert FRESH_ID.fullmatch(response["X-Request-ID"])
    assert access_lines(log)[0]["request_id"] == response["X-Request-ID"]
    assert sent not in log.getvalue()


@pytest.mark.django_db
def test_no_password_cookie_token_address_or_email_address_reaches_the_log(client, log, django_user_model, settings):
    staff = django_user_model.objects.create_user(
        "editor@example.org", password="correct horse battery staple", is_staff=True
    )
    secrets = {
        "password": "wrong horse battery staple",
        "token": "Bearer token-5f1e2d3c",
        "address": "203.0.113.7",
        "email address": "editor@example.org",
    }
    sent = {"REMOTE_ADDR": secrets["address"], "HTTP_AUTHORIZATION": secrets["token"]}

    failed = client.post(
        reverse("admin:login"), {"username": "editor@example.org", "password": secrets["password"]}, **sent
    )
    client.force_login(staff)
    secrets["session cookie"] = client.cookies[settings.SESSION_COOKIE_NAME].value
    index = client.get(reverse("admin:index"), **sent)

    assert failed.status_code == 200 and index.status_code == 200
    assert [(line["method"], line["path"]) for line in access_lines(log)] == [
        ("POST", "/admin/login/"),
        ("GET", "/admin/"),
    ]
    output = log.getvalue()
    assert not [name for name, secret in secrets.items() if secret in output]


def test_the_text_format_is_one_plain_line_with_the_request_id():
    record = logging.LogRecord("wcointegrity.requests", logging.INFO, __file__, 1, "GET %s 200", ("/en/",), None)
    outside = logs.TextFormatter().format(record)
    record.request_id = "Proxy-7f3a-0042"
    inside = logs.TextFormatter().format(record)

    assert outside.endswith(" INFO wcointegrity.requests [-] GET /en/ 200")
    assert inside.endswith(" INFO wcointegrity.requests [Proxy-7f3a-0042] GET /en/ 200")


# Answers one request under each environment given, in a process of its own, and ends each
# answer's log with a line of dashes. The first environment is the process's own (django.setup());
# for each next one the settings module is read again and its log configured as django.setup() does.
SERVE_ONE_REQUEST_IN_EACH = """
import importlib, json, logging.config, os, sys
import django
for number, environment in enumerate(json.loads(sys.argv[1])):
    for name in ("DEBUG", "LOG_FORMAT"):
        os.environ.pop(name, None)
    os.environ.update(environment)
    if number == 0:
        django.setup()
    else:
        from wcointegrity import settings
        logging.config.dictConfig(importlib.reload(settings).LOGGING)
    from django.test import Client
    Client().get("/healthz")
    print("-----", flush=True)
"""

ENVIRONMENTS = {
    "production": {"DEBUG": "false"},
    "text asked for": {"DEBUG": "false", "LOG_FORMAT": "text"},
    "debug": {"DEBUG": "true"},
}


@pytest.mark.own_process
def test_the_site_logs_json_lines_to_standard_output_unless_debug_or_text_is_asked_for():
    environ = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "LOG_FORMAT", "LOG_LEVEL"}}
    environ |= {"DJANGO_SETTINGS_MODULE": "wcointegrity.settings", "ALLOWED_HOSTS": "testserver"}
    result = subprocess.run(
        [sys.executable, "-c", SERVE_ONE_REQUEST_IN_EACH, json.dumps(list(ENVIRONMENTS.values()))],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    answers = [chunk.strip().splitlines() for chunk in result.stdout.split("-----\n")[:-1]]
    assert len(answers) == len(ENVIRONMENTS), result.stdout
    [production], [text_asked_for], [debug] = answers  # one line each
    assert json.loads(production)["message"].startswith("GET /healthz 200 ")
    for line in (text_asked_for, debug):
        assert re.fullmatch(r"\S+ \S+ INFO wcointegrity\.requests \[[0-9a-f]{32}\] GET /healthz 200 \S+ms", line)
