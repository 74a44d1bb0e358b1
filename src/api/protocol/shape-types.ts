/** The compact form of the AWS model shapes that scripts/generate-from-models.mjs emits. */
export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  members?: Record<string, string>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  document?: boolean;
}

export type ShapeTable = Record<string, Shape>;

/** `admin` is Frontdesk's own `FrontdeskAdmin` API. */
export type ServiceKey = 'idp' | 'identity' | 'admin';

export interface OperationModel {
  service: ServiceKey;
  /** SigV4 credential-scope service name the caller must sign for. */
  signingName: 'cognito-idp' | 'cognito-identity';
  name: string;
  auth: 'none' | 'sigv4';
  input: string | null;
  output: string | null;
  errors: string[];
}
