"""LibreOffice as a reader of our Word files, through its own UNO API.

python3-uno lives in Debian's /usr/bin/python3 only, so the script below runs there, in a
subprocess with PYTHONPATH and PYTHONHOME cleared (ours would shadow its modules), TZ=UTC and
file locking off (a crashed run's lock file makes the next load return nothing). It starts a
headless soffice with a throw-away profile, opens the file hidden, and prints as JSON what
LibreOffice itself sees: the bookmarks by name with the text each covers, the tracked changes
(type, author, date, text), whether recording changes is on; then saves the document again
as .docx, as a reviewer's LibreOffice would.

    seen = read_with_uno(draft, resaved)   # {"bookmarks": {...}, "redlines": [...], ...}
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

SCRIPT = r'''
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

source, resaved, profile, soffice = sys.argv[1:5]
pipe = f"pressroom{os.getpid()}"
office = subprocess.Popen(
    [soffice, f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}", "--headless",
     "--invisible", "--norestore", "--nologo", "--nodefault",
     f"--accept=pipe,name={pipe};urp;"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(240):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.25)
    if ctx is None:
        sys.exit("soffice did not answer on its pipe")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    # Without a view: the GUI-less build crashes laying out comments in a hidden frame.
    doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    doc.load((prop("URL", uno.systemPathToFileUrl(source)),
              prop("FilterName", "MS Word 2007 XML")))
    marks = doc.getBookmarks()
    bookmarks = {name: marks.getByName(name).getAnchor().getString()
                 for name in marks.getElementNames()}
    redlines = []
    found = doc.getRedlines().createEnumeration()
    while found.hasMoreElements():
        r = found.nextElement()
        text = ""
        try:
            start, end = r.getPropertyValue("RedlineStart"), r.getPropertyValue("RedlineEnd")
            cursor = start.getText().createTextCursorByRange(start)
            cursor.gotoRange(end, True)
            text = cursor.getString()
        except Exception as exc:
            text = f"<{type(exc).__name__}>"
        when = r.getPropertyValue("RedlineDateTime")
        redlines.append({"type": r.getPropertyValue("RedlineType"),
                         "author": r.getPropertyValue("RedlineAuthor"),
                         "date": f"{when.Year:04d}-{when.Month:02d}-{when.Day:02d}T"
                                 f"{when.Hours:02d}:{when.Minutes:02d}:{when.Seconds:02d}",
                         "text": text})
    fields = doc.getTextFields().createEnumeration()
    annotations = []
    while fields.hasMoreElements():
        f = fields.nextElement()
        if f.supportsService("com.sun.star.text.TextField.Annotation"):
            annotations.append({"author": f.getPropertyValue("Author"),
                                "text": f.getPropertyValue("Content"),
                                "anchor": f.getAnchor().getString()})
    seen = {"bookmarks": bookmarks, "redlines": redlines, "comments": annotations,
            "record_changes": bool(doc.getPropertyValue("RecordChanges")),
            "text": doc.getText().getString()}
    if resaved:
        doc.storeToURL(uno.systemPathToFileUrl(resaved), (prop("FilterName", "MS Word 2007 XML"),))
    doc.close(True)
    print(json.dumps(seen))
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        office.wait(timeout=30)
    except Exception:
        office.kill()
'''


def read_with_uno(source: Path, resaved: Path | None = None, timeout: float = 180) -> dict:
    if SOFFICE is None or not Path(SYSTEM_PYTHON).is_file():
        raise AssertionError("LibreOffice and python3-uno are needed: "
                             "run scripts/system-packages.sh test")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(TZ="UTC", SAL_ENABLE_FILE_LOCKING="0")
    with tempfile.TemporaryDirectory(prefix="lo-uno-") as profile:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", SCRIPT, str(Path(source).resolve()),
             str(Path(resaved).resolve()) if resaved else "", profile, SOFFICE],
            capture_output=True, text=True, timeout=timeout, env=env, check=False)
    if done.returncode != 0:
        raise AssertionError(f"the UNO script failed ({done.returncode}): {done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])
