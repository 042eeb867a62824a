import { useState } from 'react';
import type { VisitAnswersInput } from '../../../src-shared/model/visit-events';
import { CHF_CONNECTION_METHODS, CHF_LOCATIONS, PREMISE_TYPES, READ_METHODS } from '../../../src-shared/model/visit-vocabulary';
import { t } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-en';

type Form = VisitAnswersInput['form'];
type Submit = (answers: VisitAnswersInput) => Promise<boolean>;

function Check(props: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void }): React.JSX.Element {
  return (
    <div className="install-check">
      <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={props.id}>{props.label}</label>
    </div>
  );
}

function Choice<T extends string>(props: { id: string; label: string; value: T; options: readonly T[]; onChange: (v: T) => void }): React.JSX.Element {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

function Text(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  inputMode?: 'decimal' | 'text';
  autoFocus?: boolean;
}): React.JSX.Element {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={props.value}
        inputMode={props.inputMode ?? 'text'}
        autoFocus={props.autoFocus}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

const num = (s: string): number => Number(s.replace(',', '.'));

/** The form a step needs, in the engineer's terms; submitting records it as a visit.answers event. */
export function AnswerForm(props: { form: Form; onSubmit: Submit; gas: boolean }): React.JSX.Element | null {
  const [v, setV] = useState<Record<string, string | boolean>>({});
  const s = (k: string, d = ''): string => (typeof v[k] === 'string' ? (v[k] as string) : d);
  const b = (k: string, d = false): boolean => (typeof v[k] === 'boolean' ? (v[k] as boolean) : d);
  const set = (k: string) => (value: string | boolean) => setV((old) => ({ ...old, [k]: value }));
  const id = (k: string): string => `install-${props.form}-${k}`;
  const build = (): VisitAnswersInput => {
    switch (props.form) {
      case 'pre-checks':
        return { form: 'pre-checks', jobDetailsConfirmed: b('job'), mpanConfirmed: b('mpan'), ...(props.gas ? { mprnConfirmed: b('mprn') } : {}) };
      case 'removed-meter':
        return {
          form: 'removed-meter',
          fuel: s('fuel', 'electricity') as 'electricity' | 'gas',
          serial: s('serial'),
          finalReading: { value: num(s('reading')), unit: s('unit', 'kWh') as 'kWh' | 'm3' | 'ft3' },
          readMethod: s('method', 'display') as 'display' | 'han' | 'optical',
        };
      case 'comms-hub':
        return {
          form: 'comms-hub',
          chfId: s('chfId'),
          connectionMethod: s('connection', CHF_CONNECTION_METHODS[0]) as (typeof CHF_CONNECTION_METHODS)[number],
          location: s('location', CHF_LOCATIONS[1]) as (typeof CHF_LOCATIONS)[number],
          premiseType: s('premise', PREMISE_TYPES[0]) as (typeof PREMISE_TYPES)[number],
          aerialInstall: b('aerial'),
          wanAvailable: b('wan', true),
          metalObstructionCheck: b('metal'),
          connectivityObstructionCheck: b('connectivity'),
          sharedObstructionCheck: b('shared'),
        };
      case 'display-reading':
        return { form: 'display-reading', value: num(s('value')), unit: s('unit', 'kWh') as 'kWh' | 'Wh' | 'm3' };
      case 'rf-survey-position':
        return {
          form: 'rf-survey-position',
          position: s('position'),
          ...(s('rssi') ? { rssi: num(s('rssi')) } : {}),
          ...(s('lqi') ? { lqi: num(s('lqi')) } : {}),
        };
      case 'ihd-pairing-check':
        return { form: 'ihd-pairing-check', showsElectricity: b('elec'), ...(props.gas ? { showsGas: b('gas') } : {}) };
      default:
        return { form: 'note', text: s('text') };
    }
  };
  const fields = (): React.JSX.Element => {
    switch (props.form) {
      case 'pre-checks':
        return (
          <>
            <Check id={id('job')} label={t('install.answers.jobConfirmed')} checked={b('job')} onChange={set('job')} />
            <Check id={id('mpan')} label={t('install.answers.mpanConfirmed')} checked={b('mpan')} onChange={set('mpan')} />
            {props.gas ? <Check id={id('mprn')} label={t('install.answers.mprnConfirmed')} checked={b('mprn')} onChange={set('mprn')} /> : null}
          </>
        );
      case 'removed-meter':
        return (
          <>
            <Choice
              id={id('fuel')}
              label={t('install.answers.fuel')}
              value={s('fuel', 'electricity')}
              options={['electricity', 'gas']}
              onChange={set('fuel')}
            />
            <Text id={id('serial')} label={t('install.answers.serial')} value={s('serial')} onChange={set('serial')} autoFocus />
            <div className="row">
              <Text id={id('reading')} label={t('install.answers.finalReading')} value={s('reading')} onChange={set('reading')} inputMode="decimal" />
              <Choice id={id('unit')} label={t('install.answers.unit')} value={s('unit', 'kWh')} options={['kWh', 'm3', 'ft3']} onChange={set('unit')} />
            </div>
            <Choice id={id('method')} label={t('install.answers.readMethod')} value={s('method', 'display')} options={READ_METHODS} onChange={set('method')} />
          </>
        );
      case 'comms-hub':
        return (
          <>
            <Text id={id('chfId')} label={t('install.answers.chfId')} value={s('chfId')} onChange={set('chfId')} autoFocus />
            <Choice
              id={id('connection')}
              label={t('install.answers.connection')}
              value={s('connection', CHF_CONNECTION_METHODS[0])}
              options={CHF_CONNECTION_METHODS}
              onChange={set('connection')}
            />
            <Choice
              id={id('location')}
              label={t('install.answers.location')}
              value={s('location', CHF_LOCATIONS[1])}
              options={CHF_LOCATIONS}
              onChange={set('location')}
            />
            <Choice
              id={id('premise')}
              label={t('install.answers.premise')}
              value={s('premise', PREMISE_TYPES[0])}
              options={PREMISE_TYPES}
              onChange={set('premise')}
            />
            <Check id={id('wan')} label={t('install.answers.wan')} checked={b('wan', true)} onChange={set('wan')} />
            <Check id={id('aerial')} label={t('install.answers.aerial')} checked={b('aerial')} onChange={set('aerial')} />
            {!b('wan', true) ? (
              <>
                <Check id={id('metal')} label={t('install.answers.metal')} checked={b('metal')} onChange={set('metal')} />
                <Check id={id('connectivity')} label={t('install.answers.connectivity')} checked={b('connectivity')} onChange={set('connectivity')} />
                <Check id={id('shared')} label={t('install.answers.shared')} checked={b('shared')} onChange={set('shared')} />
              </>
            ) : null}
          </>
        );
      case 'display-reading':
        return (
          <div className="row">
            <Text id={id('value')} label={t('install.answers.display')} value={s('value')} onChange={set('value')} inputMode="decimal" autoFocus />
            <Choice id={id('unit')} label={t('install.answers.unit')} value={s('unit', 'kWh')} options={['kWh', 'Wh', 'm3']} onChange={set('unit')} />
          </div>
        );
      case 'rf-survey-position':
        return (
          <>
            <Text id={id('position')} label={t('install.answers.position')} value={s('position')} onChange={set('position')} autoFocus />
            <div className="row">
              <Text id={id('rssi')} label={t('install.answers.rssi')} value={s('rssi')} onChange={set('rssi')} inputMode="decimal" />
              <Text id={id('lqi')} label={t('install.answers.lqi')} value={s('lqi')} onChange={set('lqi')} inputMode="decimal" />
            </div>
          </>
        );
      case 'ihd-pairing-check':
        return (
          <>
            <Check id={id('elec')} label={t('install.answers.ihdElectricity')} checked={b('elec')} onChange={set('elec')} />
            {props.gas ? <Check id={id('gas')} label={t('install.answers.ihdGas')} checked={b('gas')} onChange={set('gas')} /> : null}
          </>
        );
      default:
        return <Text id={id('text')} label={t('install.answers.note')} value={s('text')} onChange={set('text')} />;
    }
  };
  return (
    <form
      className="install-answers"
      aria-label={t(`install.form.${props.form}` as MessageKey)}
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSubmit(build()).then((ok) => ok && setV({}));
      }}
    >
      <h3>{t(`install.form.${props.form}` as MessageKey)}</h3>
      {fields()}
      <button type="submit" className="primary">
        {t('install.answers.save')}
      </button>
    </form>
  );
}
