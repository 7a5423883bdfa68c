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

// The postmortem editor checks the customer-facing text as you write: the
// share-safety findings and the completeness score come from the server's
// check endpoint, shown next to the fields they concern.
const editor = document.querySelector("form[data-check-url]");
if (editor) {
  let timer;
  const panel = document.getElementById("share-check");
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
  const render = (r) => {
    document.querySelectorAll(".field-findings").forEach((el) => el.remove());
    const byField = {};
    r.findings.forEach((f) => (byField[f.field] = byField[f.field] || []).push(f));
    Object.entries(byField).forEach(([field, fs]) => {
      const box = document.getElementById(field);
      if (!box) return;
      const list = document.createElement("ul");
      list.className = "field-findings field-error";
      list.innerHTML = fs.map((f) => `<li>line ${f.line}: ${esc(f.message)}${f.suggestion ? ` Try “${esc(f.suggestion)}”.` : ""}</li>`).join("");
      box.insertAdjacentElement("afterend", list);
    });
    const missing = r.completeness.required.filter((c) => !c.ok);
    panel.innerHTML = `<p><strong>Completeness ${r.completeness.score}/100</strong> · ${r.findings.length} share-safety finding(s)</p>` +
      (missing.length ? `<ul>${missing.map((c) => `<li>${esc(c.label)}: ${esc(c.hint)}</li>`).join("")}</ul>` : "<p>Every required part is there.</p>");
  };
  const run = async () => {
    const fields = {};
    editor.querySelectorAll("textarea").forEach((t) => { fields[t.name] = t.value; });
    const resp = await fetch(editor.dataset.checkUrl, {
      method: "POST", credentials: "same-origin", body: JSON.stringify({fields}),
      headers: {"Content-Type": "application/json", "X-CSRF-Token": editor.querySelector("input[name=csrf]").value},
    });
    if (resp.ok) render(await resp.json());
  };
  editor.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 500); });
  run();
}
