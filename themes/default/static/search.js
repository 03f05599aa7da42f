// The search page: loads Pagefind's JavaScript API from the site's index and
// shows the matching items with their meeting's date and body. Without this
// script the page shows links to the year, body and topic lists instead.
(function () {
  "use strict";
  var root = document.getElementById("soeg");
  if (!root || !window.fetch) return;
  var form = root.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var fallback = root.querySelector(".search-fallback");
  var more = root.querySelector(".search-more");
  var moreButton = more ? more.querySelector("button") : null;
  var text = function (key) { return root.getAttribute("data-text-" + key) || ""; };
  var pagefind = null;
  var latest = 0;
  // Results shown at first and added by each press of "show more": each
  // result fetches its file of the index, so fewer at first is a faster
  // first answer.
  var PAGE = 10;
  // The results of the search shown, and how many of them are on the page.
  var current = null;

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content) e.textContent = content;
    return e;
  }

  function link(href, label) {
    var a = el("a", null, label);
    a.href = href;
    return a;
  }

  function filters() {
    var f = {};
    ["year", "body", "topic", "outcome"].forEach(function (name) {
      var s = form.elements[name];
      if (s && s.value) f[name] = s.value;
    });
    var d = form.elements.decision;
    if (d && d.checked) f.decision = d.value;
    return f;
  }

  // The address bar holds the search, so a search can be linked and the
  // back button works.
  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    ["year", "body", "topic", "outcome"].forEach(function (name) {
      var s = form.elements[name];
      if (s) s.value = params.get(name) || "";
    });
    if (form.elements.decision) form.elements.decision.checked = params.has("decision");
  }

  function toAddress() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    var f = filters();
    Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : window.location.pathname);
  }

  function excerpt(html) {
    // Pagefind's excerpts are escaped text with <mark> around the hits.
    var p = el("p", "excerpt");
    p.innerHTML = html;
    return p;
  }

  function show(data) {
    var li = el("li", "search-result");
    var title = el("p", "item-title");
    title.appendChild(link(data.url, data.meta.title));
    li.appendChild(title);
    var meta = el("p", "meta");
    var time = el("time", null, data.meta.date);
    time.setAttribute("datetime", data.meta.date_iso);
    meta.appendChild(document.createTextNode(data.meta.label + " · "));
    meta.appendChild(link(data.meta.meeting_url, data.meta.body));
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(time);
    li.appendChild(meta);
    var decision = null;
    (data.sub_results || []).forEach(function (s) {
      if (data.meta.decision_url && s.url === data.meta.decision_url) decision = s;
    });
    if (decision) {
      var q = el("blockquote", "excerpt decision");
      var label = el("p", "meta");
      label.appendChild(link(decision.url, text("decision")));
      q.appendChild(label);
      q.appendChild(excerpt(decision.excerpt));
      li.appendChild(q);
    } else {
      li.appendChild(excerpt(data.excerpt));
    }
    return li;
  }

  // Shows the next results of the current search, after those shown or,
  // with `replace`, instead of the list; `focus` moves the focus to the
  // first of them (after "show more", for keyboard and screen reader users).
  function showMore(focus, replace) {
    var c = current;
    if (!c) return Promise.resolve();
    var next = c.results.slice(c.shown, c.shown + PAGE);
    c.shown += next.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
      if (c !== current) return;
      if (replace) list.textContent = "";
      var first = null;
      items.forEach(function (d) {
        var li = show(d);
        if (!first) first = li;
        list.appendChild(li);
      });
      if (more) more.hidden = c.shown >= c.results.length;
      if (focus && first) first.querySelector("a").focus();
    });
  }

  function run() {
    var q = input.value.trim();
    var f = filters();
    var id = ++latest;
    toAddress();
    current = null;
    if (more) more.hidden = true;
    if (!q && !Object.keys(f).length) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = text("loading");
    pagefind.search(q || null, { filters: f }).then(function (search) {
      if (id !== latest || !search) return null;
      current = { results: search.results, shown: 0 };
      return showMore(false, true).then(function () {
        if (id !== latest) return;
        var n = search.results.length;
        status.textContent = n === 1 ? text("result") : n ? text("results").replace("{count}", n) : text("none");
      });
    }).catch(function () {
      status.textContent = text("error");
    });
  }

  if (moreButton) {
    moreButton.addEventListener("click", function () {
      showMore(true, false).catch(function () {
        status.textContent = text("error");
      });
    });
  }

  var base = root.getAttribute("data-pagefind");
  import(base + "pagefind.js").then(function (module) {
    pagefind = module;
    // Record addresses already start at the site's root.
    return pagefind.options({ baseUrl: "/", excerptLength: 24 });
  }).then(function () {
    form.hidden = false;
    if (fallback) fallback.hidden = true;
    fromAddress();
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    form.addEventListener("change", run);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      run();
    });
    root.setAttribute("data-ready", "");
    run();
  }).catch(function () {
    status.textContent = text("error");
  });
})();
