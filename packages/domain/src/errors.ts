/**
 * Services and pure modules throw DomainError; the HTTP layer turns the kind into a status and an
 * RFC 9457 problem+json body in exactly one place (apps/server/src/http/errors.ts).
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'infeasible' | 'too_large' | 'rate_limited';

export interface FieldError {
  /** JSON pointer or dotted path of the offending field, e.g. "/outlets/3/lon" or "row 12: lon". */
  path: string;
  message: string;
  /** 1-based row number in an imported file, when the error comes from one. */
  row?: number;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable machine-readable code, e.g. "outlet.division_unknown". */
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, errors: FieldError[] = []) => new DomainError('invalid', code, message, errors);
export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
