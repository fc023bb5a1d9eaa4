import { createRequire } from 'node:module';

type CountryCoder = typeof import('@rapideditor/country-coder');
type Position = number[];

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/**
 * Country borders from @rapideditor/country-coder (ISC; the borders the OpenStreetMap iD and
 * Rapid editors use: a few hundred points a country, drawn through the sea beyond the coast). Its
 * import builds a spatial index (about 100 ms), so it is required on the first distance asked,
 * synchronously (normalizers are synchronous).
 */
let coder: CountryCoder | undefined;
function countryCoder(): CountryCoder {
  coder ??= createRequire(import.meta.url)('@rapideditor/country-coder') as CountryCoder;
  return coder;
}

/**
 * A country's boundary, ready for distance queries: its points as unit vectors (x, y, z), and for
 * each boundary arc A→B the unit normal n of its great circle with u = n × A and v = B × n, so
 * that a point P lies over the arc when P·u ≥ 0 and P·v ≥ 0, and is then |P·n| (the sine of the
 * angle) from it. Nine numbers an arc: a query is dot products only, no trigonometry.
 */
interface Boundary {
  points: Float64Array;
  arcs: Float64Array;
}
const boundaryByCountry = new Map<string, Boundary | null>();

function unit(lon: number, lat: number): [number, number, number] {
  const cosLat = Math.cos(lat * RAD);
  return [cosLat * Math.cos(lon * RAD), cosLat * Math.sin(lon * RAD), Math.sin(lat * RAD)];
}

function cross(a: number[], b: number[]): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function boundaryOf(rings: Position[][]): Boundary {
  const points: number[] = [];
  const arcs: number[] = [];
  for (const ring of rings) {
    let previous: [number, number, number] | undefined;
    for (const [lon, lat] of ring) {
      const b = unit(lon, lat);
      points.push(...b);
      if (previous) {
        const n = cross(previous, b);
        const length = Math.hypot(...n);
        // A zero-length or antipodal arc has no great circle: its ends stand for it.
        if (length > 1e-12) {
          const unitN = n.map((c) => c / length);
          arcs.push(...unitN, ...cross(unitN, previous), ...cross(b, unitN));
        }
      }
      previous = b;
    }
  }
  return { points: Float64Array.from(points), arcs: Float64Array.from(arcs) };
}

/** An officially assigned ISO 3166-1 alpha-2 code other than `code` (what an IP database may name instead). */
function otherOfficialCode(group: string, code: string): boolean {
  return group !== code && /^[A-Z]{2}$/.test(group) && countryCoder().feature(group)?.properties.isoStatus === 'official';
}

/**
 * The land (and near sea) of the country an IP database names with `code`: the features coded
 * `code`, and its parts that neither have an official ISO 3166-1 code of their own nor belong to
 * a territory that has one (England, Alaska, metropolitan France, the Canary Islands). Dependent
 * territories with their own code (Puerto Rico, the Falklands, Réunion, Bonaire as BQ) are not
 * part of it: IP databases name them by their own codes.
 */
function countryBoundary(code: string): Boundary | null {
  const cached = boundaryByCountry.get(code);
  if (cached !== undefined) return cached;
  const rings: Position[][] = [];
  for (const feature of countryCoder().borders.features) {
    const p = feature.properties;
    const own =
      p.iso1A2 === code ||
      (p.country === code && p.isoStatus !== 'official' && !(p.groups ?? []).some((group: string) => otherOfficialCode(group, code)));
    const geometry = feature.geometry;
    if (!own || !geometry) continue;
    if (geometry.type === 'Polygon') rings.push(...geometry.coordinates);
    else if (geometry.type === 'MultiPolygon') for (const polygon of geometry.coordinates) rings.push(...polygon);
  }
  const result = rings.length > 0 ? boundaryOf(rings) : null;
  boundaryByCountry.set(code, result);
  return result;
}

/**
 * How far (km, whole) a point is from the country `code` (ISO 3166-1 alpha-2, as an IP database
 * names it): 0 when the point lies in it, else the great-circle distance to its nearest border
 * point. Undefined for a code without borders in the data. With country-level IP data this is a
 * lower bound of the distance between the IP and the point: the IP is somewhere in that country.
 */
export function kmFromCountry(code: string, latitude: number, longitude: number): number | undefined {
  const country = code.toUpperCase();
  const boundary = countryBoundary(country);
  if (!boundary) return undefined;
  if (countryCoder().iso1A2Codes([longitude, latitude]).includes(country)) return 0;
  const [px, py, pz] = unit(longitude, latitude);
  // The nearest boundary point as the largest cosine (a vertex) or the smallest sine (over an arc).
  let bestCos = -1;
  const { points, arcs } = boundary;
  for (let i = 0; i < points.length; i += 3) bestCos = Math.max(bestCos, px * points[i] + py * points[i + 1] + pz * points[i + 2]);
  for (let i = 0; i < arcs.length; i += 9) {
    if (px * arcs[i + 3] + py * arcs[i + 4] + pz * arcs[i + 5] < 0) continue;
    if (px * arcs[i + 6] + py * arcs[i + 7] + pz * arcs[i + 8] < 0) continue;
    const sine = Math.abs(px * arcs[i] + py * arcs[i + 1] + pz * arcs[i + 2]);
    bestCos = Math.max(bestCos, Math.sqrt(Math.max(0, 1 - sine * sine)));
  }
  return Math.round(Math.acos(Math.min(1, bestCos)) * EARTH_RADIUS_KM);
}
