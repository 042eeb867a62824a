import { useId } from 'react';

/** What a control needs so its label, hint and error are tied to it for every user, including screen readers. */
export interface FieldControlProps {
  readonly id: string;
  readonly 'aria-invalid': true | undefined;
  readonly 'aria-describedby': string | undefined;
}

/**
 * One field: label, control, optional hint, and the error beside the control that caused it (announced, and
 * referenced by the control's aria-describedby). Every form uses this, so an error never floats away from its field.
 */
export function Field(props: {
  readonly label: React.ReactNode;
  readonly error?: string | undefined;
  readonly hint?: React.ReactNode;
  readonly id?: string;
  readonly testId?: string;
  /** A test id for the error message itself. */
  readonly errorTestId?: string;
  readonly children: (control: FieldControlProps) => React.ReactNode;
}): React.JSX.Element {
  const generated = useId();
  const id = props.id ?? generated;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field" data-testid={props.testId}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': props.error ? true : undefined, 'aria-describedby': describedBy })}
      {props.hint ? (
        <div id={hintId} className="hint">
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <div id={errorId} className="field-error" role="alert" data-testid={props.errorTestId}>
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

/** A button that, when it cannot be used, says why right beside it (and to screen readers through its description). */
export function ActionButton(
  props: React.ButtonHTMLAttributes<HTMLButtonElement> & { readonly disabledReason?: string | undefined; readonly busy?: boolean },
): React.JSX.Element {
  const { disabledReason, busy, children, ...button } = props;
  const reasonId = useId();
  const disabled = busy === true || disabledReason !== undefined || button.disabled === true;
  return (
    <span className="action">
      <button type="button" {...button} disabled={disabled} aria-describedby={disabledReason ? reasonId : button['aria-describedby']}>
        {children}
      </button>
      {disabledReason ? (
        <span id={reasonId} className="hint disabled-reason">
          {disabledReason}
        </span>
      ) : null}
    </span>
  );
}
