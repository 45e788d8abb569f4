/**
 * How a caller has a request run: once, or again as it sees fit. verify tries again while a new key or
 * policy propagates; the function sees what the SDK threw.
 */
export type Retry = <T>(request: () => Promise<T>) => Promise<T>;

export const once: Retry = (request) => request();
