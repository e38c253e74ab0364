import { expectArray, expectNumber, expectRecord, expectString, isRecord, type JsonRecord, optionalString } from './shape.ts';

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PanelTarget {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string | undefined;
  readonly datasourceUid: string | undefined;
}

export interface DashboardPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasourceUid: string | undefined;
  readonly gridPos: GridPos;
  readonly targets: readonly PanelTarget[];
}

export interface DashboardQuery {
  /** Where the query lives, for messages: `panel 3 "Uptime" A`, `variable provider`, `annotation ...`. */
  readonly where: string;
  readonly expr: string;
  readonly datasourceUid: string | undefined;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  /** Every panel, with the panels of collapsed rows flattened in after their row. */
  readonly panels: readonly DashboardPanel[];
  /** Prometheus queries outside panels: query variables and annotation queries. */
  readonly otherQueries: readonly DashboardQuery[];
}

export function parseDashboard(document: unknown): Dashboard {
  const dashboard = expectRecord(document, 'dashboard');
  const panels = expectArray(dashboard.panels, 'panels').flatMap((value, index) => {
    const panel = expectRecord(value, `panels[${index}]`);
    const nested = panel.panels === undefined ? [] : expectArray(panel.panels, `panels[${index}].panels`);
    return [panel, ...nested.map((item, nestedIndex) => expectRecord(item, `panels[${index}].panels[${nestedIndex}]`))];
  });
  return {
    uid: expectString(dashboard.uid, 'uid'),
    title: expectString(dashboard.title, 'title'),
    schemaVersion: expectNumber(dashboard.schemaVersion, 'schemaVersion'),
    panels: panels.map(parsePanel),
    otherQueries: [...variableQueries(dashboard), ...annotationQueries(dashboard)],
  };
}

/** All Prometheus queries of the dashboard: panel targets, query variables and annotations. */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  return [
    ...dashboard.panels.flatMap(panel =>
      panel.targets.map(target => ({
        where: `panel ${panel.id} "${panel.title}" ${target.refId}`,
        expr: target.expr,
        datasourceUid: target.datasourceUid,
      })),
    ),
    ...dashboard.otherQueries,
  ];
}

/**
 * A Grafana query as plain PromQL: the interval variables become durations and `label_values(m, l)`
 * becomes `m`. Other variables (`$provider`) only ever appear inside label-value strings, which stay as they are.
 */
export function toPromQL(grafanaExpr: string): string {
  return grafanaExpr
    .replace(/\$\{?__rate_interval\}?/g, '1m')
    .replace(/\$\{?__interval\}?/g, '1m')
    .replace(/\$\{?__range\}?/g, '1h')
    .replace(/^\s*label_values\(\s*([\s\S]*),\s*\w+\s*\)\s*$/, '$1');
}

/** Whether two panels' rectangles overlap on Grafana's 24-column grid. */
export function panelsOverlap(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function parsePanel(panel: JsonRecord, index: number): DashboardPanel {
  const where = `panel #${index}`;
  const gridPos = expectRecord(panel.gridPos, `${where}.gridPos`);
  const targets = panel.targets === undefined ? [] : expectArray(panel.targets, `${where}.targets`);
  return {
    id: expectNumber(panel.id, `${where}.id`),
    type: expectString(panel.type, `${where}.type`),
    title: expectString(panel.title, `${where}.title`),
    datasourceUid: datasourceUid(panel.datasource, `${where}.datasource`),
    gridPos: {
      x: expectNumber(gridPos.x, `${where}.gridPos.x`),
      y: expectNumber(gridPos.y, `${where}.gridPos.y`),
      w: expectNumber(gridPos.w, `${where}.gridPos.w`),
      h: expectNumber(gridPos.h, `${where}.gridPos.h`),
    },
    targets: targets.map((value, targetIndex) => {
      const target = expectRecord(value, `${where}.targets[${targetIndex}]`);
      return {
        refId: expectString(target.refId, `${where}.targets[${targetIndex}].refId`),
        expr: expectString(target.expr, `${where}.targets[${targetIndex}].expr`),
        legendFormat: optionalString(target.legendFormat, `${where}.targets[${targetIndex}].legendFormat`),
        datasourceUid: datasourceUid(target.datasource, `${where}.targets[${targetIndex}].datasource`),
      };
    }),
  };
}

function variableQueries(dashboard: JsonRecord): DashboardQuery[] {
  const templating = dashboard.templating === undefined ? {} : expectRecord(dashboard.templating, 'templating');
  const variables = templating.list === undefined ? [] : expectArray(templating.list, 'templating.list');
  return variables.flatMap((value, index) => {
    const variable = expectRecord(value, `templating.list[${index}]`);
    if (variable.type !== 'query') return [];
    const name = expectString(variable.name, `templating.list[${index}].name`);
    const query = isRecord(variable.query) ? variable.query.query : variable.query;
    return [
      {
        where: `variable ${name}`,
        expr: expectString(query, `templating.list[${index}].query`),
        datasourceUid: datasourceUid(variable.datasource, `templating.list[${index}].datasource`),
      },
    ];
  });
}

function annotationQueries(dashboard: JsonRecord): DashboardQuery[] {
  const annotations = dashboard.annotations === undefined ? {} : expectRecord(dashboard.annotations, 'annotations');
  const list = annotations.list === undefined ? [] : expectArray(annotations.list, 'annotations.list');
  return list.flatMap((value, index) => {
    const annotation = expectRecord(value, `annotations.list[${index}]`);
    const expr = optionalString(annotation.expr, `annotations.list[${index}].expr`);
    if (expr === undefined) return [];
    return [
      {
        where: `annotation ${String(annotation.name)}`,
        expr,
        datasourceUid: datasourceUid(annotation.datasource, `annotations.list[${index}].datasource`),
      },
    ];
  });
}

function datasourceUid(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  return optionalString(expectRecord(value, where).uid, `${where}.uid`);
}
