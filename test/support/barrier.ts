/**
 * A barrier for tests that make two runs overlap on purpose: each caller waits until `parties` have
 * arrived, so both read before either writes.
 */
export const barrier = (parties: number): (() => Promise<void>) => {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived >= parties) release();
    await all;
  };
};
