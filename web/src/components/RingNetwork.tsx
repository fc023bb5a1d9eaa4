import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { IdentifierKind, RingDetail, Zone } from '../api.ts';
import { gidLabel } from './format.ts';

/** Node colour by the member's latest zone (Polaris critical / warning / success tones), grey when never scored. */
export const ZONE_COLOURS: Record<Zone | 'none', string> = { high: '#e51c00', medium: '#e8a000', low: '#29845a', none: '#8a8a8a' };
/** Edge colour by the kind of identifier the two members share. */
export const KIND_COLOURS: Record<IdentifierKind, string> = { address: '#2c6ecb', device: '#8051e0', payment: '#d2591b', email: '#0e7d7d', phone: '#b28b00', ip: '#616a75' };

/**
 * A ring as an interactive network (cytoscape, bundled): members are nodes coloured by their
 * latest zone, each shared kind of identifier an edge of its own colour; dragging, zooming and
 * clicking a member (→ `onSelect`) work as usual. The container carries the members' rendered
 * positions (`data-nodes`), for keyboard-less tests and tools.
 */
export function RingNetwork({ ring, onSelect }: { ring: RingDetail; onSelect: (memberKey: string) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  useEffect(() => {
    if (!container.current) return;
    const elements: cytoscape.ElementDefinition[] = [
      ...ring.memberList.map((m) => ({
        data: { id: m.key, label: gidLabel(m.customerId ?? m.guestOrderId), colour: ZONE_COLOURS[m.zone ?? 'none'], size: 26 + Math.min(24, m.orders * 4) },
      })),
      ...ring.links.flatMap((l) => l.kinds.map((kind) => ({ data: { id: `${l.source}|${l.target}|${kind}`, source: l.source, target: l.target, kind, colour: KIND_COLOURS[kind] } }))),
    ];
    const cy = cytoscape({
      container: container.current,
      elements,
      style: [
        {
          selector: 'node',
          style: { 'background-color': 'data(colour)', label: 'data(label)', width: 'data(size)', height: 'data(size)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, 'border-width': 2, 'border-color': '#ffffff' },
        },
        { selector: 'edge', style: { 'line-color': 'data(colour)', width: 3, 'curve-style': 'bezier', opacity: 0.85 } },
        { selector: 'node:selected', style: { 'border-color': '#303030', 'border-width': 3 } },
      ],
      layout: { name: ring.memberList.length <= 8 ? 'circle' : 'cose', animate: false, padding: 30 } as cytoscape.LayoutOptions,
      wheelSensitivity: 0.3,
    });
    cy.on('tap', 'node', (event) => select.current(event.target.id()));
    const publish = () => {
      if (!container.current) return;
      container.current.dataset.nodes = JSON.stringify(cy.nodes().map((n) => ({ key: n.id(), ...n.renderedPosition() })));
    };
    cy.on('layoutstop pan zoom resize position', publish);
    cy.ready(publish);
    return () => cy.destroy();
  }, [ring]);
  return <div ref={container} data-testid="ring-network" style={{ height: 420, width: '100%', background: '#fafafa', borderRadius: 8 }} />;
}
