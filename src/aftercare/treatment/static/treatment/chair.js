// "In the chair now" refreshes its list with htmx. When the answer comes from another address
// (signed out meanwhile: the sign-in page came back instead of the list), open that page rather
// than put it inside the list. An error or no answer leaves the list as it was, with its time.
document.addEventListener("htmx:beforeSwap", function (event) {
  var detail = event.detail;
  if (!detail.target || detail.target.id !== "chair-board" || !detail.xhr.responseURL) return;
  var sent = new URL(detail.pathInfo.requestPath, window.location.href);
  var answered = new URL(detail.xhr.responseURL);
  if (answered.pathname !== sent.pathname) {
    detail.shouldSwap = false;
    window.location.assign(detail.xhr.responseURL);
  }
});
