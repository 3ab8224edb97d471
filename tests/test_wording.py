"""Local wording: message catalogs per language, dates and digits, in all three formats."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pypdf
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES, REPO, copy_site
from pressroom import wording
from pressroom.cli import cli
from pressroom.config import parse_settings
from pressroom.errors import ConfigError
from pressroom.formats import formats
from pressroom.model import Settings, StatementType
from pressroom.records import load_record
from pressroom.render import common
from pressroom.render.docx import render_docx
from pressroom.render.html import WITHDRAWN, WITHDRAWN_TITLE, render_html
from pressroom.render.pdf import render_pdf
from pressroom.site import load_site

LOCALE = REPO / "src" / "pressroom" / "templates" / "locale"
SHIPPED = ("en", "th", "my", "km", "id", "ru", "zh_Hans", "zh_Hant", "bn", "ne", "ur", "ar")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCRIPTS = FIXTURES / "scripts"


def _po(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


# --- the catalogs shipped ------------------------------------------------------------------------


def _msgids_in_code() -> set[str]:
    """Every msgid the renderers and templates ask for."""
    ids = {v for k, v in vars(common).items() if k.isupper() and isinstance(v, str)}
    ids |= set(common.ENDORSERS_HEADINGS.values()) | set(WITHDRAWN.values()) | {WITHDRAWN_TITLE}
    ids |= {t.label for t in StatementType} | {f.label for f in formats().values() if f.label}
    for template in [*(LOCALE.parent / "html").glob("*.j2"),
                     *(LOCALE.parent / "archive").glob("*.j2")]:
        ids |= set(re.findall(r'page\.t\("([^"]+)"', template.read_text(encoding="utf-8")))
    for module in (REPO / "src" / "pressroom" / "archive").glob("*.py"):  # the archive's
        ids |= set(re.findall(r'words\.text\(\s*"([^"]+)"', module.read_text(encoding="utf-8")))
    return {i for i in ids if i and not i.isspace()}


def test_the_template_holds_every_msgid_the_code_uses_and_no_other():
    template = {m.id for m in _po(LOCALE / "pressroom.pot") if m.id}
    assert template == _msgids_in_code()


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_catalog_translates_every_msgid_and_asks_for_review(name):
    path = LOCALE / name / "LC_MESSAGES" / "pressroom.po"
    catalog = _po(path)
    template = {m.id for m in _po(LOCALE / "pressroom.pot") if m.id}
    assert {m.id for m in catalog if m.id} == template
    head = path.read_text(encoding="utf-8").split('msgid ""', 1)[0]
    if name == "en":  # the msgids are English: empty translations print them
        assert all(not m.string for m in catalog if m.id)
        return
    assert "NEEDS REVIEW BY A NATIVE SPEAKER" in head
    assert '"X-Review: needs review by a native speaker\\n"' in path.read_text(encoding="utf-8")
    assert all(m.string and not m.fuzzy for m in catalog if m.id), name
    # it loads through Pressroom: placeholders kept, nothing dropped
    assert len(wording.read_catalog(name, path).messages) == len(template)


def test_a_language_tag_falls_back_to_its_catalog_and_then_to_english():
    settings = Settings("n", "s", "o", "https://example.org/")
    found = {tag: wording.wording_for(LOCALE.parent, tag, settings)
             for tag in ("th", "th-TH", "zh-Hant", "zh-Hant-TW", "zh", "zh-TW", "ar-EG", "fr",
                         "en-US")}
    assert {tag: (w.language, w.locale) for tag, w in found.items()} == {
        "th": ("th", "th"), "th-TH": ("th", "th_TH"), "zh-Hant": ("zh-Hant", "zh_Hant"),
        "zh-Hant-TW": ("zh-Hant", "zh_Hant_TW"), "zh": ("zh-Hans", "zh_Hans"),
        "zh-TW": ("zh-Hant", "zh_Hant"), "ar-EG": ("ar", "ar_EG"), "fr": ("en", "en_GB"),
        "en-US": ("en", "en_US")}
    assert found["fr"].text(common.FOOTNOTES_HEADING) == "Notes"
    # the record's region decides the form of its dates, its language the words
    assert wording.long_date(found["en-US"], dt.date(2022, 2, 10)) == "February 10, 2022"
    assert wording.long_date(found["fr"], dt.date(2022, 2, 10)) == "10 February 2022"
    assert found["zh-Hant-TW"].text(common.PAGE_LABEL, page=1, pages=2) == "第1頁，共2頁"


def test_dates_in_each_language_s_long_form_with_digits_and_era_only_when_asked():
    day = dt.date(2022, 2, 10)
    plain = Settings("n", "s", "o", "https://example.org/")
    asked = Settings("n", "s", "o", "https://example.org/", native_digits=("th", "ar", "my"),
                     buddhist_era=True)

    def date(tag, settings):
        return wording.long_date(wording.wording_for(LOCALE.parent, tag, settings), day)

    assert date("en", asked) == "10 February 2022"
    assert date("th", plain) == "10 กุมภาพันธ์ ค.ศ. 2022"
    assert date("th", asked) == "๑๐ กุมภาพันธ์ พ.ศ. ๒๕๖๕"
    assert date("ar", plain) == "10 فبراير 2022"
    assert date("ar", asked) == "١٠ فبراير ٢٠٢٢"
    assert date("my", asked) == "၂၀၂၂ ဖေဖော်ဝါရီ ၁၀"
    assert date("ru", asked) == "10 февраля 2022\u202fг."  # no digits of its own
    assert date("zh-Hans", asked) == "2022年2月10日"
    # the Buddhist era is Thai only
    assert date("km", asked) == "10 កុម្ភៈ 2022"
    words = wording.wording_for(LOCALE.parent, "zh-Hans", plain)
    assert wording.format_list(words, ["缅甸", "泰国", "柬埔寨"]) == "缅甸、泰国和柬埔寨"


# --- a site whose statements are in Thai, Arabic and Russian -------------------------------------


def _site(root: Path, wording_table: str = ""):
    copy_site(root, adopt=False)
    if wording_table:
        config = root / "pressroom.toml"
        config.write_text(config.read_text(encoding="utf-8") + "\n[wording]\n" + wording_table,
                          encoding="utf-8")
    for lang in ("th", "ar", "ru"):
        shutil.copy2(SCRIPTS / f"2024-05-01-scripts-{lang}.md", root / "statements")
    return load_site(root)


def _document(site, lang: str):
    path = site.statements_dir / f"2024-05-01-scripts-{lang}.md"
    return site.document(load_record(path, site.organisations))


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    return _site(tmp_path_factory.mktemp("words") / "site")


@pytest.fixture(scope="module")
def asking_site(tmp_path_factory):
    return _site(tmp_path_factory.mktemp("words-asked") / "site",
                 'native_digits = ["th", "ar"]\nbuddhist_era = true\n')


# What each statement prints: (type label, endorsers heading, contacts heading, page label of
# one page, dateline), for a site that asks for nothing and one that asks for native digits
# and the Buddhist era.
EXPECTED = {
    ("th", False): ("แถลงการณ์", "แถลงการณ์นี้ได้รับการรับรองโดย:",
                    "สอบถามข้อมูลเพิ่มเติม กรุณาติดต่อ:", "หน้า 1 จาก 1",
                    "Bangkok, 1 พฤษภาคม ค.ศ. 2024"),
    ("th", True): ("แถลงการณ์", "แถลงการณ์นี้ได้รับการรับรองโดย:",
                   "สอบถามข้อมูลเพิ่มเติม กรุณาติดต่อ:", "หน้า ๑ จาก ๑",
                   "Bangkok, ๑ พฤษภาคม พ.ศ. ๒๕๖๗"),
    ("ar", False): ("بيان", "يؤيد هذا البيان:", "لمزيد من المعلومات، يُرجى التواصل مع:",
                    "الصفحة 1 من 1", "Bangkok، 1 مايو 2024"),
    ("ar", True): ("بيان", "يؤيد هذا البيان:", "لمزيد من المعلومات، يُرجى التواصل مع:",
                   "الصفحة ١ من ١", "Bangkok، ١ مايو ٢٠٢٤"),
    ("ru", False): ("Заявление", "Это заявление поддерживают:",
                    "За дополнительной информацией обращайтесь:", "Страница 1 из 1",
                    "Bangkok, 1 мая 2024\u202fг."),
}
EXPECTED[("ru", True)] = EXPECTED[("ru", False)]  # Cyrillic has no digits of its own
CASES = sorted(EXPECTED)


def _case(request, lang, asked):
    site = request.getfixturevalue("asking_site" if asked else "plain_site")
    return site, _document(site, lang), EXPECTED[(lang, asked)]


@pytest.mark.parametrize(("lang", "asked"), CASES)
def test_the_web_page_speaks_the_statement_s_language(request, lang, asked):
    site, document, (kind, endorsed, contact, _, dateline) = _case(request, lang, asked)
    root = lxml.html.fromstring(render_html(document, site.templates_dir))

    def text(xpath):
        found = root.xpath(xpath)
        assert len(found) == 1, xpath
        return " ".join(found[0].text_content().split())

    assert text("//p[@class='kind']") == kind
    assert text("//h2[@id='endorsers-heading']") == endorsed
    assert text("//h2[@id='contacts-heading']") == contact
    assert text("//p[@class='dateline']") == " ".join(dateline.split())
    assert root.xpath("//time")[0].get("datetime") == "2024-05-01"  # the machine's form
    words = document.wording
    assert text("//h2[@id='notes-heading']") == words.text("Notes") != "Notes"
    assert [a.text for a in root.xpath("//nav[@class='formats']//a")] == [
        words.text("PDF version"), words.text("Word version")]
    assert root.xpath("//nav[@class='formats']")[0].get("aria-label") == words.text(
        "Other versions")
    back = root.xpath("//a[@class='backlink']")[0].get("aria-label")
    assert back == words.text("Back to reference {number}", number=1) != "Back to reference 1"
    # in the page's own language: nothing marked as English
    assert root.xpath("//bdi[@lang='en']") == []


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    """Russian through pypdf (exact); Thai and Arabic through poppler, which keeps their
    clusters whole where pypdf repeats them (FIELD-NOTES), white space collapsed."""
    path = tmp_path / "words.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    text = re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return text


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "asked"), CASES)
def test_the_pdf_speaks_the_statement_s_language(request, lang, asked, tmp_path):
    site, document, (kind, endorsed, contact, page, dateline) = _case(request, lang, asked)
    data = render_pdf(document, site.templates_dir)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.metadata.subject == kind
    if lang == "ru":
        text = "\n".join(p.extract_text() for p in reader.pages)
        for words in (kind.upper(), endorsed, contact, page, dateline):  # the label in caps
            assert words in text, words
        return
    text = _pdf_text(data, tmp_path)
    # Thai and Arabic lines come out of PDFs reordered or with clusters split (FIELD-NOTES):
    # each word of the page label and the dateline is looked for on its own.
    for phrase in (kind, page, dateline.replace("،", " ").replace(",", " ")):
        for word in phrase.split():
            assert word in text, (phrase, word)
    digits = "๑" if lang == "th" else "١"
    assert (digits in text) == asked
    assert ("พ.ศ." in text) == (asked and lang == "th")


def _docx(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: etree.fromstring(z.read(name)) for name in
                ("word/document.xml", "word/footer1.xml", "docProps/core.xml")}


def _paragraph_texts(root: etree._Element) -> list[str]:
    """Each paragraph's text, without the direction marks that isolate its runs."""
    return [re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "",
                   "".join(t.text or "" for t in p.iter(f"{W}t"))) for p in root.iter(f"{W}p")]


@pytest.mark.parametrize(("lang", "asked"), CASES)
def test_the_word_file_speaks_the_statement_s_language(request, lang, asked):
    site, document, (kind, endorsed, contact, page, dateline) = _case(request, lang, asked)
    parts = _docx(render_docx(document, site.templates_dir))
    texts = _paragraph_texts(parts["word/document.xml"])
    assert dateline in texts
    assert kind in texts and texts.index(kind) < texts.index(dateline)  # page 1's label
    assert endorsed in texts and contact in texts
    assert _paragraph_texts(parts["word/footer1.xml"]) == [page]  # cached field results
    core = parts["docProps/core.xml"]
    assert core.find("{http://purl.org/dc/elements/1.1/}subject").text == kind
    assert [t.text.strip() for t in parts["word/footer1.xml"].iter(f"{W}instrText")] == [
        "PAGE", "NUMPAGES"]


def test_an_embargo_stamp_and_a_correction_are_dated_in_the_language(asking_site):
    document = _document(asking_site, "th")
    statement = document.statement
    from dataclasses import replace

    from pressroom.model import Correction

    corrected = replace(statement, corrections=(Correction(dt.date(2024, 5, 3), "แก้"),))
    assert common.corrections(corrected, document.wording) == [
        "แก้ไขเมื่อ ๓ พฤษภาคม พ.ศ. ๒๕๖๗: แก้"]
    when = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    label, banner = common.marking(replace(document, embargoed_until=when))
    assert label == "ห้ามเผยแพร่ก่อนกำหนด"
    assert banner.startswith("ห้ามเผยแพร่จนถึง ๑ พฤษภาคม พ.ศ. ๒๕๖๗, ๐๙:๐๐ UTC+07:00")


# --- a language without a catalog, and a broken catalog ---------------------------------------


def test_a_language_without_a_catalog_prints_english_and_check_warns(tmp_path):
    site = _site(tmp_path / "site")
    hindi = site.statements_dir / "2024-05-01-scripts-hi.md"
    shutil.copy2(SCRIPTS / hindi.name, hindi)
    document = site.document(load_record(hindi, site.organisations))
    assert document.wording.language == "en"
    root = lxml.html.fromstring(render_html(document, site.templates_dir))
    heading = root.xpath("//h2[@id='endorsers-heading']/bdi")[0]
    assert (heading.text, heading.get("lang")) == ("This statement is endorsed by:", "en")

    result = CliRunner().invoke(cli, ["-C", str(site.root), "check"])
    assert result.exit_code == 0, result.output
    looked = site.templates_dir / "locale" / "hi" / "LC_MESSAGES" / "pressroom.po"
    line = next(n for n, text in enumerate(hindi.read_text().splitlines(), 1)
                if text.startswith("language:"))
    assert (f"{hindi}:{line}: warning: language: no message catalog for language 'hi' "
            f"(looked for {looked})") in result.output
    # the languages that have one are not warned about
    assert "language 'th'" not in result.output and "language 'ar'" not in result.output


def test_a_malformed_catalog_is_an_error_naming_its_file_and_line(tmp_path):
    site = _site(tmp_path / "site")
    po = site.templates_dir / "locale" / "th" / "LC_MESSAGES" / "pressroom.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    broken_at = next(n for n, text in enumerate(lines, 1) if text == 'msgid "Notes"')
    lines[broken_at - 1] = 'msgid "Notes'  # the closing quote lost in an edit
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        _document(site, "th")
    assert f"{po}:{broken_at}: error: catalog: not a valid message catalog" in str(caught.value)

    result = CliRunner().invoke(cli, ["-C", str(site.root), "check"])
    assert result.exit_code == 1
    assert result.output.count(f"{po}:{broken_at}: error: catalog:") == 1
    assert "Traceback" not in result.output

    result = CliRunner().invoke(cli, ["-C", str(site.root), "publish", "2024-05-01-scripts-th",
                                      "--direct"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{po}:{broken_at}" in result.output


def test_a_translation_that_drops_a_placeholder_is_an_error(tmp_path):
    site = _site(tmp_path / "site")
    po = site.templates_dir / "locale" / "ru" / "LC_MESSAGES" / "pressroom.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Страница {page} из {pages}"',
                               'msgstr "Страница {page} из {всего}"'), encoding="utf-8")
    line = next(n for n, t in enumerate(po.read_text().splitlines(), 1) if "{всего}" in t)
    with pytest.raises(ConfigError, match=rf"pressroom\.po:{line - 1}: error: catalog: msgstr "
                                          r"of 'Page \{page\} of \{pages\}' must keep"):
        _document(site, "ru")


def test_a_catalog_is_read_once_per_version_of_its_file(tmp_path, monkeypatch):
    site = _site(tmp_path / "site")
    calls = []
    real = wording._parse
    monkeypatch.setattr(wording, "_parse", lambda path: calls.append(path) or real(path))
    for _ in range(3):
        _document(site, "ar")
    assert len(calls) <= 1  # none when an earlier test of this process read the same file
    po = site.templates_dir / "locale" / "ar" / "LC_MESSAGES" / "pressroom.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "الحواشي"',
                                                         'msgstr "الهوامش"'), encoding="utf-8")
    assert _document(site, "ar").wording.text("Notes") == "الهوامش"
    assert calls[-1] == po


# --- the settings --------------------------------------------------------------------------------


def test_wording_settings_are_checked_with_their_line_and_key():
    base = (REPO / "pressroom.toml").read_text(encoding="utf-8")
    text = base + '\n[wording]\nnative_digits = ["th", "ru"]\nbuddhist_era = "yes"\nera = 1\n'
    settings, problems = parse_settings(text, "p.toml")
    assert settings is None
    lines = text.splitlines()
    at = {key: lines.index(line) + 1 for key in ("native_digits", "buddhist_era", "era")
          for line in lines if line.startswith(key)}
    found = {(d.field, d.line, d.severity.value) for d in problems}
    assert found == {("wording.native_digits", at["native_digits"], "error"),
                     ("wording.buddhist_era", at["buddhist_era"], "error"),
                     ("wording.era", at["era"], "warning")}
    message = next(d.message for d in problems if d.field == "wording.native_digits")
    assert "'ru' has no digits of its own" in message

    good = base + '\n[wording]\nnative_digits = ["th", "my"]\nbuddhist_era = true\n'
    settings, problems = parse_settings(good, "p.toml")
    assert problems == []
    assert (settings.native_digits, settings.buddhist_era) == (("th", "my"), True)


def test_the_page_left_at_a_withdrawn_statement_s_address_speaks_its_language(asking_site):
    from pressroom.render.html import render_tombstone

    document = _document(asking_site, "th")
    page = render_tombstone(document, asking_site.templates_dir, dt.date(2024, 6, 2), "ซ้ำ")
    root = lxml.html.fromstring(page)
    assert root.findtext(".//title") == f"ถอนออกแล้ว: {document.statement.title}"
    said = " ".join(root.xpath("//p[@class='draft-banner']")[0].text_content().split())
    assert said == "แถลงการณ์นี้ถูกถอนออกเมื่อ ๒ มิถุนายน พ.ศ. ๒๕๖๗"
    assert root.xpath("//h2[@id='reason-heading']")[0].text_content() == "เหตุผลที่ถอนออก"
    assert root.xpath("//nav[@class='archive-link']")[0].get("aria-label") == "คลังเอกสาร"


def test_check_warns_for_words_a_catalog_leaves_in_english(tmp_path):
    site = _site(tmp_path / "site")
    po = site.templates_dir / "locale" / "ru" / "LC_MESSAGES" / "pressroom.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Примечания"', 'msgstr ""'),
                  encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(site.root), "check"])
    assert result.exit_code == 0, result.output
    assert (f"{po}: warning: catalog: 1 of 52 words have no translation and print in "
            "English: 'Notes'") in result.output
    assert result.output.count("words have no translation") == 1  # the shipped ones are whole


def test_a_site_whose_templates_have_no_catalogs_uses_the_package_s(tmp_path):
    site = _site(tmp_path / "site")
    shutil.rmtree(site.templates_dir / "locale")  # templates copied before catalogs shipped
    document = _document(site, "ru")
    assert document.wording.text("Notes") == "Примечания"
    assert wording.missing_catalog(site.templates_dir, "ru") is None


def test_words_held_look_each_language_up_once_and_give_the_same_words(monkeypatch):
    """Inside `words_held` (the archive's pages, making every statement's document), a
    language's catalog is found once, with the same wording as when each asks; outside,
    each asks again (a catalog edited between two runs is read)."""
    asked = []
    real = wording.find_catalog
    monkeypatch.setattr(wording, "find_catalog", lambda folder, tag: asked.append(tag) or
                        real(folder, tag))
    plain = Settings("n", "s", "o", "https://example.org/")
    asked_digits = Settings("n", "s", "o", "https://example.org/", native_digits=("th",))
    alone = [wording.wording_for(LOCALE.parent, tag, plain) for tag in ("th", "en", "th")]
    assert asked == ["th", "en", "th"]
    asked.clear()
    with wording.words_held():
        held = [wording.wording_for(LOCALE.parent, tag, plain) for tag in ("th", "en", "th")]
        digits = wording.wording_for(LOCALE.parent, "th", asked_digits)
    assert (held, asked) == (alone, ["th", "en", "th"])
    assert digits.digits and not held[0].digits  # the settings are part of what is held
    wording.wording_for(LOCALE.parent, "th", plain)
    assert asked == ["th", "en", "th", "th"]
