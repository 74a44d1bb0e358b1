// Passwords that appear at the top of published breach corpora, and the policy-satisfying
// variants of them people actually choose (capital first, a digit and a symbol appended). A
// hand-picked list, bundled so the check works offline and costs one Set lookup; it catches the
// passwords credential-stuffing tries first, not every breached password.
const LIST = `
123456 123456789 12345678 12345 1234567 1234567890 111111 000000 123123 654321 666666 121212
password password1 password12 password123 passw0rd p@ssw0rd p@ssword qwerty qwerty123 qwertyuiop
abc123 iloveyou admin admin123 welcome welcome1 welcome123 letmein monkey dragon football baseball
sunshine princess master shadow superman trustno1 starwars whatever freedom hello123 login
Password1 Password1! Password12 Password123 Password123! Passw0rd Passw0rd! P@ssw0rd P@ssw0rd1
P@ssw0rd! P@ssword1 P@ssword123 Welcome1 Welcome1! Welcome123 Welcome123! Qwerty123 Qwerty123!
Qwerty1! Letmein1 Letmein1! Admin123 Admin123! Admin@123 Abc12345 Abcd1234 Abcd1234! Aa123456
Aa123456! Iloveyou1 Iloveyou1! Summer2024 Summer2024! Winter2024! Spring2024! Autumn2024!
Summer2025! Winter2025! Spring2025! Changeme1 Changeme1! Changeme123! Football1! Monkey123!
Dragon123! Sunshine1! Princess1! Master123! Secret123! Test1234 Test1234! Test@123 Hello123!
`;

const COMMON = new Set(LIST.split(/\s+/).filter(Boolean));

/** Whether a password is on the bundled list of breached/common passwords. */
export function isCompromisedPassword(password: string): boolean {
  return COMMON.has(password);
}
