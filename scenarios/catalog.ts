/**
 * A small apparel-and-accessories catalogue for the generated demo shop, and what Shopify's Admin
 * API answers about it. Order webhooks carry a line's product and variant ids, SKU, titles,
 * vendor and price, never the product type or the variant's compare-at price: the app fetches
 * those with the `ProductFacts` operation (`server/shopify/operations/ProductFacts.graphql`), so
 * the generator hands them out only as that operation's answer ({@link productFactsAnswer}).
 */
export interface Product {
  /** The product's GID (`gid://shopify/Product/…`). */
  id: string;
  title: string;
  productType: string;
  vendor: string;
  /** The regular price (shop currency). */
  price: number;
  /** Variant titles (sizes or colours); one variant id per entry. */
  variants: readonly string[];
  /** Share of sales made at the sale price (70 % of the regular one); 0: never on sale. */
  onSaleShare: number;
}

const SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
const SHOE_SIZES = ['37', '38', '39', '40', '41', '42'] as const;

/** Shopify product ids are 13 digits today (and GIDs, not numbers, are what the app keys on). */
const PRODUCT_ID_BASE = 8_604_112_330_000;
const VARIANT_ID_BASE = 46_210_755_100_000;

const entries: [string, string, string, number, readonly string[], number][] = [
  ['Linen shirt', 'Shirt', 'Harbor & Pine', 48, SIZES, 0.2],
  ['Cotton tee', 'T-shirt', 'Harbor & Pine', 22, SIZES, 0.3],
  ['Slim chinos', 'Trousers', 'Harbor & Pine', 64, SIZES, 0.2],
  ['Denim jacket', 'Jacket', 'Indigo Works', 110, SIZES, 0.15],
  ['Wool blazer', 'Blazer', 'Atelier Nord', 220, SIZES, 0.1],
  ['Evening gown', 'Dress', 'Atelier Nord', 340, SIZES, 0.05],
  ['Cocktail dress', 'Dress', 'Atelier Nord', 180, SIZES, 0.1],
  ['Summer dress', 'Dress', 'Harbor & Pine', 75, SIZES, 0.3],
  ['Two-piece suit', 'Suit', 'Atelier Nord', 420, SIZES, 0.05],
  ['Silk scarf', 'Accessory', 'Maison Lune', 45, ['Blue', 'Red', 'Green'], 0.2],
  ['Leather handbag', 'Handbag', 'Maison Lune', 260, ['Black', 'Tan'], 0.1],
  ['Stiletto heels', 'Heels', 'Maison Lune', 150, SHOE_SIZES, 0.1],
  ['Running shoes', 'Sneakers', 'Stride Lab', 120, SHOE_SIZES, 0.2],
  ['Canvas sneakers', 'Sneakers', 'Stride Lab', 60, SHOE_SIZES, 0.3],
  ['Rain coat', 'Coat', 'Indigo Works', 140, SIZES, 0.2],
  ['Knit sweater', 'Sweater', 'Harbor & Pine', 70, SIZES, 0.3],
  ['Gold necklace', 'Jewelry', 'Maison Lune', 310, ['One size'], 0.05],
  ['Analog watch', 'Watch', 'Stride Lab', 280, ['Steel', 'Gold'], 0.05],
  ['Socks (3 pack)', 'Socks', 'Harbor & Pine', 14, ['S', 'M', 'L'], 0.4],
  ['Gift card', 'Gift card', 'Harbor & Pine', 100, ['100'], 0],
];

export const CATALOG: readonly Product[] = entries.map(([title, productType, vendor, price, variants, onSaleShare], i) => ({
  id: `gid://shopify/Product/${PRODUCT_ID_BASE + i * 17}`,
  title,
  productType,
  vendor,
  price,
  variants,
  onSaleShare,
}));

/** Product types worn to an event and sent back (the wardrobers' picks). */
export const WORN_TYPES = new Set(['Dress', 'Suit', 'Blazer', 'Heels', 'Handbag', 'Jewelry', 'Watch']);
export const SIZED = (p: Product) => p.variants.length >= 4;
export const GIFT_CARD = (p: Product) => p.productType === 'Gift card';

/** The number of a GID (`gid://shopify/Product/8604112330000` → 8604112330000). */
export function numericId(gid: string): number {
  return Number(gid.slice(gid.lastIndexOf('/') + 1));
}

export function variantId(product: Product, variant: string): string {
  return `gid://shopify/ProductVariant/${VARIANT_ID_BASE + CATALOG.indexOf(product) * 100 + product.variants.indexOf(variant)}`;
}

export function sku(product: Product, variant: string): string {
  return `${product.title.toUpperCase().replace(/[^A-Z0-9]+/g, '-')}-${variant.replace(/\s+/g, '')}`;
}

/** The sale price of a product: 70 % of the regular one, in whole currency units. */
export function salePrice(product: Product): number {
  return Math.round(product.price * 0.7);
}

/** A `nodes(ids:)` answer of the `ProductFacts` operation, as the Admin API sends it. */
export interface ProductFactsAnswer {
  data: {
    nodes: {
      id: string;
      productType: string;
      variants: { nodes: { id: string; compareAtPrice: string | null }[] };
    }[];
  };
}

/**
 * The Admin API's answer to `ProductFacts` for the products (`server/shopify/operations/ProductFacts.graphql`:
 * `Product { id productType variants { nodes { id compareAtPrice } } }`; `compareAtPrice` is a
 * `Money` scalar, a decimal string). The catalogue is answered as it stands at the end of the
 * history: every product that goes on sale is on sale now, so its variants carry the regular
 * price as their compare-at price, and the app puts it only on the lines sold below it
 * (`withProductFacts`); a product never on sale has none. A line bought at the regular price
 * while the product is on sale today is the limit the app documents (today's compare-at price,
 * not the one of the order's day); here it never gets a compare-at price, since it is not below.
 */
export function productFactsAnswer(products: readonly Product[] = CATALOG): ProductFactsAnswer {
  return {
    data: {
      nodes: products.map((product) => ({
        id: product.id,
        productType: product.productType,
        variants: {
          nodes: product.variants.map((variant) => ({
            id: variantId(product, variant),
            compareAtPrice: product.onSaleShare > 0 ? product.price.toFixed(2) : null,
          })),
        },
      })),
    },
  };
}
