"""Contacts under their headings, with e-mail addresses the old sites hid left empty.

Each contact keeps the heading it stands under ("For media inquiries, please contact:") as
its group. An address a site hid from spam robots is never guessed back: Cloudflare's
"[email protected]", Joomla's "This email address is being protected from spambots..."
(in any language), "name [at] org [dot] org", "name(at)org.org". Each is left empty and said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..body import MANGLED_EMAIL  # what the old site's e-mail obfuscation left
from . import vocab
from .sources import EMAIL, Line
from .structure import strip_bullet

# The other ways sites hid an address: the cloaking plugins' sentence (English and the
# translations it ships, which all name spam robots, then JavaScript, the two words
# mostly written in the language's own script), and spelt-out "at"/"dot"
# ("name [at] org [dot] org", "name(at)org.org").
_SPAMBOTS = re.compile(
    r"spam-?bot|спам-бот|robots? spam|spam ?robot|JavaScript|Javascript|"
    r"स्पैम ?बॉट|जावास्क्रिप्ट|স্প্যাম ?বট|জাভাস্ক্রিপ্ট|سپیم ?بوٹ|جاوا ?اسکرپٹ|"
    r"جافا ?سكريبت|رسائل (?:الدعاية|السبام)|اسپم|جاوا ?اسکریپت|สแปม|จาวาสคริปต์|"
    r"ជាវ៉ាស្គ្រីប|ဂျာဗားစခရစ်|垃圾邮件|垃圾郵件|スパム|스팸|자바스크립트", re.IGNORECASE)
_SENTENCE_START = re.compile(r"[:：.。।۔]\s*")
# How Joomla's cloaking plugin's sentence opens, in the region's translations ("This email
# address is being protected", "Alamat e-mel ini dilindungi", "Địa chỉ email này"): where
# the hidden part starts after a contact's name and phone on the same line.
_PLUGIN_SENTENCE = re.compile(
    r"this e-?mail address is being protected|alamat e-?(?:mail|mel) ini|"
    r"địa chỉ (?:e-?mail|thư điện tử) này|адрес электронной почты|этот (?:e-?mail|адрес)|"
    r"อีเมลนี้|此电子邮件地址|此電子郵件地址|這個 ?e-?mail ?地址",
    re.IGNORECASE)
SPELT = re.compile(  # (from a word's start only, as EMAIL)
    r"(?<![\w.+-])[\w.+-]+\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\s+at\s+(?=[\w-]+\s+(?:\[|\()?dot)|"
    r"[★☆◆■●＠]|\(\s*[★☆＠]\s*\)|"  # Japanese sites: "office★example.jp (★ is @)"
    r"\s+at\s+(?=[\w-]+\.[\w-]+(?:\.[\w-]+)*(?:[\s,;]|$)))"  # pipermail: "name at org.org"
    r"\s*[\w-]+(?:\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|\.|\s+dot\s+)\s*[\w-]+)+"
    r"(?:\s*[（(][^()（）]{0,30}[★☆◆■●＠][^()（）]{0,30}[)）])?",  # "(★を@に置き換えて)"
    re.IGNORECASE)
# Spaced out, so that no robot reads it: "press @ cabcl . example . kz".
# Cut short by a mailing list's archive, so that no robot reads it: "rina.vi...@org.org".
TRUNCATED = re.compile(r"(?<![\w.+-])[\w.+-]*\w\.{3}@[\w-]+(?:\.[\w-]+)+")
SPACED = re.compile(r"(?<![\w.+-])[\w.+-]+\s+[@＠]\s+[\w-]+(?:\s*\.\s*[\w-]+)*\s+\.\s+[\w-]+")
_EMPTY_BRACKETS = re.compile(r"[(（<\[]\s*[)）>\]]")
_LABEL_TAIL = re.compile(r"[\s,;:：–—\-、،៖，；၊]+$")


@dataclass(frozen=True)
class _Hidden:
    text: str

    def group(self, _n: int = 0) -> str:
        return self.text


# A button a script turns into the address when clicked ("Click to show e-mail"): what is
# left of it in a saved page or a copy.
REVEAL = re.compile(
    r"(?:click|tap) (?:here )?to (?:show|reveal|view|display|see) (?:the |this )?"
    r"(?:e-?mail(?: address)?|address)|(?:show|reveal) (?:the )?e-?mail(?: address)?|"
    r"(?:اضغط|انقر) هنا (?:لإظهار|لعرض|لرؤية)(?: عنوان)?(?: البريد الإلكتروني)?|"
    r"klik (?:di sini )?untuk (?:melihat|menampilkan|memaparkan) (?:alamat )?"
    r"(?:e-?mail|e-?mel|surel)|点击(?:显示|查看)(?:邮箱|邮件地址|电子邮件)|"
    r"點擊(?:顯示|查看)(?:電郵|電子郵件)|нажмите,? чтобы (?:увидеть|показать) "
    r"(?:адрес|e-?mail)", re.IGNORECASE)


def hidden_email(text: str) -> _Hidden | None:
    """The part of a contact line where a site hid an e-mail address, or None."""
    for pattern in (MANGLED_EMAIL, SPELT, SPACED, TRUNCATED, REVEAL):
        match = pattern.search(text)
        if match:
            return _Hidden(match.group(0))
    match = _SPAMBOTS.search(text)
    if not match:
        return None
    # The plugin's sentence: from the last ":" or full stop before the words about spam
    # robots (or the line's start), to the line's end.
    starts = [m.end() for m in _SENTENCE_START.finditer(text, 0, match.start())
              if not re.search(r"\b[A-Z][a-z]{0,2}$", text[:m.start()])]  # "Ma.", "Dr."
    if not starts:  # "Name, role, +60 12-555 3471, <the plugin's sentence>": after a comma
        starts = [m.end() for m in re.finditer(r"[,，、،]\s*", text[:match.start()])
                  if text[m.end():m.end() + 1].isupper()]
    start = starts[-1] if starts else 0
    plugin = _PLUGIN_SENTENCE.search(text)
    if plugin and plugin.start() >= start:
        start = plugin.start()  # "Name, phone, This email address ...": after the comma
    # "... อีเมล This email address ...": the word for e-mail before the sentence stays out.
    words = vocab.words_pattern(vocab.EMAIL_WORDS)
    for m in words.finditer(text, start, match.start()):
        after = text[m.end():].lstrip(" :：៖")
        if after[:1].isupper() and text[m.end():m.end() + 1] in " :：៖":
            start = m.end()
            break
    return _Hidden(text[start:].strip())


@dataclass
class Contacts:
    contacts: list[dict] = field(default_factory=list)
    hidden: list[tuple[Line, str, str]] = field(default_factory=list)  # (line, label, form)
    unnamed: list[Line] = field(default_factory=list)  # a hidden address alone: no contact


_PHONE = re.compile(r"^(?:(?:tel|telp|phone|mobile|mob|cell|hp|ph|whatsapp|fax|điện thoại|đt|โทร|"
                    r"โทรศัพท์|电话|電話|手机|手機|тел|телефон)\.?\s*[:：.]?\s*)?\+?\d[\d\s().\-/]{5,}$",
                    re.IGNORECASE)


_PHONE_IN = re.compile(r"\+\d[\d\s().\-/]{6,}\d")  # an international number, in a line


def _cards(lines: list[tuple[str | None, Line]]) -> list[tuple[str | None, Line]]:
    """Contacts printed as cards, a few lines each (a name; a role and organisation; a
    phone; an e-mail), one card after another with a blank line between: each card's lines
    joined into one, so that it is one contact. A run of lines is a card when its first
    line has no address and a later one is only a phone or only an address."""
    out: list[tuple[str | None, Line]] = []
    i = 0
    while i < len(lines):
        group, first = lines[i]
        j = i + 1
        while j < len(lines) and lines[j][0] == group and (
                lines[j][1].number == lines[j - 1][1].number + 1):
            j += 1
        run = [strip_bullet(line) for _, line in lines[i:j]]
        if len(run) >= 2 and _PHONE_IN.search(run[0].text) and not _has_address(run[0].text):
            # "Name, MCSF, phone +66 ...": a whole contact on its line; the next starts one.
            out.append(lines[i])
            i += 1
            continue
        if len(run) >= 2 and not _has_address(run[0].text) and any(
                _PHONE.match(line.text) or _address_only(line.text) for line in run[1:]):
            text = ", ".join(line.text for line in run if not _address_only(line.text))
            addresses = " ".join(line.text for line in run if _address_only(line.text))
            joined = f"{text} {addresses}".strip()
            out.append((group, Line(first.number, joined, joined)))
        else:
            out.extend(lines[i:j])
        i = j
    return out


def _has_address(text: str) -> bool:
    return bool(EMAIL.search(text) or hidden_email(text))


def _address_only(text: str) -> bool:
    if not _has_address(text):
        return False
    rest = text
    for match in (hidden_email(text), EMAIL.search(text)):
        if match:
            rest = rest.replace(match.group(0), " ")
    return not _label(rest)


def read_contacts(lines: list[tuple[str | None, Line]]) -> Contacts:
    found = Contacts()
    for group, raw in _cards(lines):
        line = strip_bullet(raw)
        text = line.text
        hidden = hidden_email(text)
        shown = EMAIL.search(text) if not hidden else None
        rest = text
        for match in (hidden, shown):
            if match:
                rest = rest.replace(match.group(0), " ")
        label = _label(rest)
        email = shown.group(0) if shown else None
        if not label and found.contacts and found.contacts[-1]["email"] is None and (
                shown or hidden) and found.contacts[-1].get("group") == group:
            # "Email: ..." on its own line belongs to the contact above it.
            contact = found.contacts[-1]
            contact["email"] = email
        elif not label and not shown:
            if hidden:  # the old site's words where an address was, and no name: said
                found.unnamed.append(line)
            continue
        else:  # an address alone, with no contact above to take it: its own contact
            label = label or email
            contact = {"label": label, "email": email, "group": group}
            found.contacts.append(contact)
        if hidden:
            found.hidden.append((line, contact["label"], hidden.group(0).strip()))
    return found


def _label(text: str) -> str:
    # "Name (name@org)" with the address taken out leaves "Name ( )".
    label = " ".join(_EMPTY_BRACKETS.sub(" ", text).split())
    words = vocab.words_pattern(vocab.EMAIL_WORDS)
    for _ in range(3):  # "..., E-mail: " and the like, from the end
        label = _LABEL_TAIL.sub("", label)
        tail = list(words.finditer(label))
        if tail and tail[-1].end() == len(label) and (
                tail[-1].start() == 0 or not label[tail[-1].start() - 1].isalnum()):
            label = label[:tail[-1].start()]
        else:
            break
    label = _LABEL_TAIL.sub("", label).strip()
    if re.fullmatch(r"(?:e-?mail|email address|tel|phone)?", label, re.IGNORECASE):
        return ""
    return label
