import type { Label } from '@ephenv/core';
export type { Label };

/**
 * The label set of a confusion matrix or a macro average: the sorted union of the labels seen, as
 * scikit-learn's `unique_labels` (numbers numerically, strings by code point; mixing both is an error there and here).
 */
export function sortedLabels(...lists: Label[][]): Label[] {
  const seen = new Set<Label>();
  for (const list of lists) for (let i = 0; i < list.length; i++) seen.add(list[i]);
  const all = [...seen];
  const numbers = all.filter((l) => typeof l === 'number').length;
  if (numbers > 0 && numbers < all.length) {
    throw new Error(`labels mix numbers and strings (${all.slice(0, 6).map((l) => JSON.stringify(l)).join(', ')}): the data file's expected labels and the model's predicted labels must be of one type`);
  }
  return numbers > 0 ? (all as number[]).sort((a, b) => a - b) : (all as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
