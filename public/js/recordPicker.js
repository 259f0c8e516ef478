// The record picker, enhanced (views/partials/recordPicker.ejs): typing in "Find by name" asks
// GET /pick/<kind>.json for at most 20 matches and puts them in the select, keeping the empty choice and
// the chosen row; the status line (aria-live) says how many matched; Enter or Search preselects a single
// match. Without this file the Search button posts the form back and the server does the same (a single
// match preselected too); if a request fails, the button does that again.
(() => {
  var NOUNS = { customers: ['customer', 'customers'], leads: ['lead', 'leads'], users: ['person', 'people'] };
  var LIMIT = 20;

  // The same sentences as the partial's, so the page reads alike with and without this file.
  function statusText(kind, q, count, full) {
    var noun = NOUNS[kind] || ['record', 'records'];
    if (!q) return full ? 'The first ' + count + ' ' + noun[1] + ' by name are listed; search to find any other.' : '';
    if (!count) return 'No ' + noun[0] + ' matches "' + q + '".';
    if (count === 1 && !full) return '1 ' + noun[0] + ' matches "' + q + '".';
    return count + (full ? ' or more ' : ' ') + noun[1] + ' match "' + q + '".';
  }

  function optionFor(o) {
    var option = document.createElement('option');
    option.value = String(o.id);
    // The detail (a customer's or lead's organisation) only when it says more than the name, as the partial.
    option.textContent = o.detail && o.detail !== o.name ? o.name + ' — ' + o.detail : o.name;
    return option;
  }

  function enhance(root) {
    var kind = root.getAttribute('data-record-picker');
    var select = root.querySelector('select');
    var input = root.querySelector('input[type="search"]');
    var button = root.querySelector('button[name="pick"]');
    var status = root.querySelector('[aria-live]');
    if (!select || !input || !button || !status) return;
    var sequence = 0;
    var timer = null;
    var failed = false;

    // `step`: the search was asked for (Enter or the Search button), not typed: exactly one match is then
    // preselected, as the partial does after the search step without JavaScript.
    function show(q, options, step) {
      var chosen = select.value;
      var keep = [];
      for (var i = 0; i < select.options.length; i++) {
        var o = select.options[i];
        if (o.value === '' || o.value === chosen) keep.push(o);
      }
      select.replaceChildren.apply(select, keep);
      var count = 0;
      var only = null;
      options.forEach((o) => {
        if (String(o.id) === chosen) return;
        select.appendChild(optionFor(o));
        only = String(o.id);
        count++;
      });
      var full = options.length >= LIMIT;
      select.value = step && q && count === 1 && !full ? only : chosen;
      status.textContent = statusText(kind, q, count, full);
    }

    function search(step) {
      var q = input.value.trim().slice(0, 100);
      var mine = ++sequence;
      var url = '/pick/' + encodeURIComponent(kind) + '.json?q=' + encodeURIComponent(q);
      var company = root.getAttribute('data-company-id');
      if (company) url += '&companyId=' + encodeURIComponent(company);
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then((res) => {
          if (!res.ok) throw new Error('status ' + res.status);
          return res.json();
        })
        .then((body) => {
          if (mine !== sequence) return;
          failed = false;
          show(q, body.options || [], step);
        })
        .catch(() => {
          if (mine !== sequence) return;
          failed = true;
          status.textContent = 'The search did not answer; press Search to try again.';
        });
    }

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(false), 200);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      clearTimeout(timer);
      search(true);
    });
    button.addEventListener('click', (e) => {
      if (failed) return;
      e.preventDefault();
      clearTimeout(timer);
      search(true);
    });
  }

  function start() {
    var roots = document.querySelectorAll('[data-record-picker]');
    for (var i = 0; i < roots.length; i++) enhance(roots[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
