"""Every user-facing string is marked for translation, so a Spanish locale can follow."""

import re
from pathlib import Path

import pytest

# The project-wide folder and each app's own.
TEMPLATES = sorted(Path(__file__).parents[2].glob("**/templates/**/*.html"))
TRANSLATED_BLOCK = re.compile(r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}", re.S)
DJANGO_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
HTML_TAG = re.compile(r"<!--.*?-->|<[^>]+>", re.S)
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
# Units and symbols are the same in every language we plan for.
ALLOWED = {"mg/kg", "mg", "mg)", "min", "·", "—", "(", ")", ",", ":", "=", "1", "10"}


def untranslated_text(source: str) -> list[str]:
    text = TRANSLATED_BLOCK.sub(" ", source)
    text = DJANGO_TAG.sub(" ", text)
    text = HTML_TAG.sub(" ", text)
    text = ENTITY.sub(" ", text)
    words = [w for w in re.split(r"\s+", text) if w and w not in ALLOWED]
    return [w for w in words if re.search(r"[A-Za-z]", w)]


def test_the_checker_finds_bare_text():
    assert untranslated_text("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated_text("<p>{% translate 'Hello' %} {{ name }}</p>") == []
    assert untranslated_text("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_untranslated_text(template):
    assert untranslated_text(template.read_text()) == []


@pytest.mark.parametrize("accept", ["es", "es-MX,es;q=0.9", "fr-CA,fr;q=0.8"])
def test_a_browser_asking_for_another_language_gets_one_language_throughout(
    client, as_user, alice, accept
):
    # Without a catalogue of our own, pages stay English: marked lang="en" (screen readers
    # pronounce by it) and with English dates, not Django's own translations mixed in.
    response = as_user(alice.user).get("/me/", HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert '<html lang="en"' in html
    login = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert '<html lang="en"' in login
    assert "Contraseña" not in login
    assert "Mot de passe" not in login
