"""LibreOffice as a reviewer, through its own UNO scripting. Runs under Debian's
/usr/bin/python3 (python3-uno), never the project's venv: tests call it in a subprocess with
PYTHONPATH and PYTHONHOME cleared (see `review()` in tests/test_review_read.py).

    /usr/bin/python3 tests/uno_reviewer.py IN.docx OUT.docx PLAN.json

PLAN.json: {"author": [first, last], "comments": [...], "edits": [...]}. Every target is
{"story": "body"|"footnote", "paragraph": n, "find": text}: the first occurrence of `text` in
paragraph n of the body, or of the first footnote. Comments come first (LibreOffice crashes
inserting a comment with changes being recorded), then RecordChanges is switched on and each
edit is made. A comment's "reply_to" (an index in "comments") threads it where LibreOffice
can (7.5 and later); in 7.4 it is a comment on the same range. Edits: {"do": "insert",
"at": target, "text": ...} (after the target), {"do": "delete", "at": target},
{"do": "bold", "at": target}, {"do": "split", "at": target} (a paragraph break after
it), {"do": "join", "at": target} (its paragraph's mark deleted), {"do": "move", "at":
target, "to": target} (deleted, then inserted after the second target: what a cut and
paste is; LibreOffice 7.4's UNO text API has no tracked move, and saves this as a deletion
and an insertion). Prints a JSON line saying what it did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.util import DateTime


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str, profile: str):
    soffice = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
         "--norestore", "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return soffice, ctx
        except Exception:  # NoConnectException until soffice listens
            if time.monotonic() > deadline or soffice.poll() is not None:
                soffice.kill()
                raise
            time.sleep(0.2)


def set_user(ctx, first: str, last: str) -> None:
    """The change author is the profile's user name."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    access.setPropertyValue("givenname", first)
    access.setPropertyValue("sn", last)
    access.commitChanges()


def paragraphs(text):
    out = []
    enum = text.createEnumeration()
    while enum.hasMoreElements():
        item = enum.nextElement()
        if item.supportsService("com.sun.star.text.Paragraph"):
            out.append(item)
    return out


def select(doc, target):
    """A cursor over the first occurrence of target["find"] in its paragraph (text search
    needs a view, which this document has not: walk the paragraph with a cursor)."""
    text = doc.Text if target["story"] == "body" else doc.Footnotes.getByIndex(0)
    para = paragraphs(text)[target["paragraph"]]
    at = para.getString().index(target["find"])
    # A comment's anchor takes a cursor position that getString() does not show, so the
    # string's offset can fall short: step on until the cursor holds the words.
    for shift in range(16):
        cursor = text.createTextCursorByRange(para.getStart())
        cursor.goRight(at + shift, False)
        cursor.goRight(len(target["find"]), True)
        if cursor.getString() == target["find"]:
            return text, cursor
    raise LookupError(f"cannot select {target}")


def when(minute: int) -> DateTime:
    d = DateTime()
    d.Year, d.Month, d.Day, d.Hours, d.Minutes = 2024, 9, 3, 12, minute
    return d


def main(src: str, dst: str, plan_path: str) -> None:
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    with tempfile.TemporaryDirectory(prefix="uno-profile-") as profile:
        soffice, ctx = connect(f"pressroom{os.getpid()}", profile)
        try:
            set_user(ctx, *plan["author"])
            doc = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.text.TextDocument", ctx)
            doc.load((prop("URL", uno.systemPathToFileUrl(os.path.abspath(src))),
                      prop("FilterName", "MS Word 2007 XML")))
            done = []
            names = {}
            for i, c in enumerate(plan["comments"]):
                text, cursor = select(doc, c["at"])
                note = doc.createInstance("com.sun.star.text.textfield.Annotation")
                note.Author = c["author"]
                note.Initials = c.get("initials", "")
                note.Content = c["text"]
                note.DateTimeValue = when(i)
                if c.get("reply_to") is not None and \
                        note.PropertySetInfo.hasPropertyByName("ParentName"):
                    # LibreOffice 7.5 and later thread replies; 7.4 has no such property, so
                    # there a reply is a comment on the same range, as its own reply is saved.
                    note.ParentName = names[c["reply_to"]]
                text.insertTextContent(cursor, note, True)
                names[i] = note.Name
                if c.get("resolved"):
                    note.Resolved = True
                done.append(["comment", c["text"], note.Name])
            doc.RecordChanges = True
            for e in plan["edits"]:
                text, cursor = select(doc, e["at"])
                if e["do"] == "insert":
                    cursor.collapseToEnd()
                    text.insertString(cursor, e["text"], False)
                elif e["do"] == "delete":
                    text.insertString(cursor, "", True)
                elif e["do"] == "split":  # Enter pressed after the target
                    cursor.collapseToEnd()
                    text.insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
                elif e["do"] == "join":  # the paragraph's mark deleted: joined to the next
                    cursor.gotoEndOfParagraph(False)
                    cursor.goRight(1, True)
                    text.insertString(cursor, "", True)
                elif e["do"] == "bold":
                    cursor.CharWeight = 150.0
                elif e["do"] == "move":
                    moved = cursor.getString()
                    text.insertString(cursor, "", True)
                    to_text, to = select(doc, e["to"])
                    to.collapseToEnd()
                    to_text.insertString(to, moved, False)
                done.append([e["do"], e["at"]["find"]])
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                           (prop("FilterName", "MS Word 2007 XML"),))
            doc.close(True)
            print(json.dumps({"done": done}))
        finally:
            try:
                desktop = ctx.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.Desktop", ctx)
                desktop.terminate()
            except Exception:  # the bridge goes down as soffice exits
                pass
            try:
                soffice.wait(timeout=30)
            except subprocess.TimeoutExpired:
                soffice.kill()


if __name__ == "__main__":
    main(*sys.argv[1:4])
