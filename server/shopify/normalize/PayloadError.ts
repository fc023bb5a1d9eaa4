/**
 * A webhook body we refuse: not JSON, or not the shape the topic promises. The route answers
 * 400 (the body will not get better on retry, but Shopify's retries are harmless).
 */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  /** The topic the body was delivered for, e.g. `orders/create` (or the topic family). */
  readonly topic: string;
  /** JSON pointer to the offending value; `` for the body itself. */
  readonly pointer: string;
  /** The problem alone, without topic and pointer, e.g. `must be integer`. */
  readonly problem: string;

  constructor(topic: string, pointer: string, problem: string) {
    super(`${topic || 'webhook'} payload${pointer ? ` at ${pointer}` : ''}: ${problem}`);
    this.topic = topic;
    this.pointer = pointer;
    this.problem = problem;
  }

  /** The same problem, attributed to the topic it was delivered for. */
  forTopic(topic: string): PayloadError {
    return topic === this.topic ? this : new PayloadError(topic, this.pointer, this.problem);
  }
}
