import { DEVICE_STAGES, type InstallReport, type ReportDevice } from '../../../src-shared/reports/report-model';
import { formatDateTime } from '../../i18n/format';
import { t } from '../../i18n/i18n';

/**
 * The install report as HTML, from the same model main puts in the PDF and JSON, so what the engineer reads
 * here is what the files say. Identifiers are never wrapped (class "identifier").
 */

// The report's times are UTC; shown here in the engineer's locale and local time, with the offset from UTC.
const time = (iso: string | undefined): string => (iso ? formatDateTime(iso, { offset: true }) : t('common.none'));
const none = t('common.none');

function Id({ value }: { value: string | undefined }): React.JSX.Element {
  return value ? <span className="mono identifier">{value}</span> : <>{none}</>;
}

function Section(props: { title: string; empty: boolean; children: React.ReactNode }): React.JSX.Element {
  return (
    <section className="report-section">
      <h3>{props.title}</h3>
      {props.empty ? <p>{t('reports.preview.noneRecorded')}</p> : props.children}
    </section>
  );
}

function DeviceRow({ device }: { device: ReportDevice }): React.JSX.Element {
  const reasons = DEVICE_STAGES.map((s) => (device.stages[s]?.reason ? `${s}: ${device.stages[s]!.reason}` : undefined)).filter(Boolean);
  return (
    <tr>
      <td>{device.id ?? none}</td>
      <td>{device.type}</td>
      <td>
        <Id value={device.eui64} />
      </td>
      <td className="mono">{device.installCode ?? none}</td>
      <td>{device.status}</td>
      {DEVICE_STAGES.map((s) => (
        <td key={s}>{device.stages[s]?.outcome ?? none}</td>
      ))}
      <td>{device.linkQuality ? `${device.linkQuality.lqi ?? none} / ${device.linkQuality.rssi ?? none}` : none}</td>
      <td>{[device.label, ...reasons, device.statusReason].filter(Boolean).join(' · ') || none}</td>
    </tr>
  );
}

export function ReportPreview({ report }: { report: InstallReport }): React.JSX.Element {
  const { premises, visit, timeline } = report;
  const address = [premises.address.line1, premises.address.line2, premises.address.town, premises.address.postcode].filter(Boolean).join(', ');
  return (
    <article className="card report-preview" aria-labelledby="report-preview-title" data-testid="report-preview">
      <h2 id="report-preview-title">{t('reports.preview.title', { events: timeline.eventCount })}</h2>
      {report.status === 'draft' ? (
        <p className="warning-text" role="note" data-testid="report-draft">
          {t('reports.preview.draft')}
        </p>
      ) : null}
      <dl>
        <dt>{t('reports.preview.job')}</dt>
        <dd>
          <Id value={report.job.id} />
        </dd>
        <dt>{t('reports.preview.workOrder')}</dt>
        <dd>{report.job.workOrderReference ?? none}</dd>
        <dt>{t('reports.preview.premises')}</dt>
        <dd>{address}</dd>
        <dt>MPAN</dt>
        <dd>
          <Id value={premises.mpan} />
        </dd>
        <dt>MPRN</dt>
        <dd>
          <Id value={premises.mprn} />
        </dd>
        <dt>{t('reports.preview.engineer')}</dt>
        <dd>{report.engineer.assigned ?? report.engineer.recordedBy.join(', ')}</dd>
        <dt>{t('reports.preview.period')}</dt>
        <dd>
          {t('reports.preview.periodValue', { start: time(visit.startedAt), end: visit.endedAt ? time(visit.endedAt) : t('reports.preview.notFinished') })}
        </dd>
        <dt>{t('reports.preview.route')}</dt>
        <dd>{visit.route}</dd>
        <dt>{t('reports.preview.outcome')}</dt>
        <dd data-testid="report-outcome">{visit.outcomeReason ? `${visit.outcome} — ${visit.outcomeReason}` : visit.outcome}</dd>
      </dl>

      <Section title={t('reports.preview.devices', { count: report.devices.length })} empty={report.devices.length === 0}>
        {/* Focusable so a keyboard user can scroll a wide device table. */}
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('reports.preview.devices', { count: report.devices.length })}>
          <table>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">{t('jobs.device.type')}</th>
                <th scope="col">EUI-64</th>
                <th scope="col">{t('jobs.device.installCode')}</th>
                <th scope="col">{t('jobs.device.status')}</th>
                {DEVICE_STAGES.map((s) => (
                  <th scope="col" key={s}>
                    {t(`reports.stage.${s}`)}
                  </th>
                ))}
                <th scope="col">{t('reports.preview.link')}</th>
                <th scope="col">{t('reports.preview.details')}</th>
              </tr>
            </thead>
            <tbody>
              {report.devices.map((device, i) => (
                <DeviceRow key={device.id ?? `${device.eui64}-${i}`} device={device} />
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section title={t('reports.preview.commsHub')} empty={!report.commsHub}>
        {report.commsHub ? (
          <p>
            <Id value={report.commsHub.deviceId} /> ·{' '}
            {[report.commsHub.installType, report.commsHub.connectionMethod, report.commsHub.location, report.commsHub.premisesType, report.commsHub.aerial]
              .filter(Boolean)
              .join(' · ')}
          </p>
        ) : null}
      </Section>

      <Section title={t('reports.preview.removedMeters')} empty={report.removedMeters.length === 0}>
        <ul>
          {report.removedMeters.map((m) => (
            <li key={m.seq}>
              <Id value={m.serial} /> {m.fuel} {m.finalReading ? `${m.finalReading.value} ${m.finalReading.unit} (${m.finalReading.readBy})` : ''}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('reports.preview.readings')} empty={report.readings.length === 0}>
        <ul>
          {report.readings.map((r, i) => (
            <li key={`${r.seq}-${i}`}>
              {r.source}: {r.value} {r.unit} · {time(r.takenAt)}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('reports.preview.verifications')} empty={report.verifications.length === 0}>
        <ul>
          {report.verifications.map((v) => (
            <li key={v.seq} data-testid="report-verification">
              <strong className={v.pass ? 'status-ok' : 'status-bad'}>{v.pass ? 'PASS' : 'FAIL'}</strong> {v.first.source} {v.first.value} {v.first.unit} /{' '}
              {v.second.source} {v.second.value} {v.second.unit} — {v.reason}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('reports.preview.pairings')} empty={report.pairings.length === 0}>
        <ul>
          {report.pairings.map((p) => (
            <li key={p.seq}>
              <Id value={p.ihd} /> → <Id value={p.meter} /> {p.action}
              {p.proven === undefined
                ? ''
                : p.proven
                  ? ` · ${t('reports.preview.proven', { reports: p.reportsReceived ?? 0 })}`
                  : ` · ${t('reports.preview.notProven')}`}
              {p.error ? ` — ${p.error}` : ''}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('reports.preview.rfSurvey')} empty={report.rfSurvey.length === 0}>
        <ul>
          {report.rfSurvey.map((p) => (
            <li key={p.seq}>
              {p.position}: LQI {p.lqi ?? none}, RSSI {p.rssi ?? none}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('reports.preview.faults')} empty={report.faults.length === 0}>
        <ul>
          {report.faults.map((f) => (
            <li key={`${f.seq}-${f.kind}`}>
              {f.kind}
              {f.step ? ` (${f.step})` : ''}: {f.reason}
              {f.detail ? ` — ${f.detail}` : ''}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('reports.preview.dccRequests')} empty={report.dccRequests.length === 0}>
        <ul>
          {report.dccRequests.map((r) => (
            <li key={r.requestId}>
              <Id value={r.requestId} /> {r.serviceRequest} · {r.responseCode ?? none} · {r.outcome}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('reports.preview.notes')} empty={report.notes.length === 0}>
        <ul>
          {report.notes.map((n) => (
            <li key={n.seq}>
              {n.text} <span className="hint">— {n.engineer}</span>
            </li>
          ))}
        </ul>
      </Section>

      <p className="hint">
        {t('reports.preview.evidence', { events: timeline.eventCount })} <Id value={timeline.headHash} />
      </p>
    </article>
  );
}
