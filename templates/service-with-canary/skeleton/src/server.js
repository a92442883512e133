// ${{ values.name }}: a minimal HTTP service with the metrics its canary
// analysis reads (http_requests_total, http_request_duration_seconds).
'use strict';

const http = require('node:http');

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

function createMetrics() {
  const requests = new Map();
  const buckets = BUCKETS.map(() => 0);
  let count = 0;
  let sum = 0;
  return {
    observe(code, seconds) {
      requests.set(code, (requests.get(code) ?? 0) + 1);
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) buckets[i] += 1;
      });
      count += 1;
      sum += seconds;
    },
    render() {
      const lines = [
        '# TYPE http_requests_total counter',
        ...[...requests].map(([code, n]) => `http_requests_total{code="${code}"} ${n}`),
        '# TYPE http_request_duration_seconds histogram',
        ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`),
        `http_request_duration_seconds_bucket{le="+Inf"} ${count}`,
        `http_request_duration_seconds_sum ${sum}`,
        `http_request_duration_seconds_count ${count}`,
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}

function createServer() {
  const metrics = createMetrics();
  return http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
      return;
    }
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(String(res.statusCode), seconds);
    });
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: '${{ values.name }}' }));
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? ${{ values.containerPort }});
  createServer().listen(port, () => {
    console.log(`${{ values.name }} listening on ${port}`);
  });
}

module.exports = { createServer };
