// The page: pick criteria sets (a catalog group or set files), an optional provincial
// overlay, the year and the profile; type the unit's values; see every indicator and
// criterion evaluated live by the WebAssembly package, and the decision.
//
// Everything decided is decided in Rust (pkg/, the ntm-wasm package): this file only
// gathers what is typed and shows what comes back. Every element that shows an outcome
// carries it as data attributes (data-outcome, data-threshold, data-margin, data-verdict)
// for the browser test.

import { load, call, InternalError } from './ntm.js';
import { LABELS, REGIONS, GROUPS, STATUSES, LEVELS, TIERS, UNITS, fill } from './i18n.js';

const $ = (id) => document.getElementById(id);

const state = {
  lang: 'vi',
  groups: [], // catalog sets grouped by scheme and level: {key, scheme, level, ids, tiers}
  source: '', // a group key, or 'file'
  files: [], // set files: {name, text}
  overlay: null, // {name, text}
  evaluator: null,
  sets: [], // the evaluator's sets (JSON), overlays applied
  values: {}, // indicator id -> text typed, or true / false
  kinds: new Map(), // indicator id -> kind (JSON)
  last: null, // the last evaluation
  year: null, // the evaluator's reporting year
  recovering: false, // building again after an aborted instance
};

const L = () => LABELS[state.lang];
const li = () => (state.lang === 'vi' ? 0 : 1);
const label = (name) => (name ? name[state.lang] || name.vi || name.en || '' : '');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function setMsg(id, text, kind = 'error') {
  const m = $(id);
  m.textContent = text || '';
  m.dataset.kind = text ? kind : '';
}

// Busy counter, so a test can wait for the page to settle.
let busy = 0;
async function work(f) {
  busy += 1;
  document.body.dataset.busy = String(busy);
  try {
    return await f();
  } finally {
    busy -= 1;
    document.body.dataset.busy = String(busy);
  }
}

/** A diagnostic as one line: the message and where. */
function describe(d) {
  const where = [];
  if (d.set) where.push(d.set);
  if (d.indicator) where.push(d.indicator);
  if (d.pointer) where.push(d.pointer);
  if (d.line) where.push(`${state.lang === 'vi' ? 'dòng' : 'line'} ${d.line}${d.column ? `:${d.column}` : ''}`);
  return where.length ? `${d.message} (${where.join(', ')})` : d.message;
}

// ---- setup ---------------------------------------------------------------------------

function fillStatic() {
  document.documentElement.lang = state.lang;
  document.title = `${L().title} · ntm-rules`;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = L()[e.dataset.t];
  $('lang').textContent = L().lang;

  const sets = $('sets');
  sets.replaceChildren(
    ...state.groups.map((g) =>
      el('option', {
        value: g.key,
        selected: g.key === state.source,
        text: `${g.scheme} · ${LEVELS[g.level] ? LEVELS[g.level][li()] : g.level} (${g.tiers.map((t) => (TIERS[t] ? TIERS[t][li()] : t)).join(', ')})`,
      }),
    ),
    el('option', { value: 'file', selected: state.source === 'file', text: L().fromFile }),
  );
  $('set-file-field').hidden = state.source !== 'file';

  const region = $('region').value;
  $('region').replaceChildren(
    el('option', { value: '', text: L().none }),
    ...REGIONS.map(([id, vi, en]) => el('option', { value: id, selected: id === region, text: state.lang === 'vi' ? vi : en })),
  );
  const group = $('group').value;
  $('group').replaceChildren(
    el('option', { value: '', text: L().none }),
    ...GROUPS.map(([id, vi, en]) => el('option', { value: id, selected: id === group, text: state.lang === 'vi' ? vi : en })),
  );
  const checked = new Set([...document.querySelectorAll('#statuses input:checked')].map((i) => i.value));
  $('statuses').replaceChildren(
    ...STATUSES.map(([id, vi, en]) =>
      el('label', { class: 'check' },
        el('input', { type: 'checkbox', value: id, checked: checked.has(id), onchange: () => work(evaluateNow) }),
        state.lang === 'vi' ? vi : en),
    ),
  );
}

function parseYear() {
  const text = $('year').value.trim();
  if (!/^[0-9]{4}$/.test(text)) return null;
  return Number(text);
}

/** Builds an evaluator from the setup; on a problem, keeps the one before. */
async function rebuild() {
  for (const id of ['sets-msg', 'set-file-msg', 'overlay-msg', 'year-msg', 'general-msg']) setMsg(id, '');
  const year = parseYear();
  if (year === null) {
    setMsg('year-msg', L().badYear);
    return;
  }
  let sources;
  if (state.source === 'file') {
    if (!state.files.length) return;
    sources = state.files.map((f) => ({ text: f.text }));
  } else {
    const group = state.groups.find((g) => g.key === state.source);
    if (!group) {
      setMsg('sets-msg', L().noCatalog);
      return;
    }
    sources = group.ids.map((id) => ({ catalog: id }));
  }
  const setup = { sets: sources, overlays: state.overlay ? [{ text: state.overlay.text }] : [], year };
  let ev;
  let info;
  try {
    ev = await call((pkg) => new pkg.UnitEvaluator(JSON.stringify(setup)));
    info = JSON.parse(await call(() => ev.sets()));
  } catch (e) {
    if (!(e instanceof InternalError)) throw e;
    state.evaluator = null;
    setMsg('general-msg', L().internal);
    return;
  }
  if (!info.ok) {
    ev.free();
    showSetupProblems(info.diagnostics);
    return;
  }
  if (state.evaluator) state.evaluator.free();
  state.evaluator = ev;
  state.sets = info.sets;
  state.year = info.year;
  showSetupProblems(info.diagnostics);
  renderForm();
  await evaluateNow();
}

function showSetupProblems(diagnostics) {
  const by = { sets: [], file: [], overlay: [], general: [] };
  for (const d of diagnostics) {
    const field = d.field || '';
    const m = /^\/sets\/(\d+)/.exec(field);
    if (m && state.source === 'file') {
      const f = state.files[Number(m[1])];
      by.file.push(`${f ? `${f.name}: ` : ''}${describe(d)}`);
    } else if (m || field === '/sets') {
      (state.source === 'file' ? by.file : by.sets).push(describe(d));
    } else if (field.startsWith('/overlays')) {
      by.overlay.push(`${state.overlay ? `${state.overlay.name}: ` : ''}${describe(d)}`);
    } else {
      by.general.push(describe(d));
    }
  }
  const kind = diagnostics.some((d) => d.severity === 'error') ? 'error' : 'warning';
  setMsg('sets-msg', by.sets.join('\n'), kind);
  setMsg('set-file-msg', by.file.join('\n'), kind);
  setMsg('overlay-msg', by.overlay.join('\n'), kind);
  setMsg('general-msg', by.general.join('\n'), kind);
}

// ---- the form ------------------------------------------------------------------------

/** The criteria of every set, merged by id in the order first seen, and the
 *  preconditions as a last group. */
function merged() {
  const criteria = [];
  const byId = new Map();
  const add = (key, id, name, indicators, set) => {
    let c = byId.get(key);
    if (!c) {
      c = { id, name, indicators: [], seen: new Set(), sets: [] };
      byId.set(key, c);
      criteria.push(c);
    }
    if (!c.sets.includes(set)) c.sets.push(set);
    for (const i of indicators) {
      if (!c.seen.has(i.id)) {
        c.seen.add(i.id);
        c.indicators.push(i);
      }
    }
  };
  for (const set of state.sets) for (const c of set.criteria) add(`c:${c.id}`, c.id, c.name, c.indicators, set);
  for (const set of state.sets) if (set.preconditions && set.preconditions.length) add('pre', null, null, set.preconditions, set);
  return criteria;
}

function tierName(tier) {
  for (const set of state.sets) {
    const t = set.scheme.tiers.find((x) => x.id === tier);
    if (t) return label(t.name);
  }
  return tier;
}

function unitLabel(kind) {
  if (kind && kind.decimal) {
    const u = kind.decimal.unit;
    if (typeof u === 'string') return UNITS[u] ? UNITS[u][li()] : u;
    if (u && u.other) return u.other;
  }
  return '';
}

function input(ind) {
  const id = ind.id;
  const onValue = (v) => {
    if (v === '' || v === undefined) delete state.values[id];
    else state.values[id] = v;
    work(evaluateNow);
  };
  const given = state.values[id];
  const attrs = { 'data-indicator': id, id: `v-${id}`, 'aria-describedby': `m-${id}` };
  if (ind.kind === 'yes_no' || (ind.kind && ind.kind.grade)) {
    const options = ind.kind === 'yes_no'
      ? [['', L().none], ['yes', L().yes], ['no', L().no]]
      : [['', L().none], ...ind.kind.grade.grades.map((g) => [g, g])];
    if (ind.allow_not_applicable) options.push(['not_applicable', L().notApplicable]);
    const current = given === true ? 'yes' : given === false ? 'no' : given || '';
    return el('select', { ...attrs, onchange: (e) => onValue(e.target.value === 'yes' ? true : e.target.value === 'no' ? false : e.target.value) },
      options.map(([v, t]) => el('option', { value: v, selected: v === current, text: t })));
  }
  return el('input', {
    ...attrs,
    type: 'text',
    inputmode: ind.kind === 'count' ? 'numeric' : 'decimal',
    autocomplete: 'off',
    value: typeof given === 'string' ? given : '',
    oninput: (e) => onValue(e.target.value),
  });
}

/** The tiers of the sets' scheme, lowest first, for "tier held". */
function fillHeld() {
  const held = $('held');
  const current = held.value;
  const tiers = state.sets.length ? state.sets[0].scheme.tiers : [];
  held.replaceChildren(
    el('option', { value: '', text: L().heldNone }),
    ...tiers.map((t) => el('option', { value: t.id, selected: t.id === current, text: label(t.name) })),
  );
}

/** The history that gives the tier held: every tier up to it recognised, in order, the
 *  year before the reporting year (tiers nest). */
function history() {
  const held = $('held').value;
  if (!held || !state.sets.length) return { events: [] };
  const tiers = state.sets[0].scheme.tiers.map((t) => t.id);
  const year = state.year - 1;
  return { events: tiers.slice(0, tiers.indexOf(held) + 1).map((tier) => ({ tier, year, kind: 'recognised' })) };
}

function renderForm() {
  fillHeld();
  const head = (sets) => el('tr', {},
    el('th', { class: 'name', text: L().indicator }),
    el('th', { class: 'value', text: L().value }),
    sets.map((s) => el('th', { class: 'tier', text: tierName(s.tier) })));
  const criteria = merged();
  state.kinds = new Map(criteria.flatMap((c) => c.indicators.map((i) => [i.id, i.kind])));
  const cards = criteria.map((c) =>
    el('article', { class: 'criterion', 'data-criterion': c.id ?? 'preconditions' },
      el('header', {},
        el('h3', {}, c.id === null ? L().preconditions : el('span', {}, el('span', { class: 'cid', text: `${L().criterion} ${c.id}` }), ` ${label(c.name)}`)),
        el('div', { class: 'badges' }, c.id === null ? [] : c.sets.map((s) => el('span', { class: 'badge', 'data-set': s.id, text: tierName(s.tier) })))),
      el('table', {},
        el('thead', {}, head(c.sets)),
        el('tbody', {}, c.indicators.map((i) =>
          el('tr', { 'data-row': i.id },
            el('td', { class: 'name' }, el('span', { class: 'iid', text: i.id }), ' ', label(i.name)),
            el('td', { class: 'value' },
              el('span', { class: 'row' }, input(i), el('span', { class: 'unit', text: unitLabel(i.kind) })),
              el('span', { class: 'msg', id: `m-${i.id}`, 'data-for': i.id, role: 'alert' })),
            c.sets.map((s) => el('td', { class: 'result', 'data-set': s.id, 'data-indicator': i.id }))))))));
  $('criteria').replaceChildren(...cards);
}

// ---- evaluation ----------------------------------------------------------------------

function profile() {
  const p = {};
  if ($('region').value) p.region = $('region').value;
  if ($('group').value) p.commune_group = $('group').value;
  const statuses = [...document.querySelectorAll('#statuses input:checked')].map((i) => i.value);
  if (statuses.length) p.statuses = statuses;
  return p;
}

async function evaluateNow() {
  if (!state.evaluator) return;
  const unit = { profile: profile(), values: state.values, history: history() };
  let out;
  try {
    out = JSON.parse(await call(() => state.evaluator.evaluate(JSON.stringify(unit))));
  } catch (e) {
    if (!(e instanceof InternalError)) throw e;
    // The instance aborted; `call` loaded a fresh one. Build the evaluator again on it
    // and evaluate once more; if that aborts too, stop and say so.
    state.evaluator = null;
    if (!state.recovering) {
      state.recovering = true;
      try {
        await rebuild();
      } finally {
        state.recovering = false;
      }
    }
    setMsg('general-msg', L().internal, 'warning');
    return;
  }
  state.last = out;
  render(out);
  document.body.dataset.evaluations = String(Number(document.body.dataset.evaluations || 0) + 1);
}

const SYMBOL = { at_least: '≥', at_most: '≤', above: '>', below: '<', equal: '=', one_of: '∈' };

function thresholdText(ind) {
  const t = ind.threshold ? ind.threshold.threshold : null;
  if (t === null || typeof t === 'string') return '';
  const sym = SYMBOL[ind.requirement] || '';
  if ('number' in t) return `${sym} ${t.number}`;
  if ('flag' in t) return `${sym} ${t.flag ? L().thrYes : L().thrNo}`;
  if ('grade' in t) return `${sym} ${t.grade}`;
  if ('grades' in t) return `∈ {${t.grades.join(', ')}}`;
  return '';
}

/** The threshold as data: the number, flag or grade(s), or `unknown` / `delegated`. */
function thresholdData(ind) {
  const t = ind.threshold ? ind.threshold.threshold : null;
  if (t === null) return '';
  if (typeof t === 'string') return t;
  return String(Object.values(t)[0]);
}

function outcomeBadge(outcome) {
  const mark = { met: '✓', not_met: '✗', undetermined: '?', not_applicable: '–' }[outcome] || '';
  return el('span', { class: `badge o-${outcome}`, text: `${mark} ${L()[outcome] || outcome}` });
}

function render(out) {
  setMsg('general-msg', '');
  for (const m of document.querySelectorAll('.value .msg')) setMsg(m.id, '');
  for (const i of document.querySelectorAll('[data-indicator][aria-invalid]')) i.removeAttribute('aria-invalid');
  if (!out.ok) {
    setMsg('general-msg', out.diagnostics.map(describe).join('\n'));
    for (const c of document.querySelectorAll('td.result')) c.replaceChildren();
    renderDecision(null, out);
    return;
  }
  for (const e of out.input_errors) {
    const m = $(`m-${e.indicator}`);
    if (m) setMsg(m.id, e.message);
    const i = $(`v-${e.indicator}`);
    if (i) i.setAttribute('aria-invalid', 'true');
  }
  for (const a of out.assessments) {
    const rows = [...a.criteria.map((c) => [c, c.indicators]), [null, a.preconditions]];
    for (const [c, indicators] of rows) {
      if (c) {
        const badge = document.querySelector(`[data-criterion="${CSS.escape(c.id)}"] .badge[data-set="${CSS.escape(a.set)}"]`);
        if (badge) {
          badge.dataset.outcome = c.outcome;
          badge.className = `badge o-${c.outcome}`;
          badge.textContent = `${tierName(a.tier)}: ${L()[c.outcome]}`;
        }
      }
      for (const i of indicators) {
        const cell = document.querySelector(`td.result[data-set="${CSS.escape(a.set)}"][data-indicator="${CSS.escape(i.id)}"]`);
        if (!cell) continue;
        cell.dataset.outcome = i.outcome;
        cell.dataset.threshold = thresholdData(i);
        cell.dataset.margin = i.margin ?? '';
        const detail = [];
        const thr = thresholdText(i);
        const unit = i.threshold && i.threshold.threshold && i.threshold.threshold.number !== undefined ? unitLabel(state.kinds.get(i.id)) : '';
        if (thr) detail.push(el('span', { class: 'thr', text: unit ? `${thr} ${unit}` : thr }));
        if (i.margin !== undefined && i.margin !== null) {
          const m = String(i.margin);
          detail.push(el('span', { class: 'margin', title: L().margin, text: m.startsWith('-') ? `−${m.slice(1)}` : `+${m}` }));
        }
        if (i.reason) detail.push(el('span', { class: 'reason', text: L().reason[i.reason] || i.reason }));
        const conf = i.threshold ? L().confidence[i.threshold.confidence] : '';
        if (conf) detail.push(el('span', { class: `conf c-${i.threshold.confidence}`, text: conf }));
        cell.replaceChildren(outcomeBadge(i.outcome), el('div', { class: 'detail' }, detail));
        if (i.threshold && i.threshold.source) cell.title = [i.threshold.source.document, i.threshold.source.part].filter(Boolean).join(', ');
      }
    }
  }
  renderDecision(out.decision, out);
}

function list(ids) {
  return ids && ids.length ? ids.join(', ') : '';
}

function gapText(gap) {
  const parts = [];
  if (gap.criteria_not_met && gap.criteria_not_met.length) parts.push(`${L().notMetList}: ${list(gap.criteria_not_met)}`);
  if (gap.preconditions_not_met && gap.preconditions_not_met.length) parts.push(`${L().preconditions}: ${list(gap.preconditions_not_met)}`);
  if (gap.criteria_undetermined && gap.criteria_undetermined.length) parts.push(`${L().undeterminedList}: ${list(gap.criteria_undetermined)}`);
  if (gap.missing_data && gap.missing_data.length) parts.push(`${L().missingList}: ${list(gap.missing_data)}`);
  if (gap.unknown_thresholds && gap.unknown_thresholds.length) parts.push(`${L().unknownList}: ${list(gap.unknown_thresholds)}`);
  return `${fill(L().next, { tier: tierName(gap.tier) })} — ${parts.join('; ')}`;
}

function renderDecision(decision, out) {
  const box = $('decision');
  const totals = $('totals');
  const gap = $('gap');
  gap.replaceChildren();
  if (!out.ok) {
    box.textContent = '';
    box.dataset.verdict = '';
    totals.replaceChildren();
    return;
  }
  totals.replaceChildren(...out.assessments.map((a) =>
    el('li', { 'data-set': a.set, 'data-met': a.totals.met, 'data-outcome': a.outcome },
      outcomeBadge(a.outcome), ` ${tierName(a.tier)}: ${fill(L().totals, a.totals)}`)));
  if (!decision) {
    box.dataset.verdict = 'withheld';
    box.dataset.tier = '';
    box.textContent = fill(L().withheld, { n: out.input_errors.length });
  } else {
    const v = decision.verdict;
    box.dataset.verdict = v.verdict;
    box.dataset.tier = v.tier || '';
    box.textContent = fill(L().verdict[v.verdict] || v.verdict, { tier: tierName(v.tier) });
    const gaps = [];
    if (v.verdict === 'cannot_decide') {
      for (const r of v.reasons) if (r.gap) gaps.push(gapText(r.gap));
    }
    if (decision.next) gaps.push(gapText(decision.next));
    gap.replaceChildren(...gaps.map((g) => el('p', { text: g })));
  }
  const extra = [];
  if (out.unused_values.length) extra.push(`${L().unused}: ${out.unused_values.map((u) => u.indicator + (u.did_you_mean ? ` (→ ${u.did_you_mean})` : '')).join(', ')}`);
  if (out.profile_lacks.length) extra.push(`${L().lacks}: ${out.profile_lacks.join(', ')}`);
  if (extra.length) gap.append(...extra.map((t) => el('p', { class: 'note', text: t })));
  box.className = `verdict v-${box.dataset.verdict}`;
}

// ---- start ---------------------------------------------------------------------------

async function start() {
  const pkg = await load();
  $('version').textContent = pkg.version();
  const entries = pkg.hasCatalog() ? JSON.parse(pkg.catalog()) : [];
  const groups = new Map();
  for (const e of entries) {
    const key = `${e.scheme}|${e.level}`;
    if (!groups.has(key)) groups.set(key, { key, scheme: e.scheme, level: e.level, ids: [], tiers: [] });
    groups.get(key).ids.push(e.id);
    groups.get(key).tiers.push(e.tier);
  }
  state.groups = [...groups.values()];
  state.source = groups.has('vn-2021-2025|commune') ? 'vn-2021-2025|commune' : state.groups.length ? state.groups[0].key : 'file';
  fillStatic();

  $('lang').addEventListener('click', () => work(async () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi';
    fillStatic();
    renderForm();
    if (state.last) render(state.last);
  }));
  $('sets').addEventListener('change', (e) => work(async () => {
    state.source = e.target.value;
    $('set-file-field').hidden = state.source !== 'file';
    await rebuild();
  }));
  $('set-file').addEventListener('change', (e) => work(async () => {
    state.files = await Promise.all([...e.target.files].map(async (f) => ({ name: f.name, text: await f.text() })));
    await rebuild();
  }));
  $('overlay-file').addEventListener('change', (e) => work(async () => {
    const f = e.target.files[0];
    state.overlay = f ? { name: f.name, text: await f.text() } : null;
    await rebuild();
  }));
  $('overlay-clear').addEventListener('click', () => work(async () => {
    $('overlay-file').value = '';
    state.overlay = null;
    await rebuild();
  }));
  $('year').addEventListener('input', () => work(rebuild));
  $('region').addEventListener('change', () => work(evaluateNow));
  $('group').addEventListener('change', () => work(evaluateNow));
  $('held').addEventListener('change', () => work(evaluateNow));

  await rebuild();
  document.body.dataset.ready = '1';
}

work(start).catch((e) => {
  setMsg('general-msg', String(e));
  console.error(e);
});
