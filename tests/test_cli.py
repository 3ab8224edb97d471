"""The command line: through its real entry point for exit codes and tracebacks, through
CliRunner for the rest."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import FIXTURES, REPO, SAMPLE_ID, copy_site
from pressroom import catalog
from pressroom.cli import cli
from pressroom.errors import ImportRefused
from pressroom.importer.write import ImportReport
from pressroom.model import Diagnostic, Severity

PRESSROOM = REPO / ".venv" / "bin" / "pressroom"
EXAMPLE_ID = "2024-01-15-example-statement"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed console script, as staff run it."""
    done = subprocess.run([str(PRESSROOM), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60)
    assert "Traceback" not in done.stdout + done.stderr
    return done


def invoke(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    base = ["-C", str(cwd)] if cwd else []
    return runner.invoke(cli, [*base, *args], catch_exceptions=False)


def break_record(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the real entry point ---------------------------------------------------------------


def test_init_then_check_list_show(tmp_path):
    done = run("init", "newsite", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Made a site in" in done.stdout
    site = tmp_path / "newsite"
    done = run("-C", str(site), "check", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "1 record, 0 errors, 0 warnings\n")
    # From a folder inside the site, as git finds its repository.
    done = run("list", cwd=site / "statements")
    assert done.returncode == 0 and EXAMPLE_ID in done.stdout
    done = run("show", EXAMPLE_ID, cwd=site / "templates")
    assert done.returncode == 0
    assert done.stdout.startswith("Example: Release the detained human rights defenders\n")
    done = run("init", "newsite", cwd=tmp_path)
    assert done.returncode == 2 and "already holds a site" in done.stderr


def test_broken_record_exits_1(site_root):
    path = site_root / "statements" / f"{SAMPLE_ID}.md"
    break_record(path, "issued_by: forum-asia", "issued_by: forum-asai")
    done = run("check", cwd=site_root)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert re.fullmatch(rf".*{SAMPLE_ID}\.md:\d+: error: issued_by: .*forum-asia.*", lines[0])
    # The published record was edited by hand: its history says so too.
    assert lines[-1] == "1 record, 1 error, 1 warning"
    assert any("changed since it was published" in line for line in lines)
    # Shown all the same, as far as it reads, with what is wrong, and exit 1.
    done = run("show", SAMPLE_ID, cwd=site_root)
    assert done.returncode == 1 and "Kazakhstan: End the crackdown" in done.stdout
    assert re.search(r"error: issued_by: .*forum-asai", done.stdout)


def test_unparseable_record_exits_1(site_root):
    path = site_root / "statements" / f"{SAMPLE_ID}.md"
    path.write_bytes(b"---\nid: [\n---\n\xff\xfe body")
    done = run("check", cwd=site_root)
    assert done.returncode == 1 and "error" in done.stdout
    done = run("list", cwd=site_root)
    assert done.returncode == 0 and "1 record with errors" in done.stderr
    assert SAMPLE_ID in done.stdout and "error" in done.stdout  # listed, with its count
    done = run("show", SAMPLE_ID, cwd=site_root)
    assert done.returncode == 1 and "error" in done.stdout and "Traceback" not in done.stderr


def test_broken_pressroom_toml_exits_1(site_root):
    break_record(site_root / "pressroom.toml", 'roles = ["Reviewer", "Manager"]',
                 'roles = ["Reviewer", "manager"]')
    for command in (["check"], ["list"], ["show", SAMPLE_ID]):
        done = run(*command, cwd=site_root)
        assert done.returncode == 1
        assert "pressroom.toml:35: error: people[3].roles: 'manager' is not a role" in done.stderr
    (site_root / "pressroom.toml").write_text("[site\n", encoding="utf-8")
    done = run("check", cwd=site_root)
    assert done.returncode == 1 and "pressroom.toml:1: error: TOML syntax error" in done.stderr


def test_unknown_id_and_option_exit_2(site_root):
    done = run("show", "kazakhstan", cwd=site_root)
    assert done.returncode == 2
    assert "No statement 'kazakhstan'" in done.stderr and SAMPLE_ID in done.stderr
    done = run("check", "no-such-id", cwd=site_root)
    assert done.returncode == 2
    done = run("list", "--colour", cwd=site_root)
    assert done.returncode == 2 and "No such option '--colour'" in done.stderr
    done = run("list", "--state", "draft", cwd=site_root)
    assert done.returncode == 2 and "'draft' is not one of" in done.stderr
    done = run("frobnicate", cwd=site_root)
    assert done.returncode == 2


def test_no_site_exits_1(tmp_path):
    done = run("list", cwd=tmp_path)
    assert done.returncode == 1 and "No pressroom.toml" in done.stderr


def test_python_dash_m(site_root):
    done = subprocess.run([sys.executable, "-m", "pressroom", "-C", str(site_root), "list"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and SAMPLE_ID in done.stdout


# --- CliRunner ------------------------------------------------------------------------


def test_internal_error_is_one_line_exit_3(site_root, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("surprise\nsecond line")

    monkeypatch.setattr(catalog, "list_statements", broken)
    result = CliRunner().invoke(cli, ["-C", str(site_root), "list"])
    assert result.exit_code == 3
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("pressroom list: internal error: KeyError: ")
    assert "--debug" in lines[0] and "Traceback" not in result.output
    # --debug lets the exception through, with its traceback.
    result = CliRunner().invoke(cli, ["--debug", "-C", str(site_root), "list"])
    assert isinstance(result.exception, KeyError)


def test_minus_c_and_relative_paths(site_root, tmp_path):
    result = invoke("check", f"statements/{SAMPLE_ID}.md", cwd=site_root)
    assert result.exit_code == 0 and result.stdout == "1 record, 0 errors, 0 warnings\n"
    result = invoke("check", SAMPLE_ID, cwd=site_root / "statements")
    assert result.exit_code == 0
    result = invoke("check", "statements/nothing.md", cwd=site_root)
    assert result.exit_code == 2 and "No such record file" in result.stderr
    result = invoke("init", "other", cwd=tmp_path)
    assert result.exit_code == 0 and (tmp_path / "other" / "pressroom.toml").is_file()


def test_check_counts_config_warnings(site_root):
    break_record(site_root / "pressroom.toml", "[site]\n", "[site]\ncolour = 1\n")
    result = invoke("check", cwd=site_root)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{site_root.resolve() / 'pressroom.toml'}:5: warning: site.colour: unknown key; "
        "known: name, short_name, organisation, base_url, about, default_language, "
        "default_place",
        "1 record, 0 errors, 1 warning",
    ]


def test_show_json(site_root):
    result = invoke("show", SAMPLE_ID, "--json", cwd=site_root)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    required = {"id", "type", "title", "date", "place", "language", "countries", "topics",
                "issued_by", "endorsers", "contacts", "state", "body", "footnotes"}
    assert required <= set(data)
    assert data["id"] == SAMPLE_ID and data["date"] == "2022-02-10"
    assert data["place"] == "Bangkok" and data["language"] == "en"
    assert data["state"] == "published" and data["issued_by"] == "forum-asia"
    assert len(data["endorsers"]) == 19 and data["endorsers"][-1] == "worec"
    assert [c["label"] for c in data["contacts"]] == [
        "South Asia Programme, FORUM-ASIA", "Communications and Media Programme, FORUM-ASIA"]
    assert set(data["contacts"][0]) == {"label", "email", "group"}
    assert isinstance(data["body"], str) and "[^1]" in data["body"]
    assert [f["number"] for f in data["footnotes"]] == [1, 2, 3, 4, 5, 6]
    assert set(data["footnotes"][0]) == {"number", "label", "text", "urls"}
    assert data["footnotes"][4]["urls"] == [
        "https://www.newsweek.com/where-are-women-kazakhstans-protests-opinion-1669566",
        "https://www.opendemocracy.net/en/odr/kazakhstan-protests-zhanar-sekerbayeva/"]


def test_list_table_json_and_filters(site_root):
    second = site_root / "statements" / "2023-03-08-womens-day.md"
    text = (site_root / "statements" / f"{SAMPLE_ID}.md").read_text(encoding="utf-8")
    second.write_text(text.replace(SAMPLE_ID, "2023-03-08-womens-day")
                      .replace("date: 2022-02-10", "date: 2023-03-08")
                      .replace("state: published", "state: pending")
                      .replace("countries: [Kazakhstan]", "countries: [Nepal]"),
                      encoding="utf-8")
    result = invoke("list", cwd=site_root)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert lines[0].startswith("2023-03-08  pending    joint-statement  2023-03-08-womens-day")
    assert lines[1].startswith(f"2022-02-10  published  joint-statement  {SAMPLE_ID}  Kazakh")
    result = invoke("list", "--json", cwd=site_root)
    assert [d["id"] for d in json.loads(result.stdout)] == ["2023-03-08-womens-day", SAMPLE_ID]
    for args, expected in [
        (["--state", "pending"], ["2023-03-08-womens-day"]),
        (["--country", "kazakhstan"], [SAMPLE_ID]),
        (["--year", "2022"], [SAMPLE_ID]),
        (["--type", "statement"], []),
        (["--topic", "Internet Shutdowns", "--state", "published"], [SAMPLE_ID]),
    ]:
        result = invoke("list", "--json", *args, cwd=site_root)
        assert [d["id"] for d in json.loads(result.stdout)] == expected, args
    result = invoke("list", "--year", "twenty", cwd=site_root)
    assert result.exit_code == 2


def test_import_prints_report_and_exits_1_on_refusal(site_root, monkeypatch):
    calls = []

    def import_paths(site, paths, force=False, explain=False, jobs=None):
        calls.append((site.root, paths, force, jobs))
        return ImportReport(
            imported=[Path("a.md"), Path("b.md")], warned=[Path("b.md")],
            refused=[ImportRefused("junk.bin", "binary file")],
            diagnostics=[Diagnostic("b.txt", 3, Severity.WARNING, "contacts", "e-mail hidden")])

    monkeypatch.setitem(sys.modules, "pressroom.importer",
                        types.SimpleNamespace(import_paths=import_paths))
    (site_root / "in").mkdir()
    result = invoke("import", "in", "--force", cwd=site_root)
    assert calls == [(site_root.resolve(), [site_root.resolve() / "in"], True, None)]
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "b.txt:3: warning: contacts: e-mail hidden",
        "junk.bin: not imported: binary file",
        "imported 2 (1 with warnings), skipped 0, refused 1",
    ]
    result = invoke("import", "in", "missing-folder", cwd=site_root)
    assert result.exit_code == 2 and "missing-folder: no such file" in result.stderr
    assert len(calls) == 1
    assert invoke("import", "in", "--jobs", "3", cwd=site_root).exit_code == 1
    assert calls[-1][-1] == 3
    result = invoke("import", "in", "--jobs", "0", cwd=site_root)
    assert result.exit_code == 2 and "--jobs" in result.stderr and len(calls) == 2


def test_import_the_archive_example_for_real(tmp_path):
    site = tmp_path / "site"
    assert run("init", str(site), cwd=tmp_path).returncode == 0
    source = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.txt"
    done = run("import", str(source), cwd=site)
    assert done.returncode == 0, done.stderr
    # The placeholder title is an error to fix by hand, and the summary counts it as one.
    assert done.stdout.splitlines()[-1] == "imported 1 (1 with errors), skipped 0, refused 0"
    assert "[email protected]" in done.stdout  # the hidden e-mails are reported
    # The imported record still needs its title: check says so, list shows it as work to do.
    done = run("check", cwd=site)
    assert done.returncode == 1 and "title" in done.stdout
    done = run("list", "--json", cwd=site)
    listed = {d["id"]: d for d in json.loads(done.stdout)}
    assert len(listed) == 2 and listed[EXAMPLE_ID]["errors"] == 0
    done = run("list", "--problems", "--json", cwd=site)
    (worklist,) = json.loads(done.stdout)
    assert worklist["id"] != EXAMPLE_ID and worklist["errors"] >= 1


def test_every_command_and_option_is_documented():
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", doc, flags=re.M)
    by_title = {s.splitlines()[0]: s for s in sections[1:]}
    for opt in cli.params:
        for name in opt.opts:
            assert f"`{name}" in by_title["Global options"], name
    assert "`--version`" in by_title["Global options"]
    for name, command in cli.commands.items():
        section = by_title.get(f"`pressroom {name}`")
        assert section is not None, f"command {name} is not documented in docs/cli.md"
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts:
                    assert f"`{opt}" in section, f"{name} {opt} is not documented"
            else:
                assert param.human_readable_name.upper() in section, (name, param.name)


# --- hostile input ------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (links as their target), by path relative to it."""
    found = {}
    for path in root.rglob("*"):
        if path.is_symlink():
            found[str(path.relative_to(root))] = os.readlink(path).encode()
        elif path.is_file():
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


@pytest.mark.parametrize("seed", [1, 2])
def test_import_of_hostile_files_never_fails_inside_and_writes_only_records(tmp_path, seed):
    import hostile

    site = copy_site(tmp_path / "site")
    (site / "statements" / f"{SAMPLE_ID}.md").unlink()
    archive = tmp_path / "archive"
    archive.mkdir()
    files = hostile.every_kind(seed, 4)
    for name, data in files:
        (archive / name).write_bytes(data)
    before = snapshot(tmp_path)
    result = CliRunner().invoke(cli, ["-C", str(site), "import", str(archive)])
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code in (0, 1), output  # never 3, an internal error
    assert "internal error" not in output and "unexpected problem" not in output
    assert "Traceback" not in output
    counts = re.fullmatch(r"imported (\d+)(?: \(.*\))?, skipped (\d+), refused (\d+)",
                          result.stdout.splitlines()[-1])
    assert counts and sum(map(int, counts.groups())) == len(files)
    assert result.exit_code == (1 if int(counts.group(3)) else 0)
    for line in result.stdout.splitlines()[:-1]:
        assert line.startswith(str(archive)), line  # every problem names its file
    after = snapshot(tmp_path)
    changed = {name for name in after if before.get(name) != after[name]}
    assert set(before) <= set(after)  # nothing removed
    store = {"site/runs/ledger.sqlite", "site/runs/ledger.sqlite-wal",
             "site/runs/ledger.sqlite-shm"}  # the import records: what each import wrote
    for name in changed - store:
        assert name.startswith("site/statements/") and "/" not in name[len("site/statements/"):]
        assert name.endswith(".md") or name == "site/statements/organisations.yaml", name
    records = [after[name] for name in changed if name.endswith(".md")]
    assert records and not any(b"root:" in r for r in records)  # no entity read a file
    # What was written, `check` reads without failing inside (it may well find errors).
    checked = CliRunner().invoke(cli, ["-C", str(site), "check"])
    assert checked.exit_code in (0, 1), checked.stdout + checked.stderr


def test_import_goes_past_a_named_pipe_and_a_link_out_and_exits_1(tmp_path):
    site = copy_site(tmp_path / "site")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "good.txt").write_text("Nepal: Free the journalists\n3 March 2022\nWe, the "
                                      "undersigned, call for their release.\n", "utf-8")
    os.mkfifo(archive / "pipe.txt")
    (archive / "passwd.txt").symlink_to("/etc/passwd")
    done = run("-C", str(site), "import", str(archive), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert f"{archive / 'pipe.txt'}: not imported: a named pipe (FIFO)" in done.stdout
    assert f"{archive / 'passwd.txt'}: not imported: a symbolic link to '/etc/passwd'" in (
        done.stdout)
    assert lines[-1] == "imported 1 (1 with warnings), skipped 0, refused 2"


def test_init_into_a_non_empty_folder_needs_the_option(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = run("init", ".", cwd=tmp_path)
    assert done.returncode == 2 and "--allow-non-empty" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    done = run("init", "--allow-non-empty", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "Already there, left as they were: .gitignore"
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    done = run("init", "--allow-non-empty", ".", cwd=tmp_path)
    assert done.returncode == 2 and "already holds a site" in done.stderr


def test_backup_and_restore_through_the_console_script(tmp_path):
    assert run("init", "site", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    done = run("backup", str(tmp_path / "backups"), cwd=site)
    assert done.returncode == 0, done.stderr
    (made,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(rf"Backed up 3 files \([\d,]+ bytes\) to {re.escape(str(made))}\n",
                        done.stdout)
    done = run("restore-backup", "--check", str(made), cwd=site)
    assert done.returncode == 0 and "every file checks" in done.stdout
    (made / "site" / "pressroom.toml").write_text("[site]\n", encoding="utf-8")
    done = run("restore-backup", str(made), cwd=site)
    assert done.returncode == 1
    assert "site/pressroom.toml: " in done.stderr and "cannot be restored" in done.stderr


def test_a_reader_that_stops_early_is_not_an_error(site_root):
    """`pressroom log | head -1`: the pipe closes under a long log; exit 0, no message."""
    import subprocess
    import sys

    from pressroom.ledger import Ledger

    ledger = Ledger(site_root / "runs" / "ledger.sqlite")
    ids = ledger.start_runs([dict(statement_id=f"s-{i}", record_sha256=None,
                                  templates_sha256=None, settings_sha256=None, version="1",
                                  parameters={}, actor="someone", mode="batch")
                             for i in range(3000)], lock="many")
    ledger.finish_runs([{"run_id": r, "status": "failed", "error": "x" * 80} for r in ids])
    ledger.release_lock("many")
    proc = subprocess.Popen([sys.executable, "-m", "pressroom", "-C", str(site_root), "log"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline()
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and "internal error" not in err, err
