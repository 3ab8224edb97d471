"""The importer's rules one by one: dates and calendars, language, hidden e-mails, endorser
list forms, footnote markers, repairs, `--explain`, and what an import may write."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import hypothesis
import pytest
from click.testing import CliRunner
from hypothesis import strategies as st

from conftest import FIXTURES, SAMPLE_ID
from pressroom.cli import cli
from pressroom.importer import import_paths, import_text
from pressroom.importer.contacts import hidden_email, read_contacts
from pressroom.importer.dates import find_date
from pressroom.importer.endorsers import endorser_names
from pressroom.importer.language import chinese_script, detect_language, malay_or_indonesian
from pressroom.importer.sources import Line
from pressroom.model import Organisation, Severity
from pressroom.site import load_site

BODY = ("We, the undersigned organisations, call on the authorities to release the detained "
        "defenders and to drop every charge against them without delay.")


def imp(text: str, source: str = "archive/statement.txt", organisations=None):
    return import_text(text, source, organisations or {}, "forum-asia")


# --- dates and calendars ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "date", "buddhist"), [
    ("(เชียงใหม่, 5 เม.ย. 2566) – ทนาย", dt.date(2023, 4, 5), True),
    ("ณ กรุงเทพมหานคร วันที่ ๔ มีนาคม ๒๕๖๔", dt.date(2021, 3, 4), True),
    ("วันที่ ๑๐ ธ.ค. ๖๓", dt.date(2020, 12, 10), True),  # dateparser reads 2063
    ("काठमाडौं, २०७९/०८/२४", dt.date(2022, 12, 10), False),  # Bikram Sambat, numeric
    ("२४ मंसिर २०७९ गते", dt.date(2022, 12, 10), False),  # ... and with its month's name
    ("बैशाख १, २०८०", dt.date(2023, 4, 14), False),  # its new year
    ("23 ม.ค.2561 – องค์กร", dt.date(2018, 1, 23), True),
    ("24 มกราคม 2018", dt.date(2018, 1, 24), False),  # a Common-Era year stays
    ("ភ្នំពេញ ថ្ងៃទី០៤ ខែតុលា ឆ្នាំ២០២១ – អង្គការ", dt.date(2021, 10, 4), False),
    ("၂၀၂၁ ခုနှစ် မတ်လ ၄ ရက်", dt.date(2021, 3, 4), False),
    ("အောက်တိုဘာ ၂၊ ၂၀၂၀၊ ရန်ကုန် –", dt.date(2020, 10, 2), False),
    ("二〇二二年七月九日", dt.date(2022, 7, 9), False),
    ("عمّان، ١٠ أيار/مايو ٢٠٢٢ – يطالب", dt.date(2022, 5, 10), False),
    ("Lungsod Quezon, Ika-10 ng Disyembre 2022", dt.date(2022, 12, 10), False),
    ("Hà Nội, ngày 4 tháng 3 năm 2021", dt.date(2021, 3, 4), False),
    ("جاری کردہ: ۱۲ مارچ ۲۰۲۲", dt.date(2022, 3, 12), False),
])
def test_dates_of_the_regions_calendars_and_scripts(text, date, buddhist):
    found = find_date(text)
    assert found is not None and found.date == date and found.buddhist_era == buddhist


def test_a_date_that_cannot_be_found_is_an_error_never_today():
    result = imp("Philippines: Stop the killings\n" + BODY, source="archive/undated.txt")
    assert result.fields["date"] is None
    (d,) = [d for d in result.diagnostics if d.field == "date"]
    assert d.severity is Severity.ERROR


def test_a_sign_off_gives_place_and_date():
    result = imp("Malaysia: Drop the charge\n" + BODY + "\nKuala Lumpur, 3 May 2023\n")
    assert result.fields["date"] == dt.date(2023, 5, 3)
    assert result.fields["place"] == "Kuala Lumpur"
    assert "Kuala Lumpur" not in result.body_markdown


# --- language ------------------------------------------------------------------------------


def test_simplified_and_traditional_chinese_by_their_own_characters():
    assert chinese_script("我们呼吁有关当局立即释放被拘押的工人代表。") == "zh-Hans"
    assert chinese_script("我們呼籲立法院盡速通過難民法，保障尋求庇護者的權利。") == "zh-Hant"
    assert chinese_script("香港") is None
    assert detect_language("我们，以下联署团体，对广东省多名工人代表因协助同事追讨欠薪而遭警方拘押"
                           "一事表示严重关注。追讨合法工资是工人的基本权利。").language == "zh-Hans"


def test_malay_and_indonesian_by_words_only_one_of_them_uses():
    assert malay_or_indonesian("Kami menggesa kerajaan membebaskan kanak-kanak kerana "
                               "penahanan tidak baik.") == "ms"
    assert malay_or_indonesian("Kami mendesak pemerintah membebaskan anak-anak karena "
                               "penahanan tidak baik.") == "id"
    assert malay_or_indonesian("Kami dan mereka.") is None


def test_a_short_or_unclear_text_gives_a_warning_not_a_guess():
    found = detect_language("Release them now.")
    assert found.language is None and "too short" in found.why
    result = imp("Myanmar: Free them\n10 May 2022\nFree them now, all of them.")
    (d,) = [d for d in result.diagnostics if d.field == "language"]
    assert d.severity is Severity.WARNING and result.fields["language"] == "en"


# --- hidden e-mails --------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Media Team, FORUM-ASIA, [email protected]",
    "NFJP Secretariat: This email address is being protected from spambots. You need "
    "JavaScript enabled to view it.",
    "Дана, юрист: Этот адрес электронной почты защищён от спам-ботов. У вас должен быть "
    "включен JavaScript для просмотра.",
    "DRAC Secretariat, press [at] drac [dot] net",
    "Philippines Desk, philippines(at)marn.example.org",
    "Thailand Desk: thailand [at] marn.example [dot] org",
    # Joomla's sentence after the name and phone, no colon or full stop before it: in
    # Malay, and in a translation the importer has no words for.
    "Siti Rahman, Penyelaras, +60 12-555 3471, Alamat e-mel ini dilindungi daripada "
    "spambot. Anda perlukan JavaScript didayakan untuk melihatnya.",
    "Siti Rahman, coordinator, +60 12-555 3471, Osoite on suojattu spambotteja vastaan.",
    # Thai: an abbreviation's full stop ("โทร.", tel.) before the phone is no sentence's end.
    "ฝ่ายสื่อสาร TLCR โทร. 08 1555 3010 อีเมล อีเมลนี้จะถูกป้องกันจากสแปมบอท "
    "คุณต้องเปิดใช้งาน JavaScript เพื่อดู",
])
def test_hidden_emails_are_left_empty_and_said(line):
    assert hidden_email(line) is not None
    found = read_contacts([("Contact:", Line(1, line, line))])
    (contact,) = found.contacts
    assert contact["email"] is None and "@" not in contact["label"]
    assert "protected" not in contact["label"] and "[at]" not in contact["label"]
    assert "3471" in contact["label"] or "3010" in contact["label"] or not any(
        c.isdigit() for c in line)  # a phone before the hidden part stays in the label
    assert len(found.hidden) == 1


def test_a_visible_email_is_kept_with_its_group():
    found = read_contacts([("For media inquiries, please contact:",
                            Line(1, "Anna Keller, Officer, anna@ccpl.example.net", ""))])
    assert found.contacts == [{"label": "Anna Keller, Officer", "email": "anna@ccpl.example.net",
                               "group": "For media inquiries, please contact:"}]
    assert found.hidden == []


def test_an_address_alone_under_the_contacts_heading_is_a_contact_not_lost():
    found = read_contacts([("Contact:", Line(1, "info@river.example.org", ""))])
    assert found.contacts == [{"label": "info@river.example.org",
                               "email": "info@river.example.org", "group": "Contact:"}]


# --- endorser lists ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lines", "names"), [
    (["A Group (AG); Families of the Disappeared, Kilinochchi; Third Circle."],
     ["A Group (AG)", "Families of the Disappeared, Kilinochchi", "Third Circle"]),
    (["Centre (CCPL) - Mekong-Andaman Rights Network - SURAS"],
     ["Centre (CCPL)", "Mekong-Andaman Rights Network", "SURAS"]),
    (["香港劳工团结中心（HKLSC）、广州工友互助小组、台湾权利捍卫者网络（TNRD）"],
     ["香港劳工团结中心（HKLSC）", "广州工友互助小组", "台湾权利捍卫者网络（TNRD）"]),
    (["First Group, Second Group, Third Group"], ["First Group", "Second Group",
                                                  "Third Group"]),
    (["1.Suara Rakyat (SURAS)", "2.Regional Refugee Rights Initiative (RRRI)"],
     ["Suara Rakyat (SURAS)", "Regional Refugee Rights Initiative (RRRI)"]),
    (["1) Suara Rakyat Semenanjung (SURAS), Malaysia", "2) LBHN"],
     ["Suara Rakyat Semenanjung (SURAS), Malaysia", "LBHN"]),
    (["၁။ Myanmar Civil Society Forum (MCSF)", "၂။ South Asia Press Freedom Council"],
     ["Myanmar Civil Society Forum (MCSF)", "South Asia Press Freedom Council"]),
])
def test_endorser_list_forms(lines, names):
    got = endorser_names([Line(n, t, t) for n, t in enumerate(lines, 1)])
    assert [line.text for line in got] == names


def test_endorsers_match_by_acronym_and_close_spelling_with_a_warning(site):
    text = ("Myanmar: Free them\n(Bangkok, 3 March 2022) – " + BODY + "\nSigned by:\n"
            "- Asian Forum for Human Rights and Developement\n- 香港劳工团结中心 (LST)\n"
            "- An Unknown Group of Friends\n")
    result = import_text(text, "a.txt", site.organisations, "forum-asia")
    assert result.fields["endorsers"][:2] == ["forum-asia", "lst"]
    said = [d.message for d in result.diagnostics if d.field == "endorsers"]
    assert any("Developement" in m and "alike" in m for m in said)
    assert any("An Unknown Group of Friends" in m and "added" in m for m in said)


def test_a_close_spelling_with_other_numbers_is_another_organisation():
    """'Workers' Union Local 117' and '... Local 179' are 97% alike and two unions."""
    from pressroom.importer.orgs import Directory
    from pressroom.model import Organisation

    directory = Directory({"local-179": Organisation("local-179", "Workers Union Local 179"),
                           "cfhr": Organisation("cfhr", "Coalition for Human Rights")})
    lookup = directory.lookup()
    assert lookup.match("Workers Union Local 117") is None
    assert lookup.match("Workers Union Local 179").how == "exact"
    assert lookup.match("Coalition for Humann Rights").key == "cfhr"


@pytest.mark.parametrize("label", ["Resources", "Country Updates", "Новости", "ข่าวสาร"])
def test_a_section_label_is_never_the_title(label):
    alone = imp(f"{label}\n\n(Bangkok, 3 March 2022) – {BODY}\n")
    assert alone.fields["title"].startswith("TITLE NEEDED")
    assert any(d.field == "title" and d.is_error for d in alone.diagnostics)
    above = imp(f"{label}\nThailand: Drop the charges against the nine students\n"
                f"(Bangkok, 3 March 2022) – {BODY}\n")
    assert above.fields["title"] == "Thailand: Drop the charges against the nine students"
    assert label not in above.body_markdown


# --- footnotes -------------------------------------------------------------------------------


def test_glued_markers_only_where_a_note_exists_and_in_order():
    text = ("Laos: Free them\n(Vientiane, 3 March 2022) – The G7 ministers met in Mindanao1 "
            "and 12 villages were burnt.2 COVID-19 rules apply.\n"
            "Notes:\n1. https://example.org/one\n2. https://example.org/two\n")
    body = imp(text).body_markdown
    assert "Mindanao[^1]" in body and "burnt.[^2]" in body
    assert "G7" in body and "COVID-19" in body and "12 villages" in body


def test_superscript_markers_and_notes():
    text = ("Laos: Free them\n(Vientiane, 3 March 2022) – They were jailed.¹ Twice.²\n"
            "¹ https://example.org/one\n² A report, 2021.\n")
    body = imp(text).body_markdown
    assert "jailed.[^1] Twice.[^2]" in body
    assert "[^2]: A report, 2021." in body


def test_a_drupal_page_s_bulleted_list_of_labelled_notes():
    page = ("<html><body><article><h1>Nepal: Free them</h1><p>10 May 2022 - " + BODY +
            "<sup><a href='#footnote1_ab'>[1]</a></sup></p><p>" + BODY + "<sup><a "
            "href='#footnote2_ab'>[2]</a></sup></p><ul class='footnotes'><li "
            "id='footnote1_ab'><a href='#footnoteref1_ab'>[1]</a> A report, 2021.</li><li "
            "id='footnote2_ab'><a href='#footnoteref2_ab'>[2]</a> A ruling, 2020.</li></ul>"
            "</article></body></html>")
    got = imp(page, "archive/drupal.html")
    assert "[^1]: A report, 2021." in got.body_markdown
    assert "[^2]: A ruling, 2020." in got.body_markdown
    assert not [d for d in got.diagnostics if d.field == "footnotes"]


# --- repairs -------------------------------------------------------------------------------------


def test_an_empty_heading_and_an_empty_list_item_are_repaired_and_said():
    page = ("<html><body><article><h1>Nepal: Free them</h1><p>10 May 2022 - " + BODY +
            "</p><h3> </h3><h3><em> </em></h3><ul><li>First demand.</li><li> </li></ul>"
            "<p>We stand ready.</p></article></body></html>")
    result = import_text(page, "p.html", {}, "forum-asia")
    from pressroom.body import parse_body

    body, problems = parse_body(result.body_markdown)
    assert problems == []
    assert "#" not in result.body_markdown
    assert [type(b).__name__ for b in body.blocks] == ["Paragraph", "ListBlock", "Paragraph"]
    said = [d.message for d in result.diagnostics if d.field == "body"]
    assert said.count("an empty heading in the page was left out") == 2
    assert said.count("an empty list item in the page was left out") == 1


def test_a_footnote_with_no_text_is_left_out_with_its_marker():
    text = ("Laos: Free them\n(Vientiane, 3 March 2022) – They were jailed.[1] Twice.[2]\n"
            "[1] https://example.org/one\n[2]\n")
    result = imp(text)
    assert "[^2]" not in result.body_markdown and "[^1]" in result.body_markdown
    assert any(d.field == "footnotes" and "no text" in d.message for d in result.diagnostics)


# --- explain -------------------------------------------------------------------------------------


def test_explain_shows_every_line_cut_and_why(site_root, tmp_path):
    (site_root / "statements" / f"{SAMPLE_ID}.md").unlink()
    source = tmp_path / "s.txt"
    source.write_text("Home » News » Statements\nNepal: Free the journalists\n"
                      "Posted by web-editor | 3 minute read\n(Kathmandu, 3 March 2022) – "
                      + BODY + "\n-ENDS-\nShare this: Facebook Twitter\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["-C", str(site_root), "import", "--explain", str(source)])
    assert done.exit_code == 0, done.output
    cut = [line for line in done.output.splitlines() if ": cut: " in line]
    assert f"{source}:1: cut: a menu, breadcrumb trail or meta line: Home » News » " \
           "Statements" in cut
    assert any("-ENDS-" in line and "end marker" in line for line in cut)
    assert any("Share this" in line for line in cut)
    record = next((site_root / "statements").glob("2022-03-03-*.md")).read_text("utf-8")
    assert "Share this" not in record and "Posted by" not in record


# --- the chrome rules' fast path ------------------------------------------------------


def test_the_chrome_rules_take_the_lowercase_path():
    # A rule written with an uppercase letter ("[KkMm]") turned the faster matching off for
    # every line, silently: the rules must stay free of case for it.
    from pressroom.importer import chrome

    assert chrome._ANY_RULE_LOWER is not None


def _corpus_lines():
    inputs = FIXTURES / "archive-shapes" / "tuned" / "inputs"
    for path in sorted(inputs.iterdir()):
        if path.suffix in (".txt", ".html"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    yield line.strip()


def test_the_lowercase_path_picks_the_rule_ignorecase_picks_on_the_corpus():
    from pressroom.importer import chrome

    lines = list(_corpus_lines())
    assert len(lines) > 10_000
    differ = [line for line in lines
              if _rule_of(chrome._rules_match(line)) != _rule_of(chrome._ANY_RULE.match(line))]
    assert differ == []


def _rule_of(match):
    return None if match is None else (match.lastgroup, match.span())  # (the text lowered)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(
    [*"ENDS end Share SHARE Like Comments 12 K k M m . : | - # * ( ) ", "Read more", "Photo: ",
     "Donate now", "Copyright", "©", "赞", "Нравится", "-ENDS-"]), max_size=40).map("".join))
def test_the_lowercase_path_picks_the_rule_ignorecase_picks(text):
    from pressroom.importer import chrome

    assert _rule_of(chrome._rules_match(text)) == _rule_of(chrome._ANY_RULE.match(text))


# --- what an import writes ----------------------------------------------------------------


_WORDS = st.sampled_from(["Release", "the", "defenders", "(Bangkok,", "3 March 2022)", "–",
                          "Endorsed by:", "- Group", "About X:", "[1]", "¹", "Share this:",
                          "###", "For media inquiries, please contact:", "a@b.org",
                          "[at]", "<p>", "</p>", "<br>", "<h3>", "<li>", "é", "ไทย", "中文"])


@hypothesis.settings(max_examples=40, deadline=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(st.lists(st.lists(_WORDS, max_size=12).map(" ".join), min_size=1,
                           max_size=12).map("\n".join), st.sampled_from([".txt", ".html"]))
def test_an_import_never_raises_and_writes_only_records_directory_and_store(
        site_root, tmp_path_factory, text, suffix):
    folder = tmp_path_factory.mktemp("archive")
    (folder / f"s{suffix}").write_text(text, encoding="utf-8")
    before = _files(site_root)
    report = import_paths(load_site(site_root), [folder], force=True)
    assert report is not None
    for path in _files(site_root) - before:
        rel = path.relative_to(site_root).as_posix()
        assert (rel.startswith("statements/") and (rel.endswith(".md") or rel ==
                "statements/organisations.yaml")) or rel.startswith("runs/"), rel


def _files(root: Path) -> set[Path]:
    return {Path(d) / f for d, _, files in os.walk(root) for f in files}


def test_the_seed_keeps_its_about_address_and_contact_groups(site):
    source = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.txt"
    result = import_text(source.read_text("utf-8"), str(source), site.organisations,
                         "forum-asia")
    assert [c.get("group") for c in result.fields["contacts"]] == [
        "For further information, please contact:", "For media inquiries, please contact:"]
    assert result.fields["issued_by"] == "forum-asia"
    # The About block's closing address is the organisation's, already in the directory.
    assert not [d for d in result.diagnostics if d.field == "issued_by"]


def test_a_new_organisation_whose_key_is_digits_reads_back_as_text(tmp_path):
    """Found on the held-out corpus: a name of digits and marks gave the key "112620",
    written bare, which YAML reads as a number, and the directory no longer loaded."""
    from pressroom.importer.directory import append_organisations
    from pressroom.model import Organisation
    from pressroom.organisations import load_organisations

    path = tmp_path / "organisations.yaml"
    path.write_text("forum-asia:\n  name: FORUM-ASIA\n", encoding="utf-8")
    append_organisations(path, [Organisation("112620", "១១២៦២០"), Organisation("null", "x")])
    append_organisations(path, [Organisation("112620", "again")])  # known: not added twice
    found, problems = load_organisations(path)
    assert [d for d in problems if d.is_error] == []
    assert set(found) == {"forum-asia", "112620", "null"}
    assert found["112620"].name == "១១២៦២០"


# --- shapes of the front, the foot and the page, by structure --------------------------


def test_a_line_of_a_few_words_around_a_date_is_a_date_line_and_its_label_the_kind():
    got = imp("SURAS rejects the minister's remarks on its accounts\n"
              "Press Statement 10th September 2012\n\n" + BODY + "\n")
    assert got.fields["date"] == dt.date(2012, 9, 10)
    assert got.fields["type"] == "press-release"
    assert got.fields["place"] is None


def test_of_several_dates_above_the_text_the_earliest_is_taken_and_said():
    got = imp("Joint statement on the detained defenders of the delta\nPosted\n25 Jan 2022\n"
              "Originally published\n24 Jan 2022\n\n" + BODY + "\n")
    assert got.fields["date"] == dt.date(2022, 1, 24)
    assert got.fields["title"] == "Joint statement on the detained defenders of the delta"
    assert any(d.field == "date" and "earliest" in d.message for d in got.diagnostics)


def test_a_date_of_another_calendar_is_cut_and_the_gregorian_one_kept():
    from pressroom.importer.structure import calendar_line

    assert calendar_line("ថ្ងៃព្រហស្បតិ៍ ៦កើត ខែចេត្រ ឆ្នាំថោះ បញ្ចស័ក ព.ស.២៥៦៦")
    assert calendar_line("၁၃၈၅ ခုနှစ်၊ တပို့တွဲလဆန်း ၇ ရက်")
    assert not calendar_line("រាជធានីភ្នំពេញ ថ្ងៃទី២៣ ខែមីនា ឆ្នាំ២០២៣")  # a date is found
    assert not calendar_line("Release the 12 activists now")


def test_contacts_printed_as_cards_are_one_contact_each():
    lines = [("For interviews, please contact:", Line(n, t, t)) for n, t in (
        (10, "Sokha Chan"), (11, "Communications Officer, KRDA"), (12, "Tel: +855 12 345 678"),
        (13, "Email: sokha@krda.example.org"), (15, "Vuthy Kim"), (16, "Legal Aid Unit, KRDA"),
        (17, "Tel: +855 17 000 111"))]
    found = read_contacts(lines).contacts
    assert [(c["label"], c["email"]) for c in found] == [
        ("Sokha Chan, Communications Officer, KRDA, Tel: +855 12 345 678",
         "sokha@krda.example.org"),
        ("Vuthy Kim, Legal Aid Unit, KRDA, Tel: +855 17 000 111", None)]


def test_contacts_one_a_line_are_not_joined():
    lines = [("Media contact:", Line(n, t, t)) for n, t in (
        (10, "Anna Keller, CCPL, anna@ccpl.example.net"), (11, "Tom Hale, SAPFC"))]
    found = read_contacts(lines).contacts
    assert [c["label"] for c in found] == ["Anna Keller, CCPL", "Tom Hale, SAPFC"]


def test_a_heading_is_known_by_a_genre_word_inside_it_or_a_close_spelling():
    from pressroom.importer.structure import heading_of

    assert heading_of("媒体联络：")[0] == "contact"
    assert heading_of("Подписавшиеся организации:")[0] == "endorse"
    assert heading_of("Individuals:")[0] == "people"
    for people in ("Иргэд:", "Хувь хүмүүс:", "ບຸກຄົນ:", "தனிநபர்கள்:", "පුද්ගලයින්:"):
        assert heading_of(people)[0] == "people", people  # mn (citizens), mn, lo, ta, si
    # "Organisations and communities that signed:", in a script without spaces between words
    assert heading_of("អង្គការ និងសហគមន៍ដែលចុះហត្ថលេខា៖")[0] == "endorse"
    assert heading_of("Endorsed by 6 civil society organisations") is None  # a count
    assert heading_of("Individuals must be free to speak") is None


def test_people_who_sign_as_individuals_are_not_endorsers():
    got = imp("Drop the charges against the eleven students\n\n(Bangkok, 3 March 2021) – "
              + BODY + "\n\nOrganisations:\n1. Students for Democracy Network\n"
              "2. Rights Lawyers Group\n\nIndividuals:\n1. Somsak Jaidee, journalist\n")
    assert len(got.fields["endorsers"]) == 2
    assert any(d.field == "endorsers" and "1 person signed as an individual" in d.message
               for d in got.diagnostics)
    assert "Somsak" not in got.body_markdown


def test_a_table_of_names_gives_its_first_column():
    page = ("<html><body><article><h1>End the shutdown in the border townships now</h1>"
            f"<p>21 June 2020</p><p>{BODY}</p><h3>Signatories</h3><table><tr><th>Organisation"
            "</th><th>Country</th></tr><tr><td>Arakan Information Access Group</td>"
            "<td>Myanmar</td></tr><tr><td>Border Press Network</td><td>Thailand</td></tr>"
            "</table></article></body></html>")
    got = import_text(page, "archive/page.html", {}, "forum-asia")
    assert len(got.fields["endorsers"]) == 2
    assert "Myanmar" not in got.body_markdown
    assert any("other columns" in r.reason for r in got.removed)


def test_a_page_widget_outside_the_main_content_is_cut_with_its_reason():
    page = ("<html><body><div class='popup'><h4>Subscribe to our weekly digest</h4>"
            "<p>Join twelve thousand readers of the digest.</p></div><div class='container'>"
            "<h1>Release the reporters detained in Birgunj this week</h1>"
            f"<p>(Kathmandu, 9 March 2022) – {BODY}</p><p>{BODY}</p></div></body></html>")
    got = import_text(page, "archive/page.html", {}, "forum-asia")
    assert "Join twelve thousand" not in got.body_markdown
    assert any("Join twelve thousand" in r.text for r in got.removed)


def test_short_lines_after_the_lists_are_cut_and_said_but_a_closing_sentence_stays():
    got = imp("Drop the charges against the eleven students\n\n(Bangkok, 3 March 2021) – "
              + BODY + "\n\nSigned by:\nStudents for Democracy Network\nRights Lawyers Group\n"
              "\nThis statement was coordinated by the network's secretariat in Bangkok.\n\n"
              "Thailand · Students · Assembly\nOur partners in the region\n\nBackground\n"
              "The eleven students were arrested at their campus after a peaceful reading "
              "of the charter.\n")
    assert "coordinated by the network" in got.body_markdown
    assert "Background" in got.body_markdown  # a subheading: a sentence stands under it
    assert "Assembly" not in got.body_markdown and "partners" not in got.body_markdown
    said = [d for d in got.diagnostics if d.field == "body" and "short line" in d.message]
    assert [d.message.split("'")[1] for d in said] == ["Our partners in the region"]
    assert any(r.text == "Our partners in the region" for r in got.removed)


UN_STATEMENT = """                                                A/HRC/99/NGO/12
              United Nations
              General Assembly                          Distr.: General
Human Rights Council
Ninety-ninth session
Agenda item 4

              Written statement submitted by River Rights Watch (RRW), a
              non-governmental organization in special consultative status

              The Secretary-General has received the following written statement which is
              circulated in accordance with Economic and Social Council resolution 1996/31.

                                                [3 March 2031]

              Lowland dams: the displaced must be heard before the
              next dam is built

              River Rights Watch has recorded the eviction of eleven villages from the
              lowlands since the first dam was closed, without any hearing.
                                                                  GE.31-00012(E)
A/HRC/99/NGO/12
              The families were moved to land that floods each year.
"""


def test_a_un_ngo_statement_gives_its_submitters_date_and_title():
    got = imp(UN_STATEMENT, "archive/un.txt")
    assert got.fields["title"] == ("Lowland dams: the displaced must be heard before the next "
                                   "dam is built")
    assert got.fields["date"] == dt.date(2031, 3, 3)
    assert [k for k in got.fields["endorsers"]] == [got.fields["issued_by"]]
    assert any(d.field == "issued_by" and "submitted" in d.message for d in got.diagnostics)
    body = got.body_markdown
    assert "GE.31" not in body and "A/HRC" not in body and "Secretary-General" not in body
    assert "without any hearing." in body and "floods each year." in body
    reasons = {r.reason for r in got.removed}
    assert any("masthead" in r for r in reasons) and any("page break" in r for r in reasons)


def test_a_un_ngo_statement_keeps_a_compounds_hyphen_at_a_lines_end():
    text = UN_STATEMENT.replace(
        "River Rights Watch has recorded the eviction of eleven villages from the\n",
        "River Rights Watch has recorded the self-\n              determined eviction of eleven "
        "vil-\n              lages from the\n")
    body = imp(text, "archive/un.txt").body_markdown
    assert "self-determined eviction of eleven villages from the lowlands" in body


UPR_SUBMISSION = """Stakeholder Submission to the Universal Periodic Review
Fourth Cycle, 51st Session
State under review: Lao People's Democratic Republic

Land, rivers and the right to a hearing

Submitted by:

River Rights Watch (RRW)
Email: office@rrw.example.org | Website: www.rrw.example.org

Upland Farmers Collective
E-mail: farmers@ufc.example.org

Coordinating organisation: Upland Farmers Collective

Date of submission: 9 October 2031

Word count: 1,904

__________________________________________

Background

1. This submission is made by two organisations that work with families moved from the
lowlands, and it is based on interviews held in eleven villages over two years.

2. The families were moved to land that floods each year.
"""


def test_a_upr_submissions_cover_gives_its_submitters_contacts_coordinator_and_date():
    got = imp(UPR_SUBMISSION, "archive/upr.txt",
              {"rrw": Organisation("rrw", "River Rights Watch (RRW)")})
    assert got.fields["title"] == "Land, rivers and the right to a hearing"
    assert got.fields["date"] == dt.date(2031, 10, 9)
    endorsers = list(got.fields["endorsers"])
    assert endorsers[0] == "rrw" and len(endorsers) == 2
    assert got.fields["issued_by"] == endorsers[1]  # the coordinator, not the first listed
    assert [(c["group"], c["email"]) for c in got.fields["contacts"]] == [
        ("Submitted by:", "office@rrw.example.org"), ("Submitted by:", "farmers@ufc.example.org")]
    body = got.body_markdown
    assert body.startswith("Background") and "floods each year." in body
    for cover in ("51st Session", "State under review", "Word count", "Website", "___"):
        assert cover not in body
    assert any("coordinating" in d.message for d in got.diagnostics if d.field == "issued_by")


def test_a_list_heading_that_asks_for_something_introduces_demands_not_names():
    from pressroom.importer.structure import heading_of

    assert heading_of("The organisations submitting this statement call on the Council to:"
                      ) is None
    assert heading_of("Signed by the following organisations:") is not None


def test_contacts_end_where_no_address_or_number_follows_a_blank_line():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nFor media inquiries:\nRiver Desk, +66 2 555 0101\n\n#RiverDefenders "
              "#Mekong\n👍😢 2.4K\nWrite a comment…\n")
    contacts = got.fields["contacts"]
    assert [c["label"] for c in contacts] == ["River Desk, +66 2 555 0101"]
    assert "#RiverDefenders" not in got.body_markdown and "Write a comment" not in (
        got.body_markdown)


def test_where_a_group_is_goes_after_a_comma_and_two_of_one_country_stay_two():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nSigned by:\n- Families of the Missing Support Group (Thailand)\n"
              "- Border Legal Clinic Collective (Thailand)\n- River Lawyers – Laos\n")
    names = [o.name for o in got.new_organisations]
    assert names == ["Families of the Missing Support Group, Thailand",
                     "Border Legal Clinic Collective, Thailand", "River Lawyers, Laos"]
    assert len(got.fields["endorsers"]) == 3


def test_a_country_in_square_brackets_goes_after_a_comma_and_a_note_number_stays():
    # PDF exports print "Name [Country]"; square brackets also hold note numbers and
    # acronyms, so only a country's name is moved.
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nSigned by:\n- Families of the Missing Support Group [Thailand]\n"
              "- Border Legal Clinic Collective [BLCC]\n- River Lawyers [Laos]\n")
    assert [o.name for o in got.new_organisations] == [
        "Families of the Missing Support Group, Thailand",
        "Border Legal Clinic Collective [BLCC]", "River Lawyers, Laos"]


def test_a_statement_quoted_whole_in_a_post_is_the_quotation():
    page = ("<html><body><article><h1>Free the river defenders now</h1>"
            "<p>A network sent me this today; I post it here in full, as they asked.</p>"
            f"<blockquote><p>(Bangkok, 3 March 2021) – {BODY}</p><p>{BODY}</p><p>{BODY}</p>"
            "</blockquote><p>Share it if you can.</p></article></body></html>")
    got = import_text(page, "archive/blog.html", {}, "forum-asia")
    assert "I post it here" not in got.body_markdown and "Share it" not in got.body_markdown
    assert got.body_markdown.count("undersigned organisations") == 3
    assert any("quotes whole" in r.reason for r in got.removed)


def test_a_reposting_site_s_note_above_the_statement_is_cut():
    got = imp("Free the river defenders now\n\n12 March 2024\n\nWe publish the statement "
              "of the network unchanged.\n\n" + BODY + "\n")
    assert "We publish" not in got.body_markdown
    assert any("reposting site" in r.reason for r in got.removed)


def test_page_numbers_in_the_region_s_words_and_digits():
    from pressroom.importer.pages import is_paged

    assert is_paged("text\nपृष्ठ १ / २\nmore") and is_paged("a\nHalaman 1 dari 2\nb")
    assert is_paged("a\n第 1 页，共 2 页\nb") and not is_paged("我们第一次见面\n")
    assert not is_paged("We counted 1 of 2 cases.\n")


WAYBACK = """The Wayback Machine - https://web.archive.org/web/20230314102233/https://river.example.org/2023/free-them/
https://river.example.org/2023/free-them/
Go
12 captures
FEB
MAR
2023
About this capture
COLLECTED BY
TIMESTAMPS
Free the river defenders now

(Bangkok, 3 March 2021) – """ + BODY + "\n"


def test_a_web_archive_capture_keeps_the_page_s_own_address_and_drops_the_toolbar():
    got = imp(WAYBACK)
    assert got.fields["source_url"] == "https://river.example.org/2023/free-them/"
    assert got.fields["title"] == "Free the river defenders now"
    assert "captures" not in got.body_markdown and "TIMESTAMPS" not in got.body_markdown
    assert any("web archive" in r.reason for r in got.removed)


def test_country_headings_inside_an_endorser_list_are_not_endorsers():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nSigned by:\n\nRegional\nRiver Lawyers Network\n\nBangladesh\n"
              "Delta Rights Council\n\nNepal\nHill Defenders Forum\n")
    names = [o.name for o in got.new_organisations]
    assert names == ["River Lawyers Network", "Delta Rights Council", "Hill Defenders Forum"]
    assert got.fields.get("place") == "Bangkok"


def test_a_letterhead_s_lines_are_the_site_s_and_its_reference_gives_the_date():
    got = imp("RIVER LAWYERS NETWORK (RLN)\n(Registration No. PPM-014-10-2011)\n"
              "Tel: +603 2283 4417 | Fax: +603 2283 4418 | www.rln.example.my\n\n"
              "Open Letter to the Minister on the river defenders\n\n"
              "Our Ref: RLN/OL/2022/017    Kuala Lumpur, 21 June 2022\n\n"
              "Dear Minister,\n\n" + BODY + "\n\nYours sincerely,\n\nRiver Lawyers Network\n")
    assert got.fields["date"] == dt.date(2022, 6, 21)
    assert got.fields["place"] == "Kuala Lumpur"
    assert "Tel:" not in got.body_markdown and "Registration" not in got.body_markdown


def test_a_run_of_superscript_digits_is_read_in_linear_time():
    # With a nested quantifier this search backtracks exponentially (40 digits: hours); the
    # suite's own time limit is what catches a return of it.
    from pressroom.importer.structure import _SENTENCE_END

    assert _SENTENCE_END.search("A sentence." + "³" * 40 + "x") is None
    assert _SENTENCE_END.search("A sentence." + "³" * 40) is not None


@pytest.mark.parametrize(("text", "person"), [
    ("Dr. Farah Nadia Kamarudin, pensyarah undang-undang", True),
    ("Ramesh a/l Subramaniam, peguam hak asasi manusia", True),
    ("Tan Mei Ling, aktivis hak kanak-kanak", True),
    ("Lumad Schools Defence Alliance, Philippines", False),
    ("Persatuan Ibu Bapa Pelarian Selangor", False),
    ("Advocates for Lawyers' Rights (ALR)", False),
    ("Journalists Without Borders Network, lawyer group", False),
])
def test_a_person_in_a_list_of_organisations_is_told_apart(text, person):
    from pressroom.importer.endorsers import is_person

    assert is_person(text) is person


def test_people_among_a_list_s_organisations_are_not_endorsers_and_are_said():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nEndorsed by:\n1. Border Legal Clinic Collective\n2. Dr. Somchai Rakdee, "
              "lecturer\n3. River Lawyers Network\n")
    names = [o.name for o in got.new_organisations]
    assert names == ["Border Legal Clinic Collective", "River Lawyers Network"]
    said = [d.message for d in got.diagnostics if d.field == "endorsers"]
    assert any("1 person signed as an individual" in m for m in said), said


def test_a_chinese_list_s_count_glued_to_its_last_name_is_cut_and_said():
    got = imp("释放河流守护者\n\n2021年3月3日\n\n" + BODY + "\n\n联署团体：\n河流律师网络、"
              "边境法律诊所……等31个团体\n")
    assert [o.name for o in got.new_organisations] == ["河流律师网络", "边境法律诊所"]
    assert any("等31个团体" in d.message for d in got.diagnostics if d.field == "endorsers")


def test_a_letterhead_above_the_date_line_is_the_sender_not_the_title():
    got = imp("        BORDER LEGAL CLINIC COLLECTIVE\n                (BLCC)\n"
              "         info@blcc.example.org\n"
              "                                         Bangkok, 3 March 2021\n\n"
              "Open letter to the Minister of Justice\non the "
              "river defenders' trial\n\nDear Minister,\n\n" + BODY + "\n")
    assert got.fields["title"] == ("Open letter to the Minister of Justice on the river "
                                   "defenders' trial")
    assert got.fields["issued_by"] == "blcc"
    assert any("letterhead" in r.reason for r in got.removed)


@pytest.mark.parametrize("name", ["Koalisi Pembela Sungai Kapuas", "Aliansi Nelayan Teluk",
                                  "Serikat Petani Lembah Hijau", "Kilusan ng mga Mangingisda"])
def test_a_coalition_signing_under_the_sign_off_above_the_list_is_the_issuer(name):
    got = imp("Tolak kriminalisasi warga penjaga sungai\n\n" + BODY
              + f"\n\nPontianak, 4 Mei 2023\n\n{name}\n\nOrganisasi penandatangan:\n\n"
              "Forum Warga Hulu\nLembaga Bantuan Hukum Nusantara (LBHN)\n")
    issuer = next(o for o in got.new_organisations if o.key == got.fields["issued_by"])
    assert issuer.name == name
    assert name not in got.body_markdown
    assert any(d.field == "issued_by" and "signed by" in d.message for d in got.diagnostics)


@pytest.mark.parametrize(("before", "after", "joined"), [
    ("report short-", "ages of rice", "report shortages of rice"),
    ("written travel per-", "mission", "written travel permission"),
    ("daripada undang-", "undang antarabangsa", "daripada undang-undang antarabangsa"),
    ("the right to self-", "determination", "the right to self-determination"),
    ("https://example.org/protect-civilians-in-northern-", "shan/",
     "https://example.org/protect-civilians-in-northern-shan/"),
    ("ends with a word", "and goes on", "ends with a word and goes on"),
])
def test_a_word_broken_at_a_line_s_end_is_joined_only_where_the_hyphen_was_the_line_s(
        before, after, joined):
    from pressroom.importer.hyphens import join_broken

    assert join_broken(before, after) == joined


def test_a_text_wrapped_at_a_fixed_width_is_read_a_paragraph_a_block():
    wrapped = ("Free the river defenders now\n\n(Bangkok, 3 March 2021) - We, the undersigned "
               "organisations, call on the\nauthorities to release the detained defenders and "
               "to drop every charge\nagainst them without delay, and to open an inquiry into "
               "the raid on\ntheir office, where police took every computer and the short-\n"
               "ages of the legal aid fund were made worse by the seizure of its\naccounts.\n\n"
               "The undersigned organisations also ask the court to hear the defenders'\n"
               "lawyers in full before it rules on the request to extend their detention\n"
               "by another sixty days, and to give its reasons in public and in writing.\n")
    got = imp(wrapped)
    paragraphs = [p for p in got.body_markdown.split("\n\n") if p.strip()]
    assert len(paragraphs) == 2, paragraphs
    assert "call on the authorities" in paragraphs[0] and "the shortages of" in paragraphs[0]


def test_a_wrapped_title_above_a_menu_line_is_read_without_error():
    # Found by the fuzzer: the two lines joined into one title were looked up among the
    # page's lines, where no such line is.
    got = imp("A long title of a page that the export wrapped onto\nthe next line of the file\n"
              "Home | News | Statements | Contact\n\n(Bangkok, 3 March 2021) - " + BODY + "\n")
    assert "Home" not in got.body_markdown


@pytest.mark.parametrize(("text", "page", "date"), [
    ("काठमाडौं, साउन १२ ।", "साउन १२, २०८०", dt.date(2023, 7, 28)),
    ("पोखरा, १० साउन गते", "साउन १२, २०८०", dt.date(2023, 7, 26)),
    # Issued late in one Bikram Sambat year, posted early in the next: the year before.
    ("काठमाडौं, चैत २८", "वैशाख ७, २०८०", dt.date(2023, 4, 11)),
])
def test_a_yearless_nepali_dateline_takes_the_year_of_the_page_s_date(text, page, date):
    got = imp(f"प्रकाशित मिति: शुक्रबार, {page}\n\nविधेयक पीडितमैत्री बनाइयोस्\n\n{text}\n\n"
              + BODY + "\n")
    assert got.fields["date"] == date
    assert got.fields.get("place") == text.split(",")[0]
    said = [d.message for d in got.diagnostics if d.field == "date"]
    assert any("gives no year" in m for m in said), said
    assert text not in got.body_markdown


@pytest.mark.parametrize(("line", "place"), [
    ("（香港．2021年7月15日）本會今日到政府總部請願。", "香港"),  # a full-width stop between
    ("（台北・2021年7月15日）本會今日到立法院請願。", "台北"),  # a middle dot
])
def test_a_chinese_datelines_place_and_date_parted_by_a_stop_or_a_dot(line, place):
    from pressroom.importer.datelines import match_dateline

    found = match_dateline(line, "zh-Hant")
    assert (found.place, found.date) == (place, dt.date(2021, 7, 15))


def test_the_sites_name_is_one_of_a_one_line_lists_names_by_its_acronym():
    page = ("<html><head><title>新聞稿標題 | 河流權益中心</title></head><body><article>"
            "<h1>請願要求當局即時介入欠薪事件</h1><p>（香港．2021年7月15日）本會今日聯同多個團體"
            "到政府總部請願，要求當局即時介入事件，並追究承判商的責任。</p>"
            "<p>聯署團體：河流權益中心（RRW）、高地農民合作社、街坊互助會</p></article></body></html>")
    got = imp(page, "archive/press.html",
              {"rrw": Organisation("rrw", "River Rights Watch (RRW)")})
    assert got.fields["issued_by"] == "rrw"
    assert any("site's name" in d.message for d in got.diagnostics if d.field == "issued_by")


@pytest.mark.parametrize("line", [
    "Berkaitan", "Artikel berkaitan", "ဆက်စပ်ဖတ်ရှုရန်",  # related posts, Malay and Burmese
    "Alamat e-mel anda tidak akan disiarkan. Ruangan wajib ditanda *",  # a comment form
    "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *",
])
def test_related_posts_and_comment_forms_in_other_languages_are_chrome(line):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line)


def test_a_posted_line_then_the_texts_own_dateline_of_that_day_gives_the_place():
    got = imp("Bebaskan wartawan yang ditahan\n\nDiterbitkan pada 18 Jun 2020 oleh Admin\n\n"
              "KUALA LUMPUR, 18 Jun 2020 – " + BODY + "\n\nDisokong oleh:\n"
              "Suara Rakyat - Forum Warga Hulu - Lembaga Bantuan Hukum Nusantara (LBHN)\n")
    assert got.fields["date"] == dt.date(2020, 6, 18)
    assert got.fields["place"] == "Kuala Lumpur"
    assert len(got.fields["endorsers"]) == 3  # one line, its names parted by " - "


def test_a_labelled_letter_title_over_two_lines_under_its_date_line():
    got = imp("                                   Geneva, 12 September 2031\n\n"
              "OPEN LETTER: Renew and strengthen the mandate of the Special Rapporteur\n"
              "on the situation of human rights in Lowland\n\n"
              "To Permanent Representatives of Member States\nof the Council\n"
              "Geneva, Switzerland\n\n"
              "Cc: H.E. the President of the Council\n\n"
              "Your Excellencies,\n\n"
              # the text as a PDF's export wraps it: lines about as long as the title's
              "We, the undersigned national, regional and international civil society\n"
              "organisations, urge your delegation to support the mandate's renewal,\n"
              "that the resolution gives the mandate the resources its work requires.\n")
    assert got.fields["title"] == ("Renew and strengthen the mandate of the Special "
                                   "Rapporteur on the "
                                   "situation of human rights in Lowland")
    assert got.fields["type"] == "open-letter"
    assert got.body_markdown.startswith("To Permanent Representatives")


def test_a_closing_line_issuing_it_jointly_lists_its_endorsers():
    got = imp("Families still wait for answers\n\n30 August 2031\n\n" + BODY + "\n\n"
              "This press release is issued jointly by: River Rights Watch (RRW); Forum Warga "
              "Hulu; Upland Farmers Collective, Lowland\n")
    assert len(got.fields["endorsers"]) == 3
    assert "issued jointly" not in got.body_markdown


def test_an_arabic_datelines_place_without_the_word_before_its_day():
    from pressroom.importer.datelines import match_dateline

    found = match_dateline("بيروت في ١٠ كانون الأول/ديسمبر ٢٠٢٣", "ar")
    assert (found.place, found.date) == ("بيروت", dt.date(2023, 12, 10))


def test_a_date_under_the_signature_is_not_the_place():
    got = imp("عنوان البيان\n\n" + BODY + "\n\nکانون دفاع از حقوق مهاجران\n۱۰ دی ۱۴۰۲\n",
              organisations={"kdhm": Organisation("kdhm", "کانون دفاع از حقوق مهاجران")})
    assert got.fields["issued_by"] == "kdhm"  # signed at the foot, and dated under its name
    assert got.fields["place"] is None


@pytest.mark.parametrize("heading", ["ऐक्यबद्धता जनाउने संस्थाहरू:", "Supporting organisations:"])
def test_a_heading_ending_with_the_organisations_opens_the_list(heading):
    from pressroom.importer.structure import heading_of

    assert heading_of(heading)[0] == "endorse"
    assert heading_of("We call on the organisations:") is None or heading_of(
        "We call on the organisations:")[0] != "endorse"


def test_a_filipino_joint_statement_label_is_not_the_title():
    got = imp("Pinagkaisang Pahayag: Itigil ang panggigipit sa mga unyon\n\n"
              "LUNGSOD QUEZON — " + BODY + "\n")
    assert got.fields["title"] == "Itigil ang panggigipit sa mga unyon"
    assert got.fields["type"] == "joint-statement"


KOREAN_RELEASE = """공익인권법센터 바로 · 강변인권연대

                                   보 도 자 료

배포일시: 2031. 3. 18.(월)
보도시점: 즉시 보도 가능
쪽수: 총 2쪽

[공동 보도자료] 강변 주민 이주 실태조사 결과 발표

공익인권법센터 바로를 비롯한 2개 단체는 오늘 국회 앞에서 기자회견을 열고, 강변 마을 주민
120명을 대상으로 실시한 이주 실태조사 결과를 발표했다.

□ 조사 결과, 응답자의 절반 이상이 보상 절차에 대해 아무런 설명을 듣지 못한 것으로
나타났다.1) 상당수는 이주 날짜도 통보받지 못했다.

─────────────
1) 설문은 2031년 1월부터 2월까지 대면 방식으로 진행되었다.

                                      - 1 -

□ 단체들은 다음 달 관계 부처에 정책 제안서를 전달할 계획이다.

공동 보도 단체: 공익인권법센터 바로, 강변인권연대, 주거권네트워크

                                      - 2 -
"""


def test_a_korean_release_its_spaced_label_header_lines_and_notes_under_a_rule():
    got = imp(KOREAN_RELEASE, "archive/release.txt",
              {"baro": Organisation("baro", "공익인권법센터 바로")})
    assert got.fields["title"] == "강변 주민 이주 실태조사 결과 발표"
    assert got.fields["type"] == "press-release"
    assert got.fields["date"] == dt.date(2031, 3, 18)
    assert len(got.fields["endorsers"]) == 3 and got.fields["endorsers"][0] == "baro"
    body = got.body_markdown
    for chrome in ("보 도 자 료", "보도시점", "쪽수", "───", "- 1 -"):
        assert chrome not in body
    assert "못한 것으로 나타났다.[^1] 상당수는" in body  # the marker's bracket is the note's
    assert "[^1]: 설문은 2031년 1월부터" in body


def test_a_numbered_list_at_a_pages_foot_without_a_rule_is_no_footnotes():
    text = KOREAN_RELEASE.replace("─────────────\n", "")
    assert "[^1]:" not in imp(text, "archive/release.txt").body_markdown


def test_a_letterhead_with_a_street_address_above_the_date_line_and_en_dash_page_numbers():
    got = imp("             RIVER RIGHTS WATCH\n"
              "   4/F River House, 12 Bank Road, Quezon City 1101, Philippines\n\n"
              "FOR IMMEDIATE RELEASE\n30 August 2031\n\n"
              "Families of the displaced want answers\n\n"
              "MANILA – " + BODY + "\n\n                   – 1 –\n\n" + BODY + "\n")
    assert got.fields["title"] == "Families of the displaced want answers"
    assert got.fields["place"] == "Manila"
    assert "– 1 –" not in got.body_markdown and "Bank Road" not in got.body_markdown


def test_a_drupal_print_view_its_site_line_title_and_source_url():
    got = imp("Release the journalists | River Rights Watch\n"
              "Published on River Rights Watch (https://rrw.example.org)\n\n"
              "Release the journalists\n\nপ্রকাশিত: শুক্রবার, ০৩ মে ২০৩১\n\n" + BODY + "\n\n"
              "Source URL: https://rrw.example.org/node/12\n", "archive/print.txt",
              {"rrw": Organisation("rrw", "River Rights Watch (RRW)")})
    assert got.fields["title"] == "Release the journalists"
    assert got.fields["source_url"] == "https://rrw.example.org/node/12"
    assert got.fields["issued_by"] == "rrw" and got.fields["place"] is None
    assert got.fields["date"] == dt.date(2031, 5, 3)


@pytest.mark.parametrize(("line", "language", "place", "date"), [
    # the date, "at", the place
    ("二〇二二年三月四日于香港", "zh-Hans", "香港", dt.date(2022, 3, 4)),
    # a posted line, with its weekday
    ("ចុះផ្សាយ៖ ថ្ងៃអង្គារ ទី១៥ ខែមីនា ឆ្នាំ២០២២", "km", None, dt.date(2022, 3, 15)),
])
def test_sign_off_and_posted_lines_give_their_place_or_none(line, language, place, date):
    from pressroom.importer.datelines import match_dateline

    found = match_dateline(line, language)
    assert (found.place, found.date) == (place, date)


def test_a_generic_about_block_that_opens_with_a_listed_endorsers_name_is_the_issuer():
    got = imp("แถลงการณ์หยุดสร้างกำแพงกันคลื่น\n\n" + BODY + "\n\nองค์กรที่ร่วมลงนาม:\n"
              "1) มูลนิธิสิทธิชุมชนชายฝั่ง (CCRF)\n2) เครือข่ายประมงพื้นบ้านอันดามัน\n\n"
              "เกี่ยวกับเรา\nมูลนิธิสิทธิชุมชนชายฝั่งทำงานร่วมกับชุมชนประมงพื้นบ้านมาตั้งแต่ปี 2548\n",
              organisations={"ccrf": Organisation("ccrf", "Coastal Community Rights Foundation "
                                                          "(CCRF)")})
    assert got.fields["issued_by"] == "ccrf"


def test_a_yearless_dateline_with_no_page_date_is_left_for_a_person():
    got = imp("विधेयक पीडितमैत्री बनाइयोस्\n\nकाठमाडौं, साउन १२ ।\n\n" + BODY + "\n")
    assert "date" not in got.fields or got.fields["date"] is None
    assert any(d.severity is Severity.ERROR for d in got.diagnostics if d.field == "date")


def test_the_furniture_dropped_inside_a_saved_page_s_article_is_said_and_its_date_read():
    page = ("<html><head><title>Release them</title></head><body><article>"
            "<h1>Release them</h1><table class='hwp-header'><tr><td>Released</td>"
            "<td>2024. 5. 20.</td></tr></table><p>" + BODY + "</p><p>" + BODY + "</p>"
            "<div class='share-buttons'>Share on Facebook</div></article></body></html>")
    got = imp(page, "archive/statement.html")
    assert got.fields["date"] == dt.date(2024, 5, 20)
    reasons = {r.text: r.reason for r in got.removed}
    assert "furniture" in reasons.get("2024. 5. 20.", ""), reasons
    assert "furniture" in reasons.get("Share on Facebook", ""), reasons
    assert "Share on Facebook" not in got.body_markdown


def test_an_address_is_looked_for_from_word_starts_only():
    # Tried at each letter of a long word, the name's part was read again to the word's end:
    # a 28 KB word took seconds (found by make reliability's fuzzer), a megabyte would take
    # an hour; the suite's own time limit is what catches a return of it.
    from pressroom.importer.contacts import hidden_email
    from pressroom.importer.sources import EMAIL

    word = "x" * 1_000_000
    assert EMAIL.search(word) is None and hidden_email(word) is None
    assert EMAIL.search(f"{word} press@example.org").group(0) == "press@example.org"
    assert hidden_email(f"{word} press [at] example [dot] org").group(0) == (
        "press [at] example [dot] org")


def test_a_press_release_s_first_sentence_names_who_says_it_at_its_end():
    orgs = {"rrri": Organisation(key="rrri", name="Regional Refugee Rights Initiative (RRRI)")}
    got = imp("Stop the removal flights\n\nKuala Lumpur, 14 September 2022 - Malaysia must stop "
              "the deportations and let the refugee agency into the depots, the Regional Refugee "
              "Rights Initiative (RRRI) said today.\n\n" + BODY + "\n", organisations=orgs)
    assert got.fields["issued_by"] == "rrri"


def test_people_on_their_heading_s_line_are_not_endorsers():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nEndorsed by:\n\nBorder Legal Clinic Collective, River Lawyers Network\n\n"
              "Individuals: Arunee Srisuk, researcher, Chiang Mai; Budi Prasetyo, lawyer\n")
    assert [o.name for o in got.new_organisations] == ["Border Legal Clinic Collective",
                                                       "River Lawyers Network"]
    assert any("2 people" in d.message for d in got.diagnostics if d.field == "endorsers")


def test_a_short_heading_with_a_colon_among_contacts_opens_a_second_group():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nFor media enquiries in Bangkok:\nSomchai, +66 2 555 0100, s@example.org\n\n"
              "For international media:\nPriya, +66 89 555 0176, p@example.org\n")
    groups = [c["group"] for c in got.fields["contacts"]]
    assert groups == ["For media enquiries in Bangkok:", "For international media:"]


@pytest.mark.parametrize("line", ["Baca juga: Dua petani ditahan di Morowali", "공감 14",
                                  "댓글 3", "赞 1024", "Нравится 52", "신고하기",
                                  "この記事が気に入ったらサポートをしてみませんか？"])
def test_a_portal_s_teasers_and_a_post_s_reactions_are_chrome(line):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) is not None


def test_a_list_on_one_line_parted_by_middle_dots_is_split():
    got = imp("단속 과정의 죽음\n\n2022년 11월 3일\n\n" + BODY + "\n\n참여 단체:\n"
              "경기이주노동자지원센터 · 난민과함께하는변호사모임 · 이주민인권연대\n")
    assert [o.name for o in got.new_organisations] == [
        "경기이주노동자지원센터", "난민과함께하는변호사모임", "이주민인권연대"]


def test_a_pdf_s_running_header_names_the_issuer():
    orgs = {"ccrf": Organisation(key="ccrf", name="Coastal Community Rights Foundation (CCRF)")}
    header = "Coastal Community Rights Foundation | www.ccrf.example.org\n"
    paragraph = ("The undersigned organisations are gravely concerned about the arrest of "
                 "migrant fishers in the province and call for their release. ")
    text = (header + "\nJoint statement\nStop the arrests of migrant fishers\n\n"
            "(Bangkok, 24 June 2023) – " + paragraph * 3 + "\n\n"
            + (paragraph * 4 + "\n\n") * 6 + "Page 1 of 2\n\f" + header + "\n"
            + (paragraph * 4 + "\n\n") * 6 + "Page 2 of 2\n")
    got = imp(text, organisations=orgs)
    assert got.fields["issued_by"] == "ccrf"
    assert any("running header" in d.message for d in got.diagnostics if d.field == "issued_by")


def test_a_letterhead_in_two_languages_above_the_title_names_the_issuer():
    orgs = {"ylan": Organisation(key="ylan", name="Yangon Legal Aid Network (YLAN)")}
    got = imp("ရန်ကုန်ဥပဒေအကူအညီကွန်ရက် | Yangon Legal Aid Network\n\nFree the detained lawyers\n\n"
              "(Yangon, 20 July 2022) – " + BODY + "\n", organisations=orgs)
    assert got.fields["issued_by"] == "ylan"


def test_a_line_of_people_after_the_list_is_not_the_body():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nSigned by:\n1. Border Legal Clinic Collective\n2. River Lawyers Network\n\n"
              "The letter is also supported by: Arunee Srisuk, journalist; Budi Prasetyo, "
              "lawyer; Tran Minh, photographer.\n")
    assert "Arunee" not in got.body_markdown
    assert any("3 people" in d.message for d in got.diagnostics if d.field == "endorsers")


@pytest.mark.parametrize("line", ["หน้า ๑ จาก ๓", "ໜ້າ 2 ຈາກ 3", "#反家暴法# #人身安全保护令#",
                                  "收起全文d", "– முடிவு –"])
def test_page_numbers_weibo_tags_and_end_markers_of_more_languages(line):
    from pressroom.importer.chrome import chrome_reason
    from pressroom.importer.pages import _page_mark

    assert _page_mark(line) or chrome_reason(line) is not None


def test_a_tamil_press_release_label_is_the_type_not_the_title():
    got = imp("பத்திரிகை அறிக்கை: காணாமல் ஆக்கப்பட்டோர் குறித்த உண்மை வேண்டும்\n\n"
              "(Vavuniya, 30 August 2023) – " + BODY + "\n")
    assert got.fields["type"] == "press-release"
    assert got.fields["title"] == "காணாமல் ஆக்கப்பட்டோர் குறித்த உண்மை வேண்டும்"


def test_a_name_the_pdf_cannot_show_never_reaches_the_directory():
    # Found by a blind input: a post's "👍❤️😢 412" under the list was added as an
    # organisation, and the site then refused its own directory.
    from pressroom.render.glyphs import unshowable

    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nSignatories:\n- Border Legal Clinic Collective\n- River ✊ Lawyers Network"
              "\n- 👍❤️😢 412\n")
    names = [o.name for o in got.new_organisations]
    if unshowable(["✊😢"], "en"):  # (without the Noto fonts every character shows)
        assert names == ["Border Legal Clinic Collective", "River Lawyers Network"]
        said = " ".join(d.message for d in got.diagnostics if d.field == "endorsers")
        assert "cannot show" in said
    assert not any(n.strip("👍❤️😢 ").isdigit() for n in names)


def test_readers_comments_under_their_heading_are_not_the_statement():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nLabels: defenders, rivers\n\n2 comments:\n\nAnonymous 4 March 2021 at 08:02"
              "\nWe stand with the defenders. Free them now, all of them, today.\nReply\n")
    assert "stand with" not in got.body_markdown
    assert any("comments' heading" in r.reason for r in got.removed)


def test_the_organisation_said_to_coordinate_the_statement_is_a_guess_at_its_issuer():
    orgs = {"rlc": Organisation(key="rlc", name="River Lawyers Collective (RLC)")}
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nSignatories:\n1. River Lawyers Collective (RLC)\n2. Border Legal Clinic\n\n"
              "This statement was coordinated by the River Lawyers Collective (RLC).\n",
              organisations=orgs)
    assert got.fields["issued_by"] == "rlc"
    assert any("coordinated" in d.message for d in got.diagnostics if d.field == "issued_by")


def test_a_coalition_under_issued_by_then_its_members_heading():
    got = imp("Free the river defenders now\n\n(Kuala Lumpur, 3 March 2021) – " + BODY
              + "\n\nKenyataan ini dikeluarkan oleh:\nGabungan Hak Pelarian (GHP)\n"
              "Ahli-ahli gabungan:\nBorder Legal Clinic Collective\nRiver Lawyers Network\n")
    names = {o.key: o.name for o in got.new_organisations}
    assert names[got.fields["issued_by"]] == "Gabungan Hak Pelarian (GHP)"
    assert [names[k] for k in got.fields["endorsers"]] == ["Border Legal Clinic Collective",
                                                          "River Lawyers Network"]


def test_the_statement_again_in_english_below_the_line_that_says_so_is_left_out():
    got = imp("Itigil ang red-tagging\n\n(Bacolod, 12 Hunyo 2023) – Mariing kinokondena ng "
              "network ang mga poster na nag-aakusa sa apat na mamamahayag.\n\n"
              "English version below\n\nSTATEMENT | Stop the red-tagging\n\n" + BODY + "\n")
    assert "undersigned" not in got.body_markdown
    assert any("another language" in r.reason for r in got.removed)


def test_a_mailing_list_s_web_view_header_footer_and_cut_short_address():
    got = imp("[rights-asia] Free the river defenders now\n\nRiver Lawyers Network\n"
              "to rights-asia\n\n(Bangkok, 3 March 2021) – " + BODY + "\n\nContact:\n"
              "Somchai, River Lawyers Network, somchai.r...@rln.example.org\n\n"
              "You received this message because you are subscribed to the Google Groups "
              "\"Rights Asia\" group.\n")
    assert got.fields["title"] == "Free the river defenders now"
    assert "River Lawyers Network" not in got.body_markdown.split("\n")[0]
    assert "subscribed" not in got.body_markdown
    assert got.fields["contacts"][0]["email"] is None
    assert any("e-mail" in d.message for d in got.diagnostics if d.field == "contacts")


def test_a_poster_s_headline_above_their_followers_count_is_cut():
    got = imp("Meera Adhikari\nExecutive Director, River Lawyers Network | Media law\n"
              "4,812 followers\n3d • Edited\n\nSTATEMENT | Free the river defenders now\n\n"
              + BODY + "\n\n" + BODY + "\n")
    assert got.fields["title"] == "Free the river defenders now"
    assert "Executive Director" not in got.body_markdown


def test_a_letterhead_with_its_address_then_the_label_then_the_title():
    got = imp("River Lawyers Network (RLN)\nAddress: No. 45, Street 310, Phnom Penh\n"
              "Tel: +855 23 555 014\n\nStatement\n\nFree the river defenders now\n\n"
              + BODY + "\n\nPhnom Penh, 15 June 2023\n")
    assert got.fields["title"] == "Free the river defenders now"
    assert got.body_markdown.startswith("We, the undersigned")
    assert any("address" in r.reason for r in got.removed)


def test_a_press_release_platform_s_page_its_kind_and_the_profile_under_it():
    page = ("<html><head><title>Stop the deaths in detention | River Lawyers Networkの"
            "プレスリリース</title></head><body><main><h1>Stop the deaths in detention</h1>"
            "<p>" + BODY + "</p><p>" + BODY + "</p><p>【団体概要】</p><p>団体名：River Lawyers "
            "Network</p><p>所在地：東京都新宿区四谷1-2-3</p><p>URL：https://rln.example.jp</p>"
            "</main></body></html>")
    got = imp(page, "archive/release.html")
    assert got.fields["type"] == "press-release"
    assert "団体名" not in got.body_markdown and "団体概要" not in got.body_markdown
    assert got.fields.get("place") is None
    assert any("profile" in r.reason for r in got.removed)


def test_a_pdf_s_numbered_table_of_signatories_with_a_hindi_header_row():
    page = ("जन अधिकार मंच (JAM) • Jan Adhikar Manch\nआदिवासी और ग्रामीण मज़दूरों का राष्ट्रीय मंच\n\n"
            "प्रेस विज्ञप्ति\nतत्काल प्रकाशन हेतु\n\nबेदख़ली तुरंत रोकी जाए\n\nरांची, २१ अगस्त २०२३\n\n"
            + ("मंच राज्य सरकार से माँग करता है कि सभी बेदख़ली नोटिस तुरंत वापस लिए जाएँ और "
               "ग्राम सभाओं की सहमति के बिना कोई कार्रवाई न हो। " * 3 + "\n\n") * 3
            + "पृष्ठ 1 / 2\n\f"
            + "हस्ताक्षरकर्ता संगठन:\nक्र.सं.\tसंगठन\tराज्य\n१\tजन अधिकार मंच (JAM)\tराष्ट्रीय\n"
            "२\tझारखंड वन अधिकार संघर्ष समिति\tझारखंड\n३\tआदिवासी महिला न्याय मंच\tझारखंड\n\n"
            "पृष्ठ 2 / 2\n")
    got = imp(page)
    assert got.fields["type"] == "press-release"
    assert got.fields["title"] == "बेदख़ली तुरंत रोकी जाए"
    names = [o.name for o in got.new_organisations]
    assert names == ["जन अधिकार मंच (JAM)", "झारखंड वन अधिकार संघर्ष समिति", "आदिवासी महिला न्याय मंच"]
    assert not got.fields.get("footnotes")


@pytest.mark.parametrize("line", ["ঢাকা ১২০৯ | www.brwc.example.org | পৃষ্ঠা ১/২",
                                  "Jl. Diponegoro 74, Jakarta | Halaman 2 dari 3"])
def test_a_running_footer_ending_in_the_page_s_number_is_a_page_mark(line):
    from pressroom.importer.pages import _page_mark

    assert _page_mark(line)


def test_a_wechat_byline_names_the_account_that_posted_it():
    orgs = {"hklsc": Organisation(key="hklsc", name="Hong Kong Labour Solidarity Centre (HKLSC)")}
    byline = "原创 阿雯 香港劳工团结中心 2023-06-05 18:20 发表于香港"
    sentence = "我们，以下联署的团体，对多名劳工公益人士被警方带走深表关注，要求立即释放。"
    got = imp("联合声明｜立即释放被拘劳工公益人士\n\n" + byline + "\n\n" + sentence * 4
              + "\n\n联署团体：\n1、香港劳工团结中心（HKLSC）\n2、湾区女工关怀小组\n",
              organisations=orgs)
    assert got.fields["issued_by"] == "hklsc"


def test_a_list_on_one_line_parted_by_slashes_and_spaced_commas():
    got = imp("Free the river defenders now\n\n(Bangkok, 3 March 2021) – " + BODY
              + "\n\nSignatories:\nBorder Legal Clinic Collective / River Lawyers Network / "
              "Mekong Fishers Union , Isan Citizen Reporters , Lao Refugee Friends\n")
    assert [o.name for o in got.new_organisations] == [
        "Border Legal Clinic Collective", "River Lawyers Network", "Mekong Fishers Union",
        "Isan Citizen Reporters", "Lao Refugee Friends"]


def test_a_contact_in_a_press_release_s_header_table():
    page = ("<html><head><title>Stop the raids</title></head><body><article>"
            "<table class='press-header'><tr><th>보도자료</th></tr><tr><th>문의</th>"
            "<td>김하늘 변호사, 02-555-0123, haneul@baro.example.kr</td></tr></table>"
            "<h1>Stop the raids</h1><p>" + BODY + "</p><p>" + BODY + "</p></article></body></html>")
    got = imp(page, "archive/release.html")
    assert got.fields["contacts"] == [{"label": "김하늘 변호사, 02-555-0123",
                                       "email": "haneul@baro.example.kr", "group": "문의"}]


def test_a_reblogged_post_its_blog_s_name_and_the_account_it_came_from():
    page = ("<html><head><title>thornandlantern</title><meta property='og:title' "
            "content='river-lawyers: Statement: Free the river defenders now'></head><body>"
            "<div id='header'><h1><a href='/'>thorn and lantern</a></h1></div>"
            "<div class='post'><p class='reblog-author'><a href='/x'>river-lawyers</a>:</p>"
            "<blockquote><h2>Statement: Free the river defenders now</h2><p>" + BODY + "</p><p>"
            + BODY + "</p></blockquote></div></body></html>")
    got = imp(page, "archive/reblog.html")
    assert got.fields["title"] == "Free the river defenders now"
    assert "river-lawyers" not in got.body_markdown


def test_a_news_site_s_introduction_to_a_statement_quoted_in_full():
    page = ("<html><head><title>Lawyers demand release</title></head><body><article>"
            "<h1>Lawyers demand release of defenders</h1><div class='entry-content'>"
            "<p>The River Lawyers Network released a statement today; its full text follows."
            "</p><p><strong>Free the river defenders now</strong></p><p>" + BODY + "</p><p>"
            + BODY + "</p></div></article></body></html>")
    got = imp(page, "archive/news.html")
    assert got.fields["title"] == "Free the river defenders now"
    assert "full text follows" not in got.body_markdown
    assert any("reposting site" in d.message for d in got.diagnostics if d.field == "title")


def test_a_text_list_grouped_under_province_headings_and_an_author_card():
    got = imp("RuangWarga\nBeranda  Pilihan  Terpopuler  Topik  Tulis\n\n"
              "Pernyataan Bersama: Hentikan kriminalisasi warga\n\n14 Agustus 2023 10:25\n\n"
              "Rina Kusumawati\nPegiat hak asasi manusia\nIkuti\n\n" + BODY + "\n\n"
              "Jakarta, 14 Agustus 2023\n\nOrganisasi penandatangan:\n\nAceh\n"
              "Lembaga Bantuan Hukum Nusantara (LBHN)\nForum Petani Gayo Lestari\n\n"
              "Sumatera Utara\nPerhimpunan Masyarakat Adat Tano Batak\n"
              "Environmental Defenders Legal Aid (EDLA)\n")
    assert got.fields["title"] == "Hentikan kriminalisasi warga"
    assert got.fields["place"] == "Jakarta"
    assert [o.name for o in got.new_organisations] == [
        "Lembaga Bantuan Hukum Nusantara (LBHN)", "Forum Petani Gayo Lestari",
        "Perhimpunan Masyarakat Adat Tano Batak", "Environmental Defenders Legal Aid (EDLA)"]
    assert "Rina" not in got.body_markdown and "Beranda" not in got.body_markdown


RULE = "-" * 40


def test_a_newsletter_copied_without_its_headers_opens_with_its_web_view_line():
    got = imp("If your browser does not render this page correctly, click here to view it "
              "online.\nForward to a friend | Subscribe\n\nRIVER WATCH BULLETIN\n"
              "In this issue: Dam hearing | Court news | Members\n\n" + RULE + "\n\n"
              "Statement: Free the river defenders now\n\n" + "\n\n".join([BODY] * 4)
              + "\n\n" + RULE + "\n\nMore in this issue\nCourt news: hearing put off again\n"
              "You are receiving this email because you subscribed to the River Watch "
              "Bulletin.\nCopyright © 2023 River Lawyers Network, All rights reserved.\n",
              organisations={"rln": Organisation("rln", "River Lawyers Network")})
    assert got.fields["title"] == "Free the river defenders now"
    assert "BULLETIN" not in got.body_markdown and "In this issue" not in got.body_markdown
    assert "Court news" not in got.body_markdown
    # The footer went with its section; its copyright line still names whose it is.
    assert got.fields["issued_by"] == "rln"
    assert any("copyright line" in d.message for d in got.diagnostics
               if d.field == "issued_by")


def test_a_kyrgyz_newsletter_s_web_view_line_footer_and_for_release_line():
    got = imp("Эгерде браузериңиз бул баракты туура көрсөтпөсө, бул жерди басыңыз.\n"
              "ЭРКИН СӨЗ БЮЛЛЕТЕНИ · № 3\n\n" + RULE + "\n\n"
              "Биргелешкен пресс-релиз: Активисттерди дароо бошотуу керек\n\n"
              "Дароо жарыялоо үчүн\n\n"
              "Кармалган активисттерди жана журналисттерди дароо бошотууну талап кылабыз. "
              "Алар беш айдан бери тергөө абагында кармалып келишет.\n\n"
              "Соттор камакка алуу мөөнөтүн жабык отурумдарда бир нече жолу узартты, ал эми "
              "адвокаттарга иштин материалдары толук көрсөтүлгөн жок.\n\n" + RULE + "\n\n"
              "Бул катты сиз Эркин сөз бюллетенине жазылгандыктан алдыңыз.\n")
    assert got.fields["title"] == "Активисттерди дароо бошотуу керек"
    assert got.fields["type"] == "press-release"
    for words in ("браузериңиз", "БЮЛЛЕТЕНИ", "Дароо жарыялоо", "Бул катты"):
        assert words not in got.body_markdown


@pytest.mark.parametrize(("dateline", "place"), [
    ("LUNGSOD NG DAVAO —", "Lungsod ng Davao"),
    ("COX'S BAZAR —", "Cox's Bazar"),
    ("DAR ES SALAAM —", "Dar es Salaam"),
    ("ULAN-UDE —", "Ulan-Ude"),
])
def test_a_place_in_capitals_is_written_as_in_a_sentence(dateline, place):
    got = imp(f"Free the river defenders now\n\n12 March 2024\n\n{dateline} {BODY}\n\n{BODY}\n")
    assert got.fields["place"] == place


def test_a_public_statement_label_above_a_letterhead_s_date_line_is_no_place():
    got = imp("CENTRE FOR CIVIC LIBERTIES\n" + "_" * 60 + "\n\n"
              "PUBLIC STATEMENT\n                    Geneva, 14 March 2024\n\n"
              "Cambodia: Quash the convictions of the union leaders\n\n" + BODY + "\n\n"
              + BODY + "\n")
    assert got.fields["place"] == "Geneva" and got.fields["type"] == "statement"
    assert "PUBLIC STATEMENT" not in got.body_markdown


def test_an_urdu_letterhead_statement_signed_by_an_officer_with_a_run_in_contact():
    ur = ("آزاد صحافت کے بغیر شفاف انتخابات کا تصور ممکن نہیں اور ہم حکام سے مطالبہ کرتے ہیں کہ "
          "تمام گرفتار صحافیوں کو فوری رہا کیا جائے۔")
    org = "پاکستان مرکز برائے جمہوری حقوق"
    got = imp("صحافیوں کو فوری رہا کیا جائے\n\n۱۲ فروری ۲۰۲۴\n\n" + ur + "\n\n"
              "                 صفحہ ۱ از ۲\n\n" + ur + "\n\nجاری کردہ:\nعائشہ ملک\n"
              f"سیکرٹری جنرل، {org}\n\nاس بیان کی تائید کرنے والی تنظیمیں:\n"
              f"۱۔ {org} (PCDR)\n۲۔ کراچی خواتین صحافی فورم\n\n"
              "میڈیا سے رابطہ: عمران قریشی، میڈیا کوآرڈینیٹر، 0300-5550172\n",
              organisations={"pcdr": Organisation(
                  "pcdr", "Pakistan Centre for Democratic Rights (PCDR)")})
    # The officer signs for the organisation the list prints with its acronym.
    assert got.fields["issued_by"] == "pcdr"
    assert [c["group"] for c in got.fields["contacts"]] == ["میڈیا سے رابطہ:"]
    for words in ("صفحہ", "عائشہ", "جاری کردہ", "عمران"):
        assert words not in got.body_markdown


def test_a_sinhala_release_its_long_list_heading_end_marker_and_speaker_late_in_the_sentence():
    org = "වගවීම සඳහා ශ්‍රී ලංකා ජනතා සංසදය"
    got = imp("මාධ්‍යවේදීන් වහා නිදහස් කළ යුතුයි\n\nකොළඹ, 2024 ජූලි 17 – මාර්ගගත ආරක්ෂණ පනත යටතේ "
              "පසුගිය සති තුන තුළ අත්අඩංගුවට ගත් ප්‍රාදේශීය මාධ්‍යවේදීන් තිදෙනා සහ සමාජ මාධ්‍ය "
              "ක්‍රියාකාරිකයින් දෙදෙනා වහාම නිදහස් කරන ලෙස " + org + " (SLPFA) සහ පහත අත්සන් කළ "
              "සංවිධාන රජයෙන් ඉල්ලා සිටී.\n\nවිවේචනය අපරාධයක් නොවේ. ප්‍රජාතන්ත්‍රවාදයක් ශක්තිමත් "
              "වන්නේ මාධ්‍යවේදීන්ට බියෙන් තොරව වාර්තා කළ හැකි විට පමණි.\n\n"
              "මෙම නිවේදනයට එකඟතාව පළ කළ සංවිධාන:\n• " + org + " (SLPFA)\n"
              "• ගාල්ල සිවිල් සමාජ ජාලය\n• මහනුවර තරුණ මාධ්‍ය කවය\n\n-නිමි-\n",
              organisations={"slpfa": Organisation(
                  "slpfa", "Sri Lanka People's Forum for Accountability (SLPFA)")})
    assert len(got.fields["endorsers"]) == 3 and got.fields["endorsers"][0] == "slpfa"
    assert got.fields["issued_by"] == "slpfa"
    assert "නිමි" not in got.body_markdown and "ජාලය" not in got.body_markdown


def test_a_pdf_s_list_of_names_in_two_columns_is_read_row_by_row():
    gap = " " * 12
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n"
              "                                    — 1 —\n\f" + BODY + "\n\n"
              "Signed by:\n\n"
              f"River Lawyers Network (RLN){gap}Delta Farmers Forum\n"
              f"Hill Women Collective{gap}Coastal Fishers Union\n"
              f"Valley Teachers Circle{gap}Northern Press Club\n\n"
              "                                    — 2 —\n")
    assert [o.name for o in got.new_organisations] == [
        "River Lawyers Network (RLN)", "Delta Farmers Forum", "Hill Women Collective",
        "Coastal Fishers Union", "Valley Teachers Circle", "Northern Press Club"]


def test_a_newsletter_item_s_heading_in_capitals_over_the_statement_s_own_title():
    rule = "=" * 50
    got = imp("View this email in your browser\nRIVER WEEKLY | Issue 12 | 22 November 2023\n"
              "In this issue: Open letter on the dam | Trial watch | Events\n" + rule + "\n\n"
              "OPEN LETTER TO THE MINISTERS ON THE RIVER DEFENDERS STILL IN DETENTION\n\n"
              "Open Letter to the Ministers of the Interior: Free the river defenders now\n\n"
              "Bangkok, 20 November 2023\n\nYour Excellencies,\n\n"
              + "\n\n".join([BODY] * 4) + "\n\n" + "-" * 50 + "\nALSO THIS WEEK\n"
              "Trial watch: verdict expected on 4 December\n"
              "Read more: https://river.example.org/trial-watch/\n" + "-" * 50 + "\n"
              "You are receiving this email because you subscribed to River Weekly.\n")
    assert got.fields["title"] == ("Open Letter to the Ministers of the Interior: Free the river "
                                   "defenders now")
    for words in ("In this issue", "OPEN LETTER TO", "ALSO THIS WEEK", "Trial watch"):
        assert words not in got.body_markdown


def test_a_directory_name_with_its_region_in_brackets_is_the_directory_s_organisation():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSigned by:\nAndaman Coast Fishers Solidarity (Regional)\n"
              "Delta Farmers Forum (Thailand)\n",
              organisations={"acfs": Organisation(
                  "acfs", "Andaman Coast Fishers' Solidarity (ACFS)")})
    assert got.fields["endorsers"][0] == "acfs"
    assert [o.name for o in got.new_organisations] == ["Delta Farmers Forum, Thailand"]


def test_a_notes_heading_over_no_note_stays_with_what_it_stands_over():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nNotes to editors\n- The mangrove covers about 38 hectares of the coast and "
              "was declared a community-managed area in 1998.\n- Photographs of the events "
              "are available to journalists on request.\n")
    body = got.body_markdown
    assert "Notes to editors" in body and body.index("Notes to editors") < body.index(
        "The mangrove")
    assert not got.fields.get("footnotes")


def test_a_press_release_named_only_by_its_page_s_address():
    page = ("<html><head><title>Reveal where the student is held</title><link rel='canonical' "
            "href='https://rights.example.org/press-releases/2024/05/reveal-student/'></head>"
            "<body><article><h1>Reveal where the student is held</h1><p>14 May 2024</p><p>"
            + BODY + "</p><p>" + BODY + "</p></article></body></html>")
    assert imp(page, "archive/page.html").fields["type"] == "press-release"
    slug = page.replace("/press-releases/2024/05/reveal-student/", "/news/press-release-on-x/")
    assert imp(slug, "archive/page.html").fields["type"] == "statement"  # a slug names none


def test_a_pull_quote_and_an_embedded_post_are_not_the_text():
    page = ("<html><body><article><h1>Free the river defenders now</h1><p>14 May 2024</p><p>"
            + BODY + "</p><figure class='wp-block-pullquote'><blockquote><p>Drop every charge "
            "without delay!</p></blockquote></figure><blockquote class='twitter-tweet'><p>"
            "Where are they? #FreeThem pic.twitter.com/abc123</p></blockquote><p>" + BODY +
            "</p></article></body></html>")
    body = imp(page, "archive/page.html").body_markdown
    assert "without delay!" not in body and "pic.twitter.com" not in body


def test_a_page_copy_s_category_line_names_a_press_release_and_a_photo_caption_goes():
    got = imp("Bebaskan 23 mahasiswa sekarang\n\nKategori: Siaran Pers  |  2 September 2024  |  "
              "Oleh: Admin\n\nJakarta, 2 September 2024 – " + BODY + "\n\nMahasiswa berunjuk "
              "rasa di depan Gedung DPR, Jakarta, Jumat (30/8/2024). (Foto: Dok. LBHN)\n\n"
              + BODY + "\n")
    assert got.fields["type"] == "press-release"
    assert "Foto" not in got.body_markdown


def test_a_substack_post_copied_its_subtitle_notes_and_sign_up_box():
    ru = ("Следствие возбудило дело против адвоката после его интервью о пытках в колонии, "
          "и мы требуем прекратить преследование.")
    got = imp("Прекратить преследование адвоката Андрея Ларионова за интервью о пытках в "
              "колонии\nЗаявление правозащитного центра «Открытый голос»\n\nMar 12, 2024\n\n" + ru
              + "1\n\n"
              "Thanks for reading Открытый голос! Subscribe for free to receive new posts and "
              "support our work.\n\nType your email...\n\n" + ru + " Проверка не проведена.2"
              "\n\n1\nПостановление от 26 февраля 2024 года.\n\n2\nПостановление от 19 "
              "января 2024 года.\n\nReady for more?\n")
    assert got.fields["title"].endswith("в колонии")
    assert "[^1]: Постановление от 26 февраля 2024 года." in got.body_markdown
    assert "[^2]: Постановление от 19 января 2024 года." in got.body_markdown
    for words in ("Thanks for reading", "Type your email", "Ready for more"):
        assert words not in got.body_markdown


def test_a_letterhead_with_its_phone_last_and_a_header_from_the_second_page_on():
    from pressroom.importer.chrome import chrome_reason
    from pressroom.importer.pages import unpage

    assert chrome_reason("राष्ट्रीय कार्यालय: बी-14, साकेत, नई दिल्ली – 110017 | फ़ोन: "
                         "011-4055-0190") == "a letterhead's telephone line"
    hi = ("हम, नीचे हस्ताक्षर करने वाले संगठन, आपसे अनुरोध करते हैं कि ग्राम सभाओं की सहमति के बिना "
          "पेड़ों की कटाई तुरंत रोकी जाए।")
    header = "जन अधिकार मंच – मुख्यमंत्री को पत्र, 14 अगस्त 2024"
    more = "सभी मामलों की स्वतंत्र जाँच कराई जाए।"
    lines, cut = unpage(f"{hi}\n\n{' ' * 40}पृष्ठ 1 / 2\n\f{header}\n\n{more}\n\n"
                        f"{' ' * 40}पृष्ठ 2 / 2\n", lambda text: False)
    assert (4, header, "a running header of the PDF's pages") in cut
    assert [line.text for line in lines] == [hi, more]


def test_a_timeline_s_dates_inside_the_text_are_not_sign_offs():
    page = ("<html><body><article><h1>Free the river defenders now</h1><p>4 March 2024</p><p>"
            + BODY + "</p><table><tr><th>Date</th><th>Event</th></tr><tr><td>17 January 2024"
            "</td><td>Four members stopped on a road after filming the barges</td></tr><tr><td>"
            "19 January 2024</td><td>The four are charged with incitement</td></tr><tr><td>"
            "2 February 2024</td><td>Seven members arrested during a march</td></tr></table>"
            "<p>" + BODY + "</p></article></body></html>")
    got = imp(page, "archive/page.html")
    body = got.body_markdown
    assert got.fields["date"] == dt.date(2024, 3, 4)
    for day in ("17 January 2024", "19 January 2024", "2 February 2024"):
        assert day in body
    assert body.index("17 January 2024") < body.index("Four members") < body.index(
        "19 January 2024")


def test_an_e_mailed_statement_under_its_sender_s_note_and_a_rule():
    got = imp("From: River Watch <office@river.example.org>\nSent: Tuesday, 9 July 2024 10:14 AM"
              "\nTo: rights-list@lists.example.org\nSubject: Free the river defenders now\n\n"
              "Dear friends and colleagues,\n\nPlease find below our statement, released this "
              "morning. You are welcome to share it.\n\nWarm regards,\nNurul Aina\n\n"
              + "_" * 32 + "\n\nFree the river defenders now\n\nKUALA LUMPUR, 9 July 2024 – "
              + BODY + "\n\n" + BODY + "\n")
    assert got.fields["title"] == "Free the river defenders now"
    assert got.fields["date"] == dt.date(2024, 7, 9)
    for words in ("Dear friends", "Please find below", "Warm regards", "Nurul"):
        assert words not in got.body_markdown


def test_a_hidden_address_alone_under_the_contacts_heading_is_said_not_dropped():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nFor more information, contact:\nThis email address is being protected from "
              "spambots. You need JavaScript enabled to view it.\n")
    assert not got.fields.get("contacts")
    assert any(d.field == "contacts" and "no name beside it" in d.message
               for d in got.diagnostics)


def test_the_endorser_its_contacts_speak_for_issued_it_when_nothing_else_says():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSignatories:\n1. River Watch Malaysia\n2. Delta Fishers' Union\n"
              "3. Coastal Legal Aid Centre\n\nFor more information, contact:\n"
              "River Watch Malaysia Secretariat, +60 3 5555 0100\n")
    assert got.fields["issued_by"] == "river-watch-malaysia"
    assert any(d.field == "issued_by" and "contacts speak for" in d.message
               for d in got.diagnostics)
    # Two endorsers named by the contacts: they do not say which one issued it.
    two = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSignatories:\n1. River Watch Malaysia\n2. Delta Fishers' Union\n\n"
              "For more information, contact:\nRiver Watch Malaysia, +60 3 5555 0100\n"
              "Delta Fishers' Union, +60 3 5555 0200\n")
    assert not any("contacts speak for" in d.message for d in two.diagnostics)


def test_where_the_site_s_organisation_does_not_sign_the_first_that_does_issued_it():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSignatories:\n1. River Watch Malaysia\n2. Delta Fishers' Union\n"
              "3. Coastal Legal Aid Centre\n")
    assert got.fields["issued_by"] == "river-watch-malaysia"
    assert any(d.field == "issued_by" and "does not endorse it" in d.message
               for d in got.diagnostics)
    # The site's organisation among those who sign: it, as before.
    signs = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
                "\n\nSignatories:\n1. River Watch Malaysia\n2. FORUM-ASIA\n",
                organisations={"forum-asia": Organisation(key="forum-asia", name=(
                    "Asian Forum for Human Rights and Development (FORUM-ASIA)"))})
    assert signs.fields["issued_by"] == "forum-asia"


def test_a_place_alone_in_brackets_before_a_dash_is_the_dateline_s_place():
    from pressroom.importer.datelines import match_place_dateline

    got = match_place_dateline("(Beirut) – " + BODY)
    assert (got.place, got.rest) == ("Beirut", BODY)
    assert match_place_dateline("(بيروت) – " + BODY).place == "بيروت"
    assert match_place_dateline("(see below) – " + BODY) is None  # words, not a place
    page = imp("Free the river defenders now\n\n(Kuala Lumpur) – " + BODY + "\n\n" + BODY +
               "\n\n4 March 2024\n")
    assert page.fields["place"] == "Kuala Lumpur"
    assert page.body_markdown.startswith("We, the undersigned")


def test_a_timeline_is_no_sign_off_even_where_the_text_gives_no_other_date():
    text = ("Free the river defenders now\n\n" + BODY + "\n\n17 January 2024\nFour members "
            "stopped on a road after filming the barges.\n19 January 2024\nThe four are charged "
            "with incitement.\n2 February 2024\nSeven members arrested during a march.\n\n"
            + BODY + "\n")
    got = imp(text)
    for day in ("17 January 2024", "19 January 2024", "2 February 2024"):
        assert day in got.body_markdown
    assert got.fields["date"] is None  # a timeline's day is not the statement's


def test_a_notes_list_numbered_in_arabic_indic_digits_with_its_own_number_linked():
    page = ("<html><head><title>Free the river defenders now</title></head><body><article>"
            "<h1>Free the river defenders now</h1><p>4 March 2024</p><p>" + BODY +
            "<sup><a href='#note-1' id='ref-1'>[١]</a></sup></p><p>" + BODY + "</p>"
            "<p>" + BODY + "</p><section class='article-notes'><h3>Notes</h3><ol>"
            "<li id='note-1'><a href='#ref-1'>[١]</a> The penal code, article 125.</li>"
            "</ol></section></article></body></html>")
    got = imp(page, "archive/page.html")
    assert "[^1]: The penal code, article 125." in got.body_markdown
    assert not any(d.is_error for d in got.diagnostics)


@pytest.mark.parametrize("line", ["—— 完 ——", "（完）", "【完】", "- 終 -", "انتهای پیام"])
def test_end_markers_of_chinese_japanese_and_persian_news_sites(line):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) == "an end marker"
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              f"\n\n{line}\n")
    assert line not in got.body_markdown and got.fields.get("place") is None


@pytest.mark.parametrize("line", ["完成", "終わり", "پایان کار"])
def test_words_that_only_begin_like_an_end_marker_are_not_one(line):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) is None


def test_a_date_line_that_gives_another_calendar_s_date_first_then_the_gregorian():
    from pressroom.importer.datelines import match_dateline

    got = match_dateline("۱۵ اسفند ۱۴۰۲ برابر با ۵ مارس ۲۰۲۴", "fa")
    assert (got.date, got.place, got.rest) == (dt.date(2024, 3, 5), None, "")


def test_a_count_of_the_others_glued_to_a_run_in_list_s_last_name():
    from pressroom.importer.endorsers import count_after_name

    assert count_after_name("مرکز مشاورهٔ حقوقی (ترکیه) و ۱۱ نهاد دیگر", "fa") == (
        "مرکز مشاورهٔ حقوقی (ترکیه)", "و ۱۱ نهاد دیگر")
    assert count_after_name("Delta Fishers' Union and over 30 other groups") == (
        "Delta Fishers' Union", "and over 30 other groups")
    assert count_after_name("Friends and Allies of 2 Rivers") is None  # a name with a number
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSignatories: River Watch Malaysia, Coastal Legal Aid Centre, Delta Fishers' "
              "Union and 11 other organisations\n")
    assert got.fields["endorsers"][-1] == "delta-fishers-union"
    assert any("not named" in d.message for d in got.diagnostics)


def test_a_reposting_site_s_line_announcing_the_full_text_below_is_cut():
    got = imp("Free the river defenders now\n\n12 March 2024\n\nThe full text of the joint "
              "statement follows:\n\n" + BODY + "\n\n" + BODY + "\n")
    assert got.body_markdown.startswith("We, the undersigned")
    assert any(r.reason.startswith("the reposting site's words") for r in got.removed)


def test_a_run_in_list_s_last_two_names_joined_by_the_language_s_and():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSignatories: River Watch Malaysia, Coastal Legal Aid Centre and Delta "
              "Fishers' Union.\n")
    assert got.fields["endorsers"] == ["river-watch-malaysia", "coastal-legal-aid-centre",
                                       "delta-fishers-union"]
    tagalog = ("Nananawagan kami sa pamahalaan na palayain ang mga mamamahayag na ikinulong "
               "dahil lamang sa kanilang pag-uulat tungkol sa mga magsasaka sa lalawigan.")
    tl = imp("Palayain ang mga mamamahayag\n\nika-13 ng Pebrero 2024\n\n" + tagalog + "[1]\n\n"
             + tagalog + "\n\nSinusuportahan ng: Bantay Karapatan Network, Kilusan ng "
             "Mamamahayag at Samahan ng mga Brodkaster.\n\nMga Sanggunian\n\n"
             "[1] Talaan ng SMM, 2024.\n")
    assert tl.fields["language"] == "tl"
    assert tl.fields["endorsers"] == ["bantay-karapatan-network", "kilusan-ng-mamamahayag",
                                      "samahan-ng-mga-brodkaster"]
    assert "Sanggunian" not in tl.body_markdown
    # One name with "and" inside: whole, when its acronym spans both sides or the directory
    # has it.
    for name in ("Centre for Civic and Political Liberties (CCPL)", "Peace and Justice Watch"):
        kept = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
                   f"\n\nSignatories: River Watch Malaysia, {name}.\n", organisations={
                       "pjw": Organisation(key="pjw", name="Peace and Justice Watch")})
        assert len(kept.fields["endorsers"]) == 2, kept.fields["endorsers"]


def test_a_link_to_the_statement_in_another_language_is_the_site_s():
    from pressroom.importer.chrome import chrome_reason

    for line in ("Basahin ang pahayag na ito sa Ingles.", "Read this statement in Burmese",
                 "This statement is also available in: Thai, Khmer"):
        assert chrome_reason(line) == "a link to the text in another language"
    assert chrome_reason("Read this statement in full before you sign it, and share it.") is None


def test_a_signatories_heading_right_above_the_organisations_and_individuals_headings():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSignatories of the statement\n\nOrganisations:\n1. River Watch Malaysia\n"
              "2. Coastal Legal Aid Centre\n\nIndividuals:\n1. Dr. Aminah Yusof, lawyer\n")
    assert got.fields["endorsers"] == ["river-watch-malaysia", "coastal-legal-aid-centre"]
    assert "Signatories" not in got.body_markdown


def test_a_bengali_media_contact_run_in_after_the_individuals_list():
    bn = ("আমরা সরকারের কাছে অবিলম্বে তিন সাংবাদিকের বিরুদ্ধে দায়ের করা মামলা প্রত্যাহারের দাবি "
          "জানাচ্ছি এবং তাঁদের নিরাপত্তা নিশ্চিত করার আহ্বান জানাচ্ছি।")
    got = imp("মামলা প্রত্যাহার করুন\n\nঢাকা, ৩ মে ২০২৪\n\n" + bn + "\n\n" + bn +
              "\n\nস্বাক্ষরকারী সংগঠন:\n১. নদী রক্ষা জোট\n২. উপকূল আইন সহায়তা কেন্দ্র\n\n"
              "ব্যক্তি:\n১. অধ্যাপক রওশন আরা, আইন বিভাগ\n\nগণমাধ্যম যোগাযোগ: তানভীর আহমেদ, "
              "যোগাযোগ কর্মকর্তা, ফোন: +৮৮০ ১৭১১ ৫৫৫০৪২, ইমেইল: media@river.example.org\n")
    assert [c["email"] for c in got.fields["contacts"]] == ["media@river.example.org"]


def test_a_sentence_after_the_names_of_a_list_is_the_text_s_not_a_name():
    got = imp("Free the river defenders now\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              "\n\nSignatories:\nRiver Watch Malaysia\nCoastal Legal Aid Centre\nDelta Fishers' "
              "Union\nThis statement remains open for endorsement by organisations until 15 "
              "March 2024.\n")
    assert got.fields["endorsers"] == ["river-watch-malaysia", "coastal-legal-aid-centre",
                                       "delta-fishers-union"]
    assert got.body_markdown.rstrip().endswith("until 15 March 2024.")


def test_korean_joint_statement_s_participants_heading_and_its_region_labels():
    """"공동성명 참여 단체" heads the list (its regions in brackets are labels, not names),
    and a board's "no comments yet" line is chrome."""
    ko = ("정부는 단속 과정에서 숨진 노동자의 죽음에 대해 책임을 인정하고 유가족에게 공식 "
          "사과해야 하며, 독립적인 조사를 실시하고 그 결과를 공개해야 한다.")
    got = imp("강제단속을 즉각 중단하라\n\n2024년 11월 12일\n\n" + ko + "\n\n" + ko +
              "\n\n공동성명 참여 단체\n[서울]\n서울이주노동자센터\n인권법연구모임 바름\n"
              "[부산·경남]\n부산이주민지원센터\n\n등록된 댓글이 없습니다.\n")
    assert [o.name for o in got.new_organisations] == ["서울이주노동자센터", "인권법연구모임 바름",
                                                       "부산이주민지원센터"]
    assert len(got.fields["endorsers"]) == 3
    assert got.body_markdown.rstrip().endswith("공개해야 한다.")
    assert any(r.text == "[부산·경남]" and "label" in r.reason for r in got.removed)
    assert any(r.text == "등록된 댓글이 없습니다." and "comment" in r.reason for r in got.removed)


@pytest.mark.parametrize(("intro", "marker"), [
    ("இந்த அறிக்கையில் பின்வரும் அமைப்புகள் கையொப்பமிட்டுள்ளன:", "-முற்றும்-"),
    ("اس اعلامیے پر درج ذیل تنظیموں نے دستخط کیے ہیں:", "ختم شد"),
    ("Yang bertanda tangan:", "-selesai-"),
])
def test_a_sentence_introducing_the_list_in_tamil_and_urdu_and_their_end_markers(intro,
                                                                                 marker):
    """"The following organisations have signed this statement:" heads the list, and the
    language's "the end" closes the text."""
    got = imp("Free the detained reporters\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY +
              f"\n\n{intro}\n1. River Watch Malaysia\n2. Coastal Legal Aid Centre\n\n{marker}\n")
    assert [o.name for o in got.new_organisations] == ["River Watch Malaysia",
                                                       "Coastal Legal Aid Centre"]
    assert intro not in got.body_markdown and marker not in got.body_markdown
    assert any(r.text == marker and "end marker" in r.reason for r in got.removed)


@pytest.mark.parametrize(("label", "kind"), [
    ("கூட்டறிக்கை", "joint-statement"), ("مشترکہ اعلامیہ", "joint-statement"),
])
def test_tamil_and_urdu_kind_labels_above_the_title(label, kind):
    got = imp(f"{label}\n\nFree the detained reporters\n\n12 March 2024\n\n" + BODY + "\n\n" +
              BODY + "\n")
    assert got.fields["type"] == kind
    assert not got.body_markdown.startswith(label)


def test_a_kind_label_between_a_reposting_site_s_introduction_and_the_own_title():
    """"... جس کا مکمل متن ذیل میں دیا جا رہا ہے۔" / "مشترکہ اعلامیہ" / the title: the site's
    words cut, the label kept as the type, the line after it the title."""
    got = imp("Site headline about the statement\n\nتنظیموں نے ایک اعلامیہ جاری کیا ہے جس کا مکمل "
              "متن ذیل میں دیا جا رہا ہے۔\n\nمشترکہ اعلامیہ\n\nصحافیوں کے خلاف مقدمات واپس لیے "
              "جائیں\n\n12 March 2024\n\n" + BODY + "\n\n" + BODY + "\n")
    assert got.fields["title"] == "صحافیوں کے خلاف مقدمات واپس لیے جائیں"
    assert got.fields["type"] == "joint-statement"
    assert "مکمل متن" not in got.body_markdown


@pytest.mark.parametrize("line", ["15 October 2024 by Jan Adhikar Manch",
                                  "15 अक्टूबर 2024 द्वारा जन अधिकार मंच",
                                  "15 Oktober 2024 oleh Tim Media"])
def test_a_date_and_by_line_is_a_byline_not_a_dateline_with_its_author_as_place(line):
    from pressroom.importer.datelines import match_dateline

    found = match_dateline(line)
    assert found is None or found.place is None


@pytest.mark.parametrize("heading", ["लेखक के बारे में", "Tentang Penulis", "About the author",
                                     "Об авторе"])
def test_about_the_author_is_no_about_block_of_an_organisation(heading):
    from pressroom.importer.structure import about_of

    assert about_of(heading) is None
    assert about_of("जन अधिकार मंच के बारे में") == ("जन अधिकार मंच", None)


def test_an_editors_note_about_the_page_is_cut_and_gives_no_date():
    got = imp("Free the river defenders now\n\nEditor’s note: This release was corrected on 20 "
              "March 2024. An earlier version gave the wrong number of defenders.\n\n"
              "(Bangkok, 12 March 2024) – " + BODY + "\n\n" + BODY + "\n")
    assert "Editor’s note" not in got.body_markdown
    assert got.fields["date"] == dt.date(2024, 3, 12)
    assert got.body_markdown.startswith("We, the undersigned")


def test_notes_to_editors_after_the_end_marker_are_the_release_s_last_section():
    got = imp("Free the river defenders now\n\n(Bangkok, 12 March 2024) – " + BODY + "\n\n"
              + BODY + "\n\nENDS\n\nNotes to editors\n\n- The figures come from court records "
              "seen by the coalition between January and March.\n- Spokespeople are available "
              "for interviews in Thai and English.\n\nFor media inquiries:\nRiver Desk, "
              "+66 2 555 0101\n")
    body = got.body_markdown
    assert "ENDS" not in body
    assert body.index("Notes to editors") < body.index("The figures come from court records")
    assert body.rstrip().endswith("Spokespeople are available for interviews in Thai and "
                                  "English.")
    assert [c["label"] for c in got.fields["contacts"]] == ["River Desk, +66 2 555 0101"]


def test_a_chinese_letter_begins_at_its_addressee_above_a_copy_line_and_the_salutation():
    para = ("我們是一群關注河流社區處境的人權團體，近兩年來持續記錄河岸居民被迫遷離的情形，並多次"
            "向主管機關陳情，至今仍未獲得任何書面回覆。")
    html = ("<html><head><title>致經濟部 請立即停止河岸強制遷離</title></head><body><article>"
            "<h1>致經濟部 請立即停止河岸強制遷離</h1><p>2024年3月12日</p>"
            "<p>致　經濟部部長</p><p>副本：經濟部水利署、行政院環境部</p><p>部長您好：</p>"
            + f"<p>{para}</p>" * 3 + "</article></body></html>")
    got = import_text(html, "letter.html", {})
    body = got.body_markdown
    assert body.startswith("致 經濟部部長") or body.startswith("致　經濟部部長"), body[:40]
    assert "副本：經濟部水利署、行政院環境部" in body and "部長您好：" in body


@pytest.mark.parametrize(("line", "place"), [
    ("لاہور: ۱۴ ربیع الاول ۱۴۴۶ھ بمطابق ۱۹ ستمبر ۲۰۲۴ء", "لاہور"),  # Hijri, then Gregorian
    ("ঢাকা, ৮ চৈত্র ১৪২৯ বঙ্গাব্দ / ২২ মার্চ ২০২৩", "ঢাকা"),
])
def test_a_dateline_with_another_calendar_s_date_first_keeps_its_place(line, place):
    from pressroom.importer.datelines import match_dateline

    found = match_dateline(line)
    assert found is not None and found.place == place and not found.rest
    assert found.date.year in (2023, 2024)


def test_a_reposted_statement_s_own_date_line_under_its_own_title_is_its_date():
    got = imp("Daily Mirror News\nHome | Rights\nWeb desk | 21 September 2024\nRights groups "
              "issued a joint statement today; its full text is given below.\n\nJoint "
              "Statement\n\nFree the river defenders now\n\nLahore: 19 September 2024\n\n"
              + BODY + "\n\n" + BODY + "\n")
    assert got.fields["date"] == dt.date(2024, 9, 19) and got.fields["place"] == "Lahore"
    assert got.body_markdown.startswith("We, the undersigned")


@pytest.mark.parametrize(("name", "person"), [
    ("Dilnoza Karimova, jurnalist, Toshkent", True),  # a profession, then a city
    ("Farah Aziz, lawyer", True),
    ("Lawyers for Liberty, Kuala Lumpur", False),
    ("Border Legal Clinic Collective, Thailand", False),
])
def test_a_person_is_told_by_a_profession_after_any_comma(name, person):
    from pressroom.importer.endorsers import is_person

    assert is_person(name) is person


def test_an_uzbek_letter_begins_at_its_addressee_above_the_salutation():
    para = ("Biz, quyida imzo chekkanlar, daryo bo‘yidagi jamoalarning huquqlarini himoya qilgan "
            "faollarning hibsga olinishidan jiddiy xavotirdamiz va ularni ozod qilishni so‘raymiz.")
    html = ("<html><head><title>Faollar ozod qilinsin</title></head><body><article>"
            "<h1>Faollar ozod qilinsin</h1><p>Bosh prokuraturaga</p><p>Hurmatli Bosh "
            "prokuror!</p>" + f"<p>{para}</p>" * 3 + "</article></body></html>")
    body = import_text(html, "xat.html", {}).body_markdown
    assert body.startswith("Bosh prokuraturaga") and "Hurmatli Bosh prokuror!" in body


@pytest.mark.parametrize(("line", "reason"), [
    ("Үзсэн: 2 318", "a view or comment counter"),  # thousands parted by a space
    ("Views: 12 400", "a view or comment counter"),
    ("Facebook Twitter Холбоос хуулах", "a share or like button"),
    ("Share: Facebook X Copy link", "a share or like button"),
    ("Энэхүү мэдэгдэл анх Малчдын төвийн цахим хуудсанд нийтлэгдсэн болно.",
     "a note of where the text was first published"),
    ("This statement was originally published on the coalition's website.",
     "a note of where the text was first published"),
])
def test_counters_share_rows_and_first_published_notes_are_chrome(line, reason):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) == reason


def test_a_sentence_that_says_where_something_was_published_first_is_no_chrome():
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason("The report was first published in 2019 and has since been cited "
                         "by the courts.") is None


def test_a_joint_release_under_a_supporters_heading_issued_by_the_one_its_contact_names():
    got = imp("SIARAN PERS BERSAMA\n\nHentikan kriminalisasi nelayan\n\nMakassar, 5 Agustus 2024 "
              "– Enam nelayan dari Desa Tanjung Rame kini menjalani pemeriksaan sebagai tersangka "
              "setelah mereka menghadang alat berat perusahaan tambang yang masuk ke kebun warga."
              "\n\nKami mendesak polisi menghentikan penyidikan terhadap enam nelayan itu dan "
              "tidak melakukan penahanan terhadap mereka.\n\n"
              "Organisasi yang mendukung siaran pers ini:\n1. Wahana Pesisir Sultra\n"
              "2. Jaringan Pembela Tanah Sulawesi (JPTS)\n3. Serikat Tani Konawe\n\n"
              "Narahubung:\nAndi Rahmat (JPTS) – 0812 5555 0199\n", organisations={
                  "jpts": Organisation("jpts", "Jaringan Pembela Tanah Sulawesi (JPTS)")})
    assert got.fields["type"] == "press-release"
    assert len(got.fields["endorsers"]) == 3 and "Serikat Tani" not in got.body_markdown
    assert got.fields["issued_by"] == "jpts"


def test_a_thai_issued_on_sign_off_gives_no_place():
    from pressroom.importer.datelines import match_dateline

    found = match_dateline("แถลงเมื่อวันที่ ๑๒ มีนาคม ๒๕๖๗", "th")
    assert found is not None and found.date == dt.date(2024, 3, 12) and found.place is None


def test_a_thai_sentence_saying_who_issues_it_heads_the_list_after_the_sign_off():
    para = ("ชุมชนชาวเลบนชายฝั่งอันดามันถูกออกเอกสารสิทธิทับที่ดินที่อยู่อาศัยมาหลายชั่วอายุคน "
            "และถูกฟ้องคดีบุกรุกในที่ดินของตนเอง เราขอให้หน่วยงานรัฐยุติการดำเนินคดีโดยทันที")
    html = ("<html><head><title>หยุดออกเอกสารสิทธิทับที่ดินชุมชนชาวเล</title></head><body>"
            "<article><h1>แถลงการณ์ร่วม: หยุดออกเอกสารสิทธิทับที่ดินชุมชนชาวเล</h1>"
            + "".join(f"<p>{para} ครั้งที่ {n} ในรอบปีนี้</p>" for n in range(1, 4))
            + "<p>แถลงเมื่อวันที่ ๑๒ มีนาคม ๒๕๖๗</p><p><strong>"
            "แถลงการณ์ฉบับนี้ออกร่วมกันโดยองค์กรตามรายนามด้านล่าง</strong></p><ol>"
            "<li>เครือข่ายชาวเลอันดามัน</li><li>กลุ่มอนุรักษ์หาดบ้านทับตะวัน</li>"
            "<li>สมาคมประมงพื้นบ้านเกาะลันตา</li></ol></article></body></html>")
    got = import_text(html, "th.html", {})
    assert len(got.fields["endorsers"]) == 3 and got.fields["place"] is None
    assert "ออกร่วมกันโดย" not in got.body_markdown


@pytest.mark.parametrize(("line", "reason"), [
    ("نُشر هذا البيان في الأصل باللغة الفرنسية، وننشر هنا ترجمته العربية.",
     "a note that the page is a translation"),
    ("ໝາຍເຫດ: ຖະແຫຼງການນີ້ແປມາຈາກສະບັບພາສາອັງກິດ. ຖ້າມີຄວາມແຕກຕ່າງ, ໃຫ້ຖືເອົາສະບັບພາສາອັງກິດເປັນຫຼັກ.",
     "a note that the page is a translation"),
    ("This is an unofficial translation; the English text prevails.",
     "a note that the page is a translation"),
    ("-WAKAS-", "an end marker"),
])
def test_translation_notes_and_filipino_end_markers_are_chrome(line, reason):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) == reason


def test_a_sentence_about_translating_is_no_chrome():
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason("The authorities refused to provide an interpreter, and the "
                         "defendants could not follow the hearing.") is None


@pytest.mark.parametrize(("text", "date"), [
    ("4 มีนาคม พ.ศ. 2564", dt.date(2021, 3, 4)),  # the era's mark before the year
    ("ບາງກອກ, ວັນທີ ໒໘ ສິງຫາ ພ.ສ. ໒໕໖໗", dt.date(2024, 8, 28)),  # Lao, Lao digits
])
def test_a_buddhist_era_mark_before_the_year_is_read(text, date):
    found = find_date(text)
    assert found is not None and found.date == date and found.buddhist_era


def test_an_arabic_dateline_with_on_the_day_keeps_its_place_without_its_comma():
    from pressroom.importer.datelines import match_dateline

    found = match_dateline("تونس، في ١٨ سبتمبر/أيلول ٢٠٢٤", "ar")
    assert found is not None and found.place == "تونس" and found.date == dt.date(2024, 9, 18)


def test_an_arabic_copyright_line_names_its_owner_after_the_words():
    from pressroom.importer.chrome import copyright_owner

    assert copyright_owner("© حقوق النشر 2024، جميع الحقوق محفوظة | المرصد المغاربي للحريات"
                           ) == "المرصد المغاربي للحريات"


def test_a_post_s_own_header_is_no_site_name():
    """A theme's article header ("entry-header-outer") holds the post's h1: the title, not
    the site's name (which would have the title refused)."""
    para = "<p>" + "The observers documented the removals over three weeks. " * 4 + "</p>"
    html = ("<html><head><title>Stop the removals - Observatory</title></head><body>"
            "<article><header class='entry-header-outer'><h1>Stop the removals</h1></header>"
            + para * 3 + "</article></body></html>")
    got = import_text(html, "post.html", {})
    assert got.fields["title"] == "Stop the removals"


@pytest.mark.parametrize("line", [
    "البريد الإلكتروني: اضغط هنا لإظهار البريد الإلكتروني",
    "E-mail: click here to show the e-mail address",
])
def test_a_button_that_shows_the_address_is_a_hidden_address(line):
    assert hidden_email(line) is not None


def test_a_malay_contact_run_in_after_any_questions_is_a_contact_not_a_signer():
    from pressroom.importer.structure import heading_of

    found = heading_of("Untuk sebarang pertanyaan, sila hubungi: Nur Farhana, PEKHAM, "
                       "+60 16 555 2307")
    assert found is not None and found[0] == "contact"


def test_an_about_heading_s_acronym_is_spelt_out_from_its_text():
    para = "Nananawagan ang alyansa sa pulisya na palayain ang mga inaresto ngayon din. " * 3
    text = ("Pitong mangingisda, inaresto sa piket\n\nBATANGAS, Setyembre 23, 2024 — "
            + para + "\n\n" + para + "\n\nTungkol sa AMME\nAng Alyansa ng mga Mamamayan para "
            "sa Malinis na Enerhiya (AMME) ay koalisyon ng mga samahan sa Batangas.\n")
    got = import_text(text, "tl.txt", {})
    added = {o.key: o.name for o in got.new_organisations}
    assert added[got.fields["issued_by"]] == (
        "Alyansa ng mga Mamamayan para sa Malinis na Enerhiya (AMME)")


def test_a_japanese_mail_s_headers_are_cut_and_the_press_release_read_below_them():
    text = ("差出人: 広報 <koho@minato.example.jp>\n送信日時: 2024年9月12日 10:30\n"
            "宛先: press@minato.example.jp\n件名: 【プレスリリース】調査の結果を公表\n\n"
            "報道関係者各位\n\n【プレスリリース】\n\n令和6年9月12日\n\n"
            "技能実習生の調査の結果を公表\n\n"
            + "当法人は、本日、全国の技能実習生を対象に実施した調査の結果を公表しました。" * 3
            + "\n\n以上\n")
    got = import_text(text, "ja.txt", {})
    assert got.fields["title"] == "技能実習生の調査の結果を公表"
    assert got.fields["type"] == "press-release"
    assert "差出人" not in got.body_markdown and "件名" not in got.body_markdown


def test_japanese_reference_mark_notes_between_sections_are_footnotes_and_the_text_goes_on():
    para = "回答者の多くが、旅券を会社に預けさせられた経験があると答えています。" * 3
    text = ("調査の結果を公表\n\n2024年9月12日\n\n" + para + "\n\n■調査の結果\n"
            "・旅券を預けさせられた：26.3%※1\n\n※1 本人の同意を得たとされていても含む。\n\n"
            "■当法人の提言\n" + para + "\n")
    got = import_text(text, "ja.txt", {})
    assert "[^1]" in got.body_markdown and "[^1]: 本人の同意を得たとされていても含む。" in (
        got.body_markdown)
    assert "当法人の提言" in got.body_markdown


@pytest.mark.parametrize(("line", "reason"), [
    ("存档说明：本文依据发起方通过电子邮件发布的版本整理。", "an editor's note about the page"),
    ("本站仅作存档之用，文字版权归原作者所有。", "an archive's notice about its copies"),
])
def test_an_archive_s_notes_about_its_copy_are_chrome(line, reason):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) == reason


def test_a_heading_s_own_anchor_is_no_furniture():
    """mdBook writes each heading as <h2><a class="header">: the heading over the endorsers
    is read, not cut as the site's header."""
    para = "<p>" + "我们对黄律师被指定居所监视居住一事表示严重关切，并要求立即解除。" * 3 + "</p>"
    html = ("<html><head><title>立即解除监视居住</title></head><body><main>"
            "<h1>立即解除监视居住</h1>" + para * 3
            + "<h2 id='x'><a class='header' href='#x'>联署组织</a></h2><ul>"
            "<li>海外华人律师互助会</li><li>公民观察志愿者团队</li><li>自由写作者联合会</li>"
            "</ul></main></body></html>")
    got = import_text(html, "zh.html", {})
    assert len(got.fields["endorsers"]) == 3


@pytest.mark.parametrize("line", [
    "Төменде ұйымдардың мәлімдемесін толық күйінде жариялап отырмыз. Редакцияның ұстанымы "
    "мәлімдеме авторларының пікірімен сәйкес келмеуі мүмкін.",
    "Публикуем заявление полностью. Мнение редакции может не совпадать с мнением авторов.",
])
def test_a_reposting_site_s_word_that_the_views_are_the_authors_is_chrome(line):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) == "a reposting site's note that the views are the authors'"


def test_a_kazakh_run_in_list_s_last_name_loses_its_count_of_the_rest():
    from pressroom.importer.endorsers import count_after_name

    assert count_after_name("Көмек қоры (Тәжікстан) және тағы 11 ұйым", "kk") == (
        "Көмек қоры (Тәжікстан)", "және тағы 11 ұйым")


def test_an_address_shown_as_a_picture_in_a_contact_line_is_a_hidden_address():
    para = "<p>" + "The union's leader was detained for calling on workers to strike. " * 3
    html = ("<html><head><title>Stop the prosecution</title></head><body><article>"
            "<h1>Stop the prosecution</h1>" + (para + "</p>") * 3 + "<p>Media contact: Aigerim "
            "T., Programme Coordinator, +7 727 355 41 08, <img src='/up/email-org.png' alt=''>"
            "</p></article></body></html>")
    got = import_text(html, "kk.html", {})
    assert got.fields["contacts"][0]["email"] is None
    assert any(d.field == "contacts" and "e-mail" in d.message for d in got.diagnostics)


def test_a_title_broken_after_its_colon_and_a_sinhala_place_above_the_date_are_read():
    para = ("අපි, පහත අත්සන් කර ඇති සංවිධාන, අතුරුදන් කරන ලද අයගේ පවුල් මුහුණ දෙන තත්ත්වය "
            "පිළිබඳව ඔබතුමාගේ අවධානය යොමු කරවන්නෙමු. ") * 3
    text = ("පවුල්වලට සත්‍යය දැන ගැනීමේ අයිතිය ලබා දෙන්න:\nජනාධිපතිතුමා වෙත විවෘත ලිපියක්\n\n"
            "කොළඹ\n2024 ඔක්තෝබර් 03\n\nගරු ජනාධිපතිතුමනි,\n\n" + para + "\n\n" + para
            + "\n\nමෙයට විශ්වාසී,\n\nඅත්සන් කළ සංවිධාන සහ පුද්ගලයින්:\n\n"
            "1. ශ්‍රී ලංකා මානව හිමිකම් සංසදය\n"
            "2. ආචාර්ය නිරෝෂා ගුණසේකර, කථිකාචාර්ය\n3. යුක්තිය සඳහා නීතිඥ එකමුතුව\n")
    got = import_text(text, "si.txt", {})
    assert got.fields["title"] == ("පවුල්වලට සත්‍යය දැන ගැනීමේ අයිතිය ලබා දෙන්න: "
                                   "ජනාධිපතිතුමා වෙත විවෘත ලිපියක්")
    assert got.fields["place"] == "කොළඹ" and got.fields["date"] == dt.date(2024, 10, 3)
    assert got.fields["type"] == "open-letter"
    assert len(got.fields["endorsers"]) == 2  # the lecturer is a person
    assert "විශ්වාසී" not in got.body_markdown


def test_a_letter_s_numbered_signatures_lose_their_numbers():
    para = ("We write to urge the government to release the detained defenders without delay "
            "and to end the prosecutions. ") * 3
    text = ("Open letter on the detained defenders\n\n4 March 2024\n\nDear Minister,\n\n" + para
            + "\n\n" + para + "\n\nYours sincerely,\n\n1. Forum of Rights Defenders\n"
            "2. Dr. Jane Doe, lecturer\n3. Lawyers for Justice Network\n")
    got = import_text(text, "letter.txt", {})
    assert [o.name for o in got.new_organisations] == ["Forum of Rights Defenders",
                                                       "Lawyers for Justice Network"]


def test_people_who_sign_a_letter_for_no_organisation_are_said_to_be_left_out():
    got = imp("Open letter to the Minister on the detained lawyers\n\n12 March 2024\n\n"
              "Dear Minister,\n\n" + BODY + "\n\nYours sincerely,\n\nMaria Santos\n"
              "Lawyer, Quezon City\n\nDaniel Reyes\nProfessor of Law\n")
    assert got.fields["endorsers"] == [] and got.fields["type"] == "open-letter"
    said = [d for d in got.diagnostics if d.field == "endorsers"]
    assert [d.line for d in said] == [11], said
    assert "2 people signed as individuals" in said[0].message
    assert "Maria Santos" not in got.body_markdown
    assert "Professor of Law" not in got.body_markdown


LYNX = """   #[1]Network » Feed

   [2]Border Rights Network

     * [3]Home
     * [4]Statements

   ____________________ Search

Free the eleven students of the river school

   Posted: 16/09/2024 | By: [5]Admin

   We, the undersigned organisations, call on the authorities to release the detained
   defenders and to drop every charge against them without delay, and we ask the
   courts to hear their appeal this month.

   The students were held for three weeks[6]1 after they filmed the dredging.

   For more information, please contact:
   Daniel Reyes, coordinator
   E-mail: [7]info@brn.example.org

References

   1. https://brn.example.org/feed/
   2. https://brn.example.org/
   3. https://brn.example.org/
   4. https://brn.example.org/statements/
   5. https://brn.example.org/author/admin/
   6. https://brn.example.org/statements/river-school/#note-1
   7. mailto:info@brn.example.org
"""


def test_a_text_browser_s_dump_loses_its_link_numbers_and_link_list_and_rejoins_its_lines():
    from pressroom.importer.lynx import read_dump

    lines, cut = read_dump(LYNX)
    texts = [line.text for line in lines]
    assert ("We, the undersigned organisations, call on the authorities to release the "
            "detained defenders and to drop every charge against them without delay, and we "
            "ask the courts to hear their appeal this month.") in texts
    # A line the browser broke at <br> (a contact's card) is a line of its own.
    assert texts[-3:] == ["For more information, please contact:", "Daniel Reyes, coordinator",
                          "E-mail: info@brn.example.org"]
    assert "* Home" in texts and not any("[" in text for text in texts)
    cut_texts = {text for _, text, _ in cut}
    assert {"References", "7. mailto:info@brn.example.org", "#[1]Network » Feed",
            "____________________ Search"} <= cut_texts
    got = imp(LYNX, "archive/river-school.txt")
    assert got.fields["title"] == "Free the eleven students of the river school"
    assert got.fields["date"] == dt.date(2024, 9, 16)
    assert got.fields["contacts"][0]["email"] == "info@brn.example.org"
    assert "References" not in got.body_markdown and "https://" not in got.body_markdown
    assert not [d for d in got.diagnostics if d.field == "footnotes"]


def test_a_statement_s_own_sources_list_is_no_text_browser_s_link_list():
    from pressroom.importer.lynx import read_dump

    text = ("A title\n\nThe report[1], the ruling[2] and the law[3] say so.\n\nReferences\n\n"
            "1. https://a.example.org/report\n2. https://b.example.org/ruling\n"
            "3. https://c.example.org/law\n")
    assert read_dump(text) is None


@pytest.mark.parametrize(("line", "place", "date"), [
    ("ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី១៦ ខែកញ្ញា ឆ្នាំ២០២៤", "រាជធានីភ្នំពេញ", dt.date(2024, 9, 16)),
    ("ធ្វើនៅ ខេត្តសៀមរាប ថ្ងៃទី៤ ខែតុលា ឆ្នាំ២០២១", "ខេត្តសៀមរាប", dt.date(2021, 10, 4)),
])
def test_a_khmer_sign_off_s_done_at_is_not_part_of_its_place(line, place, date):
    got = imp("ដោះលែងសកម្មជន\n\n" + BODY + "\n\n" + line + "\n")
    assert (got.fields["place"], got.fields["date"]) == (place, date)


@pytest.mark.parametrize("line", ["ស្លាក៖ កោះកុង ព្រៃកោងកាង", "ចែករំលែក៖ Facebook Telegram"])
def test_khmer_tags_and_share_lines_are_the_site_s(line):
    from pressroom.importer.chrome import chrome_reason

    assert chrome_reason(line) is not None


GMAIL_PRINT = """3/9/24, 10:02 AM
Gmail - Fwd: Statement on the river school

Archive Desk <archive@marn.example.org>

Statement on the river school
1 message

Border Rights Network <media@brn.example.org>
Fri, Mar 8, 2024 at 4:15 PM
To: archive@marn.example.org

Free the eleven students of the river school

Chiang Mai, March 7

We, the undersigned organisations, call on the authorities to release the detained
defenders and to drop every charge against them without delay.

https://mail.google.com/mail/u/0/?ik=1a2b3c&view=pt&search=all&permmsgid=msg-f:123
1/2
3/9/24, 10:02 AM
Gmail - Fwd: Statement on the river school

The students were held for three weeks after they filmed the dredging of the river
near their school, and none has yet seen a lawyer.

https://mail.google.com/mail/u/0/?ik=1a2b3c&view=pt&search=all&permmsgid=msg-f:123
2/2
"""


def test_a_browser_printout_of_a_gmail_message_loses_its_print_and_mail_lines():
    from pressroom.importer.printout import read_printout

    printout = read_printout(GMAIL_PRINT)
    assert (printout.sender, printout.sent) == ("Border Rights Network", "2024-03-08")
    assert {text for _, text, _ in printout.cut} >= {
        "3/9/24, 10:02 AM", "Gmail - Fwd: Statement on the river school", "1/2", "2/2",
        "Archive Desk <archive@marn.example.org>", "1 message", "To: archive@marn.example.org",
        "Fri, Mar 8, 2024 at 4:15 PM"}
    got = imp(GMAIL_PRINT, "archive/river-school.txt")
    assert got.fields["title"] == "Free the eleven students of the river school"
    # The date line has no year: the e-mail's sending day gives it, with a warning.
    assert (got.fields["date"], got.fields["place"]) == (dt.date(2024, 3, 7), "Chiang Mai")
    assert any(d.field == "date" and "gives no year" in d.message for d in got.diagnostics)
    assert got.body_markdown.startswith("We, the undersigned organisations")
    assert "none has yet seen a lawyer." in got.body_markdown
    for chrome in ("mail.google.com", "10:02 AM", "1 message", "Archive Desk"):
        assert chrome not in got.body_markdown


def test_a_dated_first_line_is_no_printout_without_its_pages():
    from pressroom.importer.printout import read_printout

    assert read_printout("3/9/24, 10:02 AM\nA title\n\n" + BODY + "\n\nMore.\n\nEnd.\n"
                         "\nLast.\n") is None


@pytest.mark.parametrize(("text", "month", "day"), [
    ("October 2", 10, 2), ("2 Mei", 5, 2), ("အောက်တိုဘာ ၂", 10, 2), ("7 марта", 3, 7)])
def test_a_gregorian_day_and_month_without_a_year_is_read_by_cldr_s_names(text, month, day):
    from pressroom.importer.dates import yearless_date

    found = yearless_date(text)
    assert (found.calendar, found.month, found.day) == ("gregorian", month, day)


@pytest.mark.parametrize(("line", "chrome"), [
    ("UPDATE (18 March 2024): The letter was handed in at Government House this morning.", True),
    ("Update 20/3: the four were moved to another centre, their lawyers say.", True),
    ("Editor's note (5 May): this statement was first posted on the network's site.", True),
    ("Update: the government must now act on the report's findings.", False),
    ("The full list of 31 signatories is available on the Take action page.", True),
    ("The full list of signatories is available here.", True),
    ("The full list of abuses is set out in our report.", False),
])
def test_a_blog_s_later_note_and_a_pointer_to_the_full_list_are_the_site_s(line, chrome):
    from pressroom.importer.chrome import chrome_reason

    assert (chrome_reason(line) is not None) is chrome


def test_a_letter_s_dateline_below_the_blog_s_update_note_dates_it():
    got = imp("Open letter to the Minister on the detained lawyers\n\nUPDATE (18 March 2024):"
              " The letter was handed in this morning with 31 signatures.\n\nBangkok, 14 March"
              " 2024\n\nDear Minister,\n\n" + BODY + "\n\nYours sincerely,\n\n"
              "River Lawyers Network\nSister Margaret Reyes, refugee chaplaincy\n")
    assert (got.fields["date"], got.fields["place"]) == (dt.date(2024, 3, 14), "Bangkok")
    assert "UPDATE" not in got.body_markdown
    assert [o.name for o in got.new_organisations] == ["River Lawyers Network"]


@pytest.mark.parametrize("label", ["بیانیهٔ مشترک", "بیانیه\u200cی مشترک", "بیانیه مشترک"])
def test_a_persian_joint_statement_label_in_each_spelling_of_its_ezafe(label):
    got = imp(f"{label}: جان سه معترض را نجات دهید\n\nلندن، ۱۶ مه ۲۰۲۳ – " + BODY + "\n")
    assert got.fields["title"] == "جان سه معترض را نجات دهید"
    assert got.fields["type"] == "joint-statement"


def test_a_day_unit_word_inside_a_place_s_name_is_not_read_as_one():
    from pressroom.importer.datelines import match_dateline

    # Urdu's "دن" (day) ends the Persian name of London, "لندن".
    found = match_dateline("لندن، ۱۶ مه ۲۰۲۳ – همبستگی", "fa")
    assert (found.place, found.date) == ("لندن", dt.date(2023, 5, 16))


def test_a_run_in_list_is_not_parted_at_a_comma_inside_quotation_marks():
    from pressroom.importer.endorsers import endorser_names
    from pressroom.importer.sources import Line

    text = ("«Адилет» укуктук клиникасы, Central Asian Bureau for Civil Liberties (CABCL), "
            "«Укук, мыйзам жана адилеттик» коомдук фонду, Эркин медиа борбору")
    assert [n.text for n in endorser_names([Line(1, text, text)], "ky")] == [
        "«Адилет» укуктук клиникасы", "Central Asian Bureau for Civil Liberties (CABCL)",
        "«Укук, мыйзам жана адилеттик» коомдук фонду", "Эркин медиа борбору"]


WEB_CHANNEL = """Telegram
Rights Bulletin
@rights_bulletin
8.42K subscribers
64 videos
News of the courts and of rights defenders.
Search
May 12
Rights Bulletin
The appeal of the detained reporters is heard today at 3 p.m.
👍 31  😢 12
2.4K
11:05
Rights Bulletin
Forwarded from
River Lawyers Network
Free the eleven students of the river school

Chiang Mai, 12 May 2023

""" + BODY + """ The students were held for three weeks after they filmed the dredging.

We ask the courts to hear their appeal this month and to release them on bail.
👍 58  ❤ 21
1.2K
edited  14:32
Rights Bulletin
Five more groups have joined the statement.
👍 17
904
16:10
"""


def test_a_channel_s_web_preview_gives_its_longest_post_and_whose_it_is():
    from pressroom.importer.captures import strip_web_channel
    from pressroom.importer.sources import text_lines

    kept, cut, owner = strip_web_channel(list(text_lines(WEB_CHANNEL)))
    assert owner == "River Lawyers Network"
    assert kept[0].text == "Free the eleven students of the river school"
    assert kept[-1].text.startswith("We ask the courts")
    assert {"8.42K subscribers", "1.2K", "edited 14:32", "Forwarded from",
            "Five more groups have joined the statement."} <= {text for _, text, _ in cut}
    got = imp(WEB_CHANNEL, "archive/channel.txt")
    assert got.fields["title"] == "Free the eleven students of the river school"
    assert (got.fields["date"], got.fields["place"]) == (dt.date(2023, 5, 12), "Chiang Mai")
    for chrome in ("subscribers", "1.2K", "14:32", "appeal of the detained reporters"):
        assert chrome not in got.body_markdown


def test_drupal_footnotes_module_s_notes_list_gives_the_notes():
    page = ("<html><body><article><h1>Free the three activists of Qarshi</h1>"
            f"<p>(Tashkent, 12 May 2023) – {BODY}<sup><a class='see-footnote' "
            "id='footnoteref1_k3m9' href='#footnote1_k3m9'>1</a></sup></p>"
            f"<p>{BODY}</p><ul class='footnotes'><li class='footnote' id='footnote1_k3m9'>"
            "<a class='footnote-label' href='#footnoteref1_k3m9'>1.</a> The Criminal Code, "
            "article 139.</li></ul></article></body></html>")
    got = import_text(page, "archive/page.html", {}, "forum-asia")
    assert "[^1]: The Criminal Code, article 139." in got.body_markdown
    assert not [d for d in got.diagnostics if d.field == "footnotes"]


def test_a_published_google_doc_is_titled_by_its_title_paragraph_not_its_file_name():
    page = ("<html><head><title>BRWC press release - FINAL (v3)</title><meta property="
            "'og:title' content='BRWC press release - FINAL (v3)'></head><body><div "
            "id='banners'><div id='publish-banner'><span id='title'>BRWC press release - "
            "FINAL (v3)</span><span>Published using Google Docs</span></div></div><div "
            "id='contents'><div class='doc-content'><p class='c1'>30 August 2023</p>"
            "<p class='title'>End enforced disappearances now</p>"
            f"<p class='c1'>{BODY}</p><p class='c1'>{BODY}</p></div></div></body></html>")
    got = import_text(page, "archive/doc.html", {}, "forum-asia")
    assert got.fields["title"] == "End enforced disappearances now"
    assert "FINAL" not in got.body_markdown


def test_an_uzbek_contact_heading_for_the_press():
    got = imp("Free the three activists of Qarshi\n\n(Tashkent, 12 May 2023) – " + BODY
              + "\n\nOAV uchun: Dilnoza Karimova, matbuot kotibi, +998 90 555 12 34, "
              "press@uflr.example.uz\n")
    assert got.fields["contacts"] == [{"group": "OAV uchun:", "label": "Dilnoza Karimova, "
                                       "matbuot kotibi, +998 90 555 12 34",
                                       "email": "press@uflr.example.uz"}]
