// The directors' page in the browser: fetches the figures from /v1/insights/* on this origin
// with the page's session (the same answers a director's script gets with a key), draws them
// with ECharts, gives every chart a table of the same figures, and speaks Danish, German or
// English with i18next. A count the API hides arrives as a string such as "<5" and is shown as
// it came: never as a number, never summed, never drawn to scale.
(() => {
  'use strict';

  const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
  const PAGE = readJson('page-data');
  const TRANSLATIONS = readJson('page-translations');
  const REASON_LABELS = readJson('reason-labels');

  /** What the trend lines and the tables count, in the order they show them. */
  const COUNTS = ['made', 'accepted', 'rejected', 'redirected', 'completed', 'closedLoop'];
  const TREND_LINES = ['made', 'accepted', 'rejected', 'redirected', 'completed'];
  /** Dark enough on white for lines and text (contrast at least 4.5:1). */
  const COUNT_COLOURS = {
    made: '#1f4e99',
    accepted: '#1b7837',
    rejected: '#b2182b',
    redirected: '#8c510a',
    completed: '#5e3c99',
    closedLoop: '#35586b',
  };
  const RATE_COLOUR = '#1d2330';
  const SECTOR_COLOURS = {
    health: '#b2182b',
    'social-care': '#1f4e99',
    education: '#1b7837',
    employment: '#8c510a',
    housing: '#5e3c99',
    justice: '#35586b',
    unknown: '#5f6673',
  };
  /** Flows under the threshold: one thin grey line each, whatever they hide. */
  const HIDDEN_COLOUR = '#5f6673';
  const AGENDA_KINDS = [
    'redirectChains',
    'overdueDecisions',
    'waitingHandovers',
    'closedAfterDecline',
  ];
  const LANGUAGE_COOKIE = 'insights_lang';

  const i18n = window.i18next.createInstance();
  i18n.init({
    resources: Object.fromEntries(
      Object.entries(TRANSLATIONS).map(([language, words]) => [language, { translation: words }]),
    ),
    lng: PAGE.language,
    fallbackLng: 'en',
    initAsync: false,
    // Everything the page writes goes in as text, never as HTML.
    interpolation: { escapeValue: false },
  });
  const t = (key, options) => i18n.t(key, options);
  const language = () => i18n.language;

  /** The last answers, so that a change of language redraws without asking again. */
  let flows;
  let agenda;
  const charts = {};

  // ---- Formats, in the page's language ----

  const isShown = (count) => typeof count === 'number';
  const countText = (count) =>
    isShown(count) ? new Intl.NumberFormat(language()).format(count) : String(count);
  const percentText = (share) =>
    new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 0 }).format(share);
  const monthDate = (month) => new Date(`${month}-01T00:00:00Z`);
  const monthText = (month, style = 'short') =>
    new Intl.DateTimeFormat(language(), { month: style, year: 'numeric', timeZone: 'UTC' }).format(
      monthDate(month),
    );
  const dateText = (iso) =>
    new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(iso),
    );
  /** A moment in UTC, said so: the figures' months are UTC months too. */
  const momentText = (iso) =>
    `${new Intl.DateTimeFormat(language(), {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(new Date(iso))} UTC`;
  const sectorText = (sector) => t(`sectors.${sector}`, { defaultValue: sector });
  const agencyText = (id) => PAGE.agencyNames[id] || id;
  const reasonText = (code) =>
    code === 'uncoded' ? t('reasons.uncoded') : (REASON_LABELS[code] || {})[language()] || code;
  /** The closed-loop share, only where both counts are shown: a hidden count gives no rate. */
  const closedLoopRate = (row) =>
    isShown(row.closedLoop) && isShown(row.made) && row.made > 0 ? row.closedLoop / row.made : null;

  // ---- Building the page's elements (text only: nothing is parsed as HTML) ----

  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  /**
   * A table with a caption, column headers and, per row, a row header first. `columns`:
   * `{ label, count }`; `rows`: `{ attributes, cells: [{ text, field }] }`.
   */
  function fillTable(table, caption, columns, rows) {
    table.replaceChildren(
      element('caption', { text: caption }),
      element('thead', {}, [
        element(
          'tr',
          {},
          columns.map((column) =>
            element('th', { scope: 'col', class: column.count ? 'count' : '', text: column.label }),
          ),
        ),
      ]),
      element(
        'tbody',
        {},
        rows.map((row) =>
          element(
            'tr',
            row.attributes,
            row.cells.map((cell, index) =>
              element(index === 0 ? 'th' : 'td', {
                ...(index === 0 ? { scope: 'row' } : {}),
                ...(cell.field ? { 'data-field': cell.field } : {}),
                class: columns[index].count ? 'count' : '',
                text: cell.text,
              }),
            ),
          ),
        ),
      ),
    );
    table.hidden = rows.length === 0;
  }

  /**
   * An ECharts chart in `id`, or none (hidden) when there is nothing to draw to scale; `height`
   * in pixels where the chart's own is not the stylesheet's.
   */
  function drawChart(id, option, label, height) {
    const container = document.getElementById(id);
    container.setAttribute('aria-label', label);
    container.hidden = option === undefined;
    if (height) container.style.height = `${height}px`;
    if (option === undefined) {
      charts[id]?.clear();
      return;
    }
    charts[id] ??= window.echarts.init(container);
    charts[id].resize();
    charts[id].setOption({ animation: false, ...option }, { notMerge: true });
  }

  const countColumns = () => COUNTS.map((name) => ({ label: t(`counts.${name}`), count: true }));
  const countCells = (row) => COUNTS.map((name) => ({ text: countText(row[name]), field: name }));
  const period = () => ({ from: monthText(flows.from, 'long'), to: monthText(flows.to, 'long') });

  // ---- Flows between sectors ----

  /** Referrers on the left, receivers on the right: each sector can be on both sides. */
  function sankeyOption(pairs) {
    const drawn = pairs.filter((pair) => isShown(pair.made));
    if (!drawn.length) return undefined;
    const total = drawn.reduce((sum, pair) => sum + pair.made, 0);
    // A hidden flow is drawn thin and grey, one width for all, far below any shown flow.
    const hairline = total / 400;
    const node = (side, sector) => `${side}:${sector}`;
    const sides = [
      ['from', 0, 'left'],
      ['to', 1, 'right'],
    ];
    const nodes = sides.flatMap(([side, depth, position]) =>
      [...new Set(pairs.map((pair) => pair[`${side}Sector`]))].map((sector) => ({
        name: node(side, sector),
        depth,
        itemStyle: { color: SECTOR_COLOURS[sector] || SECTOR_COLOURS.unknown },
        label: { position, formatter: () => sectorText(sector) },
      })),
    );
    const links = pairs.map((pair) => {
      const hidden = !isShown(pair.made);
      return {
        source: node('from', pair.fromSector),
        target: node('to', pair.toSector),
        value: hidden ? hairline : pair.made,
        shown: pair.made,
        lineStyle: hidden
          ? { color: HIDDEN_COLOUR, opacity: 0.9 }
          : { color: 'source', opacity: 0.4 },
      };
    });
    const linkText = (link) =>
      `${sectorText(link.source.slice(5))} → ${sectorText(link.target.slice(3))}: ${countText(link.shown)}`;
    return {
      tooltip: {
        trigger: 'item',
        renderMode: 'richText',
        formatter: (item) =>
          item.dataType === 'edge' ? linkText(item.data) : item.data.label.formatter(),
      },
      series: [
        {
          type: 'sankey',
          left: 140,
          right: 140,
          top: 20,
          bottom: 20,
          nodeWidth: 18,
          nodeGap: 18,
          nodeAlign: 'justify',
          layoutIterations: 32,
          draggable: false,
          emphasis: { focus: 'adjacency' },
          data: nodes,
          links,
          label: { color: '#1d2330', fontSize: 14 },
          edgeLabel: {
            show: true,
            color: '#1d2330',
            fontSize: 13,
            formatter: (item) => countText(item.data.shown),
          },
        },
      ],
    };
  }

  function renderFlows() {
    const pairs = [...flows.totals.bySectorPair].sort(
      (a, b) => (isShown(b.made) ? b.made : 0) - (isShown(a.made) ? a.made : 0),
    );
    document.getElementById('flows-intro').textContent = t('flows.intro', {
      threshold: flows.threshold,
    });
    const option = sankeyOption(pairs);
    drawChart('sankey', option, t('flows.chartLabel'));
    document.getElementById('flows-message').textContent = !pairs.length
      ? t('flows.none')
      : option
        ? ''
        : t('flows.allHidden', { threshold: flows.threshold });
    fillTable(
      document.getElementById('sector-table'),
      t('flows.tableCaption', period()),
      [{ label: t('flows.fromSector') }, { label: t('flows.toSector') }, ...countColumns()],
      pairs.map((pair) => ({
        attributes: { 'data-from-sector': pair.fromSector, 'data-to-sector': pair.toSector },
        cells: [
          { text: sectorText(pair.fromSector) },
          { text: sectorText(pair.toSector) },
          ...countCells(pair),
        ],
      })),
    );
  }

  // ---- Trends per month ----

  function trendOption(months) {
    if (!months.some((month) => COUNTS.some((name) => isShown(month[name])))) return undefined;
    const rates = months.map((month) => {
      const rate = closedLoopRate(month);
      return rate === null ? null : Math.round(rate * 1000) / 10;
    });
    return {
      color: [...TREND_LINES.map((name) => COUNT_COLOURS[name]), RATE_COLOUR],
      legend: { top: 0, textStyle: { color: '#1d2330', fontSize: 13 } },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 60, right: 70, top: 50, bottom: 40 },
      xAxis: {
        type: 'category',
        data: months.map((month) => monthText(month.month)),
        axisLabel: { color: '#1d2330' },
      },
      yAxis: [
        { type: 'value', minInterval: 1, axisLabel: { color: '#1d2330' } },
        {
          type: 'value',
          min: 0,
          max: 100,
          axisLabel: { color: '#1d2330', formatter: '{value} %' },
          splitLine: { show: false },
        },
      ],
      series: [
        ...TREND_LINES.map((name) => ({
          name: t(`counts.${name}`),
          type: 'line',
          symbolSize: 7,
          connectNulls: false,
          data: months.map((month) => (isShown(month[name]) ? month[name] : null)),
        })),
        {
          name: t('counts.closedLoopRate'),
          type: 'line',
          yAxisIndex: 1,
          symbol: 'diamond',
          symbolSize: 8,
          lineStyle: { type: 'dashed' },
          connectNulls: false,
          data: rates,
        },
      ],
    };
  }

  function renderTrends() {
    const months = flows.totals.byMonth;
    document.getElementById('trends-intro').textContent = t('trends.intro', {
      threshold: flows.threshold,
    });
    drawChart('trend-chart', trendOption(months), t('trends.chartLabel'));
    fillTable(
      document.getElementById('trend-table'),
      t('trends.tableCaption', period()),
      [
        { label: t('trends.month') },
        ...countColumns(),
        { label: t('counts.closedLoopRate'), count: true },
      ],
      months.map((month) => {
        const rate = closedLoopRate(month);
        return {
          attributes: { 'data-month': month.month },
          cells: [
            { text: monthText(month.month, 'long') },
            ...countCells(month),
            { text: rate === null ? '–' : percentText(rate), field: 'closedLoopRate' },
          ],
        };
      }),
    );
    document.getElementById('rate-note').textContent = t('trends.rateNote', {
      threshold: flows.threshold,
    });
  }

  // ---- Reasons for rejection ----

  function renderReasons() {
    const reasons = Object.entries(flows.totals.reasons.rejected || {})
      .map(([code, count]) => ({ code, count }))
      .sort(
        (a, b) =>
          (isShown(b.count) ? b.count : 0) - (isShown(a.count) ? a.count : 0) ||
          reasonText(a.code).localeCompare(reasonText(b.code), language()),
      );
    const anyShown = reasons.some((reason) => isShown(reason.count));
    // Largest at the top; a hidden count has no bar, its label says "<5".
    const bars = [...reasons].reverse();
    drawChart(
      'reasons-chart',
      anyShown
        ? {
            grid: { left: 260, right: 40, top: 10, bottom: 30 },
            tooltip: { trigger: 'item', renderMode: 'richText' },
            xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#1d2330' } },
            yAxis: {
              type: 'category',
              data: bars.map((reason) =>
                isShown(reason.count)
                  ? reasonText(reason.code)
                  : `${reasonText(reason.code)} (${reason.count})`,
              ),
              axisLabel: { color: '#1d2330', fontSize: 13 },
            },
            series: [
              {
                type: 'bar',
                name: t('reasons.count'),
                itemStyle: { color: COUNT_COLOURS.rejected },
                label: { show: true, position: 'right', color: '#1d2330' },
                data: bars.map((reason) => (isShown(reason.count) ? reason.count : null)),
              },
            ],
          }
        : undefined,
      t('reasons.chartLabel'),
      60 + 44 * bars.length,
    );
    document.getElementById('reasons-message').textContent = reasons.length
      ? ''
      : t('reasons.none');
    fillTable(
      document.getElementById('reasons-table'),
      t('reasons.tableCaption', period()),
      [{ label: t('reasons.reason') }, { label: t('reasons.count'), count: true }],
      reasons.map((reason) => ({
        attributes: { 'data-code': reason.code },
        cells: [
          { text: reasonText(reason.code) },
          { text: countText(reason.count), field: 'count' },
        ],
      })),
    );
  }

  // ---- The directors' agenda ----

  /** Per kind: the references, the agencies involved and why the item is on the agenda. */
  const AGENDA_ROWS = {
    redirectChains: (item) => ({
      references: [
        [t('agenda.referral'), item.rootReferralId],
        [t('agenda.latest'), item.latestReferralId],
      ],
      agencies: item.agencies.map(agencyText).join(' → '),
      why: t('agenda.redirectChains.why', {
        count: item.redirects,
        since: dateText(item.since),
        status: t(`statuses.${item.latestStatus}`, { defaultValue: item.latestStatus }),
      }),
    }),
    overdueDecisions: (item) => ({
      references: [[t('agenda.referral'), item.referralId]],
      agencies: `${agencyText(item.from)} → ${agencyText(item.to)}`,
      why: t('agenda.overdueDecisions.why', {
        count: item.daysOverdue,
        dueBy: dateText(item.dueBy),
      }),
    }),
    waitingHandovers: (item) => ({
      references: [[t('agenda.case'), item.caseId]],
      agencies: `${agencyText(item.from)} → ${agencyText(item.to)}`,
      why: t('agenda.waitingHandovers.why', {
        count: item.daysWaiting,
        proposedAt: dateText(item.proposedAt),
        status: t(`handoverStatuses.${item.status}`, { defaultValue: item.status }),
      }),
    }),
    closedAfterDecline: (item) => ({
      references: [[t('agenda.case'), item.caseId]],
      agencies: `${agencyText(item.declinedBy)}, ${agencyText(item.closedBy)}`,
      why: t('agenda.closedAfterDecline.why', {
        count: item.daysSinceClosed,
        declinedAt: dateText(item.declinedAt),
        closedAt: dateText(item.closedAt),
      }),
    }),
  };

  function referenceCell(references) {
    return element(
      'th',
      { scope: 'row' },
      references.flatMap(([label, id], index) => [
        ...(index ? [element('br')] : []),
        `${label} `,
        element('span', { class: 'reference', text: id }),
      ]),
    );
  }

  function renderAgenda() {
    const container = document.getElementById('agenda');
    container.replaceChildren(
      ...AGENDA_KINDS.flatMap((kind) => {
        const items = agenda.items[kind];
        const heading = element('h3', {
          id: `agenda-${kind}`,
          text: t(`agenda.${kind}.heading`, { days: agenda.handoverDays }),
        });
        if (!items.length)
          return [heading, element('p', { 'data-kind': kind, text: t('agenda.empty') })];
        const rows = items.map((item) => {
          const row = AGENDA_ROWS[kind](item);
          return element('tr', { 'data-kind': kind, 'data-reference': row.references[0][1] }, [
            referenceCell(row.references),
            element('td', { 'data-field': 'agencies', text: row.agencies }),
            element('td', { 'data-field': 'why', text: row.why }),
          ]);
        });
        const table = element('table', { 'aria-labelledby': `agenda-${kind}` }, [
          element('thead', {}, [
            element('tr', {}, [
              element('th', { scope: 'col', text: t('agenda.reference') }),
              element('th', { scope: 'col', text: t('agenda.agencies') }),
              element('th', { scope: 'col', text: t('agenda.why') }),
            ]),
          ]),
          element('tbody', {}, rows),
        ]);
        return [
          heading,
          element('div', { class: 'table-wrap' }, [table]),
          ...(agenda.cut[kind]
            ? [element('p', { class: 'note', text: t('agenda.cut', { limit: agenda.limit }) })]
            : []),
        ];
      }),
    );
  }

  // ---- Fixed text, language and status ----

  function translateFixedText() {
    for (const node of document.querySelectorAll('[data-i18n]'))
      node.textContent = t(node.getAttribute('data-i18n'));
    document.getElementById('scope').textContent = Object.keys(PAGE.agencyNames)
      .map(agencyText)
      .join(', ');
  }

  function renderAll() {
    if (flows) {
      document.getElementById('small-counts').textContent = t('smallCounts', {
        threshold: flows.threshold,
      });
      renderFlows();
      renderTrends();
      renderReasons();
    }
    if (agenda) renderAgenda();
  }

  /** Remembered for the next visit; the server reads the same cookie. */
  function switchLanguage(next) {
    if (!TRANSLATIONS[next] || next === language()) return;
    i18n.changeLanguage(next);
    document.documentElement.lang = next;
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${LANGUAGE_COOKIE}=${next}; Path=/insights; Max-Age=31536000; SameSite=Strict${secure}`;
    translateFixedText();
    renderAll();
    if (flows) showLoaded();
  }

  const statusLine = document.getElementById('status');
  function showStatus(state, text) {
    statusLine.dataset.state = state;
    statusLine.textContent = text;
  }
  const showLoaded = () =>
    showStatus(
      'loaded',
      t('status.loaded', {
        from: monthText(flows.from, 'long'),
        to: monthText(flows.to, 'long'),
        asOf: momentText(flows.asOf),
      }),
    );

  // ---- Asking the API ----

  const controls = document.getElementById('controls');
  const input = (id) => document.getElementById(id);

  /** The controls as query parameters, leaving out what is empty (the API's defaults). */
  function askedFor() {
    const flowsQuery = new URLSearchParams();
    if (input('from').value) flowsQuery.set('from', input('from').value);
    if (input('to').value) flowsQuery.set('to', input('to').value);
    if (input('as-of').value) flowsQuery.set('asOf', input('as-of').value);
    const agendaQuery = new URLSearchParams();
    if (input('handover-days').value) agendaQuery.set('handoverDays', input('handover-days').value);
    return { flowsQuery, agendaQuery };
  }

  async function ask(path, query) {
    const response = await fetch(`${path}?${query}`, { headers: { accept: 'application/json' } });
    if (response.ok) return response.json();
    const problem = await response.json().catch(() => ({}));
    const error = new Error(problem.detail || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }

  function csvLink(id, path, query) {
    const csv = new URLSearchParams(query);
    csv.set('format', 'csv');
    input(id).setAttribute('href', `${path}?${csv}`);
  }

  async function load() {
    const { flowsQuery, agendaQuery } = askedFor();
    const pageQuery = new URLSearchParams([...flowsQuery, ...agendaQuery]);
    window.history.replaceState(null, '', `/insights${pageQuery.size ? `?${pageQuery}` : ''}`);
    csvLink('flows-csv', '/v1/insights/flows', flowsQuery);
    csvLink('agenda-csv', '/v1/insights/agenda', agendaQuery);
    showStatus('loading', t('status.loading'));
    document.getElementById('main').setAttribute('aria-busy', 'true');
    try {
      [flows, agenda] = await Promise.all([
        // The page draws from the totals only: the agency flows would be megabytes it never reads.
        ask('/v1/insights/flows', new URLSearchParams([...flowsQuery, ['fields', 'totals']])),
        ask('/v1/insights/agenda', agendaQuery),
      ]);
      input('from').value = flows.from;
      input('to').value = flows.to;
      renderAll();
      showLoaded();
    } catch (error) {
      if (error.status === 401) showStatus('failed', t('status.signedOut'));
      else if (error.status === 429) showStatus('failed', t('status.busy'));
      else showStatus('failed', t('status.failed', { detail: error.message }));
    } finally {
      document.getElementById('main').removeAttribute('aria-busy');
    }
  }

  // ---- Start ----

  const query = new URLSearchParams(window.location.search);
  input('from').value = query.get('from') || '';
  input('to').value = query.get('to') || '';
  input('as-of').value = query.get('asOf') || '';
  if (query.get('handoverDays')) input('handover-days').value = query.get('handoverDays');

  controls.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  const languageSelect = input('language');
  languageSelect.addEventListener('change', () => switchLanguage(languageSelect.value));
  input('language-form').addEventListener('submit', (event) => {
    event.preventDefault();
    switchLanguage(languageSelect.value);
  });
  window.addEventListener('resize', () => {
    for (const chart of Object.values(charts)) chart.resize();
  });

  translateFixedText();
  void load();
})();
