// Progressive enhancement of the case-study finder: when a filter or the sort order changes,
// fetch the same page for the new query string and swap in the results and the counts,
// keeping the URL in step. Invalid filters show what the full page shows: the error summary,
// the message beside each field and "Error:" in the title. Without JavaScript the "Apply
// filters" and "Sort" buttons submit the same forms, so nothing depends on this file.
import { ErrorSummary } from "./govuk-frontend.min.js";

// The filter panel's field groups (direct children of the form) in and out of error: swap in
// the fresh group, keeping which <details> are open and where focus is.
function syncFieldErrors(form, freshForm) {
  const mine = form.querySelectorAll(":scope > .govuk-form-group");
  const fresh = freshForm.querySelectorAll(":scope > .govuk-form-group");
  if (mine.length !== fresh.length) return;
  mine.forEach((group, index) => {
    const next = fresh[index];
    const error = "govuk-form-group--error";
    if (!group.classList.contains(error) && !next.classList.contains(error)) return;
    const focused = group.contains(document.activeElement) ? document.activeElement.id : "";
    const open = group.querySelector("details[open]") !== null;
    const details = next.querySelector("details");
    if (details && open) details.open = true;
    group.replaceWith(next);
    if (focused) document.getElementById(focused)?.focus();
  });
}

export function enhanceFinder(root) {
  const filters = root.querySelector("[data-finder-form]");
  const status = root.querySelector("[data-finder-status]");
  if (!filters || !status || !window.fetch || !window.history.pushState) return;

  let controller = null;

  function urlFor(form) {
    const params = new URLSearchParams();
    new FormData(form).forEach((value, key) => {
      if (value !== "") params.append(key, value);
    });
    const query = params.toString();
    return form.action.split("?")[0] + (query ? "?" + query : "");
  }

  async function update(url) {
    if (controller) controller.abort();
    controller = new AbortController();
    status.textContent = "Updating results…";
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "text/html" } });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-finder-results]");
      if (!fresh || response.status >= 500) throw new Error("unexpected response");
      root.querySelector("[data-finder-results]").replaceWith(fresh);
      const freshErrors = page.querySelector("[data-finder-errors]");
      const errors = root.querySelector("[data-finder-errors]");
      if (freshErrors && errors) {
        errors.replaceWith(freshErrors);
        const summary = freshErrors.querySelector("[data-module='govuk-error-summary']");
        if (summary) new ErrorSummary(summary, { disableAutoFocus: true });
      }
      const freshForm = page.querySelector("[data-finder-form]");
      if (freshForm) syncFieldErrors(filters, freshForm);
      document.title = page.title;
      page.querySelectorAll("[data-group-summary]").forEach((node) => {
        const mine = filters.querySelector(`[data-group-summary="${node.dataset.groupSummary}"]`);
        if (mine) mine.innerHTML = node.innerHTML;
      });
      page.querySelectorAll("[data-facet-count]").forEach((node) => {
        const mine = filters.querySelector(`[data-facet-count="${node.dataset.facetCount}"]`);
        if (mine) mine.textContent = node.textContent;
      });
      const ordering = new URL(url, window.location.href).searchParams.get("ordering") || "";
      let mirror = filters.querySelector("[data-sort-mirror]");
      if (!mirror) {
        mirror = Object.assign(document.createElement("input"), { type: "hidden", name: "ordering" });
        mirror.dataset.sortMirror = "";
        filters.append(mirror);
      }
      mirror.value = ordering;
      window.history.pushState({ finder: true }, "", url);
      const count = fresh.querySelector("[data-result-count]");
      const problem = freshErrors && freshErrors.querySelector(".govuk-error-summary__title");
      status.textContent = problem
        ? problem.textContent.trim()
        : count
          ? count.textContent.trim()
          : "Results updated";
    } catch (error) {
      if (error.name !== "AbortError") window.location.assign(url);
    }
  }

  root.addEventListener("change", (event) => {
    const form = event.target.form;
    if (!form) return;
    if (form === filters && event.target.matches("input[type=checkbox], input[type=radio]")) {
      update(urlFor(filters));
    } else if (form.matches("[data-sort-form]")) {
      update(urlFor(form));
    }
  });
  window.addEventListener("popstate", () => window.location.reload());
}
