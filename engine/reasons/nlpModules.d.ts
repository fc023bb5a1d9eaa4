// Types for the untyped NLP modules used here. wink-nlp ships types for its utilities under extension-less module names; Node's ESM resolver
// needs the `.js` path (the package has no exports map), so the same types are declared for it.
declare module 'wink-nlp/utilities/bm25-vectorizer.js' {
  export interface BM25Vectorizer {
    learn(tokens: string[]): void;
    vectorOf(tokens: string[]): number[];
    out<T>(f: unknown): T;
  }
  export default function bm25Vectorizer(config?: { k?: number; k1?: number; b?: number; norm?: 'l1' | 'l2' | 'none' }): BM25Vectorizer;
}
declare module 'wink-nlp/src/its.js' {
  const its: { terms: unknown; docTermMatrix: unknown; idf: unknown };
  export default its;
}
declare module 'wink-porter2-stemmer' {
  export default function stem(word: string): string;
}
declare module 'stopword' {
  /** The English stop word list. */
  export const eng: string[];
}
