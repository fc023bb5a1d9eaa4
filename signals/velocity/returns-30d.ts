import { returnsInWindow } from './returnsInWindow.ts';

/** Returns requested in the last 30 days, this one included. */
export default returnsInWindow({ days: 30, threshold: 4, defaultWeight: 12 });
