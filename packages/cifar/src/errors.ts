/** Category of a {@link CifarDataError}, for callers that react to the cause rather than the message. */
export type CifarDataErrorCode =
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'NOT_FOUND'
  | 'INVALID_ARCHIVE'
  | 'UNSAFE_ARCHIVE_ENTRY'
  | 'INVALID_BATCH_FILE';

/**
 * Error raised when CIFAR-10 cannot be downloaded, extracted or parsed.
 *
 * The message names the URL or file involved, what was expected and what to do next.
 */
export class CifarDataError extends Error {
  override readonly name = 'CifarDataError';

  /** Category of the failure. */
  readonly code: CifarDataErrorCode;

  /** URL or file path that the failure concerns. */
  readonly location: string;

  constructor(
    code: CifarDataErrorCode,
    location: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.location = location;
  }
}
