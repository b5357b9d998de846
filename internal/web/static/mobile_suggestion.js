// 写建议 on the deputy's phone: find the co-signers by name. Without this
// file every deputy is listed with a checkbox, and the form works the same.
(function () {
  'use strict';
  var pick = document.getElementById('signer-pick');
  if (!pick) { return; }
  var box = pick.querySelector('.signer-search');
  var q = document.getElementById('signer-q');
  var count = pick.querySelector('.signer-count');
  var items = pick.querySelectorAll('.signer-list li');
  if (!box || !q || items.length === 0) { return; }
  box.hidden = false;
  function sync() {
    var term = q.value.replace(/\s+/g, '');
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var cb = items[i].querySelector('input');
      // The chosen stay in sight while the list is narrowed.
      var show = term === '' || items[i].getAttribute('data-name').indexOf(term) >= 0 || (cb && cb.checked);
      items[i].hidden = !show;
      if (show) { shown++; }
    }
    var chosen = pick.querySelectorAll('.signer-list input:checked').length;
    count.textContent = (term === '' ? '' : '找到' + shown + '位代表。') + '已选' + chosen + '位。';
  }
  q.addEventListener('input', sync);
  pick.addEventListener('change', sync);
  // Enter in the search box must not post the form.
  q.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); } });
  sync();
}());
