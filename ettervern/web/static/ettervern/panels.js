// A deferred home panel that could not be fetched says so, and offers it as a page of its own,
// instead of "Loading …" for ever. (No inline script: the content security policy allows none.)
function deferredPanelFailed(event) {
  const panel = event.detail.elt;
  if (!panel.matches || !panel.matches("[data-deferred]")) return;
  const status = panel.querySelector("[role=status]");
  status.textContent = panel.dataset.error + " ";
  const link = document.createElement("a");
  link.href = panel.getAttribute("hx-get");
  link.textContent = panel.dataset.retry;
  status.append(link);
  panel.removeAttribute("aria-busy");
}
document.addEventListener("htmx:responseError", deferredPanelFailed);
document.addEventListener("htmx:sendError", deferredPanelFailed);
