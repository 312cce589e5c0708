/** The person's fields we mirror into B2C custom attributes. */
export interface PersonAttributes {
  username?: string | null;
  status?: string | null;
  agentUrl?: string | null;
}

/**
 * B2C stores a custom attribute `X` as the directory extension `extension_{appId}_X`, where appId is
 * the `b2c-extensions-app`'s client id without hyphens.
 */
export function extensionAttributeName(extensionAppId: string, name: string): string {
  return `extension_${extensionAppId.replaceAll('-', '').toLowerCase()}_${name}`;
}

/**
 * The PATCH body. A key left undefined is not touched; null clears the attribute (Graph removes an
 * extension property set to null), which is what a deleted person's agent URL needs.
 */
export function extensionAttributesBody(
  extensionAppId: string,
  attributes: PersonAttributes,
): Record<string, string | null> {
  const body: Record<string, string | null> = {};
  for (const name of ['username', 'status', 'agentUrl'] as const) {
    const value = attributes[name];
    if (value !== undefined) body[extensionAttributeName(extensionAppId, name)] = value;
  }
  return body;
}
