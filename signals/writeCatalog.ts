import { writeFile } from 'node:fs/promises';
import { builtinSignals } from './index.ts';
import { renderCatalog } from './renderCatalog.ts';

/** `npm run catalog`: regenerates signals/CATALOG.md from the signals' meta. */
await writeFile(new URL('./CATALOG.md', import.meta.url), renderCatalog(builtinSignals));
console.log(`signals/CATALOG.md: ${builtinSignals.length} signals`);
