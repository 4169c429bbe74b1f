// Autosave of the report being drafted. htmx posts the form (data-autosave) as the adviser
// types; whatever the answer, what is typed stays on screen:
// - 400 and 409 show their message in the status line (fields to correct, someone else
//   saved, the report left the draft state);
// - 401 means the session expired: a notice offers to sign in again in a new tab, and once
//   the session is back (checked every few seconds and when the window gets the focus) the
//   form is posted again with a fresh CSRF token (signing in renews it);
// - 403 after a sign-in elsewhere is the old CSRF token: renewed once, then posted again.
// The buttons (save, preview, submit) post the whole form: the session is checked first,
// so that an expired one never swallows the text on the way to the sign-in page.
(function () {
  "use strict";
  var PROBE_EVERY_MS = 4000;
  var probing = null;
  var typed = 0; // inputs so far
  var savedUpTo = 0; // inputs that the last successful save carried

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function notice() {
    return document.querySelector("[data-session-expired]");
  }

  function statusLine(text) {
    var line = document.getElementById("autosave-status");
    if (line) line.textContent = text;
  }

  // The session's state: a fresh CSRF token when signed in, null otherwise.
  function sessionToken(form) {
    return fetch(form.dataset.sessionUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "HX-Request": "true" },
    })
      .then(function (response) {
        return response.status === 200 ? response.json() : null;
      })
      .then(function (body) {
        if (!body) return null;
        form.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
          input.value = body.token;
        });
        return body.token;
      })
      .catch(function () {
        return null;
      });
  }

  function probe(form) {
    sessionToken(form).then(function (token) {
      if (!token) return;
      clearInterval(probing);
      probing = null;
      notice().hidden = true;
      htmx.trigger(form, "input"); // post what is on screen again
    });
  }

  function sessionLost(form) {
    notice().hidden = false;
    statusLine(form.dataset.unsavedMessage);
    if (!probing) {
      probing = setInterval(function () {
        probe(form);
      }, PROBE_EVERY_MS);
    }
  }

  document.addEventListener("input", function (event) {
    if (autosaveForm(event.target)) typed += 1;
  });

  // A button: check the session, then post (the same tab leaves the page: no autosave may
  // race it; a preview opens in another tab and the page stays).
  document.addEventListener("submit", function (event) {
    var form = autosaveForm(event.target);
    if (!form) return;
    var submitter = event.submitter || null;
    if (form.dataset.sessionChecked) {
      form.dataset.sessionChecked = "";
      var leaves = !(submitter && submitter.formTarget === "_blank");
      if (leaves) {
        savedUpTo = typed;
        form.dataset.leaving = "yes";
      }
      return;
    }
    event.preventDefault();
    sessionToken(form).then(function (token) {
      if (!token) {
        sessionLost(form);
        return;
      }
      form.dataset.sessionChecked = "yes";
      form.requestSubmit(submitter);
    });
  });

  window.addEventListener("focus", function () {
    var form = document.querySelector("form[data-autosave]");
    if (form && probing) probe(form);
  });

  window.addEventListener("beforeunload", function (event) {
    var form = document.querySelector("form[data-autosave]");
    if (form && !form.dataset.leaving && typed > savedUpTo) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    if (form.dataset.leaving) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = String(typed);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    var status = event.detail.xhr.status;
    if (status === 200) {
      savedUpTo = Math.max(savedUpTo, Number(form.dataset.sending || 0));
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
