/** A trial thread for the memory-limit test: it holds on to everything it allocates until the limit stops it. */
export default function run(): never {
  const kept: number[][] = [];
  for (;;) kept.push(Array.from({ length: 100_000 }, (_, i) => i));
}
