/** A small apparel-and-accessories catalogue for the generated demo shop. */
export interface Product {
  id: string;
  title: string;
  productType: string;
  price: number;
  /** Variant titles (sizes or colours); one variant id per entry. */
  variants: readonly string[];
  /** Sold below a compare-at price part of the time. */
  onSaleShare: number;
}

const SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
const SHOE_SIZES = ['37', '38', '39', '40', '41', '42'] as const;

const entries: [string, string, number, readonly string[], number][] = [
  ['Linen shirt', 'Shirt', 48, SIZES, 0.2],
  ['Cotton tee', 'T-shirt', 22, SIZES, 0.3],
  ['Slim chinos', 'Trousers', 64, SIZES, 0.2],
  ['Denim jacket', 'Jacket', 110, SIZES, 0.15],
  ['Wool blazer', 'Blazer', 220, SIZES, 0.1],
  ['Evening gown', 'Dress', 340, SIZES, 0.05],
  ['Cocktail dress', 'Dress', 180, SIZES, 0.1],
  ['Summer dress', 'Dress', 75, SIZES, 0.3],
  ['Two-piece suit', 'Suit', 420, SIZES, 0.05],
  ['Silk scarf', 'Accessory', 45, ['Blue', 'Red', 'Green'], 0.2],
  ['Leather handbag', 'Handbag', 260, ['Black', 'Tan'], 0.1],
  ['Stiletto heels', 'Heels', 150, SHOE_SIZES, 0.1],
  ['Running shoes', 'Sneakers', 120, SHOE_SIZES, 0.2],
  ['Canvas sneakers', 'Sneakers', 60, SHOE_SIZES, 0.3],
  ['Rain coat', 'Coat', 140, SIZES, 0.2],
  ['Knit sweater', 'Sweater', 70, SIZES, 0.3],
  ['Gold necklace', 'Jewelry', 310, ['One size'], 0.05],
  ['Analog watch', 'Watch', 280, ['Steel', 'Gold'], 0.05],
  ['Socks (3 pack)', 'Socks', 14, ['S', 'M', 'L'], 0.4],
  ['Gift card', 'Gift card', 100, ['100'], 0],
];

export const CATALOG: readonly Product[] = entries.map(([title, productType, price, variants, onSaleShare], i) => ({
  id: `gid://shopify/Product/${1000 + i}`,
  title,
  productType,
  price,
  variants,
  onSaleShare,
}));

export const WORN_TYPES = new Set(['Dress', 'Suit', 'Blazer', 'Heels', 'Handbag', 'Jewelry', 'Watch']);
export const SIZED = (p: Product) => p.variants.length >= 4;

export function variantId(product: Product, variant: string): string {
  return `gid://shopify/ProductVariant/${product.id.split('/').pop()}${String(product.variants.indexOf(variant)).padStart(2, '0')}`;
}

export function sku(product: Product, variant: string): string {
  return `${product.title.toUpperCase().replace(/[^A-Z0-9]+/g, '-')}-${variant.replace(/\s+/g, '')}`;
}
