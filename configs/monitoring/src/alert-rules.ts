import { expectArray, expectRecord, expectString, optionalString, stringRecord } from './shape.ts';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** The alerting rules of a parsed Prometheus rule file; the kit has no recording rules, so one is an error. */
export function parseRuleGroups(document: unknown): RuleGroup[] {
  const groups = expectArray(expectRecord(document, 'rule file').groups, 'groups');
  return groups.map((value, groupIndex) => {
    const group = expectRecord(value, `groups[${groupIndex}]`);
    const name = expectString(group.name, `groups[${groupIndex}].name`);
    const rules = expectArray(group.rules, `${name}.rules`).map((item, ruleIndex) => {
      const where = `${name}.rules[${ruleIndex}]`;
      const rule = expectRecord(item, where);
      if (rule.record !== undefined) throw new TypeError(`${where}: unexpected recording rule`);
      return {
        alert: expectString(rule.alert, `${where}.alert`),
        expr: expectString(rule.expr, `${where}.expr`),
        for: optionalString(rule.for, `${where}.for`),
        labels: stringRecord(rule.labels, `${where}.labels`),
        annotations: stringRecord(rule.annotations, `${where}.annotations`),
      };
    });
    return { name, rules };
  });
}

/** Label names an alert template reads through `$labels.x` / `.Labels.x`. */
export function templateLabelReferences(template: string): string[] {
  return [...new Set([...template.matchAll(/(?:\$labels|\.Labels)\.(\w+)/g)].map(match => match[1] as string))];
}
