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


def test_a_template_copied_to_another_folder_is_loaded_compiled(tmp_path, monkeypatch):
    """A build's workers copy the site into new folders: the same template there is loaded
    from the compiled copy, and a template changed under the same name is compiled again."""
    import jinja2

    from pressroom import usercache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    usercache._jinja_cache.cache_clear()
    compiled = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)

    def render(folder, text):
        folder.mkdir()
        (folder / "page.html.j2").write_text(text, encoding="utf-8")
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                                 bytecode_cache=usercache.jinja_bytecode_cache("test"))
        template = env.get_template("page.html.j2")
        # its errors name its own file, not the one it was first compiled from
        assert template.filename == str(folder / "page.html.j2")
        assert template.root_render_func.__code__.co_filename == template.filename
        return template.render(who="you")

    try:
        assert render(tmp_path / "a", "Hello {{ who }}") == "Hello you"
        assert compiled == ["page.html.j2"]
        assert render(tmp_path / "b", "Hello {{ who }}") == "Hello you"
        assert compiled == ["page.html.j2"]  # loaded, not compiled
        assert render(tmp_path / "c", "Goodbye {{ who }}") == "Goodbye you"
        assert compiled == ["page.html.j2", "page.html.j2"]
    finally:
        usercache._jinja_cache.cache_clear()
