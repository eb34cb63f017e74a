/* Optional help for staff pages; each works without it.
   Paper entry: a key 1 or 0 jumps to the next question, 2 (chưa hài lòng) to its reason box;
   Enter in an answer box moves on instead of saving a half-typed form.
   Slips: the print button. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-paper]");
  if (form) {
    var keys = Array.prototype.slice.call(form.querySelectorAll("input[data-key]"));
    var nextAfter = function (i) { return keys[i + 1] || form.querySelector("textarea") || form.querySelector("[data-save]"); };
    keys.forEach(function (box, i) {
      box.addEventListener("input", function () {
        var v = box.value.trim();
        if (v === "1" || v === "0") { nextAfter(i).focus(); }
        else if (v === "2") { box.parentNode.querySelector("input[data-reason]").focus(); }
        else if (v !== "") { box.select(); }
      });
      box.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); nextAfter(i).focus(); }
      });
      box.parentNode.querySelector("input[data-reason]").addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); nextAfter(i).focus(); }
      });
    });
  }
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
}());
