// The queue page asks for new URGENT requests every few seconds and announces them
// (role="alert": screen readers read it out). Built with DOM text nodes only, never innerHTML.
(function () {
  "use strict";
  var alertBox = document.getElementById("urgent-alert");
  if (!alertBox) return;
  var newest = alertBox.getAttribute("data-newest") || "0";
  var seconds = parseInt(alertBox.getAttribute("data-poll-seconds"), 10) || 10;
  var url = alertBox.getAttribute("data-poll-url");

  function show(items) {
    alertBox.textContent = "";
    alertBox.appendChild(document.createTextNode(
      items.length === 1 ? "New URGENT request: " : items.length + " new URGENT requests: "));
    items.forEach(function (item, i) {
      if (i) alertBox.appendChild(document.createTextNode(", "));
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.reference;
      alertBox.appendChild(link);
    });
    alertBox.appendChild(document.createTextNode(". "));
    var reload = document.createElement("a");
    reload.href = window.location.pathname + window.location.search;
    reload.textContent = "Refresh the queue";
    alertBox.appendChild(reload);
    alertBox.hidden = false;
  }

  var seen = [];
  function poll() {
    fetch(url + "?after=" + encodeURIComponent(newest), {
      headers: { "X-Console-Poll": "1", "Accept": "application/json" }, credentials: "same-origin", redirect: "manual"
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 302) {
        window.location.reload();  // logged off (idle): the server shows the login page
        return null;
      }
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) return;
      newest = String(data.newest);
      if (data.urgent.length) {
        seen = seen.concat(data.urgent);
        show(seen);
      }
    }).catch(function () { /* offline for a moment: the next poll tries again */ });
  }
  window.setInterval(poll, seconds * 1000);
})();
