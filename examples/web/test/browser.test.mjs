// Drives examples/web in headless Chromium (Debian's /usr/bin/chromium, through
// playwright-core; no browser download) and checks what the page shows against the Rust
// API: the outcomes, thresholds and margins of every indicator, the criteria, the totals
// and the decision from `cargo run -p ntm-wasm --example web_expected` (the library's
// Evaluator), and the decision and criteria met from `ntm evaluate` on the equivalent
// contract request. Then bad input: messages next to the fields, the rest still working.
//
//   NTM_EXPECTED=target/ci/web-expected.json NTM_CLI=target/debug/ntm \
//   NTM_SCREENSHOT=target/ci/web.png node --test examples/web/test/browser.test.mjs
//
// The page is served by `python3 -m http.server` on 127.0.0.1; any other request the
// page makes fails the test (no network at run time).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const scenario = JSON.parse(readFileSync(path.join(here, 'scenario.json'), 'utf8'));
const need = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (see the header of browser.test.mjs)`);
  return path.resolve(root, v);
};
const expected = JSON.parse(readFileSync(need('NTM_EXPECTED'), 'utf8'));
const overlayFile = path.join(root, scenario.overlay);

let server;
let context;
let page;
let profileDir;
const foreign = [];
const pageErrors = [];

/** The threshold as the page writes it in data-threshold. */
function thresholdData(t) {
  if (t === null || t === undefined) return '';
  if (typeof t === 'string') return t;
  return String(Object.values(t)[0]);
}

/** The scenario's overlay with only its entries for `sets`. */
function overlayFor(sets) {
  const overlay = JSON.parse(readFileSync(overlayFile, 'utf8'));
  overlay.thresholds = overlay.thresholds.filter((e) => sets.includes(e.set));
  return overlay;
}

/** `ntm evaluate` on the contract request equivalent to the scenario, with `history`:
 *  the commune's result. */
function ntmEvaluate(history) {
  const request = {
    version: 1,
    year: scenario.year,
    date: `${scenario.year}-12-31`,
    units: [
      { code: 'P', name: 'P', level: 'province', kind: 'province' },
      { code: 'C', name: 'C', level: 'commune', kind: 'rural_commune', parent: 'P' },
    ],
    sets: [{ level: 'commune', sets: scenario.sets.map((id) => ({ catalog: id })) }],
    // The contract refuses entries for sets not in the request (the page warns about
    // them): only the entries for the sets given.
    overlays: [overlayFor(scenario.sets)],
    inputs: [{ data: { unit: 'C', year: scenario.year, values: scenario.values }, profile: scenario.profile, history }],
  };
  const run = spawnSync(need('NTM_CLI'), ['evaluate', '-'], { input: JSON.stringify(request), encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const response = JSON.parse(run.stdout);
  const result = response.results.C;
  assert.ok(result && result.decision, JSON.stringify(response.diagnostics));
  return result;
}

const byId = (prefix, id) => page.locator(`[id="${prefix}-${id}"]`);

async function settled() {
  await page.waitForFunction(() => document.body.dataset.busy === '0');
}

async function type(id, value) {
  const field = byId('v', id);
  if (typeof value === 'object' && 'flag' in value) await field.selectOption(value.flag ? 'yes' : 'no');
  else if (typeof value === 'object' && 'number' in value) await field.fill(value.number);
  else if (typeof value === 'object' && 'grade' in value) await field.selectOption(value.grade);
  else await field.fill(String(value));
  await settled();
}

/** What the page shows, as data. */
async function shown() {
  return page.evaluate(() => {
    const cells = {};
    for (const c of document.querySelectorAll('td.result[data-outcome]')) {
      (cells[c.dataset.set] ??= {})[c.dataset.indicator] = {
        outcome: c.dataset.outcome,
        threshold: c.dataset.threshold,
        margin: c.dataset.margin,
        text: c.textContent,
      };
    }
    const criteria = {};
    for (const b of document.querySelectorAll('[data-criterion] .badge[data-outcome]')) {
      (criteria[b.dataset.set] ??= {})[b.closest('[data-criterion]').dataset.criterion] = b.dataset.outcome;
    }
    const totals = {};
    for (const t of document.querySelectorAll('#totals li')) totals[t.dataset.set] = { met: Number(t.dataset.met), outcome: t.dataset.outcome };
    const d = document.getElementById('decision');
    return { cells, criteria, totals, verdict: d.dataset.verdict, tier: d.dataset.tier, decisionText: d.textContent };
  });
}

function assertAsExpected(got) {
  for (const a of expected.assessments) {
    assert.deepEqual(got.totals[a.set], { met: a.totals.met, outcome: a.outcome }, `totals of ${a.set}`);
    assert.deepEqual(got.criteria[a.set], a.criteria, `criteria of ${a.set}`);
    const ids = Object.keys(a.indicators);
    assert.ok(ids.length > 0, `${a.set} has indicators`);
    for (const id of ids) {
      const want = a.indicators[id];
      const cell = got.cells[a.set] && got.cells[a.set][id];
      assert.ok(cell, `${a.set} ${id} is shown`);
      assert.deepEqual(
        { outcome: cell.outcome, threshold: cell.threshold, margin: cell.margin },
        { outcome: want.outcome, threshold: thresholdData(want.threshold), margin: want.margin ?? '' },
        `${a.set} indicator ${id}`,
      );
    }
  }
  assert.equal(got.verdict, expected.decision.verdict);
  assert.equal(got.tier, expected.decision.tier ?? '');
}

before(async () => {
  server = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', path.join(root, 'examples/web')], {
    stdio: ['ignore', 'pipe', 'ignore'], // its request log is not needed
  });
  const port = await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => {
      const m = /port (\d+)/.exec(String(chunk));
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`http.server exited with ${code}`)));
  });
  profileDir = mkdtempSync(path.join(tmpdir(), 'ntm-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && Number(url.port) === port) return route.continue();
    foreign.push(url.href);
    return route.abort();
  });
  page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await settled();
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

test('the page loads the package and its catalog, with no request beyond the static server', async () => {
  const options = await page.locator('#sets option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes('vn-2021-2025|commune'), options.join(' '));
  assert.ok(options.includes('file'));
  assert.match(await page.locator('#version').textContent(), /^ntm-wasm .*contract 1$/);
  assert.equal(await page.locator('[data-criterion]').count() > 10, true);
});

test('typed values show the outcomes, thresholds, margins and decision of the Rust API', async () => {
  await page.selectOption('#sets', scenario.group);
  await settled();
  await page.fill('#year', String(scenario.year));
  await settled();
  await page.selectOption('#region', scenario.profile.region);
  await settled();
  for (const status of scenario.profile.statuses || []) {
    await page.check(`#statuses input[value="${status}"]`);
    await settled();
  }
  await page.setInputFiles('#overlay-file', overlayFile);
  await settled();
  // The overlay's entries for the village and district sets are not applied, and the
  // page says so (a warning, not an error).
  assert.match(await page.locator('#overlay-msg').textContent(), /vn-2021-2025-district-standard/);
  assert.equal(await page.locator('#overlay-msg').getAttribute('data-kind'), 'warning');
  for (const [id, v] of Object.entries(scenario.values)) await type(id, v);
  const got = await shown();
  assertAsExpected(got);

  // The same request through the JSON contract (`ntm evaluate`): same decision, and the
  // lowest tier's criteria met.
  const result = ntmEvaluate({ events: [] });
  assert.equal(got.verdict, result.decision.verdict.verdict);
  assert.equal(got.tier, result.decision.verdict.tier ?? '');
  const lowest = scenario.sets[0];
  const met = Object.entries(got.criteria[lowest]).filter(([, o]) => o === 'met').map(([id]) => id);
  assert.deepEqual([...met].sort(), [...result.criteria_met].sort());
  // The words shown agree with the data.
  assert.match(got.decisionText, /\S/);
  const one = Object.values(got.cells[lowest]).find((c) => c.outcome === 'met');
  assert.ok(one && one.text.includes('Đạt'), one && one.text);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: need('NTM_SCREENSHOT'), fullPage: false });
});

test('a tier held before the year gives the decision of `ntm evaluate` with that history', async () => {
  const tiers = await page.locator('#held option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(tiers, ['', 'standard', 'advanced', 'model']);
  for (const held of ['standard', 'advanced']) {
    await page.selectOption('#held', held);
    await settled();
    const upTo = tiers.slice(1, tiers.indexOf(held) + 1);
    const result = ntmEvaluate({ events: upTo.map((tier) => ({ tier, year: scenario.year - 1, kind: 'recognised' })) });
    const got = await shown();
    assert.equal(got.verdict, result.decision.verdict.verdict, held);
    assert.equal(got.tier, result.decision.verdict.tier ?? '', held);
    // A unit that holds a tier is never "not yet": the history was used.
    assert.notEqual(got.verdict, 'not_yet', held);
  }
  await page.selectOption('#held', '');
  await settled();
  assertAsExpected(await shown());
});

test('a value that is not a number gets a message next to its field, and the rest keeps working', async () => {
  const id = scenario.bad_input.not_a_number;
  const good = scenario.values[id];
  await type(id, '12,5');
  const msg = await byId('m', id).textContent();
  assert.match(msg, /`12,5` is not a number/);
  assert.equal(await byId('v', id).getAttribute('aria-invalid'), 'true');
  let got = await shown();
  assert.equal(got.verdict, 'withheld');
  // The other indicators are still evaluated as before.
  const lowest = scenario.sets[0];
  const other = Object.keys(expected.assessments[0].indicators).find((i) => i !== id && scenario.values[i]);
  assert.equal(got.cells[lowest][other].outcome, expected.assessments[0].indicators[other].outcome);

  // A number the set refuses (a percentage over 100): a message too, at its field.
  await type(id, good);
  const percent = scenario.bad_input.percent;
  await type(percent, '120');
  assert.match(await byId('m', percent).textContent(), /percentage 120 is outside 0-100/);
  assert.equal(await byId('m', id).textContent(), '');
  assert.equal((await shown()).verdict, 'withheld');

  await type(percent, scenario.values[percent]);
  assert.equal(await byId('m', percent).textContent(), '');
  got = await shown();
  assertAsExpected(got);
});

test('a set file that is not a set gets a message next to the file field, and the page keeps working', async () => {
  await page.selectOption('#sets', 'file');
  await settled();
  await page.setInputFiles('#set-file', overlayFile);
  await settled();
  const msg = await page.locator('#set-file-msg').textContent();
  assert.match(msg, /overlay\.json: this file is not a criteria set/);
  // The sets before are still there and still answer.
  const got = await shown();
  assertAsExpected(got);
  // A file that is not JSON at all.
  await page.setInputFiles('#set-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await settled();
  assert.match(await page.locator('#set-file-msg').textContent(), /notes\.json: this file is not a criteria set.*(line|dòng) 1/);
  // A real set file works.
  await page.setInputFiles('#set-file', path.join(root, 'data/catalog', `${scenario.sets[0]}.json`));
  await settled();
  assert.equal(await page.locator('#set-file-msg').textContent(), '');
  const single = await shown();
  assert.deepEqual(Object.keys(single.totals), [scenario.sets[0]]);
  assert.deepEqual(single.criteria[scenario.sets[0]], expected.assessments[0].criteria);

  await page.selectOption('#sets', scenario.group);
  await settled();
  assertAsExpected(await shown());
});

test('a year that is not a number gets a message, and the page keeps its results', async () => {
  await page.fill('#year', '20x2');
  await settled();
  assert.match(await page.locator('#year-msg').textContent(), /whole number|số nguyên/);
  assertAsExpected(await shown());
  await page.fill('#year', String(scenario.year));
  await settled();
  assert.equal(await page.locator('#year-msg').textContent(), '');
});

test('the labels switch between Vietnamese and English', async () => {
  assert.equal(await page.locator('h1').textContent(), 'Kiểm tra tiêu chí nông thôn mới');
  await page.click('#lang');
  await settled();
  assert.equal(await page.locator('h1').textContent(), 'New Rural Development criteria check');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const got = await shown();
  assertAsExpected(got);
  const lowest = scenario.sets[0];
  const met = Object.values(got.cells[lowest]).find((c) => c.outcome === 'met');
  assert.ok(met.text.includes('Met'), met.text);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: need('NTM_SCREENSHOT').replace(/\.png$/, '-en.png'), fullPage: false });
  await page.click('#lang');
  await settled();
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
});

test('an aborted instance is replaced by a fresh one, and the page says so and keeps working', async () => {
  // Rust's wasm32 target aborts on a panic, and the call throws a WebAssembly.RuntimeError;
  // the library does not panic on input, so the abort is simulated: the next evaluation
  // of the running instance throws what an abort throws.
  await page.evaluate(async () => {
    const pkg = await import(new URL('pkg/ntm_wasm.js?instance=1', location.href).href);
    const evaluate = pkg.UnitEvaluator.prototype.evaluate;
    pkg.UnitEvaluator.prototype.evaluate = function aborted() {
      pkg.UnitEvaluator.prototype.evaluate = evaluate;
      throw new WebAssembly.RuntimeError('unreachable');
    };
  });
  const [id, value] = Object.entries(scenario.values)[0];
  await type(id, value);
  assert.match(await page.locator('#general-msg').textContent(), /Lỗi nội bộ|Internal error/);
  // The results are those of the fresh instance, and they are still right.
  assertAsExpected(await shown());
  await type(id, value);
  assert.equal(await page.locator('#general-msg').textContent(), '');
});

test('nothing was fetched beyond the static server, and the page threw nothing', () => {
  assert.deepEqual(foreign, []);
  assert.deepEqual(pageErrors, []);
});
