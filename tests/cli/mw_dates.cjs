// node mw_dates.cjs FILE.mw ... (NODE_PATH=…/checks/node_modules): for each file, one JSON
// line: every event's section path (titles), its from and to (ISO, to exclusive) and title.
const { parse, iter, isEvent } = require('@markwhen/parser');
const fs = require('fs');
for (const f of process.argv.slice(2)) {
  const r = parse(fs.readFileSync(f, 'utf8'));
  const titles = new Map(), events = [];
  for (const { eventy, path } of iter(r.events)) {
    if (!isEvent(eventy)) { titles.set(path.join('.'), eventy.title); continue; }
    const lanes = [];
    for (let i = 1; i < path.length; i++) lanes.push(titles.get(path.slice(0, i).join('.')));
    events.push({ lanes, title: eventy.firstLine.restTrimmed, from: eventy.dateRangeIso.fromDateTimeIso, to: eventy.dateRangeIso.toDateTimeIso });
  }
  console.log(JSON.stringify(events));
}
