// The page that asks before an upload replaces a published article's text: start reading at
// the summary of what would change (a refused answer's error is focused by errors.js instead).
document.addEventListener("DOMContentLoaded", function () {
  if (document.querySelector(".error-summary")) return;
  var summary = document.getElementById("change-summary");
  if (summary) summary.focus();
});
