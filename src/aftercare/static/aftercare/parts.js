// Parts of a page that htmx sends and replaces on their own ([data-part], e.g. the care plan):
// a form in one part is sent and only that part comes back, so what is typed in the others
// stays. This file keeps what a full page load would give:
// - a reply with errors (400) or about an item already gone (404) is shown too: htmx leaves
//   those out unless told, and the server marks them with an X-Page-Part header;
// - a reply from another address (signed out on the way, sent to the sign-in page) opens as a
//   page of its own instead of inside the part;
// - when nothing usable comes back, the part says so and what was typed stays in place;
// - the focus moves to what the person must read: the errors, else what was done.
(function () {
  function partOf(element) {
    return element && element.closest ? element.closest("[data-part]") : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!partOf(detail.target)) return;
    var xhr = detail.xhr;
    if (xhr.responseURL) {
      var sent = new URL(detail.pathInfo.requestPath, window.location.href);
      var answered = new URL(xhr.responseURL);
      if (answered.pathname !== sent.pathname) {
        detail.shouldSwap = false;
        detail.isError = false;
        window.location.assign(xhr.responseURL);
        return;
      }
    }
    if (xhr.status >= 400 && xhr.getResponseHeader("X-Page-Part")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  function sendFailed(event) {
    var part = partOf(event.detail.target);
    if (!part) return;
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    var box = part.querySelector(".part-failed");
    if (!box) {
      box = document.createElement("div");
      box.className = "messages part-failed";
      box.setAttribute("role", "alert");
      box.setAttribute("tabindex", "-1");
      box.appendChild(document.createElement("p")).className = "message message-error";
      (form || part).insertAdjacentElement("beforebegin", box);
    }
    box.firstChild.textContent = part.getAttribute("data-send-failed");
    box.focus();
  }
  document.addEventListener("htmx:responseError", sendFailed);
  document.addEventListener("htmx:sendError", sendFailed);

  // htmx:load is fired on the new part after it is swapped in (and on the body at start).
  document.addEventListener("htmx:load", function (event) {
    var part = event.target;
    if (!part.hasAttribute || !part.hasAttribute("data-part")) return;
    var first = part.querySelector(".error-summary, .part-status");
    if (!first) return;
    first.setAttribute("tabindex", "-1");
    first.focus();
  });
})();
