import { useState } from 'react';
import type { JobSummary } from '../../../src-shared/model/job';
import { parseMpan } from '../../../src-shared/model/mpan';
import { parseMprn } from '../../../src-shared/model/mprn';
import { t } from '../../i18n/i18n';
import { Field } from '../../components/field';
import { toEngineerError } from '../../errors/engineer-errors';
import { invoke } from '../../ipc';
import { useEngineer } from './engineer-banner';

export interface JobFormValues {
  line1: string;
  town: string;
  postcode: string;
  mpan: string;
  mprn: string;
  engineer: string;
  notes: string;
}

const EMPTY: JobFormValues = { line1: '', town: '', postcode: '', mpan: '', mprn: '', engineer: '', notes: '' };

type FieldErrors = Partial<Record<keyof JobFormValues, string>>;

/** Checks what can be checked here, with the same rules main applies, so the engineer sees errors at once. */
function validate(values: JobFormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.line1.trim()) errors.line1 = 'Enter the first line of the address.';
  if (!values.town.trim()) errors.town = 'Enter the town.';
  if (!values.postcode.trim()) errors.postcode = 'Enter the postcode.';
  if (values.mpan.trim()) {
    const mpan = parseMpan(values.mpan);
    if (!mpan.ok) errors.mpan = mpan.error;
  }
  if (values.mprn.trim()) {
    const mprn = parseMprn(values.mprn);
    if (!mprn.ok) errors.mprn = mprn.error;
  }
  if (!values.mpan.trim() && !values.mprn.trim()) errors.mpan = 'Enter an MPAN, an MPRN or both.';
  return errors;
}

function FormField(props: {
  id: keyof JobFormValues;
  label: string;
  values: JobFormValues;
  errors: FieldErrors;
  onChange(id: keyof JobFormValues, value: string): void;
  inputMode?: 'numeric';
}): React.JSX.Element {
  return (
    <Field id={`job-${props.id}`} label={props.label} error={props.errors[props.id]}>
      {(control) => (
        <input
          {...control}
          name={props.id}
          value={props.values[props.id]}
          inputMode={props.inputMode}
          onChange={(e) => props.onChange(props.id, e.target.value)}
        />
      )}
    </Field>
  );
}

/** Create (no `jobId`) or edit a job's premises. */
export function JobForm(props: { jobId?: string; initial?: JobFormValues; onDone(summary: JobSummary | undefined): void }): React.JSX.Element {
  // A new job's Engineer field is prefilled with the remembered name: whoever is working is who the events name.
  const remembered = useEngineer((s) => (s.engineer?.source === 'system' ? undefined : s.engineer?.name));
  const [values, setValues] = useState<JobFormValues>(props.initial ?? { ...EMPTY, engineer: remembered ?? '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const change = (id: keyof JobFormValues, value: string): void => setValues((v) => ({ ...v, [id]: value }));

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const address = { line1: values.line1.trim(), town: values.town.trim(), postcode: values.postcode.trim() };
    const optional = (value: string): string | undefined => (value.trim() ? value.trim() : undefined);
    const result = props.jobId
      ? await invoke('jobs:updatePremises', {
          id: props.jobId,
          changes: {
            address,
            mpan: optional(values.mpan) ?? null,
            mprn: optional(values.mprn) ?? null,
            engineer: optional(values.engineer) ?? null,
            notes: optional(values.notes) ?? null,
          },
        })
      : await invoke('jobs:create', {
          premises: { address, mpan: optional(values.mpan), mprn: optional(values.mprn), engineer: optional(values.engineer), notes: optional(values.notes) },
        });
    setBusy(false);
    if (result.ok) {
      if (!props.jobId && values.engineer.trim()) void useEngineer.getState().load();
      props.onDone(result.value);
      return;
    }
    // Contract errors go beside their field ("premises.mpan" → MPAN), in an engineer's words.
    const shown = toEngineerError(
      result.error,
      props.jobId ? { changes: { mpan: values.mpan, mprn: values.mprn } } : { premises: { mpan: values.mpan, mprn: values.mprn } },
    );
    const byField: FieldErrors = {};
    for (const [path, sentence] of Object.entries(shown.fields)) {
      const key = path.split('.').at(-1) as keyof JobFormValues;
      if (key in EMPTY) byField[key] = sentence;
    }
    setErrors(byField);
    setFormError(Object.keys(byField).length > 0 ? undefined : shown.message);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="job-form-title">
      <h2 id="job-form-title">{props.jobId ? t('jobs.form.editTitle') : t('jobs.form.createTitle')}</h2>
      <FormField id="line1" label={t('jobs.form.address')} values={values} errors={errors} onChange={change} />
      <FormField id="town" label={t('jobs.form.town')} values={values} errors={errors} onChange={change} />
      <FormField id="postcode" label={t('jobs.form.postcode')} values={values} errors={errors} onChange={change} />
      <FormField id="mpan" label={t('jobs.form.mpan')} values={values} errors={errors} onChange={change} inputMode="numeric" />
      <FormField id="mprn" label={t('jobs.form.mprn')} values={values} errors={errors} onChange={change} inputMode="numeric" />
      <FormField id="engineer" label={t('jobs.form.engineer')} values={values} errors={errors} onChange={change} />
      <div className="field">
        <label htmlFor="job-notes">{t('jobs.form.notes')}</label>
        <textarea id="job-notes" value={values.notes} onChange={(e) => change('notes', e.target.value)} />
      </div>
      {formError ? (
        <p className="field-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {props.jobId ? t('common.save') : t('jobs.form.create')}
        </button>
        <button type="button" onClick={() => props.onDone(undefined)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
