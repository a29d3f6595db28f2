/** Kubernetes label selectors, as the API server and the network plugins evaluate them. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** An empty selector ({}) matches everything; a missing one (undefined) matches nothing. */
export const selectorMatches = (selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean => {
  if (selector === undefined || selector === null) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, key);
    const value = labels[key];
    if (operator === 'In' && !(present && values.includes(value as string))) return false;
    if (operator === 'NotIn' && present && values.includes(value as string)) return false;
    if (operator === 'Exists' && !present) return false;
    if (operator === 'DoesNotExist' && present) return false;
  }
  return true;
};

/** A Service's selector: a plain map, where an empty map selects nothing (no endpoints). */
export const serviceSelects = (
  selector: Record<string, string> | undefined,
  labels: Record<string, string> = {},
): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && selectorMatches({ matchLabels: selector }, labels);
