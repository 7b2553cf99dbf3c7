/**
 * A reshape's per-example target shape (without the batch axis) with a `-1` entry resolved to
 * what `inputShape`'s per-example element count leaves for it. Other entries pass through as
 * given (the reshape layer checks them); a `-1` stays when the known entries multiply to 0.
 * Shared by the Keras `Reshape` and graph-model `Reshape` readers.
 */
export function perExampleShape(inputShape: readonly number[], target: readonly number[]): number[] {
  const perExample = inputShape.slice(1).reduce((a, b) => a * b, 1);
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return target.map((d) => (d === -1 && known > 0 ? perExample / known : d));
}
