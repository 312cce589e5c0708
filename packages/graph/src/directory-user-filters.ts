/** An OData string literal: single quotes are doubled inside. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A B2C local account signs in with an email address stored as an identity, not in `mail`:
 * `identities/any(id:id/issuerAssignedId eq '<email>' and id/issuer eq '<tenant>.onmicrosoft.com')`.
 * Graph allows this filter only on its own, so it is one request.
 */
export function localAccountFilter(email: string, issuer: string): string {
  return `identities/any(id:id/issuerAssignedId eq ${odataString(email)} and id/issuer eq ${odataString(issuer)})`;
}

/**
 * Federated (social, Entra) accounts and Entra External ID users carry the address in `mail` or
 * `otherMails`. The `any` lambda on `otherMails` combined with `or` needs Graph's advanced query mode
 * (`ConsistencyLevel: eventual` and `$count=true`).
 */
export function mailFilter(email: string): string {
  const literal = odataString(email);
  return `mail eq ${literal} or otherMails/any(m:m eq ${literal})`;
}
