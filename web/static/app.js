// Small progressive enhancements; every page works without them.
document.addEventListener("change", (e) => {
  // "Select all" for bulk status changes.
  if (e.target.matches("input[data-select-all]")) {
    document.querySelectorAll("input[name=ids]").forEach((box) => { box.checked = e.target.checked; });
  }
  // Inline status selects submit their form at once.
  if (e.target.matches("select[data-autosubmit]")) {
    e.target.form.requestSubmit();
  }
});
