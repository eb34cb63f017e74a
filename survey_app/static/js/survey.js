/* Optional help for the survey; every page works without it.
   - shows the reason box only under "Chưa hài lòng" (and whenever it already holds text);
   - saves each tap and each reason in the background, so a closed tab loses nothing;
   - ignores a second tap on a button while the first is still being sent. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-autosave]");

  function syncReasons(form) {
    var boxes = form.querySelectorAll("[data-reason-for]");
    for (var i = 0; i < boxes.length; i++) {
      var name = boxes[i].getAttribute("data-reason-for");
      var no = form.querySelector('input[name="' + name + '"][value="no"]');
      var text = boxes[i].querySelector("textarea");
      boxes[i].hidden = !(no && no.checked) && !(text && text.value);
    }
  }

  function save(form) {
    if (!window.fetch || !window.FormData) { return; }
    var data = new FormData(form);
    data.append("go", "save");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })["catch"](function () {});
  }

  Array.prototype.forEach.call(forms, function (form) {
    var timer = null;
    syncReasons(form);
    form.addEventListener("change", function (e) {
      syncReasons(form);
      if (e.target.type === "radio") { save(form); }
    });
    form.addEventListener("input", function (e) {
      if (e.target.tagName !== "TEXTAREA") { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { save(form); }, 800);
    });
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.getAttribute("data-sending")) { e.preventDefault(); return; }
    form.setAttribute("data-sending", "1");
    setTimeout(function () { form.removeAttribute("data-sending"); }, 8000);
  });
}());
