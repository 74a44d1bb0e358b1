import type { Config } from './config.js';
import type { SettingsStore } from '../store/settings-store.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { newAccessKeyId, newSecretAccessKey } from '../crypto/random.js';

export interface AdminCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** True only on the start that generated them: the one time they are shown. */
  generated: boolean;
}

const SETTING_KEY = 'admin_credentials';
const PURPOSE = 'admin-credentials';

/**
 * The access key pair that signs admin calls: configured, or generated once and kept in the
 * database sealed under the master key (so all nodes of a cluster agree on it).
 */
export async function resolveAdminCredentials(
  config: Config,
  settings: SettingsStore,
  secrets: SecretBox,
  now: Date,
): Promise<AdminCredentials> {
  if (config.adminAccessKeyId && config.adminSecretAccessKey) {
    return { accessKeyId: config.adminAccessKeyId, secretAccessKey: config.adminSecretAccessKey, generated: false };
  }
  const existing = await settings.get(SETTING_KEY);
  if (existing) return { ...JSON.parse(secrets.open(existing, PURPOSE)), generated: false };
  const fresh = { accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() };
  const sealed = secrets.seal(JSON.stringify(fresh), PURPOSE);
  const stored = await settings.putIfAbsent(SETTING_KEY, sealed, now);
  // Another node may have won the race; then its pair is the pair.
  if (stored !== sealed) return { ...JSON.parse(secrets.open(stored, PURPOSE)), generated: false };
  return { ...fresh, generated: true };
}

/** The one-time banner printed to stdout (never to the log) when credentials were generated. */
export function credentialsBanner(credentials: AdminCredentials, endpoint: string, region: string): string {
  return [
    '',
    'Frontdesk generated admin credentials. They are shown this once; store them now.',
    '',
    `  export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
    `  export AWS_REGION=${region}`,
    `  aws --endpoint-url ${endpoint} cognito-idp list-user-pools --max-results 10`,
    '',
    '  // AWS SDK v3',
    `  new CognitoIdentityProviderClient({ endpoint: '${endpoint}', region: '${region}',`,
    `    credentials: { accessKeyId: '${credentials.accessKeyId}', secretAccessKey: '${credentials.secretAccessKey}' } });`,
    '',
  ].join('\n');
}
