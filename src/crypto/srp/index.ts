export {
  startSrpChallenge,
  newSecretBlock,
  isAcceptableSrpA,
  verifyPasswordClaim,
  verifyDevicePasswordClaim,
  type SrpChallenge,
  type SrpClaimInput,
  type PasswordClaimInput,
  type DevicePasswordClaimInput,
} from './challenge.js';
export {
  srpPoolName,
  createPasswordVerifier,
  passwordMatchesVerifier,
  createDeviceVerifier,
  parseDeviceSecretVerifierConfig,
  createDecoyVerifier,
  type SrpVerifier,
} from './verifier.js';
export {
  formatSrpTimestamp,
  checkSrpTimestamp,
  isValidSrpTimestamp,
  DEFAULT_SRP_TIMESTAMP_SKEW_MS,
  type SrpTimestampCheck,
} from './timestamp.js';
