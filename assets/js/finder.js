// Progressive enhancement of the case-study finder: when a filter or the sort order changes,
// fetch the same page for the new query string and swap in the results and the counts,
// keeping the URL in step. Without JavaScript the "Apply filters" and "Sort" buttons submit
// the same forms, so nothing depends on this file.
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
      status.textContent = count ? count.textContent.trim() : "Results updated";
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
