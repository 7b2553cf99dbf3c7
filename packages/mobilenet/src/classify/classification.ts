/** One class of a {@link classify} result. */
export interface Classification {
  /** The class's label from `options.labels`, or its index as a string without labels. */
  readonly label: string;
  /** The class's position in the model's output, 0-based. */
  readonly index: number;
  /** The model's probability for the class, in [0, 1]. */
  readonly probability: number;
}

/**
 * Class labels: an array with one label per class, in the model's output order, or a record
 * from class index to label (as nsfwjs's `NSFW_CLASSES`, `{ 0: 'Drawing', … }`) covering
 * every class.
 */
export type ClassLabels = readonly string[] | Readonly<Record<number, string>>;
