// node mw_dates.cjs FILE.mw ... (NODE_PATH=…/checks/node_modules): for each file, one JSON
// line: every event's section path (titles), its from and to (ISO, to exclusive) and title.
// With `-` instead of files, the files are named one a line on standard input, each
// answered as soon as it is read (one process for many calls: node starts in about 0.4 s).
// A recurring event gives each occurrence the parser's `expand` makes (the first LIMIT, as
// Demarche does), written in the entry's zone (its own, else its innermost section's, else
// the header's, else UTC).
const { parse, iter, isEvent, expand, toDateRange } = require('@markwhen/parser');
const fs = require('fs');
const LIMIT = 100;
function zoneName(value) {
  if (value === undefined || value === null || value === '') return undefined;
  const text = `${value}`;
  return /^[+-]?\d/.test(text) ? `UTC${/^[+-]/.test(text) ? '' : '+'}${text}` : text;
}
function answer(f) {
  const r = parse(fs.readFileSync(f, 'utf8'));
  const titles = new Map(), zones = new Map(), events = [];
  for (const { eventy, path } of iter(r.events)) {
    if (!isEvent(eventy)) {
      titles.set(path.join('.'), eventy.title);
      const gp = eventy.properties || {};
      zones.set(path.join('.'), zoneName(gp.timezone ?? gp.tz));
      continue;
    }
    const lanes = [];
    for (let i = 1; i < path.length; i++) lanes.push(titles.get(path.slice(0, i).join('.')));
    const title = eventy.firstLine.restTrimmed;
    if (!eventy.recurrence) {
      events.push({ lanes, title, from: eventy.dateRangeIso.fromDateTimeIso, to: eventy.dateRangeIso.toDateTimeIso });
      continue;
    }
    const p = eventy.properties || {}, h = r.header || {};
    let section;
    for (let i = path.length - 1; i > 0 && !section; i--) section = zones.get(path.slice(0, i).join('.'));
    const zone = zoneName(p.timezone ?? p.tz) ?? section ?? zoneName(h.timezone ?? h.tz) ?? 'UTC';
    for (const d of expand(toDateRange(eventy.dateRangeIso), eventy.recurrence, LIMIT))
      events.push({ lanes, title, from: d.fromDateTime.setZone(zone).toISO(), to: d.toDateTime.setZone(zone).toISO() });
  }
  console.log(JSON.stringify(events));
}
if (process.argv[2] === '-') {
  require('readline').createInterface({ input: process.stdin }).on('line', (f) => answer(f));
} else {
  for (const f of process.argv.slice(2)) answer(f);
}
