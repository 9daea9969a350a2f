/** The one error a malformed filter pattern raises; the API layer words it as CloudWatch Logs does per operation. */
export class FilterPatternError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'FilterPatternError';
  }
}
