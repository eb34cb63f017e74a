/* Optional help for the survey; every page works without it.
   - shows the reason box only under "Chưa hài lòng" (and whenever it already holds text);
   - keeps every tap and reason on the phone (localStorage) and sends it in the background; when the
     signal drops, says "đang chờ mạng" and sends the queue as soon as the signal returns;
   - a "Tiếp" (or any button) pressed without signal keeps the page and goes through when it returns;
   - ignores a second tap on a button while the first is still being sent. */
(function () {
  "use strict";
  var KEY = "hailong:draft:";
  var forms = document.querySelectorAll("form[data-autosave]");
  var notice = document.getElementById("net-wait");
  var waiting = null;     // {form, submitter}: a button pressed while offline
  var retryTimer = null;
  document.documentElement.className += " js";

  function store(key, value) {
    try {
      if (value === null) { localStorage.removeItem(KEY + key); } else { localStorage.setItem(KEY + key, value); }
    } catch (e) { /* private mode or full: the server copy still counts */ }
  }

  function stored(key) {
    try { return localStorage.getItem(KEY + key); } catch (e) { return null; }
  }

  function pairs(form) {
    var out = [];
    var data = new FormData(form);
    data.forEach(function (value, name) { if (name !== "go") { out.push([name, value]); } });
    return out;
  }

  function body(list, go) {
    var data = new FormData();
    list.forEach(function (p) { data.append(p[0], p[1]); });
    data.append("go", go);
    return data;
  }

  function showWaiting(on) {
    if (notice) { notice.hidden = !on; }
    clearInterval(retryTimer);
    retryTimer = on ? setInterval(flush, 5000) : null;
  }

  function syncReasons(form) {
    var boxes = form.querySelectorAll("[data-reason-for]");
    for (var i = 0; i < boxes.length; i++) {
      var name = boxes[i].getAttribute("data-reason-for");
      var no = form.querySelector('input[name="' + name + '"][value="no"]');
      var text = boxes[i].querySelector("textarea");
      boxes[i].hidden = !(no && no.checked) && !(text && text.value);
    }
  }

  /* Put back what this phone kept but the server may not have (a tab closed while offline). */
  function restore(form) {
    var kept = stored(form.action);
    if (!kept) { return false; }
    try { kept = JSON.parse(kept); } catch (e) { return false; }
    kept.forEach(function (p) {
      var fields = form.querySelectorAll('[name="' + p[0] + '"]');
      Array.prototype.forEach.call(fields, function (f) {
        if (f.type === "radio") { f.checked = f.value === p[1]; } else if (f.type !== "hidden") { f.value = p[1]; }
      });
    });
    return true;
  }

  /* Send what the page holds now; keep it on the phone until the server has it. */
  function save(form) {
    var list = pairs(form);
    store(form.action, JSON.stringify(list));
    if (!window.fetch) { return Promise.resolve(); }
    return fetch(form.action, { method: "POST", body: body(list, "save"), credentials: "same-origin" })
      .then(function (r) {
        if (r.status < 500) { store(form.action, null); }
        if (!waiting) { showWaiting(false); }
      }, function () { showWaiting(true); });
  }

  function flush() {
    var sends = [];
    Array.prototype.forEach.call(forms, function (form) {
      if (stored(form.action)) { sends.push(save(form)); }
    });
    Promise.all(sends).then(function () {
      if (navigator.onLine === false) { return; }
      if (waiting) {
        var w = waiting;
        waiting = null;
        showWaiting(false);
        submit(w.form, w.submitter);
      } else if (!sends.length) {
        showWaiting(false);
      }
    });
  }

  /* A button press: through fetch, so a dropped signal keeps the page instead of the browser's error page. */
  function submit(form, submitter) {
    var go = submitter && submitter.name === "go" ? submitter.value : "next";
    var list = pairs(form);
    if (form.hasAttribute("data-autosave")) { store(form.action, JSON.stringify(list)); }
    if (navigator.onLine === false || !window.fetch) {
      if (!window.fetch) { return native(form, submitter); }
      waiting = { form: form, submitter: submitter };
      return showWaiting(true);
    }
    if (!form.hasAttribute("data-autosave") && !form.classList.contains("send")) { return native(form, submitter); }
    form.setAttribute("data-sending", "1");
    var data = form.hasAttribute("data-autosave") ? body(list, go) : new FormData(form);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
      if (form.hasAttribute("data-autosave") && r.status < 500) { store(form.action, null); }
      if (r.ok && r.redirected) { window.location.assign(r.url); return; }
      native(form, submitter);  // a page to show (what to fix, an error): post again the ordinary way
    }, function () {
      form.removeAttribute("data-sending");
      waiting = { form: form, submitter: submitter };
      showWaiting(true);
    });
  }

  function native(form, submitter) {
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.setAttribute("data-native", "1");
    HTMLFormElement.prototype.submit.call(form);
  }

  Array.prototype.forEach.call(forms, function (form) {
    var timer = null;
    if (restore(form)) { save(form); }
    syncReasons(form);
    form.addEventListener("change", function (e) {
      syncReasons(form);
      if (e.target.type === "radio") { save(form); }
    });
    form.addEventListener("input", function (e) {
      if (e.target.tagName !== "TEXTAREA") { return; }
      store(form.action, JSON.stringify(pairs(form)));
      clearTimeout(timer);
      timer = setTimeout(function () { save(form); }, 800);
    });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { showWaiting(true); });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var ours = form.hasAttribute("data-autosave") || form.classList.contains("send");
    if (form.getAttribute("data-native")) { return; }
    if (form.getAttribute("data-sending") || (!ours && navigator.onLine !== false)) {
      if (form.getAttribute("data-sending")) { e.preventDefault(); }
      form.setAttribute("data-sending", "1");  // other forms: only the double-tap guard
    } else {
      e.preventDefault();
      submit(form, e.submitter);
    }
    setTimeout(function () { form.removeAttribute("data-sending"); }, 8000);
  });
}());
