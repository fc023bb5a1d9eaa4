import { returnsInWindow } from './returnsInWindow.ts';

/** Returns requested in the last 90 days, this one included. */
export default returnsInWindow({ days: 90, threshold: 8, defaultWeight: 10, useBaseline: true });
