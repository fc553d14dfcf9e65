/* JobOS page script: starts crawls, pins boards, follows a crawl. No inline code (CSP). */
(function () {
  "use strict";

  var body = document.body;

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }

  /* Calls the JSON API with the cookie and the CSRF double-submit header; resolves to the body. */
  function api(method, url, payload) {
    var headers = { "Accept": "application/json" };
    if (method !== "GET") {
      headers[body.dataset.csrfHeader || "X-CSRF-Token"] = cookie(body.dataset.csrfCookie || "jobos_csrf");
    }
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    return fetch(url, init).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) {
          var err = (data && data.error) || {};
          var message = err.message || ("The server answered " + resp.status);
          if (resp.status === 401) message = "Your sign-in has expired. Sign in again.";
          if (resp.status === 403 && err.code === "forbidden") message = err.message;
          var e = new Error(message);
          e.status = resp.status;
          e.field = err.detail && err.detail.length && err.detail[0].field;
          throw e;
        }
        return data;
      });
    });
  }

  function show(el, text, level) {
    if (!el) return;
    el.hidden = false;
    el.textContent = text;
    el.className = el.className.replace(/\bnotice-\w+/g, "").trim() + (level ? " notice-" + level : "");
  }

  /* Bad input is said by the API, in the same words as the command line (one table of messages). */
  function startCrawl(button, payload, statusEl) {
    button.disabled = true;
    show(statusEl, payload.company ? "Starting a crawl of " + payload.company + "\u2026" : "Starting a crawl\u2026", "");
    api("POST", "/api/scrape/company", payload).then(function (data) {
      show(statusEl, data.existing ? "A crawl of this company is already running; opening it." : "Crawl started.", "ok");
      window.location.assign((body.dataset.crawlBase || "/crawls/") + data.crawl_id);
    }).catch(function (e) {
      button.disabled = false;
      show(statusEl, e.message, "error");
      var q = document.getElementById("q");
      if (q && e.field === "company") q.focus();
    });
  }

  function initCompanies() {
    var statusEl = document.getElementById("action-status");
    var find = document.getElementById("find-jobs");
    if (find) {
      find.addEventListener("click", function () {
        var payload = { company: document.getElementById("q").value.trim() };
        var country = document.getElementById("country").value.trim();
        if (country) payload.country = country;
        var careersUrl = document.getElementById("careers-url");
        if (careersUrl && careersUrl.value.trim()) payload.careers_url = careersUrl.value.trim();
        startCrawl(find, payload, statusEl);
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll(".find-company"), function (btn) {
      btn.addEventListener("click", function () {
        var payload = { company: btn.dataset.company };
        if (btn.dataset.country) payload.country = btn.dataset.country;
        if (btn.dataset.careersUrl) payload.careers_url = btn.dataset.careersUrl;
        startCrawl(btn, payload, statusEl);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".pin-form"), function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var out = form.querySelector(".pin-status");
        var url = form.elements.careers_url.value.trim();
        var board = form.elements.board.value.trim();
        var patch = {};
        if (url) patch.careers_url = url;
        if (board) patch.board = board;
        if (!url && !board) { show(out, "Give the careers page URL or the board.", "error"); return; }
        show(out, "Checking the page\u2026", "");
        api("PATCH", "/api/companies/" + form.dataset.companyId, patch).then(function () {
          show(out, "Saved. The next crawl uses this page.", "ok");
          window.setTimeout(function () { window.location.reload(); }, 800);
        }).catch(function (e) { show(out, e.message, "error"); });
      });
    });
  }

  function initCrawl() {
    var box = document.getElementById("crawl");
    if (!box) return;
    var counts = ["pages", "found", "new", "updated", "unchanged", "closed"];
    var last = { status: box.dataset.status, step: null, summary: box.dataset.summary };
    var stepOrder = Array.prototype.map.call(box.querySelectorAll(".steps li"), function (li) { return li.dataset.step; });
    var timer = null;

    function markSteps(states) {
      Array.prototype.forEach.call(box.querySelectorAll(".steps li"), function (li) {
        var state = (states && states[li.dataset.step]) || li.dataset.state || "waiting";
        li.dataset.state = state;
        li.className = state;
        if (state === "current") li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
        var hint = li.querySelector(".visually-hidden");
        if (hint) hint.textContent = " (" + state + ")";
      });
    }

    function explain() {
      return api("GET", box.dataset.explainUrl).then(function (data) {
        document.getElementById("crawl-status").textContent = data.status_label;
        document.getElementById("crawl-status").dataset.status = data.status;
        document.getElementById("crawl-step").textContent = data.step_label || "\u2014";
        markSteps(data.step_states);
        var msgs = document.getElementById("crawl-messages");
        while (msgs.firstChild) msgs.removeChild(msgs.firstChild);
        data.messages.forEach(function (m) {
          var p = document.createElement("p");
          p.className = "notice notice-" + m.level;
          p.textContent = m.text;
          msgs.appendChild(p);
        });
      });
    }

    function poll() {
      api("GET", box.dataset.apiUrl).then(function (run) {
        var stale = document.getElementById("poll-error");
        if (stale) stale.parentNode.removeChild(stale);
        counts.forEach(function (name) {
          var el = document.getElementById("count-" + name);
          if (el) el.textContent = String(run[name] || 0);
        });
        var done = ["finished", "partial", "failed", "cancelled"].indexOf(run.status) >= 0;
        var changed = done || run.status !== last.status || run.step !== last.step || (run.error_summary || "") !== last.summary;
        last = { status: run.status, step: run.step, summary: run.error_summary || "" };
        var next = changed ? explain() : Promise.resolve();
        return next.then(function () {
          if (done) {
            box.dataset.done = "true";
            window.clearInterval(timer);
            document.getElementById("crawl-spinner").hidden = true;
            document.getElementById("crawl-live").hidden = true;
            document.getElementById("crawl-done").hidden = !(run.found > 0);
            document.getElementById("crawl-none").hidden = run.found > 0;
          }
        });
      }).catch(function (e) {
        var msgs = document.getElementById("crawl-messages");
        if (e.status === 401) { window.clearInterval(timer); }
        var p = document.getElementById("poll-error") || document.createElement("p");
        p.id = "poll-error";
        p.className = "notice notice-warning";
        p.textContent = e.status === 401 ? e.message : "Lost contact with the server; still trying\u2026";
        msgs.appendChild(p);
      });
    }

    if (box.dataset.done !== "true") {
      timer = window.setInterval(poll, 1500);
      poll();
    } else {
      markSteps(null);
    }
  }

  /* Leaves empty filters out of the jobs URL, so links stay short and readable. */
  function initFilters() {
    var form = document.getElementById("job-filters");
    if (!form) return;
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && !el.value) el.disabled = true;
      });
    });
  }

  initCompanies();
  initFilters();
  initCrawl();
})();
