// Demarche's offline chart page: zoom levels painted by the editor's painter, hit areas for
// the marks in view, a tooltip, search, and sortable tables. Text goes into the page only as
// text nodes (never as markup), and nothing is fetched.
'use strict';
(() => {
  const D = JSON.parse(document.getElementById('data').textContent);
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const G = D.geometry; // the chart's sizes, from app/chart/metrics.py: none are written here
  const ROWS_SHOWN = 500; // table rows before "Show all"
  const chart = $('chart'), plot = $('plot'), hits = $('hits'), tip = $('tip');
  const events = D.events, demands = D.demands;
  const longest = events.reduce((m, e) => Math.max(m, e.hi - e.lo), 0);
  let level = -1, scale = 1, width = 0, pinned = null, matches = null;

  // ---------------------------------------------------------------- helpers

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const c of children) if (c !== null && c !== undefined && c !== '') node.append(c);
    return node;
  }
  const dateFormat = new Intl.DateTimeFormat('en-GB', {day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC'});
  const day = (t) => dateFormat.format(new Date(t * 1000));
  const safeUrl = (u) => /^https?:\/\//i.test(u || '') ? u : '';
  const x = (t) => (t - D.t0) * scale;
  const timeAt = (px) => D.t0 + px / scale;
  function firstAtOrAfter(list, key, value) {
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid][key] < value) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ---------------------------------------------------------------- view and zoom

  /** The part of the plot in sight, in plot px: what the sticky names and axis leave. */
  function view() {
    const c = chart.getBoundingClientRect(), p = plot.getBoundingClientRect();
    const names = document.querySelector('.names'), head = $('axis');
    const left = c.left + chart.clientLeft + (getComputedStyle(names).position === 'sticky' ? names.offsetWidth : 0);
    const top = c.top + chart.clientTop + head.offsetHeight;
    return {
      x0: Math.max(0, left - p.left), x1: Math.min(width, c.left + chart.clientLeft + chart.clientWidth - p.left),
      y0: Math.max(0, top - p.top), y1: Math.min(D.height, c.top + chart.clientTop + chart.clientHeight - p.top),
    };
  }

  function setLevel(k, anchorX) {
    k = Math.max(0, Math.min(D.levels.length - 1, k));
    if (k === level) return;
    const before = level >= 0 ? view() : null;
    const at = before ? (anchorX === undefined ? (before.x0 + before.x1) / 2 : anchorX) : 0;
    const anchorT = timeAt(at);
    level = k;
    width = D.levels[k];
    scale = width / (D.t1 - D.t0);
    const parts = document.createElement('template');
    parts.innerHTML = $('level-' + k).textContent;
    $('axis').replaceChildren(...parts.content.querySelector('.axis-svg').childNodes);
    $('picture').replaceChildren(...parts.content.querySelector('.plot-svg').childNodes);
    $('grid').style.gridTemplateColumns = D.names_width + 'px ' + width + 'px';
    hits.setAttribute('width', width);
    hits.setAttribute('height', D.height);
    // Keep the anchor's time where it was on screen (the narrower grid may have clamped
    // the scroll position already: measure again).
    if (before) chart.scrollLeft += x(anchorT) - (at - before.x0) - view().x0;
    $('zoom-in').disabled = k === D.levels.length - 1;
    $('zoom-out').disabled = k === 0;
    hideTip();
    clearHits();
    redraw();
  }

  function pan(fraction) {
    const v = view();
    chart.scrollBy({left: (v.x1 - v.x0) * fraction, behavior: 'smooth'});
  }

  function showRange(v) {
    $('range').textContent = day(timeAt(v.x0)) + ' – ' + day(timeAt(v.x1));
  }

  // ---------------------------------------------------------------- hit areas

  /** The rectangle each event's mark is drawn in, in plot px (as the painter draws it). */
  function eventBox(e) {
    if (e.bar) {
      const x0 = x(e.lo);
      return {x: x0, y: e.y + G.bar_inset, w: Math.max(x(e.hi) - x0, G.bar_min_width), h: e.h - 2 * G.bar_inset};
    }
    const cx = x((e.lo + e.hi) / 2), cy = e.y + e.h / 2;
    return {x: cx - G.mark_grip, y: cy - G.mark_grip, w: 2 * G.mark_grip, h: 2 * G.mark_grip};
  }
  function demandBox(d) {
    const grip = G.arrow_grip;
    return {x: x(d.t) + d.shift - grip, y: d.y0 - grip, w: 2 * grip, h: d.y1 - d.y0 + 2 * grip};
  }
  const meets = (b, v) => b.x + b.w >= v.x0 && b.x <= v.x1 && b.y + b.h >= v.y0 && b.y <= v.y1;

  function hitRect(box, kind, i) {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', box.x); r.setAttribute('y', box.y);
    r.setAttribute('width', box.w); r.setAttribute('height', box.h);
    r.setAttribute('class', 'hit ' + kind + (matches && matches.has(kind + i) ? ' match' : ''));
    r.dataset.kind = kind; r.dataset.i = i;
    return r;
  }

  // The hit areas shown, by record ("e3", "d7"): a scroll adds those coming into sight and
  // removes those leaving it. Made again every frame, they took most of a pan's frame.
  // Events' areas lie over demands', as the painter draws their marks over the arrows
  // (an arrow's area covered a mark on its lane at the first level).
  const shown = new Map(), eventHits = document.createElementNS(SVG, 'g');
  const demandHits = document.createElementNS(SVG, 'g');
  hits.append(demandHits, eventHits);
  function clearHits() { shown.clear(); eventHits.replaceChildren(); demandHits.replaceChildren(); }

  /** One hit area for each event in sight (its dates overlap the time in sight and its
   * row the lanes in sight), and for each demand whose arrow is in sight; no others. */
  function drawHits(v) {
    const t0 = timeAt(v.x0), t1 = timeAt(v.x1);
    const inSight = new Set(), added = {e: [], d: []};
    function show(box, kind, i) {
      const key = kind + i;
      inSight.add(key);
      if (!shown.has(key)) { const r = hitRect(box, kind, i); shown.set(key, r); added[kind].push(r); }
    }
    for (let i = firstAtOrAfter(events, 'lo', t0 - longest); i < events.length && events[i].lo <= t1; i++) {
      const e = events[i];
      if (e.hi >= t0 && e.y + e.h >= v.y0 && e.y <= v.y1) show(eventBox(e), 'e', i);
    }
    for (let i = firstAtOrAfter(demands, 't', t0 - 100 / scale); i < demands.length && demands[i].t <= t1; i++) {
      const box = demandBox(demands[i]);
      if (meets(box, v)) show(box, 'd', i);
    }
    for (const [key, r] of shown) if (!inSight.has(key)) { r.remove(); shown.delete(key); }
    eventHits.append(...added.e);
    demandHits.append(...added.d);
  }

  let queued = false;
  function redraw() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; const v = view(); drawHits(v); showRange(v); });
  }

  // ---------------------------------------------------------------- the tooltip

  function citations(label, cites) {
    return el('div', {className: 'cites'}, el('strong', {}, label), el('ul', {}, ...cites.map(([words, url]) => {
      const link = safeUrl(url);
      return el('li', {}, link ? el('a', {href: link, rel: 'noreferrer noopener', target: '_blank'}, words) : words);
    })));
  }
  const said = (w) => w ? (w.words && w.words !== w.text ? w.words + ' (' + w.text + ')' : w.text) : '';

  // What a record says beyond its title and date: the fields the data lists for its kind
  // (from the record spec, in order, with their labels), each shown by how it is edited:
  // one-line values as rows, then notes as a paragraph, lists, and the sources last.
  const PLACE = {notes: 1, citations: 3};
  function fields(kind, r) {
    const shown = D.fields[kind].filter((f) => r.said[f.key]);
    const place = (f) => PLACE[f.editor] || (Array.isArray(r.said[f.key]) ? 2 : 0);
    return shown.map((f, k) => [place(f), k, f]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([p, , f]) => {
      const value = r.said[f.key];
      if (f.editor === 'citations') return citations(f.label, value);
      if (p === 1) return el('p', {}, value);
      if (p === 2) return el('div', {className: 'history'}, el('strong', {}, f.label), el('ol', {}, ...value.map((line) => el('li', {}, line))));
      return el('div', {className: 'row'}, el('span', {className: 'key'}, f.label + ' '), value);
    });
  }

  function describe(kind, i) {
    const r = kind === 'e' ? events[i] : demands[i];
    return [el('h3', {}, r.title), el('div', {className: 'when'}, said(r.when)), ...fields(kind === 'e' ? 'events' : 'demands', r)];
  }

  function showTip(kind, i, clientX, clientY, pin) {
    tip.replaceChildren(...describe(kind, i).filter(Boolean));
    tip.hidden = false;
    pinned = pin ? kind + i : null;
    tip.classList.toggle('pinned', !!pin); // a hover's tip lets the pointer through (page.css)
    const w = tip.offsetWidth, h = tip.offsetHeight;
    const right = clientX + 14, beside = right + w + 4 <= window.innerWidth ? right : clientX - w - 14;
    const left = Math.min(Math.max(4, beside), window.innerWidth - w - 4);
    const top = clientY + 16 + h < window.innerHeight ? clientY + 16 : Math.max(4, clientY - h - 10);
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  }
  function hideTip() { tip.hidden = true; pinned = null; }

  hits.addEventListener('pointerover', (ev) => {
    const r = ev.target.closest('.hit');
    if (r && !pinned) showTip(r.dataset.kind, +r.dataset.i, ev.clientX, ev.clientY, false);
  });
  hits.addEventListener('pointerout', (ev) => { if (ev.target.closest('.hit') && !pinned) hideTip(); });
  hits.addEventListener('click', (ev) => {
    const r = ev.target.closest('.hit');
    if (r) { showTip(r.dataset.kind, +r.dataset.i, ev.clientX, ev.clientY, true); ev.stopPropagation(); }
  });
  document.addEventListener('click', (ev) => {
    if (pinned && !tip.contains(ev.target) && !ev.target.closest('button')) hideTip();
  });

  /** Scroll the chart to a record and show its tooltip beside it. */
  function goTo(kind, i) {
    const box = kind === 'e' ? eventBox(events[i]) : demandBox(demands[i]);
    const v = view();
    chart.scrollLeft += box.x - (v.x0 + v.x1) / 2;
    chart.scrollTop += box.y - (v.y0 + v.y1) / 2;
    chart.scrollIntoView({block: 'nearest'});
    const now = view();
    drawHits(now); showRange(now);
    const p = plot.getBoundingClientRect();
    showTip(kind, i, p.left + box.x + box.w / 2, p.top + box.y + box.h / 2, true);
  }

  // ---------------------------------------------------------------- search

  const haystack = new Map();
  const words = (v) => Array.isArray(v) ? v.map(words).join(' ') : String(v);
  function text(kind, i) {
    const key = kind + i;
    if (!haystack.has(key)) {
      const r = kind === 'e' ? events[i] : demands[i];
      haystack.set(key, [r.title, r.when.text, words(Object.values(r.said))].join(' ').toLowerCase());
    }
    return haystack.get(key);
  }

  function search(query) {
    const q = query.trim().toLowerCase();
    let found = null;
    if (q) {
      found = new Set();
      events.forEach((e, i) => { if (text('e', i).includes(q)) found.add('e' + i); });
      demands.forEach((d, i) => { if (text('d', i).includes(q)) found.add('d' + i); });
    }
    showMatches(found);
  }

  // A saved view of the project: what it shows is outlined, listed and tabulated, as a search.
  function chooseView(k) {
    const v = (D.views || [])[k];
    if (!v) { showMatches(null); return; }
    const ids = new Set(v.ids), found = new Set();
    events.forEach((e, i) => { if (ids.has(e.id)) found.add('e' + i); });
    demands.forEach((d, i) => { if (ids.has(d.id)) found.add('d' + i); });
    showMatches(found);
  }

  function showMatches(found) {
    matches = found;
    const list = $('result-list');
    list.replaceChildren();
    $('results').hidden = !matches;
    $('count').textContent = matches ? matches.size + (matches.size === 1 ? ' match' : ' matches') : '';
    if (matches) {
      for (const key of [...matches].slice(0, 100)) {
        const kind = key[0], i = +key.slice(1), r = kind === 'e' ? events[i] : demands[i];
        list.append(el('li', {}, el('button', {type: 'button', onclick: () => goTo(kind, i)}, r.when.text + ' · ' + r.title)));
      }
    }
    tables.forEach((t) => t.render());
    clearHits();
    drawHits(view());
  }

  // ---------------------------------------------------------------- tables

  function table(id, kind, records, columns) {
    const node = $(id), more = $(id.replace('table', 'more')), count = $(id.replace('table', 'n'));
    let by = 0, down = false, all = false;
    function render() {
      let order = records.map((_, i) => i);
      if (matches) order = order.filter((i) => matches.has(kind + i));
      const key = columns[by].sort;
      order.sort((a, b) => {
        const p = key(records[a]), q = key(records[b]);
        return (p < q ? -1 : p > q ? 1 : a - b) * (down ? -1 : 1);
      });
      count.textContent = '(' + order.length + (matches ? ' of ' + records.length : '') + ')';
      const head = el('tr', {}, ...columns.map((c, k) => {
        const th = el('th', {scope: 'col'}, el('button', {type: 'button', onclick: () => { down = by === k ? !down : false; by = k; render(); }}, c.name));
        th.setAttribute('aria-sort', k === by ? (down ? 'descending' : 'ascending') : 'none');
        return th;
      }));
      const shown = all ? order : order.slice(0, ROWS_SHOWN);
      const body = el('tbody', {}, ...shown.map((i) => el('tr', {}, ...columns.map((c) => {
        const value = c.show(records[i]);
        const cell = el('td', {}, c.link ? el('button', {type: 'button', className: 'go', onclick: () => goTo(kind, i)}, value) : value);
        cell.dataset.label = c.name;
        return cell;
      }))));
      node.replaceChildren(el('thead', {}, head), body);
      more.hidden = shown.length === order.length;
      more.textContent = 'Show all ' + order.length;
      more.onclick = () => { all = true; render(); };
    }
    return {render, showAll: () => { all = true; render(); }};
  }
  // The tables' columns, from the record spec (D.columns): its title (a link to it on the
  // chart), its date and other dates (sorted by time) and the words of its other fields.
  const cell = (key) => (r) => { const v = r.said[key] || ''; return Array.isArray(v) ? v.map((c) => Array.isArray(c) ? c[0] : c).join('; ') : v; };
  const column = (c) => c.slot === 'title' ? {name: c.label, sort: (r) => r.title.toLowerCase(), show: (r) => r.title, link: true}
    : c.slot === 'date' ? {name: c.label, sort: (r) => (r.lo !== undefined ? r.lo : r.t), show: (r) => r.when.text}
    : c.time ? {name: c.label, sort: (r) => { const t = (r.times || {})[c.key]; return t == null ? Infinity : t; }, show: cell(c.key)}
    : {name: c.label, sort: (r) => cell(c.key)(r).toLowerCase(), show: cell(c.key)};
  const tables = [
    table('events-table', 'e', events, D.columns.events.map(column)),
    table('demands-table', 'd', demands, D.columns.demands.map(column)),
  ];

  // ---------------------------------------------------------------- input

  $('zoom-in').onclick = () => setLevel(level + 1);
  $('zoom-out').onclick = () => setLevel(level - 1);
  $('zoom-fit').onclick = () => setLevel(0);
  $('pan-left').onclick = () => pan(-0.5);
  $('pan-right').onclick = () => pan(0.5);
  $('search').addEventListener('input', (ev) => search(ev.target.value));
  const views = $('views');
  (D.views || []).forEach((v, k) => views.append(el('option', {value: String(k)}, v.title)));
  views.hidden = !(D.views || []).length;
  views.addEventListener('change', () => chooseView(views.value === '' ? -1 : +views.value));
  chart.addEventListener('scroll', redraw, {passive: true});
  window.addEventListener('resize', redraw);

  let wheelAt = 0; // one level per wheel gesture, however many events it sends
  chart.addEventListener('wheel', (ev) => {
    if (!(ev.ctrlKey || ev.metaKey)) return; // plain wheel scrolls, as everywhere
    ev.preventDefault();
    if (ev.timeStamp - wheelAt < 250 || !ev.deltaY) return;
    wheelAt = ev.timeStamp;
    const p = plot.getBoundingClientRect();
    setLevel(level + (ev.deltaY < 0 ? 1 : -1), ev.clientX - p.left);
  }, {passive: false});

  let drag = null; // a mouse drag on the chart's background pans it
  chart.addEventListener('pointerdown', (ev) => {
    if (ev.pointerType !== 'mouse' || ev.button !== 0 || ev.target.closest('.hit')) return;
    drag = {x: ev.clientX, y: ev.clientY, left: chart.scrollLeft, top: chart.scrollTop};
    chart.setPointerCapture(ev.pointerId);
    chart.classList.add('dragging');
  });
  chart.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    chart.scrollLeft = drag.left - (ev.clientX - drag.x);
    chart.scrollTop = drag.top - (ev.clientY - drag.y);
  });
  const endDrag = () => { drag = null; chart.classList.remove('dragging'); };
  chart.addEventListener('pointerup', endDrag);
  chart.addEventListener('pointercancel', endDrag);

  document.addEventListener('keydown', (ev) => {
    const typing = ev.target.matches && ev.target.matches('input, textarea');
    if (ev.key === 'Escape') { hideTip(); if (typing) { ev.target.value = ''; search(''); } return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const keys = {
      '+': () => setLevel(level + 1), '=': () => setLevel(level + 1), '-': () => setLevel(level - 1),
      '0': () => setLevel(0), '/': () => $('search').focus(),
    };
    if (document.activeElement === chart) {
      keys.ArrowLeft = () => pan(-0.3);
      keys.ArrowRight = () => pan(0.3);
    }
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });

  // Printing: the whole span at the first level, fitted to the paper, and every table row.
  let levelBeforePrint = 0;
  window.addEventListener('beforeprint', () => {
    levelBeforePrint = level;
    setLevel(0);
    tables.forEach((t) => t.showAll());
    document.documentElement.style.setProperty('--print-zoom', Math.min(1, 950 / (D.names_width + width)));
  });
  window.addEventListener('afterprint', () => setLevel(levelBeforePrint));

  // ---------------------------------------------------------------- start

  $('title').textContent = D.title || 'Timeline';
  $('description').textContent = D.subtitle;
  $('sources').replaceChildren(...D.sources.map((s) => {
    const words = [s.publisher, s.published].filter(Boolean).join(', ');
    const link = safeUrl(s.url);
    return el('li', {}, link ? el('a', {href: link, rel: 'noreferrer noopener', target: '_blank'}, s.title) : s.title, words ? ' — ' + words : '');
  }));
  tables.forEach((t) => t.render());
  setLevel(0);
  // For tests and the curious: what is in sight, in time and in plot px.
  window.demarche = {view: () => { const v = view(); return Object.assign(v, {t0: timeAt(v.x0), t1: timeAt(v.x1), level}); }, setLevel, search, chooseView};
})();
