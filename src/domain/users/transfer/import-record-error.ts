/** A problem with one record of an import, reported for that user alone. */
export class ImportRecordError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
