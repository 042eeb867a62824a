import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { useMemo } from 'react';
import type { MapLink, MapNode, NetworkMap } from '../../../src-shared/model/han-links';
import { t } from '../../i18n/i18n';
import { lqiClass } from './link-quality';

const WIDTH = 720;
const HEIGHT = 360;

interface Placed extends SimulationNodeDatum {
  readonly node: MapNode;
}

/**
 * Positions nodes with d3-force, run to rest here (300 ticks, no animation) so React draws the SVG once with plain
 * attributes — no style attributes, which the CSP (style-src 'self') would block. Strong links pull harder, so
 * devices sit near the neighbour they hear best; the coordinator is pinned in the centre.
 */
function layout(map: NetworkMap): { nodes: Map<string, Placed>; links: { link: MapLink; source: Placed; target: Placed }[] } {
  const nodes = new Map<string, Placed>(map.nodes.map((node, i) => [node.id, { node, x: WIDTH / 2 + Math.cos(i) * 80, y: HEIGHT / 2 + Math.sin(i) * 80 }]));
  const coordinator = map.nodes.find((n) => n.role === 'coordinator');
  if (coordinator) Object.assign(nodes.get(coordinator.id)!, { fx: WIDTH / 2, fy: HEIGHT / 2 });
  const links = map.links
    .filter((l) => nodes.has(l.source) && nodes.has(l.target))
    .map((link) => ({ link, source: nodes.get(link.source)!, target: nodes.get(link.target)! }));
  const simulation = forceSimulation<Placed>([...nodes.values()])
    .force(
      'link',
      forceLink<Placed, SimulationLinkDatum<Placed> & { link: MapLink }>(links.map((l) => ({ source: l.source, target: l.target, link: l.link }))).distance(
        (l) => 110 + (255 - l.link.lqi) * 0.6,
      ),
    )
    .force('charge', forceManyBody().strength(-700))
    .force('collide', forceCollide(56))
    .force('centre', forceCenter(WIDTH / 2, HEIGHT / 2))
    .stop();
  simulation.tick(300);
  for (const placed of nodes.values()) {
    // Inside the frame with room for the label under each node.
    placed.x = Math.min(WIDTH - 60, Math.max(60, placed.x ?? 0));
    placed.y = Math.min(HEIGHT - 40, Math.max(24, placed.y ?? 0));
  }
  return { nodes, links };
}

/** The network map: nodes (coordinator, routers, end devices) and links coloured by LQI, with a table alternative. */
export function NetworkMapView({ map }: { map: NetworkMap }): React.JSX.Element {
  const placed = useMemo(() => layout(map), [map]);
  const label = (id: string): string => map.nodes.find((n) => n.id === id)?.label ?? id;
  return (
    <>
      <svg className="network-map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="network-map-title" data-testid="network-map">
        <title id="network-map-title">{t('diag.map.svgTitle', { nodes: map.nodes.length, links: map.links.length })}</title>
        {placed.links.map(({ link, source, target }) => (
          <g key={`${link.source}-${link.target}`}>
            <line className={`map-link ${lqiClass(link.lqi)}`} x1={source.x} y1={source.y} x2={target.x} y2={target.y} />
            <text className="chart-label" x={((source.x ?? 0) + (target.x ?? 0)) / 2} y={((source.y ?? 0) + (target.y ?? 0)) / 2 - 4} textAnchor="middle">
              {link.lqi}
            </text>
          </g>
        ))}
        {[...placed.nodes.values()].map(({ node, x, y }) => (
          <g key={node.id} data-node={node.id}>
            <circle className={`map-node ${node.role}`} cx={x} cy={y} r={node.role === 'coordinator' ? 14 : node.role === 'router' ? 11 : 8} />
            <text className="chart-label" x={x} y={(y ?? 0) + 26} textAnchor="middle">
              {node.label}
            </text>
          </g>
        ))}
      </svg>
      <table data-testid="network-map-table">
        <caption>{t('diag.map.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('diag.map.from')}</th>
            <th scope="col">{t('diag.map.to')}</th>
            <th scope="col">{t('diag.map.relationship')}</th>
            <th scope="col">{t('diag.links.lqi')}</th>
          </tr>
        </thead>
        <tbody>
          {map.links.map((link) => (
            <tr key={`${link.source}-${link.target}`}>
              <td>{label(link.source)}</td>
              <td>{label(link.target)}</td>
              <td>{link.relationship}</td>
              <td className={`mono ${lqiClass(link.lqi)}-text`}>{link.lqi}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {map.unreadable.length > 0 ? <p className="hint">{t('diag.map.unreadable', { devices: map.unreadable.map(label).join(', ') })}</p> : null}
    </>
  );
}
