/* Steward: small progressive enhancements. Every page works without this file.
 *
 * - data-confirm="message" on a <form> (or its submit button): ask before submitting.
 * - data-open-dialog="id" on a button: open that <dialog>.
 * - data-action="back" on a link: go back in history when there is history.
 * - data-copy="#selector" on a button: copy that element's text.
 * - data-reset-on-success on an htmx <form>: clear it after a successful (2xx) request.
 * - Console keyboard shortcuts: "/" search, "?" help, and "g <key>" for links that carry
 *   data-shortcut="g <key>" (the help dialog lists them).
 *
 * No inline scripts or eval: the CSP allows scripts from this origin only.
 */
(function () {
  "use strict";

  function isTyping(target) {
    if (!target || !(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  /* ---- Confirmations ---- */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      // Capture phase: stop the event before htmx (listening on the form) sees it.
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* ---- Clicks: dialogs, back links, copy buttons ---- */
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    var opener = target.closest("[data-open-dialog]");
    if (opener) {
      openDialog(opener.getAttribute("data-open-dialog"), opener);
      return;
    }

    var back = target.closest("[data-action='back']");
    if (back && window.history.length > 1 && document.referrer &&
        new URL(document.referrer).origin === window.location.origin) {
      event.preventDefault();
      window.history.back();
      return;
    }

    var copier = target.closest("[data-copy]");
    if (copier && navigator.clipboard) {
      var source = document.querySelector(copier.getAttribute("data-copy"));
      if (source) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          var done = copier.getAttribute("data-copied-text");
          if (done) copier.textContent = done;
        });
      }
    }
  });

  function openDialog(id, returnFocusTo) {
    var dialog = id ? document.getElementById(id) : null;
    if (!dialog || typeof dialog.showModal !== "function" || dialog.open) return;
    dialog.showModal();
    dialog.addEventListener("close", function () {
      if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
    }, { once: true });
  }

  /* ---- Console keyboard shortcuts ---- */
  var pending = null;   // first key of a two-key sequence ("g")
  var pendingTimer = null;

  function shortcutTargets() {
    var map = {};
    document.querySelectorAll("[data-shortcut]").forEach(function (el) {
      map[el.getAttribute("data-shortcut")] = el;
    });
    return map;
  }

  document.addEventListener("keydown", function (event) {
    if (!document.body.classList.contains("face-console")) return;
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;  // Esc closes it natively

    var key = event.key;
    if (pending) {
      var sequence = pending + " " + key.toLowerCase();
      pending = null;
      window.clearTimeout(pendingTimer);
      var link = shortcutTargets()[sequence];
      if (link) {
        event.preventDefault();
        link.click();
      }
      return;
    }
    if (key === "/") {
      var search = document.getElementById("console-search");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (key === "?") {
      event.preventDefault();
      openDialog("shortcut-help", document.activeElement);
    } else if (key === "g") {
      pending = "g";
      pendingTimer = window.setTimeout(function () { pending = null; }, 1500);
    }
  });

  /* ---- Clear a sent form (a reply) once the server accepted it ---- */
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-reset-on-success")) return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 300) form.reset();
  });

  /* ---- After htmx swaps: move focus to the first invalid field, if any ---- */
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !(target instanceof Element)) return;
    var invalid = target.querySelector("[aria-invalid='true']");
    if (invalid && typeof invalid.focus === "function") invalid.focus();
  });
})();
