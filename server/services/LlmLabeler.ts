import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import type { ReasonStore } from '../store/ReasonStore.ts';

/** What the labeler is asked about one cluster. */
export interface ClusterToLabel {
  category: string;
  terms: string[];
  examples: string[];
}

export type LabelOutcome = { label: string; cached: boolean } | { error: string };

/**
 * Optional refinement of a cluster's name by an LLM behind an OpenAI-compatible
 * `/chat/completions` endpoint: a short merchant-facing label from the cluster's top words and a
 * few example notes. Answers are cached (by model + prompt) in the database, each call has a
 * short timeout, and a failure is returned, not thrown: the offline name stands.
 */
export class LlmLabeler {
  private readonly llm: NonNullable<Config['llm']>;
  private readonly cache: Pick<ReasonStore, 'cachedAnswer' | 'cacheAnswer'>;
  private readonly fetch: typeof fetch;

  constructor(llm: NonNullable<Config['llm']>, cache: Pick<ReasonStore, 'cachedAnswer' | 'cacheAnswer'>, fetchFn: typeof fetch = fetch) {
    this.llm = llm;
    this.cache = cache;
    this.fetch = fetchFn;
  }

  get model(): string {
    return this.llm.model;
  }

  async label(cluster: ClusterToLabel): Promise<LabelOutcome> {
    const messages = [
      {
        role: 'system',
        content:
          'You name clusters of customer return notes for a shop owner. Answer with JSON only: {"label": "<3 to 8 words naming what these returns have in common, specific and actionable>"}. Do not invent facts beyond the notes.',
      },
      { role: 'user', content: `Category: ${cluster.category}\nTop words: ${cluster.terms.join(', ')}\nExample notes:\n${cluster.examples.map((e) => `- ${e.slice(0, 300)}`).join('\n')}` },
    ];
    const key = createHash('sha256').update(JSON.stringify([this.llm.model, messages])).digest('hex');
    const cached = (await this.cache.cachedAnswer(key)) as { label?: string } | undefined;
    if (cached?.label) return { label: cached.label, cached: true };
    try {
      const response = await this.fetch(`${this.llm.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.llm.apiKey ? { authorization: `Bearer ${this.llm.apiKey}` } : {}) },
        body: JSON.stringify({ model: this.llm.model, messages, temperature: 0, max_tokens: 60 }),
        signal: AbortSignal.timeout(this.llm.timeoutMs),
      });
      if (!response.ok) return { error: `LLM answered HTTP ${response.status}` };
      const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
      const label = parseLabel(body.choices?.[0]?.message?.content);
      if (!label) return { error: 'LLM answer had no usable label' };
      await this.cache.cacheAnswer(key, this.llm.model, { label });
      return { label, cached: false };
    } catch (error) {
      const e = error as Error;
      return { error: e.name === 'TimeoutError' || e.name === 'AbortError' ? `LLM did not answer within ${this.llm.timeoutMs} ms` : `LLM call failed: ${e.message}` };
    }
  }
}

/** `{"label": "..."}` (possibly in a code fence), or a bare short line; at most 80 characters. */
export function parseLabel(content: string | undefined): string | null {
  if (!content) return null;
  const text = content.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  let label: unknown = text;
  if (text.startsWith('{')) {
    try {
      label = (JSON.parse(text) as { label?: unknown }).label;
    } catch {
      return null;
    }
  }
  if (typeof label !== 'string') return null;
  const clean = label.replace(/[\r\n]+/g, ' ').replace(/^["']|["']$/g, '').trim();
  return clean.length >= 2 && clean.length <= 80 ? clean : null;
}
