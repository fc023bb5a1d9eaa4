import { build } from 'vite';

/**
 * Bundles the extension (what `shopify app build` does for it): one ES module with Preact and
 * the card, `dist/order-risk-card.js`. `npm run build:extensions`; the browser test builds it too.
 */
export async function buildOrderRiskCard(outDir = new URL('./dist/', import.meta.url).pathname): Promise<string> {
  const root = new URL('.', import.meta.url).pathname;
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      lib: { entry: 'src/OrderRiskCard.tsx', formats: ['es'], fileName: () => 'order-risk-card.js' },
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
    },
  });
  return `${outDir.replace(/\/$/, '')}/order-risk-card.js`;
}

if (import.meta.main) console.log(`built ${await buildOrderRiskCard()}`);
