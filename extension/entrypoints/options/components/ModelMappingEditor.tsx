import { ChangedNotice } from './Field';

/** One mapping being edited: the client's model name (or glob) and the model sent upstream. */
export type MappingRow = [pattern: string, model: string];

/** Sorted by pattern, so the same mapping always gives the same rows (a pushed config compares equal). */
export function mappingRows(mapping: Record<string, string>): MappingRow[] {
  return Object.entries(mapping).sort(([a], [b]) => a.localeCompare(b));
}

/** The same mappings, whatever the rows' order (the user's while editing, sorted from the daemon) and spaces around names (saved trimmed). */
export function sameMapping(a: MappingRow[], b: MappingRow[]): boolean {
  const sorted = (rows: MappingRow[]) => JSON.stringify(rows.map(([pattern, model]) => [pattern.trim(), model.trim()]).sort(([x], [y]) => x!.localeCompare(y!)));
  return sorted(a) === sorted(b);
}

/** `claude-* → gpt-4o, o3 → o3-mini`, or `none`. */
export function mappingText(rows: MappingRow[]): string {
  return rows.length === 0 ? 'none' : rows.map(([pattern, model]) => `${pattern} → ${model}`).join(', ');
}

/** What keeps the rows from being saved, or null. */
export function mappingProblem(rows: MappingRow[]): string | null {
  const seen = new Set<string>();
  for (const [pattern, model] of rows) {
    if (pattern.trim() === '' || model.trim() === '') return 'every mapping needs a model name (or pattern) and the model to send';
    if (seen.has(pattern.trim())) return `${pattern.trim()} is mapped twice`;
    seen.add(pattern.trim());
  }
  return null;
}

export interface ModelMappingEditorProps {
  rows: MappingRow[];
  onRows(rows: MappingRow[]): void;
  error: string | null;
  /** What the daemon's mapping became while this was being edited. */
  theirs?: string;
}

/** model_mapping as rows: client model (exact or `*` glob) → upstream model, each removable. */
export function ModelMappingEditor({ rows, onRows, error, theirs }: ModelMappingEditorProps) {
  const change = (index: number, column: 0 | 1, text: string) =>
    onRows(rows.map((row, i) => (i === index ? (column === 0 ? [text, row[1]] : [row[0], text]) : row)));
  return (
    <fieldset id="model-mapping" class="mapping">
      <legend>Model mapping</legend>
      <p class="hint">A client asking for the model on the left gets the one on the right. Exact names win over patterns; * matches anything.</p>
      {rows.length === 0 && <p class="muted">No mappings: models are sent as asked.</p>}
      {rows.map(([pattern, model], index) => (
        <div class="mapping-row" data-testid="mapping-row" key={index}>
          <input type="text" aria-label="Client model" data-testid="mapping-pattern" placeholder="claude-*" value={pattern} onInput={(e) => change(index, 0, e.currentTarget.value)} />
          <span aria-hidden="true">→</span>
          <input type="text" aria-label="Upstream model" data-testid="mapping-model" placeholder="gpt-4o" value={model} onInput={(e) => change(index, 1, e.currentTarget.value)} />
          <button type="button" class="secondary small" data-testid="mapping-remove" onClick={() => onRows(rows.filter((_, i) => i !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button id="mapping-add" type="button" class="secondary small" onClick={() => onRows([...rows, ['', '']])}>
        Add a mapping
      </button>
      {error && (
        <p id="model-mapping-error" class="error">
          {error}
        </p>
      )}
      <ChangedNotice id="model-mapping" theirs={theirs} />
    </fieldset>
  );
}
