// Warn before the idle sign-out and offer to stay signed in (accounts/keepalive.py). Typing
// in a form counts as activity too: someone writing a long journal entry is not idle.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("session-warning");
  if (!box) return;
  var idle = Number(box.dataset.idleSeconds) * 1000;
  var warn = Number(box.dataset.warnSeconds) * 1000;
  var soon = box.querySelector(".session-soon");
  var over = box.querySelector(".session-over");
  // The server moves its idle clock on at most once a minute: count from a minute earlier.
  var seen = Date.now() - 60000, pinged = Date.now(), typed = 0, ended = false;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : field ? field.value : "";
  }
  function keepAlive() {
    pinged = Date.now();
    fetch(box.dataset.keepaliveUrl, {
      method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}
    }).then(function (response) {
      if (response.status === 204) { seen = Date.now(); box.hidden = true; } else { end(); }
    });
  }
  function end() {
    ended = true; soon.hidden = true; over.hidden = false; box.hidden = false;
  }
  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function () { typed = Date.now(); }, {passive: true});
  });
  soon.querySelector("button").addEventListener("click", keepAlive);
  setInterval(function () {
    var now = Date.now();
    if (ended) return;
    if (typed > pinged && now - pinged >= 60000 && now - seen < idle) keepAlive();
    var left = idle - (now - seen);
    if (left <= 0) {
      end();
    } else if (left <= warn) {
      box.hidden = false;
    }
  }, 1000);
});
