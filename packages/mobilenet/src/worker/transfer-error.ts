import { BackendError, DTypeError, SepconvError, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';

/** An error as it crosses from the worker: enough to rebuild the same typed error on the page. */
export interface EncodedError {
  readonly name: string;
  readonly message: string;
  /** A SepconvError's `op` and `argument`; absent for other errors. */
  readonly op?: string | undefined;
  readonly argument?: string | undefined;
  readonly stack?: string | undefined;
}

type SepconvErrorClass = new (op: string, argument: string, message: string) => SepconvError;

/** The typed errors rebuilt on the page by name; any other SepconvError comes back as its nearest base, SepconvError. */
const ERROR_CLASSES = { SepconvError, ShapeError, ValueError, DTypeError, UnsupportedError, BackendError } satisfies Record<
  string,
  SepconvErrorClass
>;

export function encodeError(error: unknown): EncodedError {
  if (error instanceof SepconvError) return { name: error.name, message: error.message, op: error.op, argument: error.argument, stack: error.stack };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/**
 * The worker's error as the page's: a `ShapeError` thrown in the worker is a `ShapeError` here,
 * with the same op, argument and message; the worker's stack is kept in the message's `cause`.
 */
export function decodeError(encoded: EncodedError): Error {
  if (encoded.op !== undefined && encoded.argument !== undefined) {
    const ErrorClass: SepconvErrorClass = Object.hasOwn(ERROR_CLASSES, encoded.name)
      ? ERROR_CLASSES[encoded.name as keyof typeof ERROR_CLASSES]
      : SepconvError;
    const prefix = `${encoded.op}: `;
    const error = new ErrorClass(
      encoded.op,
      encoded.argument,
      encoded.message.startsWith(prefix) ? encoded.message.slice(prefix.length) : encoded.message,
    );
    if (encoded.stack !== undefined) error.cause = { workerStack: encoded.stack };
    return error;
  }
  const error = new Error(encoded.message, encoded.stack === undefined ? undefined : { cause: { workerStack: encoded.stack } });
  error.name = encoded.name;
  return error;
}
