/* The archive's search, offline: the index is a file beside this one (search-index.json),
   fetched from the same folder the first time it is needed; nothing else is requested.
   A statement matches when every word of the query is in it (case and accents ignored). */
(function () {
  "use strict";
  var script = document.currentScript;
  var indexUrl = new URL(script.getAttribute("data-index"), script.src).href;
  // The page's words, in its language (the message catalogs), with {placeholders}.
  var phrases = {found: script.getAttribute("data-found"),
               first: script.getAttribute("data-first"),
               unreadable: script.getAttribute("data-unreadable")};
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var loading = null;
  var LIMIT = 50;

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function load() {
    if (!loading) {
      loading = fetch(indexUrl).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (index) {
        index.statements.forEach(function (s) {
          s.haystack = fold([s.title, s.date, s.date_text, s.countries.join(" "),
            s.topics.join(" "), s.endorsers.join(" "), s.text].join("\n"));
        });
        return index;
      });
    }
    return loading;
  }

  function show(index, query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    results.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var found = index.statements.filter(function (s) {
      return words.every(function (w) { return s.haystack.indexOf(w) !== -1; });
    });
    found.slice(0, LIMIT).forEach(function (s) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = new URL(s.url, indexUrl).href;
      a.lang = s.lang;
      a.dir = s.dir;
      a.textContent = s.title;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = [s.date_text, s.kind].concat(s.countries.length ? [s.countries.join(", ")] : []).join(" · ");
      li.appendChild(a);
      li.appendChild(meta);
      results.appendChild(li);
    });
    var n = found.length;
    status.textContent = fill(phrases.found, {query: query.trim(), count: n}) +
      (n > LIMIT ? " " + fill(phrases.first, {limit: LIMIT}) : "");
  }

  function search() {
    var query = input.value;
    if (!query.trim()) { results.textContent = ""; status.textContent = ""; return; }
    load().then(function (index) {
      if (input.value === query) { show(index, query); }
    }, function () {
      status.textContent = phrases.unreadable;
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search();
  });
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; search(); }
}());
