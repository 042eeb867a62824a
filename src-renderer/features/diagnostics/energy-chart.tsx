import type { EnergyView } from '../../../src-shared/ipc/channels/diagnostics';
import { SE_PREFERRED_CHANNELS, ZIGBEE_CHANNELS } from '../../../src-shared/model/rf-survey';
import { t } from '../../i18n/i18n';

const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 44;
const BOTTOM = 44;
const TOP = 12;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const SLOT = (WIDTH - LEFT - 8) / ZIGBEE_CHANNELS.length;

/** Bar height for a value on the adapter's scale: 0–255 energy, or −100…0 dBm (Ember). */
function scaleY(value: number, dBm: boolean): number {
  const fraction = dBm ? Math.min(1, Math.max(0, (value + 100) / 100)) : Math.min(1, Math.max(0, value / 255));
  return fraction * PLOT_H;
}

/**
 * The energy scan as an SVG bar chart drawn by React (no injected styles: colours come from classes in
 * diagnostics.css): the latest reading per channel, the min–max range of repeated scans as a whisker, SE preferred
 * channels marked with a ★ under the axis, the recommended channel outlined. The table below it carries the same
 * figures for screen readers, so the SVG is one labelled image.
 */
export function EnergyChart({ energy }: { energy: EnergyView }): React.JSX.Element {
  const latest = new Map((energy.latest?.channels ?? []).map((c) => [c.channel, c.energy ?? c.rssi]));
  const stats = new Map(energy.stats.map((s) => [s.channel, s]));
  const dBm = energy.stats[0]?.scale === 'dBm';
  const recommended = energy.recommendation?.channel;
  return (
    <svg
      className="energy-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby="energy-chart-title"
      data-testid="energy-chart"
      preserveAspectRatio="xMidYMid meet"
    >
      <title id="energy-chart-title">{t('diag.energy.chartTitle', { scans: energy.scans })}</title>
      <line className="chart-axis" x1={LEFT} y1={TOP + PLOT_H} x2={WIDTH - 4} y2={TOP + PLOT_H} />
      <line className="chart-axis" x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + PLOT_H} />
      {[0, 0.5, 1].map((f) => (
        <text key={f} className="chart-label" x={LEFT - 6} y={TOP + PLOT_H - f * PLOT_H + 4} textAnchor="end">
          {dBm ? String(Math.round(-100 + f * 100)) : String(Math.round(f * 255))}
        </text>
      ))}
      {ZIGBEE_CHANNELS.map((channel, i) => {
        const x = LEFT + i * SLOT + SLOT * 0.2;
        const w = SLOT * 0.6;
        const value = latest.get(channel);
        const s = stats.get(channel);
        const h = value === undefined || value === null ? 0 : scaleY(value, dBm);
        const preferred = SE_PREFERRED_CHANNELS.includes(channel);
        return (
          <g key={channel} data-channel={channel}>
            {h > 0 ? (
              <rect
                className={`energy-bar${preferred ? ' preferred' : ''}${channel === recommended ? ' recommended' : ''}`}
                x={x}
                y={TOP + PLOT_H - h}
                width={w}
                height={h}
              />
            ) : null}
            {s && s.samples > 1 ? (
              <line className="energy-range" x1={x + w / 2} x2={x + w / 2} y1={TOP + PLOT_H - scaleY(s.max, dBm)} y2={TOP + PLOT_H - scaleY(s.min, dBm)} />
            ) : null}
            <text className="chart-label" x={x + w / 2} y={TOP + PLOT_H + 16} textAnchor="middle">
              {channel}
            </text>
            {preferred ? (
              <text className="chart-label preferred-mark" x={x + w / 2} y={TOP + PLOT_H + 32} textAnchor="middle">
                ★
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** The chart's figures as a table: latest, min/mean/max, SE preferred and the Wi-Fi channels each overlaps. */
export function EnergyTable({ energy }: { energy: EnergyView }): React.JSX.Element {
  const latest = new Map((energy.latest?.channels ?? []).map((c) => [c.channel, c]));
  const stats = new Map(energy.stats.map((s) => [s.channel, s]));
  const wifi = new Map(energy.wifi.map((w) => [w.channel, w.overlaps]));
  const cell = (value: number | null | undefined): string => (value === null || value === undefined ? t('common.none') : String(value));
  return (
    <table data-testid="energy-table">
      <caption>{t('diag.energy.tableCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('diag.energy.channel')}</th>
          <th scope="col">{energy.stats[0]?.scale === 'dBm' ? t('diag.energy.latestDbm') : t('diag.energy.latest')}</th>
          <th scope="col">{t('diag.energy.min')}</th>
          <th scope="col">{t('diag.energy.mean')}</th>
          <th scope="col">{t('diag.energy.max')}</th>
          <th scope="col">{t('diag.energy.sePreferred')}</th>
          <th scope="col">{t('diag.energy.wifi')}</th>
        </tr>
      </thead>
      <tbody>
        {ZIGBEE_CHANNELS.filter((c) => latest.has(c) || stats.has(c)).map((channel) => {
          const s = stats.get(channel);
          const reading = latest.get(channel);
          return (
            <tr key={channel} className={channel === energy.recommendation?.channel ? 'row-highlight' : undefined}>
              <th scope="row">{channel}</th>
              <td className="mono">{cell(reading?.energy ?? reading?.rssi)}</td>
              <td className="mono">{cell(s?.min)}</td>
              <td className="mono">{cell(s?.mean)}</td>
              <td className="mono">{cell(s?.max)}</td>
              <td>{SE_PREFERRED_CHANNELS.includes(channel) ? t('diag.yes') : t('diag.no')}</td>
              <td>{wifi.get(channel)?.join(', ') || t('common.none')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
