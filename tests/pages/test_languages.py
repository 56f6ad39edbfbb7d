import subprocess

import pytest
from django.conf import settings
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.factories import make_body, make_event, make_instrument, make_series, make_topic

pytestmark = pytest.mark.django_db


def french(text):
    with translation.override("fr"):
        return translation.gettext(text)


def test_the_interface_is_translated_into_french():
    assert french("Events") != "Events"
    assert french("Apply filters") != "Apply filters"


@pytest.mark.parametrize(("accept", "prefix"), [("en-GB,en;q=0.9", "/en"), ("fr-FR,fr;q=0.9", "/fr"), ("", "/en")])
def test_an_address_without_a_language_redirects_and_keeps_the_filters(client, accept, prefix):
    response = client.get("/events/?year=2019&body=unodc", headers={"accept-language": accept})
    assertRedirects(response, f"{prefix}/events/?year=2019&body=unodc", fetch_redirect_response=False)


def test_french_pages_are_marked_french_and_translated(client):
    response = client.get("/fr/events/")
    assertContains(response, '<html lang="fr">')
    assertContains(response, f"<h1>{french('Events')}</h1>", html=True)
    assertNotContains(response, "Apply filters")


def test_the_language_switcher_keeps_the_page_and_its_filters(client):
    body = make_body(slug="unodc")
    make_event(bodies=[body], start="2019-05-27")
    response = client.get("/en/events/", {"year": "2019", "body": "unodc"})
    assertContains(
        response, '<a href="/fr/events/?body=unodc&amp;year=2019" hreflang="fr" lang="fr">Français</a>', html=True
    )
    assertContains(
        response,
        '<a href="/en/events/?body=unodc&amp;year=2019" hreflang="en" lang="en" aria-current="true">English</a>',
        html=True,
    )
    assertContains(
        response, '<link rel="alternate" hreflang="fr" href="http://testserver/fr/events/?body=unodc&amp;year=2019">'
    )


def test_a_record_without_french_text_is_shown_in_english_with_a_note(client):
    event = make_event("Meeting on staff rotation", summary="The English summary.")
    with translation.override("fr"):
        url = event.get_absolute_url()
    response = client.get(url)
    assertContains(response, '<h1><span lang="en">Meeting on staff rotation</span></h1>', html=True)
    assertContains(response, french("This record is not available in your language: it is shown in English."))
    assertContains(response, '<div lang="en"><p>The English summary.</p></div>', html=True)


def test_a_record_with_french_text_is_shown_in_french_without_a_note(client):
    event = make_event(
        "24th session", title_fr="24e session", summary="English summary.", summary_fr="Résumé en français."
    )
    response = client.get(f"/fr/events/{event.slug}/")
    assertContains(response, "<h1>24e session</h1>", html=True)
    assertContains(response, "<div><p>Résumé en français.</p></div>", html=True)
    assertNotContains(response, french("This record is not available in your language: it is shown in English."))
    english = client.get(f"/en/events/{event.slug}/")
    assertContains(english, "<h1>24th session</h1>", html=True)


def test_dates_and_ordinals_follow_the_language(client):
    event = make_event(start="2022-09-05", end="2022-09-08")
    response = client.get(f"/fr/events/{event.slug}/")
    assertContains(
        response, '<time datetime="2022-09-05">5</time>–<time datetime="2022-09-08">8 septembre 2022</time>'
    )


def test_lists_mark_english_fallbacks_in_french(client):
    make_instrument("Revised Arusha Declaration", title_fr="Déclaration d'Arusha révisée")
    make_instrument("Corruption Risk Mapping Guide")
    response = client.get("/fr/instruments/")
    assertContains(response, "Déclaration d&#x27;Arusha révisée</a>")
    assertContains(response, '<span lang="en">Corruption Risk Mapping Guide</span>')


def test_the_404_page_speaks_french(client):
    response = client.get("/fr/evenements-inexistants/")
    assert response.status_code == 404
    assertContains(response, '<html lang="fr">', status_code=404)
    assertContains(response, french("Page not found"), status_code=404)


def test_ordinals_are_written_the_french_way(client):
    event = make_event(series=make_series(), session_number=13)
    response = client.get(f"/fr/events/{event.slug}/")
    assertContains(response, "13<sup>e</sup> session")
    assertNotContains(response, "&lt;sup&gt;")


def test_every_interface_string_has_its_french_translation():
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(settings.LOCALE_PATHS[0] / "fr/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "translated messages" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_a_translated_name_is_not_marked_english_wherever_it_shows(client):
    parent = make_body("World Customs Organization", name_fr="Organisation mondiale des douanes", short_name="WCO")
    isc = make_body("Integrity Sub-Committee", name_fr="Sous-comité sur l'éthique", parent=parent)
    make_event(bodies=[isc])  # A body is public once a published record uses it.
    response = client.get("/fr/bodies/")
    assertContains(response, "Sous-comité sur l&#x27;éthique</a>")
    assertNotContains(response, 'lang="en">Sous-comité')
    assertNotContains(response, 'lang="en">Organisation mondiale')


def test_the_note_covers_an_untranslated_title_too(client):
    event = make_event("Only in English", summary="Anglais.", summary_fr="Résumé.")
    assertContains(
        client.get(f"/fr/events/{event.slug}/"),
        french("This record is not available in your language: it is shown in English."),
    )


def test_no_note_when_there_is_nothing_to_translate(client):
    event = make_event("Session", title_fr="Session", summary="")
    assertNotContains(
        client.get(f"/fr/events/{event.slug}/"),
        french("This record is not available in your language: it is shown in English."),
    )


def test_the_switcher_on_a_missing_page_points_at_the_same_address_in_the_other_language(client):
    response = client.get("/fr/nulle-part/")
    assertContains(
        response, '<a href="/en/nulle-part/" hreflang="en" lang="en">English</a>', html=True, status_code=404
    )


def test_french_lists_are_in_french_alphabetical_order(client):
    for english, french_name in (
        ("Staff rotation", "Rotation du personnel"),
        ("Rewards", "Récompenses"),
        ("Ethics", "Éthique"),
    ):
        make_event(topics=[make_topic(english, name_fr=french_name)])
    names = [topic.name for topic in client.get("/fr/topics/").context["object_list"]]
    assert names == ["Éthique", "Récompenses", "Rotation du personnel"]
