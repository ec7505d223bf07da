// The add form's "prefill" step (engine Field.prefill_from): choosing a link named in
// data-links (e.g. the procedure) reloads the add form with it, and the server starts the
// child table as a copy of the linked record's rows (its required documents).
(() => {
  const me = document.currentScript;
  const links = (me && me.dataset.links ? me.dataset.links : "").split(",").filter(Boolean);
  if (!/\/add\/$/.test(location.pathname)) return;
  window.addEventListener("load", () => {
    for (const name of links) {
      const select = document.getElementById("id_" + name);
      if (!select) continue;
      const reload = () => {
        const params = new URLSearchParams(location.search);
        if (select.value === (params.get(name) || "")) return;
        if (select.value) params.set(name, select.value); else params.delete(name);
        location.search = params.toString();
      };
      // select2 (the autocomplete picker) reports through jQuery, a plain select natively
      if (window.django && window.django.jQuery) window.django.jQuery(select).on("change", reload);
      else select.addEventListener("change", reload);
    }
  });
})();
