export { type AccessTokenSource, clientCredentialsToken } from './client-credentials-token';
export { localAccountFilter, mailFilter, odataString } from './directory-user-filters';
export {
  extensionAttributeName,
  extensionAttributesBody,
  type PersonAttributes,
} from './extension-attributes';
export {
  defaultAuthorityUrl,
  defaultGraphBaseUrl,
  defaultTokenScope,
  type GraphConfig,
} from './graph-config';
export { createGraphSync, type DirectoryPerson, type GraphCallOptions, type GraphSync } from './graph-sync';
export { errorClassForStatus, IdpError, type IdpErrorClass, isIdpError, parseRetryAfter } from './idp-error';
