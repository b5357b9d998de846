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

// Cases: small enhancements of the case pages. Without this file every
// field shows, every deputy is listed, and printing is the browser's own.
(function () {
  'use strict';

  // Triage: show only the fields of the chosen outcome (their labels say
  // which outcome they belong to, for when this does not run).
  function setupOutcomes(form) {
    var radios = form.querySelectorAll('input[name="outcome"]');
    var parts = form.querySelectorAll('[data-outcome]');
    function sync() {
      var chosen = '';
      for (var i = 0; i < radios.length; i++) {
        if (radios[i].checked) { chosen = radios[i].value; }
      }
      for (var j = 0; j < parts.length; j++) {
        var p = parts[j];
        var typed = p.querySelector('textarea, select');
        var keep = !chosen && typed && typed.value;
        p.classList.toggle('is-off', !keep && p.getAttribute('data-outcome') !== chosen);
      }
    }
    form.classList.add('js-outcomes');
    for (var k = 0; k < radios.length; k++) { radios[k].addEventListener('change', sync); }
    sync();
  }

  // Register form: list the chosen station's deputies (and any already ticked).
  function setupDeputies(box) {
    var form = box.closest('form');
    var station = form && form.querySelector('select[name="station_id"]');
    if (!station) { return; }
    var labels = box.querySelectorAll('label[data-stations]');
    function sync() {
      var id = station.value;
      var any = false;
      var i;
      for (i = 0; i < labels.length; i++) {
        if (id && (' ' + labels[i].getAttribute('data-stations') + ' ').indexOf(' ' + id + ' ') >= 0) { any = true; }
      }
      for (i = 0; i < labels.length; i++) {
        var l = labels[i];
        var mine = (' ' + l.getAttribute('data-stations') + ' ').indexOf(' ' + id + ' ') >= 0;
        var ticked = l.querySelector('input').checked;
        l.hidden = any && !mine && !ticked;
      }
    }
    station.addEventListener('change', sync);
    sync();
  }

  function init() {
    var forms = document.querySelectorAll('form[data-outcomes]');
    for (var i = 0; i < forms.length; i++) { setupOutcomes(forms[i]); }
    var boxes = document.querySelectorAll('[data-deputies]');
    for (var j = 0; j < boxes.length; j++) { setupDeputies(boxes[j]); }
    var prints = document.querySelectorAll('[data-print]');
    for (var k = 0; k < prints.length; k++) {
      prints[k].hidden = false;
      prints[k].addEventListener('click', function () { window.print(); });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
