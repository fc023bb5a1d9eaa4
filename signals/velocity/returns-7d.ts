import { returnsInWindow } from './returnsInWindow.ts';

/** Returns requested in the last 7 days, this one included. */
export default returnsInWindow({ days: 7, threshold: 2, defaultWeight: 15 });
