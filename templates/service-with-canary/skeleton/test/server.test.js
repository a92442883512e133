'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { createServer } = require('../src/server');

test('serves /healthz and counts requests in /metrics', async () => {
  const server = createServer().listen(0);
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /http_requests_total\{code="200"\} 1/);
    assert.match(metrics, /http_request_duration_seconds_count 1/);
  } finally {
    server.close();
  }
});
