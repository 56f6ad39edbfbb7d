// Applies each change of a list's filters, search or sort at once, without a full page load:
// the form's query string is fetched, the list and its facets are replaced, and the address
// follows, so that the view can still be bookmarked and shared. Without this script, the
// form's buttons do the same with a page load.
(function () {
  "use strict";

  var form = document.querySelector("form[data-listing]");
  if (!form || !window.fetch || !window.DOMParser || !window.history.pushState) {
    return;
  }
  var pending = null;
  // The list the page shows: going back or forward to another one loads it again.
  var shown = window.location.pathname + window.location.search;

  function queryOf(formElement) {
    var params = new URLSearchParams(new FormData(formElement));
    // Empty fields are not filters, and the default order need not be said: keep the address short.
    formElement.querySelectorAll("select[data-default]").forEach(function (select) {
      if (select.value === select.dataset.default) {
        params.delete(select.name);
      }
    });
    Array.from(params.keys()).forEach(function (name) {
      if (params.getAll(name).every(function (value) { return value.trim() === ""; })) {
        params.delete(name);
      }
    });
    return params.toString();
  }

  function load(url, push, focusId) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var listing = document.getElementById("listing");
    listing.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: pending.signal })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("listing");
        if (!fresh) {
          window.location.assign(url);
          return;
        }
        var panel = listing.querySelector(".filters-panel");
        var wasOpen = panel && panel.open;
        listing.replaceWith(fresh);
        var freshPanel = fresh.querySelector(".filters-panel");
        if (freshPanel && wasOpen) {
          freshPanel.open = true;
        }
        document.title = page.title;
        if (push) {
          window.history.pushState({ listing: true }, "", url);
        }
        shown = window.location.pathname + window.location.search;
        var focus = focusId && document.getElementById(focusId);
        if (focus) {
          focus.focus();
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          window.location.assign(url);
        }
      });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "checkbox" || target.tagName === "SELECT") {
      load(form.action + (queryOf(form) ? "?" + queryOf(form) : ""), true, target.id);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = queryOf(form);
    load(form.action + (query ? "?" + query : ""), true, null);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("#listing a");
    if (!link || link.origin !== window.location.origin || link.pathname !== window.location.pathname) {
      return;
    }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    load(link.href, true, "results-heading");
  });

  window.addEventListener("popstate", function () {
    // A change of the fragment alone (the skip link) is not another list.
    if (window.location.pathname + window.location.search !== shown) {
      window.location.reload();
    }
  });
})();
