(function () {
  "use strict";
  var form = document.getElementById("check-form");
  var drop = document.getElementById("drop");
  var file = document.getElementById("file");
  var hint = document.getElementById("file-hint");
  var button = document.getElementById("submit");
  var status = document.getElementById("status");
  function over(on) { return function (event) { event.preventDefault(); drop.classList.toggle("over", on); }; }
  drop.addEventListener("dragenter", over(true));
  drop.addEventListener("dragover", over(true));
  drop.addEventListener("dragleave", over(false));
  drop.addEventListener("drop", function (event) {
    over(false)(event);
    if (event.dataTransfer && event.dataTransfer.files.length) {
      file.files = event.dataTransfer.files;
      hint.textContent = "Selected: " + file.files[0].name;
    }
  });
  // a file dropped beside the target must not replace this page with the file
  window.addEventListener("dragover", function (event) { event.preventDefault(); });
  window.addEventListener("drop", function (event) { event.preventDefault(); });
  file.addEventListener("change", function () {
    hint.textContent = file.files.length ? "Selected: " + file.files[0].name : "Choose a saved page, or drop it here.";
  });
  form.addEventListener("submit", function () {
    status.textContent = "Checking the page\u2026";
    button.disabled = true;
  });
  window.addEventListener("pageshow", function () { button.disabled = false; status.textContent = ""; });
  var results = document.getElementById("results");
  if (results) { results.focus(); }
})();
