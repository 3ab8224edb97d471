"""A statement's folder is replaced as one set: old or new, never a mix, whatever fails."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import SAMPLE_ID
from pressroom import fileio, folders
from pressroom.errors import PressroomError
from pressroom.publish import publish, sha256_bytes
from pressroom.site import load_site


def snapshot(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def consistent(files: dict[str, bytes]) -> bool:
    """Does the manifest describe exactly the outputs beside it?"""
    manifest = json.loads(files["manifest.json"])
    outputs = {n: f for n, f in files.items() if n != "manifest.json"}
    return (set(outputs) == set(manifest["outputs"])
            and all(sha256_bytes(outputs[n]) == manifest["outputs"][n]["sha256"]
                    for n in outputs))


def test_a_failure_between_two_files_leaves_the_old_set_whole(site, monkeypatch):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    before = snapshot(folder)
    record = site.record_path(SAMPLE_ID)
    record.write_text(record.read_text().replace("We, the undersigned", "We, the signatories"))
    real, written = fileio.write_new, []

    def disk_full_on_the_third(fd, name, data, folder=None):
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(name)
        real(fd, name, data, folder)

    monkeypatch.setattr("pressroom.publish.write_new", disk_full_on_the_third)
    with pytest.raises(PressroomError, match="No space left on device"):
        publish(load_site(site.root), SAMPLE_ID)
    assert snapshot(folder) == before
    assert sorted(os.listdir(site.output_dir)) == [SAMPLE_ID]  # no stray new set


def test_without_exchange_a_kill_between_renames_is_undone_by_the_next_run(site, monkeypatch):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    before = snapshot(folder)
    # What the fallback leaves if it dies between its two renames: the old set aside, the
    # new set under its temporary name, and no folder.
    os.rename(folder, site.output_dir / f".{SAMPLE_ID}.old.0badf00d")
    (site.output_dir / f".{SAMPLE_ID}.new.0badf00d").mkdir()
    (site.output_dir / f".{SAMPLE_ID}.new.0badf00d" / "half.pdf").write_bytes(b"%PDF-")
    fd = os.open(site.output_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        assert folders.recover(fd, SAMPLE_ID)
    finally:
        os.close(fd)
    assert snapshot(folder) == before
    assert sorted(os.listdir(site.output_dir)) == [SAMPLE_ID]
    monkeypatch.setattr("pressroom.folders.exchange", lambda *a: False)
    publish(site, SAMPLE_ID, "html")
    assert consistent(snapshot(folder))
    assert sorted(os.listdir(site.output_dir)) == [SAMPLE_ID]


def test_stray_files_of_a_killed_run_are_removed_by_the_next_run(site):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    (folder / f".{SAMPLE_ID}.pdf.1a2b3c4d.tmp").write_bytes(b"half a pdf")
    (site.output_dir / f".{SAMPLE_ID}.new.deadbeef").mkdir()
    publish(site, SAMPLE_ID, "html")
    assert sorted(os.listdir(site.output_dir)) == [SAMPLE_ID]
    assert not [n for n in os.listdir(folder) if n.endswith(".tmp")]


def test_files_a_person_put_in_the_folder_are_kept(site):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    (folder / "notes.txt").write_text("who asked for this statement")
    (folder / "images").mkdir()
    (folder / "images" / "logo.svg").write_text("<svg/>")
    publish(site, SAMPLE_ID, "pdf")
    assert (folder / "notes.txt").read_text() == "who asked for this statement"
    assert (folder / "images" / "logo.svg").read_text() == "<svg/>"


def test_a_reader_sees_the_old_set_or_the_new_never_a_mix(site):
    """A reader lists and reads the folder over and over while it is republished from two
    different records; every read it completes is one consistent set."""
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    record = site.record_path(SAMPLE_ID)
    texts = [record.read_text(), record.read_text().replace("We, the undersigned", "We, all")]
    stop, seen, broken = threading.Event(), [], []

    def reader():
        while not stop.is_set():
            try:
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                broken.append("the folder was missing")
                continue
            try:
                files = {}
                for name in os.listdir(fd):
                    with open(os.open(name, os.O_RDONLY, dir_fd=fd), "rb") as f:
                        files[name] = f.read()
            except FileNotFoundError:
                continue  # the old set went away under an open folder: not a mixed read
            finally:
                os.close(fd)
            if "manifest.json" in files:  # else an old set being removed, manifest first
                seen.append(consistent(files))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(8):
            record.write_text(texts[n % 2])
            publish(load_site(site.root), SAMPLE_ID, ("html", "pdf,docx")[n % 2])
    finally:
        stop.set()
        thread.join()
    assert seen and all(seen), f"{seen.count(False)} mixed reads of {len(seen)}"
    assert not broken


KILLED_PUBLISHER = """
import sys, time
from pressroom.site import load_site
from pressroom.publish import publish
site = load_site(sys.argv[1])
print("ready", flush=True)
while True:
    publish(site, sys.argv[2])
"""


@pytest.mark.slow
def test_a_publisher_killed_at_random_moments_never_leaves_a_mix(site):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55):
        proc = subprocess.Popen([sys.executable, "-c", KILLED_PUBLISHER, str(site.root),
                                 SAMPLE_ID], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        # Whatever the moment, the folder is there and its manifest describes it...
        assert consistent(snapshot(folder))
        # ... and the next publish cleans what the killed one left.
        publish(site, SAMPLE_ID, "html")
        assert sorted(os.listdir(site.output_dir)) == [SAMPLE_ID]
        assert not [n for n in os.listdir(folder) if n.endswith(".tmp")]


def test_temporary_folder_names_are_made_and_recognised_in_one_place():
    for kind in (folders.NEW, folders.OLD):
        name = folders.temp_folder_name(SAMPLE_ID, kind)
        assert name.startswith(f".{SAMPLE_ID}.{kind}.")
        assert folders.temp_folder_of(name) == (SAMPLE_ID, kind)
    for other in (SAMPLE_ID, f".{SAMPLE_ID}.pdf.1a2b3c4d.tmp", f".{SAMPLE_ID}.new.",
                  f".{SAMPLE_ID}.new.xyz", f".{SAMPLE_ID}.gone.0badf00d"):
        assert folders.temp_folder_of(other) is None
    with pytest.raises(ValueError):
        folders.temp_folder_name(SAMPLE_ID, "spare")


@pytest.mark.parametrize("kind", [folders.NEW, folders.OLD])
def test_a_stray_of_either_kind_is_removed_by_the_next_publish(site, kind):
    publish(site, SAMPLE_ID)
    stray = site.output_dir / folders.temp_folder_name(SAMPLE_ID, kind)
    stray.mkdir()
    (stray / f"{SAMPLE_ID}.html").write_text("a set a killed run left")
    publish(site, SAMPLE_ID, "html")
    assert sorted(os.listdir(site.output_dir)) == [SAMPLE_ID]


def _count_flushes(monkeypatch) -> dict[str, int]:
    counts = {"fsync": 0, "syncfs": 0}
    real_fsync, real_syncfs = os.fsync, fileio._syncfs()

    def fsync(fd):
        counts["fsync"] += 1
        return real_fsync(fd)

    def syncfs(fd):
        counts["syncfs"] += 1
        return real_syncfs(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    if real_syncfs is not None:
        monkeypatch.setattr(fileio, "_syncfs", lambda: syncfs)
    return counts


@pytest.mark.skipif(fileio._syncfs() is None, reason="no syncfs here")
def test_a_statement_folder_is_flushed_once_before_its_swap(site, monkeypatch):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    record = site.record_path(SAMPLE_ID)
    record.write_text(record.read_text().replace("Bangkok", "Geneva"))
    counts = _count_flushes(monkeypatch)
    swapped = []
    real_swap = folders._swap_in

    def swap(parent, new, name):
        swapped.append(dict(counts))  # what was flushed when the set was swapped in
        real_swap(parent, new, name)

    monkeypatch.setattr(folders, "_swap_in", swap)
    publish(site, SAMPLE_ID)
    assert swapped == [{"fsync": 0, "syncfs": 1}]
    assert consistent(snapshot(folder)) and b"Geneva" in (folder / f"{SAMPLE_ID}.html").read_bytes()


def test_without_syncfs_every_file_and_the_folder_are_fsynced(site, monkeypatch):
    publish(site, SAMPLE_ID)
    counts = _count_flushes(monkeypatch)
    monkeypatch.setattr(fileio, "_syncfs", lambda: None)
    publish(site, SAMPLE_ID)
    files = len(os.listdir(site.output_dir / SAMPLE_ID))
    assert counts["syncfs"] == 0 and counts["fsync"] >= files + 2  # files, folder, parent
    assert consistent(snapshot(site.output_dir / SAMPLE_ID))


def test_threads_writing_at_once_share_flushes_and_each_waits_for_one_after_its_files():
    """A build's writer threads: each returns only after a flush that began after its
    files were written, and threads arriving together share one instead of one each."""
    import itertools
    import threading
    import time

    flush = fileio.SharedFlush()
    log: list[tuple[str, int, float]] = []  # ("begin"/"end", flush number, time)
    lock = threading.Lock()

    def syncfs(fd):
        with lock:
            number = sum(1 for e in log if e[0] == "begin") + 1
            log.append(("begin", number, time.monotonic()))
        time.sleep(0.05)
        with lock:
            log.append(("end", number, time.monotonic()))
        return 0

    returned: list[tuple[float, float]] = []  # (files written, returned)
    together = threading.Barrier(3)  # each round, the three finish their files at once

    def writer():
        for _ in range(5):
            together.wait(timeout=30)
            written = time.monotonic()
            flush.flush(syncfs, 0)
            returned.append((written, time.monotonic()))

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    begins = {n: at for kind, n, at in log if kind == "begin"}
    ends = {n: at for kind, n, at in log if kind == "end"}
    assert len(returned) == 15 and len(begins) < 15  # shared
    for written, back in returned:  # some flush began after the files and ended before
        assert any(begins[n] >= written and ends[n] <= back for n in begins), (written, back)
    # Never two at once.
    spans = sorted((begins[n], ends[n]) for n in begins)
    assert all(a_end <= b_begin for (_, a_end), (b_begin, _) in itertools.pairwise(spans))


def test_a_failed_shared_flush_is_the_error_of_the_thread_that_ran_it_and_others_retry():
    import errno as errnos

    flush = fileio.SharedFlush()
    calls = []

    def failing(fd):
        import ctypes

        calls.append(fd)
        ctypes.set_errno(errnos.EIO)
        return -1

    with pytest.raises(OSError, match="Input/output error"):
        flush.flush(failing, 7)
    flush.flush(lambda fd: calls.append(-fd) or 0, 7)  # a flush of its own: none covered it
    assert calls == [7, -7]
