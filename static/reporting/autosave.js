// Autosave of the report being drafted. htmx posts the form (data-autosave) as the adviser
// types; whatever the answer, what is typed stays on screen:
// - 400 and 409 show their message in the status line (fields to correct, someone else
//   saved, the report left the draft state);
// - 401 means the session expired: a notice offers to sign in again in a new tab, and once
//   the session is back (checked every few seconds and when the window gets the focus) the
//   form is posted again with a fresh CSRF token (signing in renews it);
// - 403 after a sign-in elsewhere is the old CSRF token: renewed once, then posted again.
(function () {
  "use strict";
  var PROBE_EVERY_MS = 4000;
  var probing = null;
  var dirty = false;

  // The form of an element, or of the request an htmx event is about (the status line the
  // answer goes to is inside the form).
  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function notice() {
    return document.querySelector("[data-session-expired]");
  }

  function repost(form) {
    htmx.trigger(form, "input");
  }

  function probe(form) {
    fetch(form.dataset.sessionUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "HX-Request": "true" },
    })
      .then(function (response) {
        return response.status === 200 ? response.json() : null;
      })
      .then(function (body) {
        if (!body) return;
        form.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
          input.value = body.token;
        });
        clearInterval(probing);
        probing = null;
        notice().hidden = true;
        repost(form);
      })
      .catch(function () {});
  }

  function statusLine(text) {
    var line = document.getElementById("autosave-status");
    if (line) line.textContent = text;
  }

  function sessionLost(form) {
    notice().hidden = false;
    statusLine(form.dataset.unsavedMessage);
    if (!probing) {
      probing = setInterval(function () { probe(form); }, PROBE_EVERY_MS);
    }
  }

  document.addEventListener("input", function (event) {
    if (autosaveForm(event.target)) dirty = true;
  });

  // Leaving with a button (save, submit): the form carries everything typed, so a pending
  // autosave must not race it.
  document.addEventListener("submit", function (event) {
    var form = autosaveForm(event.target);
    if (!form) return;
    dirty = false;
    form.dataset.leaving = "yes";
    setTimeout(function () { form.dataset.leaving = ""; }, 5000);  // e.g. a preview tab
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form && form.dataset.leaving) event.preventDefault();
  });

  window.addEventListener("focus", function () {
    var form = document.querySelector("form[data-autosave]");
    if (form && probing) probe(form);
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    var status = event.detail.xhr.status;
    if (status === 200) {
      dirty = false;
      form.dataset.tokenRenewed = "";
    } else if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (status === 401) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      sessionLost(form);
    } else if (status === 403 && !form.dataset.tokenRenewed) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      form.dataset.tokenRenewed = "yes";
      probe(form);
    } else {
      statusLine(form.dataset.unsavedMessage);
    }
  });
})();
