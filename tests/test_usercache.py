"""The user's cache folder (usercache.py): kept work that only saves time."""

from __future__ import annotations


def test_the_compiled_templates_kept_are_bounded(tmp_path, monkeypatch):
    from pressroom import usercache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(usercache, "JINJA_LIMIT", 5)
    folder = usercache.cache_dir("jinja-test")
    folder.mkdir(parents=True)
    for n in range(6):
        (folder / f"__jinja2_{n}.cache").write_bytes(b"old")
    assert usercache.jinja_bytecode_cache("test") is not None
    assert list(folder.iterdir()) == []
    usercache._jinja_cache.cache_clear()
