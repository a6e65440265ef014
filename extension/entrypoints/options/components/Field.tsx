import type { ComponentChildren } from 'preact';

export interface FieldProps {
  /** The control's id: the label points at it, and hint / error / notice ids derive from it. */
  id: string;
  label: ComponentChildren;
  /** A checkbox: control first, then its label, on one line. */
  inline?: boolean;
  hint?: ComponentChildren;
  error?: string | null;
  /** The daemon's value changed while this field was being edited: what it is now. */
  theirs?: string;
  children: ComponentChildren;
}

/** The ids a field's control should name in aria-describedby (hint, error, changed notice). */
export function describedBy(props: Pick<FieldProps, 'id' | 'hint' | 'error' | 'theirs'>): string | undefined {
  const ids = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`, props.theirs !== undefined && `${props.id}-changed`].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** One labelled form row of the options page: label, control, then its hint, error and "changed elsewhere" notice. */
export function Field({ id, label, inline, hint, error, theirs, children }: FieldProps) {
  const labelElement = <label for={id}>{label}</label>;
  return (
    <div class="field">
      {inline ? (
        <span class="checkbox">
          {children}
          {labelElement}
        </span>
      ) : (
        <>
          {labelElement}
          {children}
        </>
      )}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
      <ChangedNotice id={id} theirs={theirs} />
    </div>
  );
}

/** Says what the daemon's value became while the user was editing `id` (nothing when it did not change). */
export function ChangedNotice({ id, theirs }: { id: string; theirs: string | undefined }) {
  if (theirs === undefined) return null;
  return (
    <p id={`${id}-changed`} class="changed" data-testid="changed-elsewhere" role="status">
      Changed elsewhere to <code>{theirs}</code> while you were editing. Save keeps yours; Cancel takes it.
    </p>
  );
}
