// The staged load of `./dev load` for users who have k6 (https://k6.io): the same open model (ramping-arrival-rate:
// requests start at the stage's rate whatever the latency), the same stages and the same events (unique ids,
// a share of re-sends of accepted events, a share of late events). It drives a running stack; it does not start
// one, and the exactness check and report are ./dev load's (Gatling), not k6's.
//
//   API_KEY=$(cat .data/dev-api-key) k6 run loadtest/k6/ingest-staged.js
//   API_KEY=... STAGES=30s:5000,3m:17000,30s:0 DUPLICATES=0.05 LATE=0.01 SUBJECTS=1000 METERS=5 \
//     BASE_URL=http://127.0.0.1:8080 k6 run loadtest/k6/ingest-staged.js
import http from 'k6/http';
import { check } from 'k6';

const key = __ENV.API_KEY;
if (!key) {
  throw new Error('set API_KEY (./dev up writes it to .data/dev-api-key)');
}
const baseUrl = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const duplicates = parseFloat(__ENV.DUPLICATES || '0.05');
const late = parseFloat(__ENV.LATE || '0.01');
const subjects = parseInt(__ENV.SUBJECTS || '1000', 10);
const meters = parseInt(__ENV.METERS || '5', 10);
// k6's own stage idiom: each "duration:target" ramps from the previous target to its own.
const stages = (__ENV.STAGES || '30s:16667,3m:16667,30s:0').split(',').map((stage) => {
  const [duration, target] = stage.split(':');
  return { duration, target: parseInt(target, 10) };
});
const peak = Math.max(...stages.map((stage) => stage.target));

export const options = {
  scenarios: {
    staged: {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      preAllocatedVUs: Math.min(2000, Math.max(50, Math.ceil(peak / 20))),
      maxVUs: Math.min(10000, Math.max(100, Math.ceil(peak / 2))),
      stages,
    },
  },
  thresholds: {
    // The goal of issue 7: p99 at most 50 ms and no request answered otherwise than 202.
    http_req_duration: ['p(99)<50'],
    checks: ['rate==1'],
  },
};

const run = `k6-${Date.now().toString(36)}`;
const recent = []; // events answered 202 by this VU, for re-sends
let sequence = 0;

function event() {
  if (recent.length > 0 && Math.random() < duplicates) {
    return recent[Math.floor(Math.random() * recent.length)];
  }
  sequence += 1;
  const lateMillis = Math.random() < late ? 300000 + Math.random() * 86100000 : 0;
  return JSON.stringify({
    id: `${run}-${__VU}-${sequence}`,
    subject: `subject-${Math.floor(Math.random() * subjects)}`,
    meter: `meter-${Math.floor(Math.random() * meters)}`,
    quantity: (sequence % 10) + 1,
    timestamp: new Date(Date.now() - lateMillis).toISOString(),
  });
}

export default function () {
  const body = event();
  const response = http.post(`${baseUrl}/api/usages`, body, {
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
  });
  if (check(response, { 'answered 202': (r) => r.status === 202 }) && recent.length < 4096) {
    recent.push(body);
  }
}
