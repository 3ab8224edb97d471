"""A site shared by several logins (one JupyterHub server, one folder) stays shared; a login
that may only read can read; the ledger's messages say what is really wrong."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import SAMPLE_ID, adopt_sample, copy_site
from unprivileged import ALICE, BOB, OTHER_GROUP, SHARED_GROUP, needs_root, run_as

pytestmark = needs_root


@pytest.fixture
def shared_root():
    """A site in a folder every test login can reach (pytest's own tmp is root-only), its
    files group-owned by the shared group and group-writable, as a hub admin sets one up."""
    top = Path(tempfile.mkdtemp(prefix="pressroom-shared-", dir="/tmp"))
    top.chmod(0o755)
    root = copy_site(top / "site")
    for path in [root, *root.rglob("*")]:
        os.chown(path, 0, SHARED_GROUP, follow_symlinks=False)
        mode = path.stat().st_mode
        path.chmod((mode | 0o060 | (0o010 if stat.S_ISDIR(mode) else 0)) & ~0o002)
    yield root
    shutil.rmtree(top)


def _publish(root: str) -> str:
    from pressroom.runner import run_publication
    from pressroom.site import load_site

    return run_publication(load_site(Path(root)), SAMPLE_ID, direct=True, actor="x").run_id


def _modes(root: Path) -> dict[str, tuple[int, int]]:
    names = ["output", f"output/{SAMPLE_ID}", f"output/{SAMPLE_ID}/{SAMPLE_ID}.pdf",
             f"output/{SAMPLE_ID}/manifest.json", "runs", "runs/ledger.sqlite", "runs/locks"]
    return {n: (os.stat(root / n).st_mode & 0o7777, os.stat(root / n).st_gid) for n in names}


def test_files_take_the_umask_and_the_folders_group_so_the_next_login_can_write(shared_root):
    # Alice (umask 002) publishes first: everything she makes is group-writable and in the
    # site's group, though her own group is another.
    run_as(ALICE, _publish, str(shared_root), gid=ALICE, groups=(SHARED_GROUP,), umask=0o002)
    modes = _modes(shared_root)
    assert {gid for _, gid in modes.values()} == {SHARED_GROUP}
    assert modes[f"output/{SAMPLE_ID}/{SAMPLE_ID}.pdf"][0] == 0o664
    assert modes["runs/ledger.sqlite"][0] == 0o664
    assert modes[f"output/{SAMPLE_ID}"][0] & 0o070 == 0o070
    # Bob, another login in the group with another umask, republishes over her files and
    # writes the same ledger; then Alice again over his.
    run_as(BOB, _publish, str(shared_root), gid=BOB, groups=(SHARED_GROUP,), umask=0o007)
    assert _modes(shared_root)[f"output/{SAMPLE_ID}/{SAMPLE_ID}.pdf"] == (0o660, SHARED_GROUP)
    run_as(ALICE, _publish, str(shared_root), gid=ALICE, groups=(SHARED_GROUP,), umask=0o002)
    from pressroom.runner import ledger_for
    from pressroom.site import load_site

    runs = ledger_for(load_site(shared_root)).runs()
    assert [r.status.value for r in runs] == ["succeeded"] * 3
    for suffix in ("-wal", "-shm"):  # if SQLite left them, the group can open them
        side = shared_root / "runs" / f"ledger.sqlite{suffix}"
        if side.exists():
            assert side.stat().st_gid == SHARED_GROUP and side.stat().st_mode & 0o060 == 0o060


def _log(root: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from pressroom.cli import cli

    done = CliRunner().invoke(cli, ["-C", root, "log"])
    return done.exit_code, done.output


def _try_publish(root: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from pressroom.cli import cli

    done = CliRunner().invoke(cli, ["-C", root, "publish", SAMPLE_ID, "--direct"])
    return done.exit_code, done.output


def test_a_login_that_may_only_read_reads_the_log_and_is_told_why_it_cannot_publish(
        shared_root):
    run_as(ALICE, _publish, str(shared_root), gid=ALICE, groups=(SHARED_GROUP,), umask=0o002)
    # Carol is not in the group: the site is readable by all, writable by none of hers.
    code, out = run_as(BOB, _log, str(shared_root), gid=OTHER_GROUP, umask=0o022)
    assert code == 0, out
    assert "succeeded" in out and SAMPLE_ID in out
    code, out = run_as(BOB, _try_publish, str(shared_root), gid=OTHER_GROUP, umask=0o022)
    assert code == 1 and "read-only for you" in out and "Traceback" not in out
    assert "restore" not in out  # the ledger is intact: no talk of backups


def _publish_message(root: str) -> tuple[int, str]:
    return _try_publish(root)


def test_a_full_disk_says_so_and_leaves_the_ledger_and_files_intact(tmp_path):
    """runs/ and output/ on a 2 MB file system that fills up: a plain message, the previous
    files and every ledger row as they were."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        root = copy_site(tmp_path / "site", adopt=False)
        for name in ("runs", "output"):
            (mount / name).mkdir()
            (root / name).symlink_to(mount / name)
        adopt_sample(root)
        code, out = _try_publish(str(root))
        assert code == 0, out
        before = {p.name: p.read_bytes() for p in (mount / "output" / SAMPLE_ID).iterdir()}
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill what is left, to the last block
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        code, out = _try_publish(str(root))
        assert code == 1 and "Traceback" not in out
        assert "full" in out.lower() or "no space" in out.lower(), out
        after = {p.name: p.read_bytes() for p in (mount / "output" / SAMPLE_ID).iterdir()}
        assert after == before
        (mount / "filler").unlink()
        code, out = _log(str(root))
        assert code == 0 and "succeeded" in out
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
