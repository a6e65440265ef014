import type { AccountView } from '../../../../shared/accounts';
import { describedBy, Field } from './Field';

/** `claude-*, claude-3-haiku` → the list; empty → undefined (any model). */
export function parseModels(text: string): string[] | undefined {
  const models = text
    .split(/[,\s]+/)
    .map((model) => model.trim())
    .filter(Boolean);
  return models.length > 0 ? models : undefined;
}

/** The models as the field shows them. */
export function modelsText(models: AccountView['models']): string {
  return (models ?? []).join(', ');
}

/** One editable account field: its text, setter, and (when editing) what the daemon's value became meanwhile. */
export interface TextValue {
  value: string;
  set(next: string): void;
  theirs?: string | undefined;
}

export interface AccountFieldsProps {
  /** Prefix of the inputs' ids: `account` for the add form, `edit-<id>` when editing. */
  idPrefix: string;
  label: TextValue;
  baseUrl: TextValue;
  apiKey: TextValue;
  models: TextValue;
  /** Under the key: adding says nothing; editing says the key stays unless one is typed. */
  apiKeyHint?: string;
  apiKeyPlaceholder?: string;
  labelHint?: string;
}

/**
 * Label, base URL, key and models, shared by "Add an account" and an account's Edit. The key is a
 * write-only password field: what it holds is sent, nothing is ever read back into it.
 */
export function AccountFields({ idPrefix, label, baseUrl, apiKey, models, apiKeyHint, apiKeyPlaceholder, labelHint }: AccountFieldsProps) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <Field id={id('label')} label="Label" hint={labelHint} theirs={label.theirs}>
        <input id={id('label')} type="text" value={label.value} aria-describedby={describedBy({ id: id('label'), hint: labelHint, theirs: label.theirs })} onInput={(e) => label.set(e.currentTarget.value)} />
      </Field>
      <Field id={id('base-url')} label="Base URL" theirs={baseUrl.theirs}>
        <input id={id('base-url')} type="url" value={baseUrl.value} aria-describedby={describedBy({ id: id('base-url'), theirs: baseUrl.theirs })} onInput={(e) => baseUrl.set(e.currentTarget.value)} />
      </Field>
      <Field id={id('api-key')} label="API key" hint={apiKeyHint}>
        <input
          id={id('api-key')}
          type="password"
          autocomplete="off"
          placeholder={apiKeyPlaceholder}
          value={apiKey.value}
          aria-describedby={describedBy({ id: id('api-key'), hint: apiKeyHint })}
          onInput={(e) => apiKey.set(e.currentTarget.value)}
        />
      </Field>
      <Field id={id('models')} label="Models (comma-separated, * wildcards; empty: any model)" theirs={models.theirs}>
        <input id={id('models')} type="text" placeholder="any model" value={models.value} aria-describedby={describedBy({ id: id('models'), theirs: models.theirs })} onInput={(e) => models.set(e.currentTarget.value)} />
      </Field>
    </>
  );
}
