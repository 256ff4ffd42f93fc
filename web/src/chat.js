/* Recovery assistant website chat widget (bundled with socket.io-client by web/build.mjs).
 *
 * Embed with one tag; every setting is optional:
 *   <script src="https://CHAT-SERVER/webhooks/webchat/chat.js" defer
 *           data-title="Harbor Recovery" data-color="#1d4f91"></script>
 *
 * Guarantees: message text (the person's and the assistant's) only ever goes
 * through textContent / text nodes, never HTML; links are made only from
 * http(s) URLs and open with rel="noopener noreferrer"; the crisis line and
 * "Leave quickly" are always on screen; the browser keeps only the session id
 * and its token, the conversation itself comes from the server.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  var data = script.dataset;

  function httpUrl(value) {  // an absolute http(s) URL, or null
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  var settings = {
    server: new URL(httpUrl(data.serverUrl) || script.src).origin,
    socketPath: data.socketPath || "/socket.io",
    title: data.title || "Chat with us",
    color: /^#[0-9a-fA-F]{6}$/.test(data.color || "") ? data.color : "#1d4f91",
    open: data.open === "true",
    exitUrl: httpUrl(data.exitUrl) || "https://weather.com/",
    storage: data.storage === "local" ? "localStorage" : "sessionStorage",
    greeting: data.greetingPayload || "/greet"
  };
  var KEY = "recovery-chat:" + settings.server;

  // --- storage: only {session_id, token, open}; unavailable storage (private modes) just forgets ---
  function store() {
    try { return window[settings.storage]; } catch (e) { return null; }
  }
  function load() {
    try { return JSON.parse(store().getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(state) {
    try { store().setItem(KEY, JSON.stringify(state)); } catch (e) { /* nothing to keep it in */ }
  }
  function forget() {
    ["localStorage", "sessionStorage"].forEach(function (name) {
      try { window[name].removeItem(KEY); } catch (e) { /* nothing stored there */ }
    });
  }

  // --- colors: text on the center's color is black or white, whichever contrasts more (WCAG) ---
  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }
  var onColor = 1.05 / (luminance(settings.color) + 0.05) >= (luminance(settings.color) + 0.05) / 0.05 ? "#fff" : "#000";

  var CSS = [
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a}",
    "*{box-sizing:border-box}",
    ".sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}",
    "button,input{font:inherit}",
    "button{cursor:pointer;border-radius:8px;min-height:44px;padding:8px 14px}",
    ":focus-visible{outline:3px solid;outline-offset:2px}",
    ".primary{background:var(--c);color:var(--on);border:2px solid var(--c)}",
    ".exit{background:#fff;color:#8a1c1c;border:2px solid #8a1c1c;font-weight:600}",
    ".crisis{margin:0;padding:8px 12px;background:#fff4f4;color:#8a1c1c;font-weight:600;border-bottom:1px solid #f0caca}",
    ".crisis a{color:inherit}",
    ".bar{background:#fff;border:1px solid #c8c8c8;border-radius:12px;box-shadow:0 4px 16px rgba(0,0,0,.2);overflow:hidden;max-width:360px}",
    ".bar .row{display:flex;gap:8px;padding:8px 12px;justify-content:flex-end}",
    ".panel{display:flex;flex-direction:column;width:380px;height:min(640px,calc(100vh - 32px));background:#fff;border:1px solid #c8c8c8;border-radius:12px;box-shadow:0 4px 16px rgba(0,0,0,.2);overflow:hidden}",
    "[hidden]{display:none!important}",
    "header{display:flex;align-items:center;gap:8px;padding:8px 8px 8px 12px;background:var(--c);color:var(--on)}",
    "h2{flex:1;margin:0;font-size:1.05em}",
    "header .close{background:transparent;color:var(--on);border:2px solid currentColor;min-width:44px}",
    ".status{margin:0;padding:4px 12px;font-size:.9em;background:#fff8e1;color:#5c4400}",
    ".status:empty{display:none}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}",
    ".msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".bot{align-self:flex-start;background:#eef0f3;color:#1a1a1a}",
    ".bot a{color:#0b4fb3}",
    ".user{align-self:flex-end;background:var(--c);color:var(--on)}",
    ".typing{align-self:flex-start;color:#4a4a4a;font-style:italic}",
    ".replies{display:flex;flex-wrap:wrap;gap:8px;padding:0 12px 8px}",
    ".replies:empty{display:none}",
    ".replies button{background:#fff;color:#0b4fb3;border:2px solid #0b4fb3}",
    "form{display:flex;gap:8px;padding:8px 12px 12px;border-top:1px solid #ddd}",
    "input{flex:1;min-width:0;min-height:44px;padding:8px 10px;border:2px solid #6b6b6b;border-radius:8px;color:#1a1a1a;background:#fff}",
    "@media (max-width:480px){:host{right:0;bottom:0;left:0}.bar{max-width:none;border-radius:0}",
    ".panel{position:fixed;inset:0;width:auto;height:100%;border-radius:0;border:0}}"
  ].join("\n");

  // --- DOM: built with createElement and textContent only ---
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function button(className, text, onClick) {
    var b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function crisisLine() {
    // Our own fixed text: the numbers are tap-to-call on a phone.
    var p = el("p", "crisis");
    p.append("In crisis? Call or text ");
    var call = el("a", "", "988");
    call.href = "tel:988";
    p.append(call, ". Emergency: ");
    var emergency = el("a", "", "911");
    emergency.href = "tel:911";
    p.append(emergency, ".");
    return p;
  }

  var host = el("div");
  host.id = "recovery-chat";
  var root = host.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in root && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];  // no inline <style>: works under a strict Content-Security-Policy
  } else {
    root.appendChild(el("style", "", CSS));
  }

  var aside = el("aside");
  aside.setAttribute("aria-label", settings.title);
  aside.style.setProperty("--c", settings.color);
  aside.style.setProperty("--on", onColor);

  var bar = el("div", "bar");
  var barRow = el("div", "row");
  var openButton = button("primary open", settings.title, function () { openPanel(true); });
  barRow.append(openButton, button("exit", "Leave quickly", leave));
  bar.append(crisisLine(), barRow);

  var panel = el("section", "panel");
  panel.hidden = true;
  panel.setAttribute("aria-labelledby", "rc-title");
  var header = el("header");
  var heading = el("h2", "", settings.title);
  heading.id = "rc-title";
  var closeButton = button("close", "\u2013", closePanel);
  closeButton.setAttribute("aria-label", "Minimize chat");
  header.append(heading, button("exit", "Leave quickly", leave), closeButton);
  var status = el("p", "status");
  status.setAttribute("role", "status");
  var log = el("div", "log");
  log.setAttribute("role", "region");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;  // scrollable: reachable by keyboard
  var replies = el("div", "replies");
  replies.setAttribute("role", "group");
  replies.setAttribute("aria-label", "Suggested replies");
  var form = el("form");
  var label = el("label", "sr-only", "Your message");
  label.htmlFor = "rc-input";
  var input = el("input");
  input.id = "rc-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = 2000;
  input.placeholder = "Type your question";
  var sendButton = el("button", "primary", "Send");
  sendButton.type = "submit";
  form.append(label, input, sendButton);
  // New assistant messages are read out from here; the log itself is not live,
  // so restoring the history after a reload is not read out again.
  var live = el("div", "sr-only");
  live.setAttribute("aria-live", "polite");
  panel.append(header, crisisLine(), status, log, replies, form);
  aside.append(bar, panel, live);
  root.appendChild(aside);

  // --- messages ---
  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
  function appendText(parent, text) {
    var last = 0;
    var match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(text))) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, "");  // trailing punctuation belongs to the sentence
      var href = httpUrl(raw);
      parent.append(text.slice(last, match.index));
      if (href) {
        var a = el("a", "", raw);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        parent.append(a);
      } else {
        parent.append(raw);
      }
      last = match.index + raw.length;
    }
    parent.append(text.slice(last));
  }

  var firstMessageShown = false;
  function addMessage(sender, text) {
    var item = el("div", "msg " + sender);
    item.append(el("span", "sr-only", sender === "user" ? "You: " : "Assistant: "));
    appendText(item, String(text));
    log.insertBefore(item, typing.parentNode ? typing : null);
    log.scrollTop = log.scrollHeight;
    if (sender === "bot" && !firstMessageShown) {
      firstMessageShown = true;
      if (window.performance && performance.mark) performance.mark("recovery-chat:first-message");
    }
  }
  function announce(text) {
    live.append(el("p", "", text));
    while (live.childNodes.length > 5) live.removeChild(live.firstChild);
  }
  function showReplies(options) {
    replies.textContent = "";
    (options || []).forEach(function (option) {
      if (typeof option.payload !== "string" || !option.title) return;  // a payload is never shown
      replies.append(button("", String(option.title), function () {
        send(String(option.title), option.payload);
        input.focus();
      }));
    });
    log.scrollTop = log.scrollHeight;  // the buttons take room from the log: keep the newest message in view
  }

  var typing = el("div", "typing", "The assistant is typing\u2026");
  typing.setAttribute("aria-hidden", "true");
  var typingTimer = null;
  function setTyping(on) {
    clearTimeout(typingTimer);
    if (on) {
      log.append(typing);
      log.scrollTop = log.scrollHeight;
      typingTimer = setTimeout(function () { setTyping(false); }, 20000);
    } else if (typing.parentNode) {
      typing.remove();
    }
  }

  // --- connection and session ---
  var socket = null;
  var confirmed = false;
  var everConfirmed = false;
  var outbox = [];  // {text, payload} typed while (re)connecting, sent once the session is confirmed
  var state = load();

  function connect() {
    if (socket) return;
    status.textContent = "Connecting\u2026";
    // WebSocket only: each conversation stays on one server process, so several Rasa workers work.
    socket = io(settings.server, { path: settings.socketPath, transports: ["websocket"], reconnectionDelayMax: 10000 });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.session_id, token: state.token });
    });
    socket.on("disconnect", function () {
      confirmed = false;
      status.textContent = "Connection lost. Reconnecting\u2026";
    });
    socket.on("connect_error", function () {
      status.textContent = "Can't reach the assistant. Trying again\u2026";
    });
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", function (message) {
      if (!message || typeof message.text !== "string") return;
      setTyping(false);
      status.textContent = "";  // an answer ends any earlier error notice
      if (message.text) {
        addMessage("bot", message.text);
        announce(message.text);
      }
      if (message.quick_replies && message.quick_replies.length) showReplies(message.quick_replies);
    });
    socket.on("chat_error", function (error) {
      setTyping(false);
      var reason = error && error.reason;
      var text = reason === "too_long"
        ? "That message is too long. Please send it in shorter parts."
        : reason === "rate_limited" || reason === "conversation_busy"  // channels/limits.py
        ? "You're sending messages faster than I can answer. Please wait a moment, then send it again."
        : "Sorry, the assistant could not answer. Please try again, or call us.";
      status.textContent = text;
    });
  }

  function onSessionConfirm(session) {
    if (!session || typeof session.session_id !== "string") return;
    // After a reconnect, read out only the replies missed while offline.
    var botsShown = everConfirmed ? log.querySelectorAll(".msg.bot").length : Infinity;
    state = { session_id: session.session_id, token: session.token, open: state.open };
    save(state);
    confirmed = everConfirmed = true;
    status.textContent = "";
    // The server is the truth: show its history, then what is still waiting to be sent.
    var history = session.resumed && Array.isArray(session.history) ? session.history : [];
    log.textContent = "";
    showReplies([]);
    var bots = 0;
    history.forEach(function (item) {
      if (!item || typeof item.text !== "string") return;
      var sender = item.sender === "user" ? "user" : "bot";
      if (item.text) addMessage(sender, item.text);
      if (sender === "bot" && ++bots > botsShown && item.text) announce(item.text);
    });
    var last = history[history.length - 1];
    if (last && last.sender === "bot" && !outbox.length) showReplies(last.quick_replies);
    outbox.forEach(function (item) { addMessage("user", item.text); });
    if (!session.resumed) emit(settings.greeting);  // a new conversation opens with the assistant's greeting
    var waiting = outbox;
    outbox = [];
    waiting.forEach(function (item) { emit(item.payload); });
    if (!session.resumed || waiting.length) setTyping(true);
  }

  function emit(message) {
    socket.emit("user_uttered", { message: message });
  }

  function send(text, payload) {
    text = text.trim();
    if (!text) return;
    addMessage("user", text);
    showReplies([]);
    if (confirmed) {
      emit(payload);
      setTyping(true);
    } else {
      outbox.push({ text: text, payload: payload });
      connect();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text, text.trim());
  });

  function openPanel(focus) {
    bar.hidden = true;
    panel.hidden = false;
    state.open = true;
    save(state);
    connect();
    if (focus) input.focus();
  }
  function closePanel() {
    panel.hidden = true;
    bar.hidden = false;
    state.open = false;
    save(state);
    openButton.focus();
  }
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closePanel();
  });

  // For people on shared devices: forget the session and replace this page in
  // the history, so Back does not return to the conversation.
  function leave() {
    forget();
    state = {};
    if (socket) socket.disconnect();
    log.textContent = "";
    window.location.replace(settings.exitUrl);
  }

  function start() {
    document.body.appendChild(host);
    // The person's own choice (open or minimized) wins over the page's setting.
    if (state.open === undefined ? settings.open : state.open) openPanel(false);
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
