/**
 * The page's own script (plain ES2017, runs in the browser): draws each model's charts with uPlot
 * from the embedded JSON, then marks each figure `data-drawn` so a test knows it finished.
 */
export const CHARTS_SCRIPT = String.raw`
(function () {
  var models = JSON.parse(document.getElementById('ephenv-data').textContent);
  var W = 580, H = 260;
  var bars = uPlot.paths.bars({ size: [0.7, 60] });
  var colors = { p50: '#1f77b4', p95: '#ff7f0e', p99: '#d62728', requests: '#2ca02c', errors: '#d62728', pr: '#6639ba', baseline: '#8c959f' };
  // No 'scale' key: an explicit undefined binds the series to a scale no axis shows.
  function line(label, color) { return { label: label, stroke: color, width: 2, points: { show: false } }; }
  // Bars start at zero, or a bar's height says nothing about its value.
  var fromZero = { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } };
  function bar(label, color) { return { label: label, stroke: color, fill: color + '99', paths: bars, points: { show: false } }; }

  function draw(figure, model) {
    var t = model.timeline, kind = figure.getAttribute('data-chart'), el = figure.querySelector('.plot');
    var opts, data;
    if (kind === 'latency') {
      opts = { width: W, height: H, scales: { x: { time: false } }, axes: [{ label: 's' }, { label: 'ms' }],
        series: [{ label: 's' }, line('p50', colors.p50), line('p95', colors.p95), line('p99', colors.p99)] };
      data = [t.t, t.p50, t.p95, t.p99];
    } else if (kind === 'throughput') {
      opts = { width: W, height: H, scales: { x: { time: false } }, axes: [{ label: 's' }, { label: 'req/s' }],
        series: [{ label: 's' }, line('requests', colors.requests), line('errors', colors.errors)] };
      data = [t.t, t.requests, t.errors];
    } else if (kind === 'histogram') {
      var first = t.histogram.counts.findIndex(function (c) { return c > 0; });
      var last = t.histogram.counts.length - 1 - t.histogram.counts.slice().reverse().findIndex(function (c) { return c > 0; });
      if (first < 0) { first = 0; last = 0; }
      var xs = [], ys = [], bounds = t.histogram.boundsMs;
      for (var i = first; i <= last; i++) { xs.push(i - first); ys.push(t.histogram.counts[i]); }
      opts = { width: W, height: H, scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: fromZero },
        axes: [{ label: 'ms (bin upper bound)', values: function (u, splits) { return splits.map(function (s) { var b = bounds[first + Math.round(s)]; return b === undefined ? '' : String(b); }); } }, { label: 'requests' }],
        series: [{ label: 'bin' }, bar('requests', colors.pr)] };
      data = [xs, ys];
    } else {
      // Grouped bars: per statistic, this PR's bar then the baseline's, one x slot each.
      var names = ['p50', 'p95', 'p99'];
      var latency = model.figures.filter(function (f) { return f.unit === 'ms'; });
      var slots = [], prs = [], bases = [];
      latency.forEach(function (f, i) { slots.push(2 * i, 2 * i + 1); prs.push(f.pr === undefined ? null : f.pr, null); bases.push(null, f.baseline === undefined ? null : f.baseline); });
      opts = { width: W, height: H, scales: { x: { time: false, range: [-0.5, slots.length - 0.5] }, y: fromZero },
        axes: [{ splits: function () { return slots; }, values: function (u, splits) { return splits.map(function (s) { return names[Math.floor(s / 2)] + (s % 2 ? ' main' : ' PR'); }); } }, { label: 'ms' }],
        series: [{ label: 'stat' }, bar('this PR', colors.pr), bar('baseline', colors.baseline)] };
      data = [slots, prs, bases];
    }
    // A static page: the legend names the series (a live one shows "--" until hovered).
    opts.legend = { live: false };
    new uPlot(opts, data, el);
    figure.setAttribute('data-drawn', 'true');
  }

  var figures = document.querySelectorAll('figure.chart');
  for (var i = 0; i < figures.length; i++) draw(figures[i], models[Number(figures[i].getAttribute('data-model-index'))]);
  document.body.setAttribute('data-charts-drawn', String(figures.length));
})();
`;
