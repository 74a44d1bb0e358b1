import type { ShapeTable } from './shape-types.js';

/**
 * Where Cognito's service accepts more than its published model says, the model is corrected here
 * (the generated tables stay as generated).
 *
 * DomainType: the model allows one DNS label (a prefix domain) of at most 63 characters, yet
 * CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain and DeleteUserPoolDomain take
 * custom domains such as `auth.example.com` in the same member. The domain service checks which
 * form fits the request.
 */
export function withShapeOverrides(shapes: ShapeTable): ShapeTable {
  if (!shapes.DomainType) return shapes;
  return {
    ...shapes,
    DomainType: { type: 'string', min: 1, max: 253, pattern: '^[a-z0-9](?:[a-z0-9.\\-]{0,251}[a-z0-9])?$' },
  };
}
