// Lianluo pages: small enhancements. Every page also works without this file.
(function () {
  'use strict';

  // Region chooser: when the first select changes, offer the villages of the
  // chosen town in the second select, read from the regions API.
  function fetchChildren(code, page, acc) {
    var url = '/api/v1/regions?parent=' + encodeURIComponent(code) + '&per_page=100&page=' + page;
    return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      })
      .then(function (data) {
        var items = (data && data.items) || [];
        acc = acc.concat(items);
        if (items.length === 100 && acc.length < (data.total || 0) && page < 20) {
          return fetchChildren(code, page + 1, acc);
        }
        return acc;
      });
  }

  function setupRegion(main) {
    var sub = document.getElementById(main.getAttribute('data-sub'));
    if (!sub) { return; }
    var wrap = document.getElementById(sub.id + '-wrap') || sub;
    var seq = 0;
    main.addEventListener('change', function () {
      var opt = main.options[main.selectedIndex];
      var code = main.value;
      var mine = ++seq;
      while (sub.firstChild) { sub.removeChild(sub.firstChild); }
      wrap.hidden = true;
      if (!code || !opt || !opt.hasAttribute('data-has-sub')) { return; }
      fetchChildren(code, 1, []).then(function (items) {
        if (mine !== seq || !items.length) { return; }
        sub.appendChild(new Option('（不选，即本级）', ''));
        items.forEach(function (it) { sub.appendChild(new Option(it.name, it.code)); });
        wrap.hidden = false;
      }).catch(function () { /* the typed-code input still works */ });
    });
  }

  // User form: show only the scoping select that fits each row's role.
  var scopes = {
    npc_office: 'org', npc_leader: 'org', unit_handler: 'org',
    station_head: 'station', liaison: 'station', deputy: 'deputy'
  };

  function setupRoleRow(row) {
    var sel = row.querySelector('.role-select');
    if (!sel) { return; }
    function sync() {
      var want = scopes[sel.value] || '';
      var fields = row.querySelectorAll('[data-scope]');
      for (var i = 0; i < fields.length; i++) {
        fields[i].hidden = fields[i].getAttribute('data-scope') !== want;
      }
    }
    sel.addEventListener('change', sync);
    sync();
  }

  // Buttons that stop something ask first.
  document.addEventListener('submit', function (e) {
    var f = e.target;
    var msg = f && f.getAttribute && f.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });

  function init() {
    var regions = document.querySelectorAll('select[data-sub]');
    for (var i = 0; i < regions.length; i++) { setupRegion(regions[i]); }
    var rows = document.querySelectorAll('.role-row');
    for (var j = 0; j < rows.length; j++) { setupRoleRow(rows[j]); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
