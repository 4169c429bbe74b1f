// A background request (htmx) of a page whose session has expired answers 401
// (spip/middleware.py): say so, instead of failing silently. What was typed stays on the
// page. The report autosave handles its own 401s (static/reporting/autosave.js).
document.addEventListener("htmx:responseError", function (event) {
  if (event.detail.xhr.status !== 401) return;
  var notice = document.getElementById("session-lost");
  if (notice) notice.hidden = false;
});
