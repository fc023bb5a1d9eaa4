/// <reference path="./nlpModules.d.ts" />
import { eng } from 'stopword';
import stem from 'wink-porter2-stemmer';

/**
 * Text → terms for reason notes: lower-cased word tokens (letters, digits, inner apostrophes),
 * English stop words removed (the `stopword` list, minus the words that carry a return reason:
 * negations and "too", as in "too small", "not as pictured"), Porter2 stems (wink), and the
 * bigrams of neighbouring kept stems ("too_small", "not_describ").
 */
const KEEP = new Set(['not', 'no', 'too', 'nor', 'against', 'off', 'over', 'under', 'down', 'up', 'out']);
const STOP = new Set(eng.filter((w) => !KEEP.has(w)).concat(["it's", "i'm", "i've", "i'd", "don't", 'im', 'ive', 'would', 'could', 'also', 'just', 'get', 'got', 'one', 'really', 'bit', 'still', 'even']));
const NEGATIONS: Record<string, string> = { "didn't": 'not', "wasn't": 'not', "isn't": 'not', "doesn't": 'not', "don't": 'not', "aren't": 'not', "weren't": 'not', "won't": 'not', "can't": 'not', "couldn't": 'not', 'never': 'not' };

export function words(text: string): string[] {
  return (text.toLowerCase().replace(/[’‘]/g, "'").match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []);
}

/** The kept words of a text with their stems (stems are the vocabulary; words label it). */
export function stemmedWords(text: string): { word: string; stem: string }[] {
  const out: { word: string; stem: string }[] = [];
  for (const raw of words(text)) {
    const word = NEGATIONS[raw] ?? raw;
    if (STOP.has(word) || word.length < 2 || /^[0-9]+$/.test(word)) continue;
    out.push({ word, stem: stem(word.replace(/'s$/, '')) });
  }
  return out;
}

/** Unigram stems plus bigrams of neighbouring kept stems. */
export function terms(text: string): string[] {
  const stems = stemmedWords(text).map((w) => w.stem);
  const bigrams: string[] = [];
  for (let i = 1; i < stems.length; i++) bigrams.push(`${stems[i - 1]}_${stems[i]}`);
  return [...stems, ...bigrams];
}

export function stemOf(word: string): string {
  return stem(word.toLowerCase());
}
