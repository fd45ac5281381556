// The Configuration Window of `phasekit serve` (issue 26): the site's configuration summary, the
// live progress of an execution (pushed by Server-Sent Events from the journal), a timeline of the
// last execution, the history of runs with their reports, and a saved plan.
//
// Every text that comes from the site (titles, findings, diffs, names) enters the page as text:
// through createTextNode or textContent, or setAttribute on plain attributes. Nothing here builds
// HTML from strings, and nothing is loaded from another origin (the page's Content-Security-Policy
// allows only this server's own script and style sheet).
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const page = { run: null, runState: null, lastHeard: null, source: null, retry: 1000, received: 0, refreshing: false, refreshAgain: false };

  // MARK: DOM helpers

  /** An element with classes, plain attributes and children (strings become text nodes). */
  function el(tag, options, children) {
    const node = document.createElement(tag);
    setUp(node, options, children);
    return node;
  }

  /** An SVG element (same options as el). */
  function svg(tag, options, children) {
    const node = document.createElementNS(SVG, tag);
    setUp(node, options, children);
    return node;
  }

  function setUp(node, options, children) {
    const settings = options || {};
    if (settings.class) node.setAttribute('class', settings.class);
    for (const [name, value] of Object.entries(settings.attrs || {})) {
      // Event handlers, inline styles and links are never taken from data.
      if (/^on|^style$|^href$|^src$/i.test(name)) throw new Error('refused attribute ' + name);
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
  }

  /** Replaces the children of the element with this id. */
  function fill(id, nodes) {
    const target = document.getElementById(id);
    target.replaceChildren(...nodes.filter(Boolean));
    return target;
  }

  function muted(message) { return el('p', { class: 'muted' }, [message]); }

  // MARK: Formatting

  function pad(number) { return String(number).padStart(2, '0'); }

  /** A time as local `YYYY-MM-DD HH:MM:SS`, or a dash. */
  function formatTime(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + ' ' +
      pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  }

  /** Seconds as `42 s`, `3 min 05 s` or `1 h 02 min`. */
  function formatDuration(seconds) {
    if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
    const whole = Math.max(0, Math.round(seconds));
    if (whole < 60) return whole + ' s';
    if (whole < 3600) return Math.floor(whole / 60) + ' min ' + pad(whole % 60) + ' s';
    return Math.floor(whole / 3600) + ' h ' + pad(Math.floor(whole / 60) % 60) + ' min';
  }

  function secondsBetween(start, end) {
    if (!start || !end) return null;
    return (new Date(end).getTime() - new Date(start).getTime()) / 1000;
  }

  /** A value from the API as one line of text: a string as is, an object by its name and fields. */
  function describe(value) {
    if (value === null || value === undefined) return '';
    if (typeof value !== 'object') return String(value);
    if (Array.isArray(value)) return value.map(describe).join(', ');
    const name = value.name || value.summary || value.text || value.message || '';
    const rest = Object.entries(value)
      .filter(([key, field]) => !['name', 'summary', 'text', 'message'].includes(key) && field !== null && typeof field !== 'object')
      .map(([key, field]) => key + ' ' + field);
    return rest.length ? (name ? name + ' (' + rest.join(', ') + ')' : rest.join(', ')) : String(name);
  }

  /** An error as one line: its message, and where when known. */
  function errorText(error) {
    if (!error || typeof error !== 'object') return describe(error);
    return String(error.message || describe(error)) + (error.file ? ' (' + error.file + (error.line ? ':' + error.line : '') + ')' : '');
  }

  // MARK: Marks: a symbol for the eye and a word for every reader, never colour alone

  const MARKS = {
    done: ['✓', 'done'], planned: ['~', 'planned'], skipped: ['–', 'not needed'], running: ['⟳', 'running'], pending: ['○', 'pending'],
    'not run': ['○', 'not run'], failed: ['✗', 'failed'], 'needs-action': ['!', 'needs action'],
    issues: ['!', 'needs action'], 'in flight': ['?', 'cut off while running'], interrupted: ['?', 'interrupted'],
  };

  function stateClass(state) { return 'state-' + String(state || 'unknown').replace(/[^a-z]+/gi, '-').toLowerCase(); }

  /** The mark of a row's state: the symbol (hidden from screen readers) and its word. */
  function mark(state) {
    const [symbol, word] = MARKS[state] || ['?', String(state || 'unknown')];
    return el('span', { class: 'mark ' + stateClass(state), attrs: { 'data-state': state } }, [
      el('span', { class: 'symbol', attrs: { 'aria-hidden': 'true' } }, [symbol]),
      el('span', { class: 'word' }, [word]),
    ]);
  }

  // MARK: The API

  /** The JSON of an API path; null for 404 (nothing there), an error for anything else. */
  async function getJSON(path) {
    const response = await fetch(path, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  function showError(error) {
    const banner = document.getElementById('page-error');
    banner.textContent = 'Could not load everything: ' + (error && error.message ? error.message : String(error));
    banner.hidden = false;
  }

  // MARK: The site and when the journal was last heard

  function renderSite(site) {
    document.getElementById('site-name').textContent = site.site + (site.sitePath ? ' (' + site.sitePath + ')' : '');
    document.getElementById('version').textContent = site.version || '–';
    document.title = site.site + ' · Configuration Window · phasekit';
    heard(site.lastJournalAt);
  }

  function heard(iso) {
    if (iso) page.lastHeard = iso;
    showHeard();
  }

  function showHeard() {
    const target = document.getElementById('last-heard');
    if (!page.lastHeard) { target.textContent = 'never (no journal yet)'; return; }
    const seconds = secondsBetween(page.lastHeard, new Date().toISOString());
    target.textContent = formatTime(page.lastHeard) + ' (' + formatDuration(seconds) + ' ago)';
  }

  function showConnection(state, words) {
    const target = document.getElementById('connection');
    target.textContent = words;
    target.setAttribute('data-state', state);
  }

  // MARK: The Configuration Summary

  function renderSummary(summary) {
    page.summary = summary;
    const configure = summary.configure || {};
    const parts = configure.error ? [el('p', { class: 'banner banner-error' }, ['The configuration could not be read: ' + configure.error])] : [];
    parts.push(...(configure.pending ? pendingChange(configure) : normalSummary(configure)));
    if (configure.analyzedAt) parts.push(el('p', { class: 'muted' }, ['Analyzed ' + formatTime(configure.analyzedAt) + '.']));
    fill('summary-body', parts.concat(syncSummary(summary.sync)));
    document.getElementById('summary-body').setAttribute('data-pending', configure.pending ? 'true' : 'false');
  }

  const SUMMARY_STATES = {
    done: 'done', skipped: 'done', running: 'running', pending: 'pending', failed: 'failed', interrupted: 'needs-action', 'needs-action': 'needs-action',
  };

  /** The pending change's rows as an execution of configure has them now, between two loads of
   *  the summary (which the server does not analyze again while the execution runs). */
  function followRun(run) {
    const summary = page.summary;
    if (!summary || !summary.configure || !summary.configure.pending || run.procedure !== 'configure') return;
    const states = new Map((run.cells || []).map((cell) => [cell.step + '@' + (cell.server || ''), SUMMARY_STATES[cell.state] || cell.state]));
    const rows = (summary.configure.rows || []).map((row) => {
      const state = states.get(row.step + '@' + (row.server || ''));
      return state ? Object.assign({}, row, { state: state }) : row;
    });
    renderSummary(Object.assign({}, summary, { configure: Object.assign({}, summary.configure, { rows: rows }) }));
    page.summary = summary;
  }

  /** A pending change: what changes, and the steps it requires per server with their state. */
  function pendingChange(configure) {
    const rows = configure.rows || [];
    const steps = [], servers = [];
    for (const row of rows) {
      // A title naming its server stands for every server of the step (as the progress grid says it).
      const title = row.server && row.title && row.title.includes(row.server) ? row.title.split(row.server).join('each server') : row.title;
      if (!steps.some((step) => step.key === row.step)) steps.push({ key: row.step, title: title });
      if (row.server && !servers.includes(row.server)) servers.push(row.server);
    }
    const cells = rows.map((row) => ({ step: row.step, server: row.server, state: row.state, detail: row.detail }));
    const changes = configure.changes || [];
    return [
      el('p', { class: 'banner banner-pending', attrs: { id: 'pending-banner' } }, [
        'The configuration has a pending change' + (configure.group ? ' to group ' + configure.group.name : '') +
          ': ' + rows.length + ' row(s) over ' + steps.length + ' step(s) initialize it.',
      ]),
      changes.length ? el('ul', { class: 'changes' }, changes.map((change) => el('li', {}, [describe(change)]))) : null,
      grid('Steps the change requires, by server', steps, servers, cells, 'summary-grid'),
      (configure.servers || []).length ? el('details', { class: 'saved' }, [
        el('summary', {}, ['The servers as last initialized (before this change)']),
        el('div', { class: 'servers' }, configure.servers.map(serverCard)),
      ]) : null,
    ];
  }

  /** No pending change: the group and each server's role, host, reachability and contents. */
  function normalSummary(configure) {
    const servers = configure.servers || [];
    return [
      el('p', { class: 'banner banner-ok', attrs: { id: 'summary-banner' } }, [configure.group
        ? 'No pending change: group ' + configure.group.name + ' is initialized as configured.'
        : 'No pending change, and no initialization yet.']),
      configure.group && configure.group.configuration
        ? el('p', { class: 'muted' }, ['Read from ', el('code', {}, [configure.group.configuration]), '.']) : null,
      el('div', { class: 'servers' }, servers.map(serverCard)),
    ];
  }

  function reachability(value) {
    if (value === true) return 'reachable';
    if (value === false) return 'unreachable';
    return 'not checked';
  }

  function serverCard(server) {
    const facts = [['Role', server.role], ['Host', server.host || 'this machine'], ['Reachability', reachability(server.reachable)]];
    const lists = [['Volumes', (server.volumes || []).map(volumeText)], ['Containers', (server.containers || []).map(volumeText)],
      ['Drivers', server.drivers], ['Processes', (server.processes || []).map(processText)]];
    return el('article', { class: 'server', attrs: { 'data-server': server.name } }, [
      el('h3', {}, [server.name]),
      el('dl', { class: 'server-facts' }, facts.map(([name, value]) => el('div', {}, [
        el('dt', {}, [name]), el('dd', { class: name === 'Reachability' ? 'reach-' + value.replace(' ', '-') : null }, [value || '–']),
      ]))),
      ...lists.map(([name, items]) => el('div', { class: 'server-list' }, [
        el('h4', {}, [name + ' (' + (items || []).length + ')']),
        (items || []).length ? el('ul', {}, items.map((item) => el('li', {}, [describe(item)]))) : muted('none'),
      ])),
    ]);
  }

  function sizeText(bytes) {
    if (typeof bytes !== 'number') return null;
    const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes, unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return (Number.isInteger(value) ? value : value.toFixed(1)) + ' ' + units[unit];
  }

  /** A volume or container: `lv_orders, 64 MiB in vg_data` (and its kind, and what it snapshots). */
  function volumeText(volume) {
    if (!volume || typeof volume !== 'object') return describe(volume);
    const size = sizeText(volume.sizeBytes);
    return volume.name + (size ? ', ' + size : '') + (volume.group ? ' in ' + volume.group : '') +
      (volume.kind ? ' (' + volume.kind + (volume.of ? ' of ' + volume.of : '') + ')' : volume.of ? ' (of ' + volume.of + ')' : '');
  }

  function processText(process) {
    if (!process || typeof process !== 'object') return describe(process);
    return process.service + (process.port !== null && process.port !== undefined ? ' on port ' + process.port : '');
  }

  const SEVERITY_WORDS = { 'needs-action': 'needs action: ', planned: 'resolved by the plan: ' };

  /** The sync: each phase, its findings, and what needs the operator. */
  function syncSummary(sync) {
    const phases = (sync && sync.phases) || [];
    if (sync && sync.error) {
      return [el('h3', {}, ['Synchronization']), el('p', { class: 'banner banner-error' }, ['The sync could not be analyzed: ' + sync.error])];
    }
    if (!phases.length) return [el('h3', {}, ['Synchronization']), muted('No synchronization phases.')];
    return [
      el('h3', {}, ['Synchronization']),
      el('ol', { class: 'phases' }, phases.map((phase) => el('li', { class: phase.needsOperator ? 'phase needs-operator' : 'phase' }, [
        el('span', { class: 'phase-title' }, [phase.title || phase.name]),
        phase.needsOperator ? el('strong', { class: 'operator' }, [' ! needs the operator']) : null,
        (phase.findings || []).length
          ? el('ul', { class: 'findings' }, phase.findings.map((finding) => el('li', { class: 'severity-' + String(finding.severity || 'info').replace(/[^a-z-]+/gi, '') }, [
            el('span', { class: 'severity' }, [SEVERITY_WORDS[finding.severity] || (finding.severity || 'finding') + ': ']), finding.text || describe(finding),
          ])))
          : muted('no findings'),
      ]))),
    ];
  }

  // MARK: The grid of steps by servers (a real table, one header per server)

  function grid(caption, steps, servers, cells, id) {
    const columns = servers.length ? servers : ['site'];
    const byKey = new Map(cells.map((cell) => [cell.step + '@' + (cell.server || ''), cell]));
    const head = el('tr', {}, [el('th', { attrs: { scope: 'col' } }, ['Step']),
      ...columns.map((server) => el('th', { attrs: { scope: 'col' } }, [server]))]);
    const body = steps.map((step) => {
      const own = cells.filter((cell) => cell.step === step.key);
      const finished = own.length > 0 && own.every((cell) => cell.state === 'done' || cell.state === 'skipped');
      const header = el('th', { attrs: { scope: 'row' } }, [
        finished ? el('span', { class: 'step-done' }, [mark('done')]) : null,
        el('span', { class: 'step-title' }, [step.title || step.key]), el('span', { class: 'step-key' }, [step.key]),
      ]);
      const wide = byKey.get(step.key + '@');
      if (wide) return el('tr', { attrs: { 'data-step': step.key } }, [header, cellNode(wide, columns.length)]);
      return el('tr', { attrs: { 'data-step': step.key } }, [header, ...columns.map((server) => {
        const cell = byKey.get(step.key + '@' + server);
        return cell ? cellNode(cell, 1) : el('td', { class: 'cell state-none' }, [el('span', { class: 'word' }, ['not on this server'])]);
      })]);
    });
    return el('div', { class: 'table-scroll' }, [el('table', { class: 'grid', attrs: { id: id } }, [
      el('caption', {}, [caption]), el('thead', {}, [head]), el('tbody', {}, body),
    ])]);
  }

  function cellNode(cell, span) {
    const findings = Array.isArray(cell.findings) ? cell.findings.length : (cell.findings || 0);
    const error = cell.error ? errorText(cell.error) : null;
    const took = secondsBetween(cell.startedAt, cell.finishedAt);
    return el('td', {
      class: 'cell ' + stateClass(cell.state),
      attrs: { colspan: span > 1 ? span : null, 'data-step': cell.step, 'data-server': cell.server || '', 'data-state': cell.state },
    }, [
      mark(cell.state),
      took !== null && took >= 1 ? el('span', { class: 'took' }, [formatDuration(took)]) : null,
      findings ? el('span', { class: 'finding-count' }, [findings + ' finding(s)']) : null,
      error ? el('span', { class: 'cell-error' }, [error]) : null,
      cell.detail ? el('span', { class: 'detail' }, [describe(cell.detail)]) : null,
    ]);
  }

  // MARK: Initialization Progress

  const BANNERS = {
    running: ['banner-running', 'Running. This procedure cannot be stopped once started: it runs to its end, and closing this page does not affect it.'],
    finished: ['banner-ok', 'Finished: every row is done.'],
    failed: ['banner-error', 'The execution failed: see the failed rows below.'],
    interrupted: ['banner-error', 'Interrupted: the execution was cut off before it finished. Nothing more runs until an operator resumes it with:'],
    'not-confirmed': ['banner-pending', 'Not confirmed: the operator did not confirm, and what was not confirmed was not applied.'],
    'awaiting-confirmation': ['banner-pending', 'Waiting for the operator to confirm at the terminal where the execution was started.'],
  };

  const FAILURES = {
    error: 'The execution failed with an error: see the failed rows below.',
    blocked: 'The execution stopped: a finding needs manual action (see below).',
    refused: 'The execution was refused before it changed anything.',
  };

  function runBanner(run) {
    let [kind, words] = BANNERS[run.state] || ['banner-pending', 'State: ' + run.state];
    if (run.state === 'running' && !run.cannotBeStopped) words = 'Running.';
    if (run.state === 'failed' && FAILURES[run.outcome]) words = FAILURES[run.outcome];
    return el('div', { class: 'banner ' + kind, attrs: { id: 'run-banner', role: 'status', 'data-state': run.state } }, [
      el('p', {}, [words]),
      run.resumeCommand ? el('pre', { class: 'command' }, [el('code', { attrs: { id: 'resume-command' } }, [run.resumeCommand])]) : null,
    ]);
  }

  function renderRun(run) {
    const body = document.getElementById('progress-body');
    if (!run || run.state === 'none') {
      body.replaceChildren(run && run.error
        ? el('p', { class: 'banner banner-error' }, ['The journal cannot be read: ' + run.error]) : muted('No execution of this site yet.'));
      body.setAttribute('data-run-state', 'none');
      renderTimeline(null);
      return;
    }
    page.run = run;
    page.runReceivedAt = Date.now();
    const names = new Map((run.steps || []).map((step) => [step.key, step.title]));
    // Once the run ended, a row it never started is not run, not pending.
    const live = run.state === 'running' || run.state === 'awaiting-confirmation';
    const cells = (run.cells || []).map((cell) => (!live && cell.state === 'pending' ? Object.assign({}, cell, { state: 'not run' }) : cell));
    const notes = (run.cells || []).filter((cell) => cell.error || (Array.isArray(cell.findings) && cell.findings.length));
    body.replaceChildren(...[
      runBanner(run),
      run.error ? el('p', { class: 'banner banner-error' }, [run.error]) : null,
      el('p', { class: 'counts' }, [
        el('strong', { attrs: { id: 'done-count' } }, [String(run.done)]), ' of ', el('strong', {}, [String(run.total)]), ' rows done · ',
        'elapsed ', el('span', { attrs: { id: 'elapsed' } }, [formatDuration(run.elapsedSeconds)]),
        ' · ', run.procedure, ' run ', el('code', {}, [run.runId]), ' started ', formatTime(run.startedAt),
      ]),
      el('progress', { attrs: { max: Math.max(1, run.total), value: run.done, 'aria-label': 'rows done' } }),
      grid('Rows of ' + run.procedure + ' by server', run.steps || [], run.servers || [], cells, 'progress-grid'),
      notes.length ? el('ul', { class: 'notes', attrs: { 'aria-label': 'Failures and findings' } }, notes.flatMap((cell) => noteItems(cell, names))) : null,
    ].filter(Boolean));
    body.setAttribute('data-run-state', run.state);
    body.setAttribute('data-done', String(run.done));
    body.setAttribute('data-total', String(run.total));
    body.setAttribute('data-last-event-at', String(Date.now()));
    heard(run.lastJournalAt);
    renderTimeline(run);
  }

  /** A row's title: its step's, with "each server" naming the row's server. */
  function rowTitle(titles, step, server) {
    const title = titles.get(step) || step;
    if (!server) return title;
    return title.includes('each server') ? title.split('each server').join(server) : title + ' on ' + server;
  }

  function noteItems(cell, names) {
    const where = rowTitle(names, cell.step, cell.server);
    const items = [];
    if (cell.error) items.push(el('li', { class: 'note-error' }, [mark('failed'), ' ', where + ': ' + errorText(cell.error)]));
    for (const finding of Array.isArray(cell.findings) ? cell.findings : []) {
      const manual = finding && finding.resolution === 'manual';
      items.push(el('li', { class: manual ? 'note-finding manual' : 'note-finding' }, [el('span', { class: 'severity' }, [manual ? 'needs manual action' : 'finding']),
        ' ' + where + ': ' + (finding && typeof finding === 'object' ? finding.text + (finding.detail ? ' — ' + finding.detail : '') : describe(finding))]));
    }
    return items;
  }

  /** Keeps the elapsed time going between events while the run runs. */
  function tick() {
    showHeard();
    const run = page.run;
    const target = document.getElementById('elapsed');
    if (run && target && run.state === 'running') {
      target.textContent = formatDuration(run.elapsedSeconds + (Date.now() - page.runReceivedAt) / 1000);
    }
  }

  // MARK: The timeline: one lane per server, one bar per step

  function renderTimeline(run) {
    const cells = ((run && run.cells) || []).filter((cell) => cell.startedAt);
    if (!cells.length) { fill('timeline-body', [muted('No execution yet.')]); return; }
    // A row still open ends now while the run runs, else at the journal's last record.
    const now = run.state === 'running' || !run.lastJournalAt ? new Date().toISOString() : run.lastJournalAt;
    const start = Math.min(...cells.map((cell) => new Date(cell.startedAt).getTime()));
    const end = Math.max(...cells.map((cell) => new Date(cell.finishedAt || now).getTime()), start + 1000);
    const span = end - start;
    const titles = new Map((run.steps || []).map((step) => [step.key, step.title]));
    const lanes = [];
    for (const cell of cells) {
      const name = cell.server || 'site';
      let lane = lanes.find((candidate) => candidate.name === name);
      if (!lane) { lane = { name: name, cells: [], busy: 0 }; lanes.push(lane); }
      lane.cells.push(cell);
      lane.busy += duration(cell, now);
    }
    const slowest = lanes.reduce((best, lane) => (lane.busy > best.busy ? lane : best), lanes[0]);
    const longest = cells.reduce((best, cell) => (duration(cell, now) > duration(best, now) ? cell : best), cells[0]);
    fill('timeline-body', [
      el('p', { class: 'timeline-summary' }, [
        'Slowest server: ', el('strong', {}, [slowest.name]), ' (' + formatDuration(slowest.busy / 1000) + ' running its rows); longest row: ',
        el('strong', {}, [rowTitle(titles, longest.step, longest.server)]), ' (' + formatDuration(duration(longest, now) / 1000) + ').',
      ]),
      el('div', { class: 'lanes', attrs: { role: 'list' } }, lanes.map((lane) => laneNode(lane, lane === slowest && lanes.length > 1, start, span, titles, now))),
      el('p', { class: 'axis' }, [el('span', {}, [formatTime(new Date(start).toISOString())]), el('span', {}, ['+' + formatDuration(span / 1000)])]),
    ]);
  }

  function duration(cell, now) { return new Date(cell.finishedAt || now).getTime() - new Date(cell.startedAt).getTime(); }

  function laneNode(lane, slowest, start, span, titles, now) {
    const bars = svg('svg', { class: 'bars', attrs: { viewBox: '0 0 1000 24', preserveAspectRatio: 'none', 'aria-hidden': 'true' } },
      lane.cells.map((cell, index) => {
        const x = ((new Date(cell.startedAt).getTime() - start) / span) * 1000;
        const width = Math.max(3, (duration(cell, now) / span) * 1000);
        return svg('rect', { class: 'bar ' + stateClass(cell.state) + (index % 2 ? ' odd' : ''), attrs: { x: x.toFixed(1), y: 2, width: width.toFixed(1), height: 20 } }, [
          svg('title', {}, [rowTitle(titles, cell.step, cell.server) + ': ' + formatDuration(duration(cell, now) / 1000) + ', ' + cell.state]),
        ]);
      }));
    return el('div', { class: slowest ? 'lane slowest' : 'lane', attrs: { role: 'listitem', 'data-server': lane.name } }, [
      el('div', { class: 'lane-label' }, [
        el('strong', {}, [lane.name]), ' ' + formatDuration(lane.busy / 1000) + ' in ' + lane.cells.length + ' row(s)', slowest ? ' (slowest)' : '',
      ]),
      bars,
    ]);
  }

  // MARK: History and each run's report

  function renderHistory(history) {
    const runs = ((history && history.runs) || []).slice().reverse();
    if (!runs.length) { fill('history-body', [muted('No runs yet.')]); return; }
    const head = el('tr', {}, ['Run', 'Started', 'Took', 'What', 'Outcome'].map((name) => el('th', { attrs: { scope: 'col' } }, [name])));
    const rows = runs.map((run) => el('tr', { attrs: { 'data-run': run.id } }, [
      el('th', { attrs: { scope: 'row' } }, [openButton(run.id)]),
      el('td', {}, [formatTime(run.startedAt)]),
      el('td', {}, [formatDuration(secondsBetween(run.startedAt, run.finishedAt))]),
      el('td', {}, [(run.mode === 'execute' ? (run.resumes ? 'resume of ' : 'execution of ') : 'analysis of ') + run.target]),
      el('td', { class: stateClass(run.outcome) }, [outcomeText(run.outcome, run.exitCode) +
        ', ' + (run.changes || 0) + ' change(s), ' + (run.issues || 0) + ' finding(s)' + (run.manual ? ', ' + run.manual + ' need manual action' : '')]),
    ]));
    fill('history-body', [el('div', { class: 'table-scroll' }, [el('table', { class: 'history', attrs: { id: 'history-table' } }, [
      el('caption', {}, ['Every run of the site, newest first']), el('thead', {}, [head]), el('tbody', {}, rows),
    ])])]);
  }

  function outcomeText(outcome, exitCode) {
    return String(outcome) + (exitCode !== undefined && exitCode !== null ? ' (exit ' + exitCode + ')' : '');
  }

  function openButton(id) {
    const button = el('button', { class: 'link', attrs: { type: 'button', 'data-run': id } }, [id]);
    button.addEventListener('click', () => openReport(id));
    return button;
  }

  async function openReport(id) {
    fill('report-body', [muted('Loading run ' + id + '…')]);
    try {
      const document_ = await getJSON('/api/runs/' + encodeURIComponent(id));
      if (!document_) { fill('report-body', [muted('Run ' + id + ' has no report.')]); return; }
      renderReport(document_, id);
      document.getElementById('report-body').scrollIntoView({ block: 'start' });
    } catch (error) {
      fill('report-body', [el('p', { class: 'banner banner-error' }, [String(error.message || error)])]);
    }
  }

  /** A run's report (docs/serve-api.md): who and when, then per row its changes with their
   *  diffs, its findings, its log and its error. */
  function renderReport(report, id) {
    fill('report-body', [el('article', { class: 'report', attrs: { id: 'report' } }, reportNodes(report, 'Run ' + id))]);
  }

  function reportNodes(report, heading) {
    const who = report.ranBy ? 'run by ' + [report.ranBy.host, report.ranBy.pid ? 'pid ' + report.ranBy.pid : null].filter(Boolean).join(', ') : null;
    const nodes = [el('header', { class: 'report-head' }, [
      el('h3', {}, [heading]),
      el('p', {}, [
        (report.mode === 'execute' ? 'execution' : report.mode === 'plan' ? 'plan' : 'analysis') + ' of ' + report.procedure + ': ',
        el('strong', { class: stateClass(report.outcome) }, [outcomeText(report.outcome, report.exitCode)]),
        (report.mode === 'plan' ? ' · made ' : ' · started ') + formatTime(report.startedAt) + (report.finishedAt ? ', finished ' + formatTime(report.finishedAt) : ''),
        who ? ' · ' + who : '', report.resumes ? ' · resumes ' + report.resumes : '',
      ]),
    ])];
    if (report.error) nodes.push(el('p', { class: 'banner banner-error' }, ['Error: ' + describe(report.error)]));
    for (const warning of report.warnings || []) nodes.push(el('p', { class: 'banner banner-pending' }, ['Warning: ' + describe(warning)]));
    const steps = (report.steps || []).slice();
    // A plan has changes but no steps of its own: one section per step and server with changes.
    for (const change of (report.changes || []).concat(report.findings || [])) {
      if (!steps.some((step) => step.step === change.step && (step.server || null) === (change.server || null))) {
        steps.push({ step: change.step, server: change.server || null, state: report.mode === 'plan' ? 'planned' : null });
      }
    }
    // A plan shows only the rows with something planned.
    const shown = report.mode === 'plan' ? steps.filter((step) => (report.changes || []).concat(report.findings || [])
      .some((item) => item.step === step.step && (item.server || null) === (step.server || null))) : steps;
    nodes.push(...shown.map((step) => stepReport(step, report)));
    // Journal rows: what is known of an execution with no stored report (cut off, or running).
    if (report.rows && !(report.steps || []).length) {
      nodes.push(el('h4', {}, ['Rows, from the journal (no report was stored)']),
        el('ul', { class: 'journal-rows' }, report.rows.map((row) => el('li', {}, [mark(row.state), ' ' + (row.title || row.step) + (row.server ? ' on ' + row.server : '') +
          (row.applied ? ' (' + row.applied + ' change(s) applied)' : '')]))));
    }
    return nodes;
  }

  function stepReport(step, report) {
    const same = (item) => item.step === step.step && (item.server || null) === (step.server || null);
    const changes = (report.changes || []).filter(same), findings = (report.findings || []).filter(same);
    const state = step.state === 'issues' ? 'needs-action' : step.state;
    return el('section', { class: 'report-step ' + stateClass(step.state), attrs: { 'data-step': step.step } }, [
      el('h4', {}, [state ? mark(state) : null, ' ', step.title || step.step,
        step.server && !(step.title || '').includes(step.server) ? ' — ' + step.server : '']),
      changes.length ? el('ul', { class: 'report-changes' }, changes.map(changeItem)) : step.state === 'skipped' ? null : muted('no changes'),
      findings.length ? el('ul', { class: 'findings' }, findings.map((finding) => el('li', {}, [
        el('span', { class: 'severity' }, [finding.resolution === 'manual' ? 'needs manual action: ' : 'finding: ']), finding.text,
        finding.detail ? el('span', { class: 'detail' }, [' — ' + finding.detail]) : null,
      ]))) : null,
      (step.log || []).length
        ? el('pre', { class: 'log', attrs: { 'aria-label': 'log of the step' } }, step.log.map((line) => el('span', { class: 'log-line' }, [describe(line) + '\n'])))
        : null,
      step.error ? el('p', { class: 'cell-error' }, ['Error: ' + errorText(step.error)]) : null,
    ]);
  }

  function changeItem(change) {
    return el('li', { class: 'change status-' + String(change.status || '').replace(/[^a-z-]+/gi, '') }, [
      el('span', { class: 'change-status' }, [(change.status || 'change') + ': ']), change.text,
      change.error ? el('span', { class: 'cell-error' }, [' — ' + describe(change.error)]) : null,
      change.diff ? diffBlock(change.diff) : null,
    ]);
  }

  /** A unified diff as lines of text, each classed by its first character. */
  function diffBlock(diff) {
    const lines = String(diff).split('\n');
    return el('pre', { class: 'diff', attrs: { 'aria-label': 'file diff' } }, lines.map((line) => {
      const kind = line.startsWith('+++') || line.startsWith('---') ? 'diff-file' : line.startsWith('@@') ? 'diff-hunk'
        : line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : 'diff-context';
      return el('span', { class: 'diff-line ' + kind }, [line + '\n']);
    }));
  }

  // MARK: A saved plan (`serve --plan FILE`)

  function renderPlan(plan) {
    if (!plan) return;
    document.getElementById('plan').hidden = false;
    document.getElementById('plan-link').hidden = false;
    fill('plan-body', [el('article', { class: 'report', attrs: { id: 'plan-report' } }, reportNodes(plan, 'Plan ' + plan.id))]);
  }

  // MARK: Live updates and start-up

  function onRunEvent(event) {
    const run = JSON.parse(event.data);
    const previous = page.runState;
    renderRun(run);
    followRun(run);
    page.runState = run.state;
    page.received += 1;
    if (typeof performance.mark === 'function') {
      performance.mark('phasekit-run-update', { detail: { done: run.done, total: run.total, state: run.state } });
      if (page.received % 1000 === 0) performance.clearMarks('phasekit-run-update');
    }
    // When a run starts or ends, the summary and the history change with it. The run's report
    // is stored just after its journal's last record, so an ended run is loaded again shortly.
    if (previous !== run.state) {
      refresh();
      if (run.state !== 'running') { setTimeout(refresh, 1000); setTimeout(refresh, 4000); }
    }
  }

  function connect() {
    if (page.source) page.source.close();
    const source = new EventSource('/api/events');
    page.source = source;
    source.addEventListener('open', () => { page.retry = 1000; showConnection('live', 'live'); });
    source.addEventListener('run', onRunEvent);
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        showConnection('lost', 'lost; retrying in ' + Math.round(page.retry / 1000) + ' s');
        setTimeout(connect, page.retry);
        page.retry = Math.min(page.retry * 2, 30000);
      } else {
        showConnection('reconnecting', 'reconnecting…');
      }
    });
  }

  /** Loads the summary and the history again: one load at a time, and one more after it when
   *  asked meanwhile (a run that ends while its start is being loaded). */
  async function refresh() {
    if (page.refreshing) { page.refreshAgain = true; return; }
    page.refreshing = true;
    try {
      do {
        page.refreshAgain = false;
        const [summary, history] = await Promise.all([getJSON('/api/summary'), getJSON('/api/history')]);
        if (summary) renderSummary(summary);
        renderHistory(history);
      } while (page.refreshAgain);
    } catch (error) {
      showError(error);
    } finally {
      page.refreshing = false;
    }
  }

  async function start() {
    try {
      const site = await getJSON('/api/site');
      if (site) renderSite(site);
      const [run, plan] = await Promise.all([getJSON('/api/run'), getJSON('/api/plan')]);
      renderRun(run);
      page.runState = run ? run.state : null;
      renderPlan(plan);
    } catch (error) {
      showError(error);
    }
    await refresh();
    connect();
    setInterval(tick, 1000);
    document.body.setAttribute('data-ready', 'true');
  }

  document.addEventListener('DOMContentLoaded', start);
})();
