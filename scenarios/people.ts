import type { Random } from './random.ts';

/**
 * The made-up people of the generated shop and what their checkouts send: names, email
 * addresses, phone numbers, postal addresses with coordinates, browsers and cards. Every value is
 * in the form Shopify's bodies carry it, and unique where a real shop's would almost always be
 * (two strangers do not share an email, a street address, a phone or a card; two devices are
 * told apart by user agent, language and window width), so the identity evidence in the
 * generated history is what the patterns put there, not chance. None of it is a real person's:
 * phone numbers use the 555 exchange, card numbers are drawn digits behind real brand prefixes.
 */

const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amelia',
  'Benjamin', 'Harper', 'Henry', 'Evelyn', 'Alexander', 'Abigail', 'Daniel', 'Emily', 'Michael', 'Ella', 'Sebastian',
  'Camila', 'Jack', 'Aria', 'Owen', 'Scarlett', 'Samuel', 'Grace', 'Jackson', 'Chloe', 'David', 'Layla', 'Joseph',
  'Priya', 'Wei', 'Aisha', 'Diego', 'Fatima', 'Hiroshi', 'Ngozi', 'Sofia', 'Andre', 'Maya', 'Tyrone', 'Leah',
] as const;
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King',
  'Wright', 'Scott', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell',
  'Patel', 'Kim', 'Okafor', 'Chen',
] as const;
const EMAIL_DOMAINS = [
  ['gmail.com', 45], ['icloud.com', 12], ['yahoo.com', 12], ['outlook.com', 8], ['hotmail.com', 8], ['aol.com', 3],
  ['comcast.net', 3], ['proton.me', 2],
] as const;
/** Throwaway mailbox providers (on mailchecker's list, which the app's disposable-email judgement reads). */
export const DISPOSABLE_DOMAINS = ['mailinator.com', 'yopmail.com', 'guerrillamail.com', 'sharklasers.com'] as const;

interface City {
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
  latitude: number;
  longitude: number;
  areaCode: string;
}

/** US cities with one of their ZIP codes, their centre's coordinates and an area code. */
const CITIES: readonly City[] = [
  { city: 'Seattle', province: 'Washington', provinceCode: 'WA', zip: '98103', latitude: 47.6062, longitude: -122.3321, areaCode: '206' },
  { city: 'Portland', province: 'Oregon', provinceCode: 'OR', zip: '97205', latitude: 45.5152, longitude: -122.6784, areaCode: '503' },
  { city: 'San Francisco', province: 'California', provinceCode: 'CA', zip: '94110', latitude: 37.7749, longitude: -122.4194, areaCode: '415' },
  { city: 'Los Angeles', province: 'California', provinceCode: 'CA', zip: '90026', latitude: 34.0522, longitude: -118.2437, areaCode: '213' },
  { city: 'San Diego', province: 'California', provinceCode: 'CA', zip: '92104', latitude: 32.7157, longitude: -117.1611, areaCode: '619' },
  { city: 'Phoenix', province: 'Arizona', provinceCode: 'AZ', zip: '85004', latitude: 33.4484, longitude: -112.074, areaCode: '602' },
  { city: 'Salt Lake City', province: 'Utah', provinceCode: 'UT', zip: '84102', latitude: 40.7608, longitude: -111.891, areaCode: '801' },
  { city: 'Denver', province: 'Colorado', provinceCode: 'CO', zip: '80205', latitude: 39.7392, longitude: -104.9903, areaCode: '303' },
  { city: 'Austin', province: 'Texas', provinceCode: 'TX', zip: '78704', latitude: 30.2672, longitude: -97.7431, areaCode: '512' },
  { city: 'Dallas', province: 'Texas', provinceCode: 'TX', zip: '75204', latitude: 32.7767, longitude: -96.797, areaCode: '214' },
  { city: 'Houston', province: 'Texas', provinceCode: 'TX', zip: '77006', latitude: 29.7604, longitude: -95.3698, areaCode: '713' },
  { city: 'Minneapolis', province: 'Minnesota', provinceCode: 'MN', zip: '55408', latitude: 44.9778, longitude: -93.265, areaCode: '612' },
  { city: 'Chicago', province: 'Illinois', provinceCode: 'IL', zip: '60614', latitude: 41.8781, longitude: -87.6298, areaCode: '312' },
  { city: 'Nashville', province: 'Tennessee', provinceCode: 'TN', zip: '37203', latitude: 36.1627, longitude: -86.7816, areaCode: '615' },
  { city: 'Detroit', province: 'Michigan', provinceCode: 'MI', zip: '48201', latitude: 42.3314, longitude: -83.0458, areaCode: '313' },
  { city: 'Columbus', province: 'Ohio', provinceCode: 'OH', zip: '43215', latitude: 39.9612, longitude: -82.9988, areaCode: '614' },
  { city: 'Atlanta', province: 'Georgia', provinceCode: 'GA', zip: '30308', latitude: 33.749, longitude: -84.388, areaCode: '404' },
  { city: 'Miami', province: 'Florida', provinceCode: 'FL', zip: '33130', latitude: 25.7617, longitude: -80.1918, areaCode: '305' },
  { city: 'Charlotte', province: 'North Carolina', provinceCode: 'NC', zip: '28203', latitude: 35.2271, longitude: -80.8431, areaCode: '704' },
  { city: 'Washington', province: 'District of Columbia', provinceCode: 'DC', zip: '20009', latitude: 38.9072, longitude: -77.0369, areaCode: '202' },
  { city: 'Philadelphia', province: 'Pennsylvania', provinceCode: 'PA', zip: '19147', latitude: 39.9526, longitude: -75.1652, areaCode: '215' },
  { city: 'New York', province: 'New York', provinceCode: 'NY', zip: '10025', latitude: 40.7128, longitude: -74.006, areaCode: '212' },
  { city: 'Brooklyn', province: 'New York', provinceCode: 'NY', zip: '11215', latitude: 40.6782, longitude: -73.9442, areaCode: '718' },
  { city: 'Boston', province: 'Massachusetts', provinceCode: 'MA', zip: '02130', latitude: 42.3601, longitude: -71.0589, areaCode: '617' },
];
const STREETS = [
  'Oak Street', 'Maple Avenue', 'Cedar Lane', 'Pine Street', 'Elm Street', 'Washington Avenue', 'Lake Street', 'Hill Road',
  'Park Avenue', 'Main Street', 'Highland Avenue', 'Madison Street', 'Jefferson Street', 'Lincoln Avenue', 'Church Street',
  'Walnut Street', 'Spring Street', 'River Road', 'Chestnut Street', 'Franklin Avenue', 'Sunset Drive', 'Willow Court',
] as const;

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  /** E.164, as Shopify keeps a customer's phone; some buyers give none. */
  phone: string | null;
}

export interface PostalAddress {
  firstName: string;
  lastName: string;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
  countryCode: 'US';
  country: 'United States';
  latitude: number;
  longitude: number;
  /** As typed at checkout: `(206) 555-0143`. */
  phone: string | null;
}

export interface Device {
  userAgent: string;
  acceptLanguage: string;
  /** The window's size in CSS pixels (Shopify's `client_details.browser_width` / `browser_height`). */
  width: number;
  height: number;
  mobile: boolean;
}

export interface Card {
  company: 'Visa' | 'Mastercard' | 'American Express' | 'Discover';
  bin: string;
  last4: string;
  month: number;
  year: number;
  holder: string;
}

/** Values already handed out, so that no two people, addresses, devices or cards collide. */
export class Uniques {
  readonly emails = new Set<string>();
  readonly phones = new Set<string>();
  readonly streets = new Set<string>();
  readonly devices = new Set<string>();
  readonly cards = new Set<string>();
  readonly ips = new Set<string>();
}

function fresh<T>(taken: Set<string>, draw: () => T, key: (value: T) => string): T {
  for (;;) {
    const value = draw();
    const k = key(value);
    if (!taken.has(k)) {
      taken.add(k);
      return value;
    }
  }
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');

/** A buyer: name, a unique email address (a throwaway one when `disposable`), and usually a phone. */
export function personOf(random: Random, uniques: Uniques, options: { disposable?: boolean; phoneShare?: number } = {}): Person {
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const email = fresh(uniques.emails, () => {
    const f = slug(firstName);
    const l = slug(lastName);
    const local = random.pick([`${f}.${l}`, `${f}${l}`, `${f}_${l}`, `${f[0]}${l}`, `${f}.${l}${random.int(1, 99)}`, `${f}${l}${random.int(70, 2005)}`]);
    const domain = options.disposable ? random.pick(DISPOSABLE_DOMAINS) : random.weighted(EMAIL_DOMAINS);
    return `${local}@${domain}`;
  }, (e) => e);
  const phone = random.chance(options.phoneShare ?? 0.75) ? fresh(uniques.phones, () => `+1${random.pick(CITIES).areaCode}555${String(random.int(0, 9999)).padStart(4, '0')}`, (p) => p) : null;
  return { firstName, lastName, email, phone };
}

/** `+12065550143` as typed in an address form: `(206) 555-0143`. */
export function typedPhone(e164: string | null): string | null {
  if (!e164) return null;
  const digits = e164.slice(2);
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/** A unique street address in a US city, its coordinates a few km from the city centre. */
export function addressOf(random: Random, uniques: Uniques, person: Person): PostalAddress {
  const city = random.pick(CITIES);
  const address1 = fresh(uniques.streets, () => `${random.int(12, 4980)} ${random.pick(STREETS)}`, (street) => `${street}|${city.city}`);
  return {
    firstName: person.firstName,
    lastName: person.lastName,
    address1,
    address2: random.chance(0.25) ? `Apt ${random.int(1, 30)}${random.pick(['', 'A', 'B', 'C'])}` : null,
    city: city.city,
    province: city.province,
    provinceCode: city.provinceCode,
    zip: city.zip,
    countryCode: 'US',
    country: 'United States',
    latitude: Math.round((city.latitude + random.between(-0.06, 0.06)) * 1e7) / 1e7,
    longitude: Math.round((city.longitude + random.between(-0.06, 0.06)) * 1e7) / 1e7,
    phone: typedPhone(person.phone),
  };
}

/** Chrome's major versions of 2024-2025 with their build numbers (`Chrome/124.0.6367.91`). */
const CHROME_BUILDS: Record<number, number> = { 120: 6099, 121: 6167, 122: 6261, 123: 6312, 124: 6367, 125: 6422, 126: 6478, 127: 6533, 128: 6613, 129: 6668, 130: 6723, 131: 6778 };
const CHROME_PATCHES = [58, 60, 71, 78, 86, 91, 112, 118, 127, 141, 155, 182, 201, 207, 230] as const;
const IOS = ['17_3_1', '17_4_1', '17_5_1', '17_6_1', '18_0_1', '18_1', '18_1_1', '18_2', '18_3_1', '18_3_2'] as const;
const MAC_SAFARI = ['17.3.1', '17.4.1', '17.5', '17.6', '18.0.1', '18.1', '18.2', '18.3'] as const;
const LANGUAGES = [
  ['en-US,en;q=0.9', 78], ['en-US', 8], ['en-US,en;q=0.9,es;q=0.8', 6], ['es-US,es;q=0.9,en;q=0.8', 5], ['zh-CN,zh;q=0.9,en;q=0.8', 2], ['vi-VN,vi;q=0.9,en;q=0.8', 1],
] as const;
/** CSS widths of common phones (iPhone SE 375, 13/14 390, 15 393, Plus models 428/430, Android 360-412). */
const IPHONE_WIDTHS = [375, 390, 393, 414, 428, 430] as const;
const ANDROID_WIDTHS = [360, 384, 393, 412] as const;

function chromeVersion(random: Random): { major: number; full: string } {
  const major = random.int(120, 131);
  return { major, full: `${major}.0.${CHROME_BUILDS[major]}.${random.pick(CHROME_PATCHES)}` };
}

/** A browser as Shopify's checkout reports it: a current user agent, Accept-Language and window size. */
function drawDevice(random: Random, mobile: boolean): Device {
  const acceptLanguage = random.weighted(LANGUAGES);
  if (mobile) {
    if (random.chance(0.55)) {
      const ios = random.pick(IOS);
      const version = ios.replace(/_/g, '.').replace(/^(\d+\.\d+)\.\d+$/, '$1');
      const width = random.pick(IPHONE_WIDTHS);
      return {
        userAgent: `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${version} Mobile/15E148 Safari/604.1`,
        acceptLanguage, width, height: Math.round(width * random.between(1.7, 1.95)), mobile,
      };
    }
    const { major } = chromeVersion(random);
    const width = random.pick(ANDROID_WIDTHS);
    return {
      userAgent: `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`,
      acceptLanguage, width, height: Math.round(width * random.between(1.8, 2.1)), mobile,
    };
  }
  const width = random.int(1100, 2560);
  const height = Math.round(width * random.between(0.5, 0.62));
  const kind = random.weighted([['chrome-windows', 38], ['chrome-mac', 18], ['safari-mac', 16], ['edge', 14], ['firefox', 14]] as const);
  const chrome = chromeVersion(random);
  const userAgent = {
    'chrome-windows': `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome.full} Safari/537.36`,
    'chrome-mac': `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome.full} Safari/537.36`,
    'safari-mac': `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${random.pick(MAC_SAFARI)} Safari/605.1.15`,
    edge: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome.major}.0.0.0 Safari/537.36 Edg/${chrome.full}`,
    firefox: `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${chrome.major + 1}.0) Gecko/20100101 Firefox/${chrome.major + 1}.0`,
  }[kind];
  return { userAgent, acceptLanguage, width, height, mobile };
}

/** A device no other buyer has: no two share user agent, language and width (the app's device key). */
export function deviceOf(random: Random, uniques: Uniques, mobile: boolean): Device {
  return fresh(uniques.devices, () => drawDevice(random, mobile), (d) => `${d.userAgent}|${d.acceptLanguage}|${d.width}`);
}

const BRANDS = [['Visa', 55], ['Mastercard', 30], ['American Express', 10], ['Discover', 5]] as const;

function digits(random: Random, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(random.int(0, 9));
  return out;
}

/** A card in `holder`'s name, expiring 1-5 years after `fromYear`, unlike any other card of the shop. */
export function cardOf(random: Random, uniques: Uniques, holder: string, fromYear: number): Card {
  return fresh(uniques.cards, () => {
    const company = random.weighted(BRANDS);
    const bin = company === 'Visa' ? `4${digits(random, 5)}`
      : company === 'Mastercard' ? `5${random.int(1, 5)}${digits(random, 4)}`
      : company === 'American Express' ? `${random.pick(['34', '37'])}${digits(random, 4)}`
      : `6011${digits(random, 2)}`;
    return { company, bin, last4: digits(random, 4), month: random.int(1, 12), year: fromYear + random.int(1, 5), holder };
  }, (c) => `${c.bin}|${c.last4}`);
}

/** The card number as Shopify masks it in `payment_details.credit_card_number`. */
export function maskedNumber(card: Card): string {
  return `•••• •••• •••• ${card.last4}`;
}

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`;
}
