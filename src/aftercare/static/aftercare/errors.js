// A form the server sent back with errors: move the focus (and the view) to what the person
// must read first — help about an answer on safety, else the list of errors. Without this the
// page opens at its top and, on a phone, the errors can be screens away from what is visible.
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector(".unsaved-urgent, .error-summary");
  if (!first) return;
  first.setAttribute("tabindex", "-1");
  first.focus();
});
