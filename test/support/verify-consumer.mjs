// A backend that uses frontdesk/verify as a dependency (see test/verify-package.test.ts): plain
// JavaScript, resolved through the package's "exports", no other module installed.
import { createVerifier, TokenVerificationError } from 'frontdesk/verify';

const [issuer, good, bad] = process.argv.slice(2);
const verifier = createVerifier({ issuer }, { tokenUse: 'access', clientId: 'fake-client', groups: ['admin'] });
const claims = await verifier.verify(good);
let refusal;
try {
  await verifier.verify(bad);
} catch (error) {
  if (!(error instanceof TokenVerificationError)) throw error;
  refusal = { name: error.name, reason: error.reason, status: error.status };
}
process.stdout.write(JSON.stringify({ good: { sub: claims.sub, groups: claims['cognito:groups'] }, bad: refusal }));
