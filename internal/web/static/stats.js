// Statistics page (统计分析): draws the charts with the vendored Apache
// ECharts from the figures embedded in the page (#stats-data), so no
// further request is made. Without this file, or without JavaScript, the
// tables below each chart carry the same figures.
(function () {
  'use strict';

  var RED = '#a61b1b';
  var BLUE = '#0b57a4';
  var GREY = '#57606a';

  function narrow() {
    return window.matchMedia && window.matchMedia('(max-width: 640px)').matches;
  }

  function base() {
    return {
      animation: false,
      aria: { enabled: true },
      textStyle: { fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif' },
      // Drawn on the canvas: the HTML tooltip writes style attributes,
      // which the content security policy refuses.
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, renderMode: 'richText' },
      legend: { top: 0, left: 0, itemGap: 16, textStyle: { color: GREY } },
      grid: { left: 4, right: 16, top: 40, bottom: 4, containLabel: true }
    };
  }

  // The trend: received and closed per month of registration.
  function trend(d) {
    if (!d.months || !d.months.length) { return null; }
    var o = base();
    o.xAxis = { type: 'category', data: d.months, axisTick: { alignWithLabel: true } };
    o.yAxis = { type: 'value', minInterval: 1 };
    o.series = [
      { name: '受理数', type: 'bar', data: d.received, itemStyle: { color: RED }, barMaxWidth: 28 },
      { name: '其中办结', type: 'bar', data: d.closed, itemStyle: { color: BLUE }, barMaxWidth: 28 }
    ];
    return o;
  }

  // Horizontal bars, one per named item, first at the top: names can be
  // long (联络站), and a long list grows the chart rather than crowding it.
  function bars(items, withClosed) {
    if (!items || !items.length) { return null; }
    var o = base();
    var names = items.map(function (x) { return x.name; });
    o.yAxis = {
      type: 'category', inverse: true, data: names,
      axisLabel: { width: narrow() ? 84 : 180, overflow: 'truncate' }
    };
    o.xAxis = { type: 'value', minInterval: 1 };
    o.series = [{ name: '受理数', type: 'bar', data: items.map(function (x) { return x.received; }), itemStyle: { color: RED }, barMaxWidth: 22 }];
    if (withClosed) {
      o.series.push({ name: '其中办结', type: 'bar', data: items.map(function (x) { return x.closed; }), itemStyle: { color: BLUE }, barMaxWidth: 22 });
    } else {
      o.legend.show = false;
      o.grid.top = 8;
    }
    return { option: o, rows: items.length, series: o.series.length };
  }

  var kinds = {
    trend: function (d) { var o = trend(d); return o && { option: o }; },
    places: function (d) { return bars(d.places, true); },
    categories: function (d) { return bars(d.categories, false); }
  };

  function init() {
    var src = document.getElementById('stats-data');
    if (!src || !window.echarts) { return; }
    var d;
    try { d = JSON.parse(src.textContent); } catch (e) { return; }
    var charts = [];
    var els = document.querySelectorAll('[data-chart]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var kind = el.getAttribute('data-chart');
      var made = kinds[kind] && kinds[kind](d);
      if (!made) { el.hidden = true; continue; }
      if (made.rows) {
        // Enough height for every bar and its label.
        el.style.height = Math.max(160, made.rows * (made.series > 1 ? 44 : 30) + 60) + 'px';
      }
      var chart = window.echarts.init(el, null, { renderer: 'canvas', locale: 'ZH' });
      chart.setOption(made.option);
      el.setAttribute('data-drawn', '1');
      if (kind === 'places') {
        el.classList.add('chart-link');
        chart.on('click', function (p) {
          var it = d.places[p.dataIndex];
          if (it && it.url) { window.location.href = it.url; }
        });
      }
      charts.push(chart);
    }
    var timer = 0;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        charts.forEach(function (c) { c.resize(); });
      }, 100);
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
