"""
Where the files are kept: S3-compatible object storage (moto's server, started here on
127.0.0.1), backed up and restored with the database; and a file that a kept version of its
record names is never lost, so restoring the version brings the document back, downloadable.
"""

import hashlib
import tarfile
from io import StringIO

import boto3
import pytest
import reversion
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from moto.server import ThreadedMotoServer
from reversion.models import Version

from documents.models import Document
from events.models import Event
from publishing.models import PublicationStatus
from tests.admin_forms import admin_url, form_data
from tests.dataset import test_pg_backup
from tests.dataset.test_pg_backup import REMOTE_POSTGRESQL, database_alias, empty_database
from tests.factories import make_event, make_instrument

from .uploading import documents_stored_in, local_storage, pdf, upload, with_document

# pg_dump and pg_restore as they are called, without running them; a second database on the server.
client_programs = test_pg_backup.client_programs
restored = test_pg_backup.restored

BUCKET = "wco-documents"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # moto's


@pytest.fixture(scope="module")
def bucket():
    """A bucket of an S3 server on 127.0.0.1 (moto), as the settings' DOCUMENTS_S3_* make the documents storage."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)  # a free port
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
    s3.create_bucket(Bucket=BUCKET)
    storage_settings = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": KEYS["aws_access_key_id"],
            "secret_key": KEYS["aws_secret_access_key"],
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
    try:
        with documents_stored_in(storage_settings):
            yield s3
    finally:
        server.stop()


def objects(s3):
    """{key: content} of every object in the bucket."""
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"]: s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read() for item in listed}


def empty(s3):
    for key in objects(s3):
        s3.delete_object(Bucket=BUCKET, Key=key)


def attach(record, content):
    return Document.objects.create(
        record=record,
        kind="report",
        title="Annual report",
        language="en",
        file=ContentFile(content, name="report.pdf"),
        media_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


@pytest.mark.django_db
def test_an_upload_goes_to_the_bucket_under_a_random_name_and_is_served_by_the_site_alone(editor, client, bucket):
    empty(bucket)
    instrument = make_instrument("Revised Arusha Declaration", publication_status=PublicationStatus.DRAFT)
    url = admin_url(instrument, "change", instrument.pk)

    saved = editor.post(url, with_document(form_data(editor.get(url)), file=upload(pdf(), "Arusha EN.pdf")))

    assert saved.status_code == 302
    document = Document.objects.get()
    assert objects(bucket) == {document.file.name: pdf()}
    assert document.file.name.startswith("documents/") and "Arusha" not in document.file.name
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=document.file.name)["Grants"]
    assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)  # private: no public grant
    assert document.get_absolute_url().startswith("/documents/")
    assert client.get(document.get_absolute_url()).status_code == 404
    instrument.refresh_from_db()
    instrument.publication_status = PublicationStatus.PUBLISHED
    instrument.save()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf()


@pytest.mark.django_db
def test_a_backup_holds_every_file_of_the_bucket_and_a_restore_puts_them_back(tmp_path, client_programs, bucket):
    empty(bucket)
    event = make_event()
    kept = {attach(event, pdf()).file.name: pdf(), attach(event, b"%PDF-1.4 second").file.name: b"%PDF-1.4 second"}
    backup = tmp_path / "catalogue.dump"

    with database_alias("remote", REMOTE_POSTGRESQL):
        call_command("backupcatalogue", str(backup), database="remote", stdout=StringIO())
        with tarfile.open(tmp_path / "catalogue.dump.files.tar") as archive:
            assert {member.name: archive.extractfile(member).read() for member in archive} == kept
        empty(bucket)
        call_command("restorecatalogue", str(backup), database="remote", interactive=False, stdout=StringIO())

    assert objects(bucket) == kept
    assert [arguments[0] for arguments, _environment in client_programs] == ["/usr/bin/pg_dump", "/usr/bin/pg_restore"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="backupcatalogue and restorecatalogue need PostgreSQL.")
@pytest.mark.django_db(transaction=True, databases=["default", "restored"])
def test_a_restore_brings_back_the_database_and_every_file(tmp_path, bucket, restored):
    empty(bucket)
    document = attach(make_event("Integrity Sub-Committee"), pdf())
    backup = tmp_path / "catalogue.dump"
    call_command("backupcatalogue", str(backup), stdout=StringIO())
    empty(bucket)

    with empty_database(restored):
        call_command("restorecatalogue", str(backup), database=restored, interactive=False, stdout=StringIO())

        back = Document.objects.using(restored).get(pk=document.pk)
        assert back.file.name == document.file.name
        assert objects(bucket) == {document.file.name: pdf()}


@pytest.mark.django_db
def test_restoring_a_version_brings_back_a_deleted_document_with_its_file(editor, tmp_path):
    with documents_stored_in(local_storage(tmp_path)) as storage:
        event = make_event("Integrity Sub-Committee", publication_status=PublicationStatus.DRAFT)
        with reversion.create_revision():
            document = attach(event, pdf())
            event.save()
        stored_name = document.file.name
        with reversion.create_revision():
            document.delete()
            event.save()

        assert storage.open(stored_name).read() == pdf()  # a kept version names it: never deleted
        first = Version.objects.get_for_object(event).order_by("pk").first()
        restore = reverse("admin:events_event_restore", args=[event.pk, first.pk])
        assert editor.post(restore).status_code == 302
        document = Event.objects.get(pk=event.pk).documents.get()
        assert document.file.name == stored_name
        response = editor.get(document.get_absolute_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf()
