import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { productFactsOf } from '../server/services/ProductCatalog.ts';
import type { ProductFacts } from '../server/store/ProductStore.ts';
import { CATALOG, productFactsAnswer, type ProductFactsAnswer } from './catalog.ts';
import { generateShop, type GenerateOptions } from './generateShop.ts';

/**
 * The demo shop's files: its history and its products, as a connected shop's would reach the
 * app. Demo mode has no Shopify to fetch from, so both are generated once and kept in the data
 * folder:
 * - the history (`demo-history.jsonl`): the generated shop's records as the app stores them from
 *   Shopify's webhook bodies (`GeneratedShop.stored`: normalized with the demo shop's own hashing
 *   key, so no raw email, phone, address, IP or card is written), backfilled through the file
 *   source like any history file; the database adds each order's paying card from its
 *   transactions as it does for every shop;
 * - the products (`demo-products.json`): the Admin API's answers to the app's `ProductFacts`
 *   query for the catalogue, which the app would otherwise fetch (`ProductCatalog.ensure`). They
 *   are stored in `product_facts` with the same `productFactsOf` as fetched answers, before the
 *   backfill scores anything, so contexts see product types and compare-at prices from the same
 *   place as on a connected shop.
 */

/** Writes the demo history unless it exists (a restart keeps the history its backfill read). */
export async function ensureDemoHistory(path: string, options: GenerateOptions & { shopKey: string }): Promise<boolean> {
  if (existsSync(path)) return false;
  const { stored } = generateShop(options);
  await writeAtomically(path, stored.map((event) => JSON.stringify(event)).join('\n') + '\n');
  return true;
}

/** Writes the catalogue's `ProductFacts` answers unless they exist. */
export async function ensureDemoProducts(path: string): Promise<boolean> {
  if (existsSync(path)) return false;
  await writeAtomically(path, JSON.stringify([productFactsAnswer(CATALOG)], null, 1) + '\n');
  return true;
}

/**
 * The product facts of a file of `ProductFacts` answers (a JSON array of `{ data: { nodes } }`),
 * each node read by `productFactsOf` (bounded, checked) as a fetched answer is; nodes that are not
 * products are skipped. Throws on a file that is not such an array.
 */
export async function readProductFacts(path: string): Promise<ProductFacts[]> {
  const answers = JSON.parse(await readFile(path, 'utf8')) as unknown;
  if (!Array.isArray(answers)) throw new Error(`${path}: expected a JSON array of ProductFacts answers`);
  return answers.flatMap((answer: ProductFactsAnswer) => {
    const nodes = answer?.data?.nodes;
    if (!Array.isArray(nodes)) throw new Error(`${path}: an answer without data.nodes`);
    return nodes.flatMap((node) => {
      const facts = node && typeof node === 'object' ? productFactsOf(node) : null;
      return facts ? [facts] : [];
    });
  });
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.partial`, text);
  await rename(`${path}.partial`, path);
}
