"""Linked translations: one statement in English, Thai, Burmese, Arabic and Russian, each
version a record of its own that goes through the workflow, built into all three formats
and linked (hreflang, the language switcher, the sitemap, the archive's index listing the
group once); the fields they share come from the original, and a translation that says
otherwise is an error; an outdated translation and an untranslated one are warned of;
`pressroom translate` starts one. The pages are checked in headless Chromium (slow)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from pypdf import PdfReader

from conftest import copy_site
from pressroom.build import build
from pressroom.model import Severity
from pressroom.people import acting
from pressroom.site import load_site
from pressroom.translations import UNTRANSLATED, marked_body
from pressroom.workflow import Workflow
from test_workflow import run

EN = "2025-03-03-river-defenders"
LANGS = ("th", "my", "ar", "ru")
GROUP = [EN, *(f"{EN}-{lang}" for lang in LANGS)]
RADIO = "https://radio.example.org/news/defenders"
WATCH = "https://watch.example.org/reports/surveillance"
BASE = "https://www.forum-asia.org/statements/"
SRC = Path(__file__).resolve().parents[1] / "src"

ORIGINAL = f"""\
---
id: {EN}
type: joint-statement
title: "Mekong: Release the river defenders detained in Vientiane"
date: 2025-03-03
place: Bangkok
language: en
countries: [Laos]
topics: [human rights defenders]
issued_by: forum-asia
endorsers: [forum-asia, arf, awam]
contacts:
  - {{label: "East Asia Programme, FORUM-ASIA", email: east@forum-asia.org}}
state: private
---
We, the undersigned organisations, call for the release of the five river defenders
detained last week.[^1]

## Our demands

- Release the five defenders.
- End the surveillance of fishing villages.[^2]

[^1]: Reported by a local radio station: <{RADIO}>
[^2]: <{WATCH}>
"""

# Each translation leaves the shared fields out (they come from the original), but the
# Russian one repeats some of them, as a translator copying the original's header might.
TRANSLATIONS = {
    "th": ("แม่น้ำโขง: ปล่อยตัวนักปกป้องแม่น้ำที่ถูกควบคุมตัวในเวียงจันทน์", "กรุงเทพฯ",
           "โครงการเอเชียตะวันออก ฟอรัมเอเชีย", "",
           "พวกเราองค์กรที่ลงนามข้างท้ายขอเรียกร้องให้ปล่อยตัวนักปกป้องแม่น้ำทั้งห้าคน"
           "ที่ถูกควบคุมตัวเมื่อสัปดาห์ที่แล้ว[^1]",
           "ข้อเรียกร้องของเรา", "ปล่อยตัวนักปกป้องทั้งห้าคน", "ยุติการสอดแนมหมู่บ้านชาวประมง",
           "รายงานโดยสถานีวิทยุท้องถิ่น"),
    "my": ("မဲခေါင်- ဗီယင်ကျန်းတွင် ဖမ်းဆီးထားသော မြစ်ကာကွယ်သူများကို လွှတ်ပေးပါ", "ဘန်ကောက်",
           "အရှေ့အာရှ အစီအစဉ်၊ FORUM-ASIA", "",
           "လက်မှတ်ရေးထိုးထားသော အဖွဲ့အစည်းများဖြစ်သည့် ကျွန်ုပ်တို့သည် ပြီးခဲ့သည့်အပတ်က "
           "ဖမ်းဆီးခံရသော မြစ်ကာကွယ်သူ ငါးဦးကို လွှတ်ပေးရန် တောင်းဆိုပါသည်။[^1]",
           "ကျွန်ုပ်တို့၏ တောင်းဆိုချက်များ", "ကာကွယ်သူ ငါးဦးကို လွှတ်ပေးပါ။",
           "ငါးဖမ်းရွာများကို စောင့်ကြည့်ခြင်းကို ရပ်တန့်ပါ။", "ဒေသခံ ရေဒီယိုဌာနက သတင်းပို့သည်"),
    "ar": ("ميكونغ: أطلقوا سراح المدافعين عن النهر المحتجزين في فيينتيان", "بانكوك",
           "برنامج شرق آسيا، FORUM-ASIA", "",
           "نحن المنظمات الموقعة أدناه ندعو إلى الإفراج عن المدافعين الخمسة عن النهر الذين "
           "احتُجزوا الأسبوع الماضي.[^1]",
           "مطالبنا", "أطلقوا سراح المدافعين الخمسة.", "أوقفوا مراقبة قرى الصيادين.",
           "أفادت به محطة إذاعية محلية"),
    "ru": ("Меконг: освободите защитников реки, задержанных во Вьентьяне", "Бангкок",
           "Программа по Восточной Азии, FORUM-ASIA",
           "date: 2025-03-03\ncountries: [Laos]\nendorsers: [forum-asia, arf, awam]\n",
           "Мы, нижеподписавшиеся организации, призываем освободить пятерых защитников "
           "реки, задержанных на прошлой неделе.[^1]",
           "Наши требования", "Освободить пятерых защитников.",
           "Прекратить слежку за рыбацкими деревнями.", "Сообщение местной радиостанции"),
}

# Forum-Asia's name and About in Thai, for the directory: the other languages have none.
THAI_ORG = """\
  translations:
    th:
      name: เวทีเอเชียเพื่อสิทธิมนุษยชนและการพัฒนา (ฟอรัมเอเชีย)
      about: ฟอรัมเอเชียเป็นเครือข่ายขององค์กรสมาชิกในทวีปเอเชียที่ทำงานด้านสิทธิมนุษยชน
"""
THAI_NAME = "เวทีเอเชียเพื่อสิทธิมนุษยชนและการพัฒนา (ฟอรัมเอเชีย)"


def translation(lang: str, made_from: int) -> str:
    title, place, label, repeated, para, heading, one, two, note = TRANSLATIONS[lang]
    return (f'---\nid: {EN}-{lang}\ntitle: "{title}"\nplace: "{place}"\nlanguage: {lang}\n'
            f"{repeated}contacts:\n  - {{label: \"{label}\", email: east@forum-asia.org}}\n"
            f"state: private\ntranslation_of: {EN}\ntranslated_from_version: {made_from}\n"
            f"---\n{para}\n\n## {heading}\n\n- {one}\n- {two}[^2]\n\n"
            f"[^1]: {note}: <{RADIO}>\n[^2]: <{WATCH}>\n")


def publish(root: Path, sid: str) -> None:
    site = load_site(root)
    flow = Workflow(site)
    who = acting(site.settings)
    flow.perform(who, sid, "submit", rules=False)
    flow.perform(who, sid, "publish", rules=False)


def latest_version(root: Path, sid: str) -> int:
    from pressroom.versions import Versions

    return Versions(load_site(root).runs_dir).latest(sid).number


def make_group_site(dest: Path, languages=LANGS) -> Path:
    """The sample site with the group's records, each published through the workflow."""
    root = copy_site(dest)
    orgs = root / "statements" / "organisations.yaml"
    text = orgs.read_text(encoding="utf-8")
    orgs.write_text(text.replace("forum-asia:\n", "forum-asia:\n" + THAI_ORG, 1), "utf-8")
    (root / "statements" / f"{EN}.md").write_text(ORIGINAL, encoding="utf-8")
    publish(root, EN)
    made_from = latest_version(root, EN)
    for lang in languages:
        (root / "statements" / f"{EN}-{lang}.md").write_text(translation(lang, made_from),
                                                             encoding="utf-8")
        publish(root, f"{EN}-{lang}")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_group_site(tmp_path_factory.mktemp("group") / "site")
    # A Khmer translation started but not published: no public page may link it.
    run(root, "x", "translate", EN, "--to", "km")
    report = build(load_site(root), jobs=1)
    assert report.failures == [], report.failures
    return root


def page(root: Path, sid: str):
    return lxml.html.fromstring((root / "output" / sid / f"{sid}.html").read_bytes())


def problems(root: Path, sid: str) -> list:
    results = load_site(root).check()
    return results[root / "statements" / f"{sid}.md"][1]


# --- the records --------------------------------------------------------------------------


def test_the_group_checks_clean_and_takes_the_shared_fields_from_the_original(built):
    site = load_site(built)
    for sid in GROUP:
        found = problems(built, sid)
        assert [d for d in found if d.is_error] == [], found
        if sid.endswith(("-my", "-ar", "-ru")):  # no name or About in their language
            (warning,) = found
            assert warning.field == "issued_by" and "forum-asia has no name" in warning.message
        else:
            assert found == [], found
    original = site.load(EN)
    for lang in LANGS:
        loaded = site.load(f"{EN}-{lang}")
        assert loaded.language == lang and loaded.translation_of == EN
        for field in ("type", "date", "countries", "topics", "issued_by", "endorsers"):
            assert getattr(loaded, field) == getattr(original, field), (lang, field)
        assert [c.email for c in loaded.contacts] == ["east@forum-asia.org"]
        assert [f.urls for f in loaded.footnotes] == [(RADIO,), (WATCH,)]


def test_a_contradiction_is_an_error_naming_the_file_the_line_and_the_field(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("ru",))
    path = root / "statements" / f"{EN}-ru.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: 2025-03-03", "date: 2025-03-04")
                    .replace("email: east@forum-asia.org", "email: moscow@forum-asia.org")
                    .replace(f"<{WATCH}>", "<https://watch.example.org/other>"), "utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    found = [d for d in problems(root, f"{EN}-ru") if d.is_error]
    where = {(d.field, d.line) for d in found}
    assert ("date", lines.index("date: 2025-03-04") + 1) in where
    assert ("contacts", next(n for n, line in enumerate(lines, 1)
                             if line.startswith("contacts:"))) in where
    assert ("body", next(n for n, line in enumerate(lines, 1)
                         if line.startswith("[^2]:"))) in where
    date = next(d for d in found if d.field == "date")
    assert date.path == str(path)
    assert f"{path}:{date.line}: error: date: differs from the original ({EN})" in str(date)
    # The CLI says the same, as path:line: error: field: message, and exits 1.
    out = run(root, "x", "check", f"{EN}-ru", code=1)
    assert f"{path}:{date.line}: error: date:" in out and "Traceback" not in out


def test_a_translation_of_a_translation_and_a_misnamed_one_are_errors(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("th",))
    nested = root / "statements" / f"{EN}-th-ru.md"
    nested.write_text(translation("ru", 1).replace(f"id: {EN}-ru", f"id: {EN}-th-ru")
                      .replace(f"translation_of: {EN}", f"translation_of: {EN}-th"), "utf-8")
    misnamed = root / "statements" / "2025-03-03-defenders-ru.md"
    misnamed.write_text(translation("ru", 1).replace(f"id: {EN}-ru",
                                                     "id: 2025-03-03-defenders-ru"), "utf-8")
    results = load_site(root).check()
    assert any(d.field == "translation_of" and "is itself a translation" in d.message
               for d in results[nested][1])
    assert any(d.field == "id" and f"{EN}-ru" in d.message and d.line == 2
               for d in results[misnamed][1])


def test_an_outdated_translation_is_warned_of(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("th",))
    record = root / "statements" / f"{EN}-th.md"
    made = int(re.search(r"translated_from_version: (\d+)", record.read_text()).group(1))
    assert not [d for d in problems(root, f"{EN}-th") if "outdated" in d.message]
    original = root / "statements" / f"{EN}.md"
    original.write_text(original.read_text().replace("five river defenders",
                                                     "six river defenders"), "utf-8")
    site = load_site(root)
    Workflow(site).perform(acting(site.settings), EN, "publish", rules=False)
    now = latest_version(root, EN)
    (warning,) = [d for d in problems(root, f"{EN}-th") if "outdated" in d.message]
    assert warning.severity is Severity.WARNING and warning.field == "translated_from_version"
    assert (f"outdated translation: made from version {made}, the original ({EN}) is at "
            f"version {now}") in warning.message
    assert warning.line == next(n for n, line in enumerate(record.read_text().split("\n"), 1)
                                if line.startswith("translated_from_version:"))


def test_translate_starts_a_record_that_check_accepts_with_warnings(tmp_path):
    root = make_group_site(tmp_path / "site", languages=())
    out = run(root, "x", "translate", EN, "--to", "zh-Hant")
    sid = f"{EN}-zh-hant"
    path = root / "statements" / f"{sid}.md"
    assert f"statements/{sid}.md" in out
    text = path.read_text(encoding="utf-8")
    assert f"translation_of: {EN}" in text and "language: zh-Hant" in text
    assert f"translated_from_version: {latest_version(root, EN)}" in text
    assert "date:" not in text and "endorsers:" not in text  # they come from the original
    body = text.split("---\n", 2)[2]
    assert body == marked_body(ORIGINAL.split("---\n", 2)[2])
    assert f"## {UNTRANSLATED} Our demands" in body and f"- {UNTRANSLATED} Release" in body
    assert "detained last week.[^1]" in body and f"[^2]: <{WATCH}>" in body
    assert f"[^1]: {UNTRANSLATED} Reported by" in body
    found = problems(root, sid)
    assert [d for d in found if d.is_error] == []
    untranslated = {d.field for d in found if "not translated yet" in d.message}
    assert untranslated == {"title", "place", "contacts", "body"}
    out = run(root, "x", "check", sid)
    assert "0 errors" in out and "[TO TRANSLATE]" in out
    # It starts in the workflow as a new record does: private, its first version stored.
    assert "private" in run(root, "x", "workflow", sid)
    assert "translation" in run(root, "x", "versions", sid)
    # Refused: the same translation again, the original's own language, a translation's.
    assert "exists already" in run(root, "x", "translate", EN, "--to", "zh-Hant", code=2)
    assert "is in en already" in run(root, "x", "translate", EN, "--to", "en", code=2)
    assert "itself a translation" in run(root, "x", "translate", sid, "--to", "th", code=2)


# --- built and linked ---------------------------------------------------------------------


def test_every_language_is_built_in_all_three_formats(built):
    for sid in GROUP:
        names = sorted(p.name for p in (built / "output" / sid).iterdir())
        assert names == sorted([f"{sid}.docx", f"{sid}.html", f"{sid}.pdf", "manifest.json"])
    assert not (built / "output" / f"{EN}-km").exists()
    # The Burmese record leaves the endorsers out: they come from the original, by key.
    text = "".join(p.extract_text() for p in
                   PdfReader(built / "output" / f"{EN}-my" / f"{EN}-my.pdf").pages)
    assert "Asian Resource Foundation (ARF)" in text and "radio.example.org" in text
    import docx

    data = (built / "output" / f"{EN}-ar" / f"{EN}-ar.docx").read_bytes()
    # python-docx reads an address's no-break hyphens (so that it never breaks there) as "-".
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Asian Resource Foundation (ARF)" in text and "east@forum-asia.org" in text
    assert b"noBreakHyphen" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    # Thai shows the directory's Thai name and About; the others the default ones.
    th = page(built, f"{EN}-th")
    assert THAI_NAME in th.text_content() and "ฟอรัมเอเชียเป็นเครือข่าย" in th.text_content()
    assert THAI_NAME not in page(built, f"{EN}-ru").text_content()


def alternates(tree) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href")
            for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")}


def switcher(tree) -> list[tuple[str, str, bool]]:
    return [(el.get("lang"), el.text, el.get("aria-current") == "page")
            for el in tree.xpath("//nav[@class='languages']/ul/li/*")]


def test_the_pages_of_a_group_link_each_other(built):
    expected = {lang: f"{BASE}{sid}/{sid}.html"
                for lang, sid in zip(("en", *LANGS), GROUP, strict=True)}
    expected["x-default"] = expected["en"]
    names = {"en": "English", "th": "ไทย", "my": "မြန်မာ", "ar": "العربية", "ru": "Русский"}
    for sid in GROUP:
        tree = page(built, sid)
        assert alternates(tree) == expected, sid
        own = tree.get("lang")
        # The original first, then by language code; each named in itself.
        assert switcher(tree) == [(lang, names[lang], lang == own)
                                  for lang in ("en", "ar", "my", "ru", "th")], sid
        for a in tree.xpath("//nav[@class='languages']//a"):
            assert (built / "output" / sid / a.get("href")).resolve().is_file()
    # A statement with no translation has neither.
    sample = page(built, "2022-02-10-kazakhstan-crackdown")
    assert alternates(sample) == {} and sample.xpath("//nav[@class='languages']") == []


def test_the_sitemap_lists_the_alternates_and_the_index_the_group_once(built):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    tree = lxml.etree.fromstring((built / "output" / "sitemap.xml").read_bytes())
    for sid in GROUP:
        (url,) = tree.xpath(f"//s:url[s:loc='{BASE}{sid}/{sid}.html']", namespaces=ns)
        links = {x.get("hreflang"): x.get("href") for x in url.xpath("x:link", namespaces=ns)}
        assert set(links) == {"en", *LANGS, "x-default"}
        assert links["x-default"] == links["en"] == f"{BASE}{EN}/{EN}.html"
    assert "-km" not in (built / "output" / "sitemap.xml").read_text()
    index = lxml.html.fromstring((built / "output" / "index.html").read_bytes())
    hrefs = index.xpath("//ul[@class='statements']/li/a/@href")
    assert hrefs.count(f"{EN}/{EN}.html") == 1
    assert not [h for h in hrefs if h.startswith(f"{EN}-")]
    (item,) = index.xpath(f"//ul[@class='statements']/li[a[@href='{EN}/{EN}.html']]")
    assert item.xpath("ul[@class='languages']/li/a/@hreflang") == ["en", "ar", "my", "ru", "th"]
    assert "-km" not in (built / "output" / "index.html").read_text()


def test_publishing_a_translation_re_renders_the_pages_of_its_group_only(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("th",))
    build(load_site(root), jobs=1)
    before = {sid: (root / "output" / sid / "manifest.json").read_text()
              for sid in (EN, f"{EN}-th", "2022-02-10-kazakhstan-crackdown")}
    assert build(load_site(root), jobs=1).rendered == 0  # nothing changed
    run(root, "x", "translate", EN, "--to", "ru")
    (root / "statements" / f"{EN}-ru.md").write_text(
        translation("ru", latest_version(root, EN)), "utf-8")
    publish(root, f"{EN}-ru")
    report = build(load_site(root), jobs=1)
    assert report.failures == []
    import json

    for sid in (EN, f"{EN}-th"):
        old, new = json.loads(before[sid]), json.loads(
            (root / "output" / sid / "manifest.json").read_text())
        runs = {name: (old["outputs"][name]["run"], new["outputs"][name]["run"])
                for name in old["outputs"]}
        assert runs[f"{sid}.html"][0] != runs[f"{sid}.html"][1], sid  # its switcher changed
        for fmt in ("pdf", "docx"):  # the same fields: kept as they were
            assert runs[f"{sid}.{fmt}"][0] == runs[f"{sid}.{fmt}"][1], (sid, fmt)
        assert "ru" in alternates(page(root, sid))
    sample = "2022-02-10-kazakhstan-crackdown"
    assert (root / "output" / sample / "manifest.json").read_text() == before[sample]


def test_the_key_of_a_translation_holds_its_original_s_version(tmp_path):
    from dataclasses import replace

    from pressroom.inputs import Inputs
    from pressroom.model import Alternate

    site = load_site(copy_site(tmp_path / "site"))
    document = site.document(site.load("2022-02-10-kazakhstan-crackdown"))
    inputs = Inputs(site)
    group = (Alternate("en", "x", True, 3), Alternate("th", "x-th"))
    moved = (Alternate("en", "x", True, 4), Alternate("th", "x-th"))
    keys = {f: inputs.key(replace(document, alternates=group), f) for f in ("pdf", "html")}
    assert keys != {f: inputs.key(document, f) for f in ("pdf", "html")}
    for fmt in ("pdf", "docx", "html"):
        assert inputs.key(replace(document, alternates=group), fmt) != \
            inputs.key(replace(document, alternates=moved), fmt)
    # The original's own pages (no version on its alternates) keep their PDF's key.
    own = (Alternate("en", "x", True), Alternate("th", "x-th"))
    assert inputs.key(replace(document, alternates=own), "pdf") == inputs.key(document, "pdf")


def test_the_directory_holds_names_and_about_texts_per_language(tmp_path):
    from pressroom.organisations import parse_organisations

    orgs, found = parse_organisations(textwrap.dedent("""\
        ngo:
          name: A Network
          about: The network's work.
          translations:
            th: {name: เครือข่าย, about: งานของเครือข่าย}
            ru: {about: Работа сети.}
            xx yy: {name: bad}
            my: {title: wrong}
        plain:
          name: Plain strings stay valid
        """), "organisations.yaml")
    assert {(d.field, d.line) for d in found} == {("ngo.translations.xx yy", 7),
                                                  ("ngo.translations.my.title", 8)}
    ngo = orgs["ngo"]
    assert (ngo.in_language("th").name, ngo.in_language("th").about) == (
        "เครือข่าย", "งานของเครือข่าย")
    assert (ngo.in_language("ru").name, ngo.in_language("ru").about) == (
        "A Network", "Работа сети.")
    assert ngo.in_language("th-TH").language == "th"
    assert ngo.in_language("ar").name == "A Network" and ngo.in_language("ar").language is None
    assert orgs["plain"].in_language("th").name == "Plain strings stay valid"


# --- in the browser -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_the_links_and_the_switcher_in_chromium(chromium, built):
    url = (built / "output" / EN / f"{EN}.html").as_uri()
    with chromium.open(url) as loaded:
        assert loaded.errors == []
        links = loaded.evaluate("""[...document.querySelectorAll(
            'link[rel=alternate][hreflang]')].map(l => [l.hreflang, l.href])""")
        assert {lang for lang, _ in links} == {"en", *LANGS, "x-default"}
        shown = loaded.evaluate("""[...document.querySelectorAll('nav.languages li > *')]
            .map(e => [e.lang, e.textContent, e.getAttribute('aria-current'),
                       e.getBoundingClientRect().width > 0])""")
        assert [s[0] for s in shown] == ["en", "ar", "my", "ru", "th"]
        assert shown[0][2] == "page" and all(s[3] for s in shown)  # each drawn
        assert loaded.axe() == []
        loaded.page.click("nav.languages a[hreflang=th]")
        loaded.page.wait_for_load_state("load")
        assert loaded.page.url.endswith(f"{EN}-th/{EN}-th.html")
        assert loaded.evaluate("document.documentElement.lang") == "th"
        current = loaded.evaluate(
            "document.querySelector('nav.languages [aria-current=page]').textContent")
        assert current == "ไทย"
    with chromium.open((built / "output" / f"{EN}-ar" / f"{EN}-ar.html").as_uri(),
                       width=360) as loaded:
        assert loaded.evaluate("document.documentElement.dir") == "rtl"
        assert loaded.axe() == []
        wide = loaded.evaluate("document.documentElement.scrollWidth")
        assert wide <= 360


def test_a_change_to_the_original_s_shared_fields_reaches_its_translations(tmp_path):
    import json

    root = make_group_site(tmp_path / "site", languages=("th",))
    build(load_site(root), jobs=1)
    th = f"{EN}-th"
    assert page(root, th).xpath("//time/@datetime") == ["2025-03-03"]
    before = json.loads((root / "output" / th / "manifest.json").read_text())
    original = root / "statements" / f"{EN}.md"
    original.write_text(original.read_text().replace("date: 2025-03-03", "date: 2025-03-04"),
                        "utf-8")
    site = load_site(root)
    Workflow(site).perform(acting(site.settings), EN, "publish", rules=False)
    assert build(load_site(root), jobs=1).failures == []
    # Its record did not change, but every format of it is made again with the new date.
    after = json.loads((root / "output" / th / "manifest.json").read_text())
    assert after["record"] == before["record"]
    for name, entry in after["outputs"].items():
        assert entry["run"] != before["outputs"][name]["run"], name
    assert page(root, th).xpath("//time/@datetime") == ["2025-03-04"]
    index = json.loads((root / "output" / "search-index.json").read_text())
    dates = {s["id"]: s.get("date") for s in index["statements"]}
    assert dates[th] == dates[EN] == "2025-03-04"


def test_a_translation_of_an_original_with_errors_says_so(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("th",))
    original = root / "statements" / f"{EN}.md"
    original.write_text(original.read_text().replace("date: 2025-03-03", "date: someday"),
                        "utf-8")
    found = problems(root, f"{EN}-th")
    (said,) = [d for d in found if d.field == "translation_of"]
    assert said.is_error and f"its original {EN} has errors" in said.message
    lines = (root / "statements" / f"{EN}-th.md").read_text().split("\n")
    assert said.line == lines.index(f"translation_of: {EN}") + 1


@pytest.mark.slow
def test_every_language_s_word_file_opens_in_libreoffice(built, tmp_path):
    from libreoffice import convert, pdf_text

    sources = [built / "output" / sid / f"{sid}.docx" for sid in GROUP]
    for sid, pdf in zip(GROUP, convert(sources, "pdf", tmp_path), strict=True):
        text = pdf_text(pdf)
        # The endorsers and the contact's address come from the original, by key.
        assert "Asian Resource Foundation (ARF)" in text, sid
        assert "east@forum-asia.org" in text, sid


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
@pytest.mark.parametrize("width", [1280, 360])
def test_the_index_lists_the_group_once_in_chromium(chromium, built, width):
    with chromium.open((built / "output" / "index.html").as_uri(), width=width) as loaded:
        assert loaded.errors == []
        names = loaded.evaluate("""[...document.querySelectorAll(
            'ul.statements > li > ul.languages a')].map(a => [a.lang, a.textContent])""")
        assert names == [["en", "English"], ["ar", "العربية"], ["my", "မြန်မာ"],
                         ["ru", "Русский"], ["th", "ไทย"]]
        assert loaded.evaluate("document.documentElement.scrollWidth") <= width
        assert loaded.axe() == []


def test_a_translation_published_through_the_workflow_links_its_group_at_once(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("th",))
    build(load_site(root), jobs=1)
    (root / "statements" / f"{EN}-ru.md").write_text(
        translation("ru", latest_version(root, EN)), "utf-8")
    run(root, "x", "workflow", f"{EN}-ru", "submit")
    out = run(root, "x", "workflow", f"{EN}-ru", "publish")  # with its publication
    assert f"published into output/{EN}-ru/" in out
    assert set(alternates(page(root, f"{EN}-ru"))) == {"en", "th", "ru", "x-default"}
    # The others' pages link it at once, with no build; their other formats are kept.
    for sid in (EN, f"{EN}-th"):
        assert f"{sid}: its page links the translations as they are now" in out
        assert set(alternates(page(root, sid))) == {"en", "th", "ru", "x-default"}, sid
        assert "Русский" in [name for _, name, _ in switcher(page(root, sid))], sid
        manifest = json.loads((root / "output" / sid / "manifest.json").read_text())
        runs = {o["format"]: o["run"] for o in manifest["outputs"].values()}
        assert runs["html"] != runs["pdf"] == runs["docx"], (sid, runs)
    assert build(load_site(root), jobs=1).rendered == 0  # nothing left for a build
    # Retracted: no page links it any more.
    run(root, "x", "workflow", f"{EN}-ru", "retract", "--comment", "withdrawn")
    for sid in (EN, f"{EN}-th"):
        assert set(alternates(page(root, sid))) == {"en", "th", "x-default"}, sid
        assert "Русский" not in [name for _, name, _ in switcher(page(root, sid))], sid


def test_publishing_a_statement_outside_any_group_renders_no_other_page(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("th",))
    build(load_site(root), jobs=1)
    before = {sid: (root / "output" / sid / "manifest.json").read_text() for sid in (EN,
                                                                               f"{EN}-th")}
    sample = "2022-02-10-kazakhstan-crackdown"
    record = root / "statements" / f"{sample}.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "\n---\n", "\n---\nAn added first paragraph.\n\n", 1), encoding="utf-8")
    out = run(root, "x", "workflow", sample, "publish")
    assert f"published into output/{sample}/" in out and "links the translations" not in out
    for sid, text in before.items():
        assert (root / "output" / sid / "manifest.json").read_text() == text, sid


def test_the_store_is_asked_of_a_group_s_ids_only(built):
    from pressroom.versions import Versions

    published, states = Versions(load_site(built).runs_dir).family(EN)
    assert sorted(published) == sorted(GROUP)  # not the sample, nor the unpublished km
    assert states == dict.fromkeys(GROUP, "published")


@pytest.mark.slow
def test_a_build_through_the_notebook_links_the_group_too(tmp_path):
    root = make_group_site(tmp_path / "site", languages=("th",))
    report = build(load_site(root), jobs=1, via="notebook")
    assert report.failures == []
    for sid in (EN, f"{EN}-th"):
        assert set(alternates(page(root, sid))) == {"en", "th", "x-default"}
    # The Thai record leaves its date out: the notebook's run fills it in from the original.
    assert page(root, f"{EN}-th").xpath("//time/@datetime") == ["2025-03-03"]


def test_the_original_is_found_in_a_record_saved_with_a_byte_order_mark_and_crlf():
    from pressroom.translations import original_id_in

    record = f"---\r\nid: {EN}-th\r\ntranslation_of: '{EN}'\r\n---\r\nข้อความ\r\n"
    assert original_id_in(("\ufeff" + record).encode()) == EN
    assert original_id_in(record.replace("translation_of", "place").encode()) is None
    # Only the front matter counts: a body line that looks like the field does not.
    assert original_id_in(b"---\nid: x\n---\ntranslation_of: y\n") is None


def test_a_page_of_the_group_someone_is_publishing_is_left_to_the_next_build(tmp_path,
                                                                              monkeypatch):
    from pressroom import rules

    root = make_group_site(tmp_path / "site", languages=("th",))
    build(load_site(root), jobs=1)
    before = (root / "output" / EN / f"{EN}.html").read_bytes()
    (root / "statements" / f"{EN}-ru.md").write_text(
        translation("ru", latest_version(root, EN)), "utf-8")
    run(root, "x", "workflow", f"{EN}-ru", "submit")
    monkeypatch.setattr(rules, "LOCK_WAIT", 0.2)
    runs = load_site(root).runs_dir
    # Another process publishing the original: it holds the original's lock meanwhile.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from pressroom.locks import statement_lock; "
         f"statement_lock(Path({str(runs)!r}), {EN!r}, holder={{'run': 'other'}}); "
         "print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(SRC)})
    try:
        assert holder.stdout.readline().strip() == "held"
        out = run(root, "x", "workflow", f"{EN}-ru", "publish")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert f"published into output/{EN}-ru/" in out  # the transition itself is done
    assert f"{EN}: its page was not updated (" in out and "`pressroom build` updates it" in out
    assert f"{EN}-th: its page links the translations as they are now" in out
    assert (root / "output" / EN / f"{EN}.html").read_bytes() == before
    build(load_site(root), jobs=1)
    assert "ru" in alternates(page(root, EN))
