// Reception pages: small enhancements; every page works without this file.
(function () {
  'use strict';

  // Rule form: show only the fields the chosen pattern uses.
  function setupRuleForm(form) {
    var pattern = form.querySelector('[data-pattern]');
    if (!pattern) { return; }
    var fields = form.querySelectorAll('[data-for]');
    function sync() {
      for (var i = 0; i < fields.length; i++) {
        var uses = (' ' + fields[i].getAttribute('data-for') + ' ').indexOf(' ' + pattern.value + ' ') >= 0;
        fields[i].hidden = !uses;
      }
    }
    pattern.addEventListener('change', sync);
    sync();
  }

  // Calendar link: a copy button, and the whole address selected on focus.
  function setupCopy(btn) {
    var input = document.getElementById(btn.getAttribute('data-copy'));
    var done = btn.parentNode.querySelector('.copy-done');
    if (!input) { return; }
    btn.hidden = false;
    btn.addEventListener('click', function () {
      function ok() { if (done) { done.textContent = '已复制'; } }
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(ok, function () {
          if (done) { done.textContent = '请长按地址复制'; }
        });
      } else {
        try { if (document.execCommand('copy')) { ok(); } } catch (e) { /* select stays */ }
      }
    });
  }

  function init() {
    var forms = document.querySelectorAll('[data-rule-form]');
    for (var i = 0; i < forms.length; i++) { setupRuleForm(forms[i]); }
    var copies = document.querySelectorAll('[data-copy]');
    for (var j = 0; j < copies.length; j++) { setupCopy(copies[j]); }
    var sel = document.querySelectorAll('[data-select-all]');
    for (var k = 0; k < sel.length; k++) {
      sel[k].addEventListener('focus', function (e) { e.target.select(); });
    }
    var auto = document.querySelectorAll('select[data-autosubmit]');
    for (var m = 0; m < auto.length; m++) {
      auto[m].addEventListener('change', function (e) { e.target.form.submit(); });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
